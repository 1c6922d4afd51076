import type { SpecOf } from './definition.js';
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
