import type { AnyStrategyDefinition, SpecOf } from './definition.js';
import { deleteFileDefinition } from './delete-file.js';
import { emptyDefinition } from './empty.js';
import { generalizeDefinition } from './generalize.js';
import { hashDefinition } from './hash.js';
import { maskDefinition } from './mask.js';
import { nullDefinition } from './null.js';
import { randomDefinition } from './random.js';
import { redactDefinition } from './redact.js';
import { templateDefinition } from './template.js';
import { valueDefinition } from './value.js';

/**
 * Every strategy lethe knows, in the order problems and editors list them. Adding one: its
 * file (src/masking/<name>.ts, exporting its definition) and one line here.
 */
export const STRATEGIES = [
  nullDefinition,
  emptyDefinition,
  valueDefinition,
  templateDefinition,
  randomDefinition,
  hashDefinition,
  maskDefinition,
  generalizeDefinition,
  redactDefinition,
  deleteFileDefinition,
] as const;

/** A strategy as the data map describes it, e.g. `{ kind: 'hash', length: 16 }`: one member per definition. */
export type StrategySpec = SpecOf<(typeof STRATEGIES)[number]>;

export type StrategyKind = StrategySpec['kind'];

const BY_NAME: ReadonlyMap<string, AnyStrategyDefinition> = new Map(STRATEGIES.map((definition) => [definition.name, definition as AnyStrategyDefinition]));

/** The definition of a strategy the data map names (a kind of StrategySpec). */
export function definitionOf(kind: StrategyKind): AnyStrategyDefinition {
  return BY_NAME.get(kind)!;
}

/** The value a spec's strategy writes whatever the row held, or undefined when it computes one per row (see StrategyDefinition.constant). */
export function constantOf(spec: StrategySpec): string | number | boolean | null | undefined {
  const definition = definitionOf(spec.kind);
  return definition.constant ? definition.constant(spec as never) : undefined;
}

/** Strategies that write another value each time (hash, random): see StrategyDefinition.repeatable. */
export const NOT_REPEATABLE: ReadonlySet<string> = new Set(STRATEGIES.filter((d) => (d as AnyStrategyDefinition).repeatable === false).map((d) => d.name));
