import { readStrategy } from './read-strategy.js';
import { STRATEGIES, type StrategyKind, type StrategySpec } from './registry.js';

export { templateFields } from './template.js';

export type ParsedStrategy = { spec: StrategySpec } | { problem: string };

export const KNOWN_STRATEGIES: readonly StrategyKind[] = STRATEGIES.map((definition) => definition.name);

/**
 * Reads a strategy as written in the data map, as one of the registry's. A problem is one
 * sentence, without the path (the caller adds it). The reading itself is read-strategy.ts,
 * apart so that a strategy can read a strategy (delete-file's `then`) without importing the registry.
 */
export function parseStrategySpec(raw: unknown): ParsedStrategy {
  return readStrategy(raw, STRATEGIES);
}
