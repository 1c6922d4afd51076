import { deleteFileStrategy } from './delete-file.js';
import { emptyStrategy } from './empty.js';
import { generalizeStrategy } from './generalize.js';
import { hashStrategy } from './hash.js';
import { maskStrategy } from './mask.js';
import { nullStrategy } from './null.js';
import { randomStrategy } from './random.js';
import { redactStrategy } from './redact.js';
import { templateStrategy } from './template.js';
import type { MaskingStrategy, StrategySpec } from './types.js';
import { valueStrategy } from './value.js';

/**
 * The strategy a spec describes. `null`, `empty`, `value` and `template` set the column
 * whatever it held; the others transform the old value and leave NULL as NULL.
 */
export function createStrategy(spec: StrategySpec): MaskingStrategy {
  switch (spec.kind) {
    case 'null':
      return nullStrategy();
    case 'empty':
      return emptyStrategy();
    case 'value':
      return valueStrategy(spec);
    case 'template':
      return templateStrategy(spec);
    case 'random':
      return randomStrategy();
    case 'hash':
      return hashStrategy(spec);
    case 'mask':
      return maskStrategy(spec);
    case 'generalize':
      return generalizeStrategy(spec);
    case 'redact':
      return redactStrategy(spec);
    case 'delete-file':
      return deleteFileStrategy(spec, createStrategy(spec.then));
  }
}

export type * from './types.js';
export { parseStrategySpec, templateFields, KNOWN_STRATEGIES, type ParsedStrategy } from './spec.js';
export { MaskingError } from './masking-error.js';
