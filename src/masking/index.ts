import { createFrom } from './read-strategy.js';
import { STRATEGIES } from './registry.js';
import type { MaskingStrategy, StrategySpec } from './types.js';

/**
 * The strategy a spec describes. `null`, `empty`, `value` and `template` set the column
 * whatever it held; the others transform the old value and leave NULL as NULL.
 */
export function createStrategy(spec: StrategySpec): MaskingStrategy {
  return createFrom(spec, STRATEGIES);
}

export type * from './types.js';
export { parseStrategySpec, templateFields, KNOWN_STRATEGIES, type ParsedStrategy } from './spec.js';
export { STRATEGIES, constantOf, definitionOf, NOT_REPEATABLE } from './registry.js';
export { defineStrategy, type StrategyDefinition, type SpecOf } from './definition.js';
export { MaskingError } from './masking-error.js';
