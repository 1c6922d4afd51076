import { z } from 'zod';
import type { MaskingStrategy } from './types.js';

/**
 * Everything lethe knows of one strategy, in its own file (src/masking/<name>.ts), listed once
 * in registry.ts. The reader (read-strategy.ts), the StrategySpec type and the JSON Schema for
 * editors (src/config/json-schema.ts) all come from here.
 */
export interface StrategyDefinition<Name extends string = string, Options extends OptionsSchema = OptionsSchema> {
  /** As written in the data map: `hash`, `{ hash: { length: 16 } }`. */
  readonly name: Name;
  /** What the strategy writes, one or two sentences; editors show it on hover. */
  readonly description: string;
  /**
   * What is written after the name. Its output is the strategy's spec without `kind` (a
   * `value` writes a scalar, so its schema turns it into `{ value }`); its input side is what
   * editors are told. Wording a problem the generic way (see read-strategy.ts) fits most
   * fields; give a field its own `error` where a sentence says it better.
   */
  readonly options: Options;
  /**
   * `true`: the name alone (`strategy: hash`), like empty options (`{ hash: }`), means the
   * options read from `{}`. Otherwise what the name alone lacks and an example, for the
   * problem `strategy "value" needs the value to write, e.g. { value: "n/a" }`.
   */
  readonly bare: true | { readonly needs: string; readonly example: string };
  /** The strategy for parsed options (method syntax: registries hold definitions of any options). */
  create(options: z.output<Options>): MaskingStrategy;
  /**
   * The one value the strategy writes whatever a row held (null, '', a value), when it writes
   * one: a sweep then writes a batch with one UPDATE and skips rows that already hold it.
   */
  constant?(options: z.output<Options>): string | number | boolean | null;
  /**
   * False when writing it again gives another value (hash, random): a person's rows are then
   * not rewritten by a later erasure, and check warns where that matters. True by default.
   */
  readonly repeatable?: boolean;
}

/** A spec's fields are an object: options written as a scalar are turned into one by their schema. */
export type OptionsSchema = z.ZodType<object>;

export type AnyStrategyDefinition = StrategyDefinition<string, OptionsSchema>;

/** The spec a definition parses to: `{ kind: name }` and its options. A union of definitions gives a union of specs, discriminated by `kind`. */
export type SpecOf<Definition> = Definition extends StrategyDefinition<infer Name, infer Options> ? Flat<{ kind: Name } & z.output<Options>> : never;

type Flat<T> = T extends unknown ? { [K in keyof T]: T[K] } : never;

/** Only checks the shape and keeps the literal name and the options' types for SpecOf. */
export function defineStrategy<const Name extends string, Options extends OptionsSchema>(
  definition: StrategyDefinition<Name, Options>,
): StrategyDefinition<Name, Options> {
  return definition;
}

/** The options of a strategy that has none: `{ null: }` or `{ null: {} }`. */
export const noOptions = z
  .strictObject({})
  .describe('Takes no options.')
  .transform(() => ({}));
