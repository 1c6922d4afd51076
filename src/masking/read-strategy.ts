import { z } from 'zod';
import { closestName } from './closest-name.js';
import type { AnyStrategyDefinition, SpecOf } from './definition.js';
import type { MaskingStrategy } from './types.js';
import { kindOfValue, quote } from './wording.js';

/**
 * The generic reading of a strategy as written in the data map, for any list of definitions:
 * a bare name or an object with one key, the name, whose value the definition's zod schema
 * reads. Nothing here knows a particular strategy; spec.ts applies it to the registry.
 */

export type StrategyReading<Spec> = { spec: Spec } | { problem: string };

export interface ReadingOptions {
  /** The problem for a name that is a strategy but not one of these (delete-file's `then` takes four). */
  refuse?: (name: string) => string;
}

/** Reads `raw` as one of `definitions`. A problem is one sentence, without the path (the caller adds it). */
export function readStrategy<D extends AnyStrategyDefinition>(
  raw: unknown,
  definitions: readonly D[],
  reading: ReadingOptions = {},
): StrategyReading<SpecOf<D>> {
  // YAML's null (`strategy: null`) is the null strategy, as "null" is.
  const written = raw === null ? 'null' : raw;
  if (typeof written === 'string') {
    if (written === 'keep') {
      return { problem: '"keep" is not a strategy: to leave a column unchanged write "column: keep" instead of a strategy' };
    }
    const definition = definitions.find((known) => known.name === written);
    if (!definition) return { problem: unknownStrategy(written, definitions, reading) };
    if (definition.bare !== true) {
      return { problem: `strategy ${quote(written)} needs ${definition.bare.needs}, e.g. ${definition.bare.example}` };
    }
    return readOptions(definition, {});
  }
  if (isRecord(written)) {
    const keys = Object.keys(written);
    const [name] = keys;
    if (keys.length !== 1 || name === undefined) {
      return {
        problem: `a strategy object has exactly one key, the strategy's name, but this one has ${keys.length === 0 ? 'none' : keys.map(quote).join(' and ')}`,
      };
    }
    const definition = definitions.find((known) => known.name === name);
    if (!definition) return { problem: unknownStrategy(name, definitions, reading) };
    const options = written[name];
    // `{ hash: }` is YAML's null: a strategy that can go without options has none.
    return readOptions(definition, definition.bare === true && (options === null || options === undefined) ? {} : options);
  }
  return { problem: `a strategy is a name such as "hash" or an object such as { mask: { keepLast: 4 } }, not ${kindOfValue(raw)}` };
}

/** The strategy a spec describes, made by the definition of its kind. */
export function createFrom<D extends AnyStrategyDefinition>(spec: SpecOf<D>, definitions: readonly D[]): MaskingStrategy {
  const { kind, ...options } = spec as { kind: string };
  const definition = definitions.find((known) => known.name === kind);
  if (!definition) throw new Error(`no strategy "${kind}" among ${definitions.map((known) => known.name).join(', ')}`);
  return definition.create(options);
}

const strategyOptions = new WeakMap<z.ZodType, readonly AnyStrategyDefinition[]>();

/** The definitions an option made by strategyOption allows, so that json-schema.ts shows the same forms. */
export function strategiesOfOption(schema: z.core.$ZodType): readonly AnyStrategyDefinition[] | undefined {
  return strategyOptions.get(schema as z.ZodType);
}

/** The schema of an option that is a strategy (delete-file's `then`), read as a column's strategy is. */
export function strategyOption<D extends AnyStrategyDefinition>(definitions: readonly D[], reading: ReadingOptions) {
  const schema = z.unknown().transform((raw, ctx): SpecOf<D> => {
    const read = readStrategy(raw, definitions, reading);
    if ('spec' in read) return read.spec;
    ctx.addIssue({ code: 'custom', message: read.problem, input: raw });
    return z.NEVER;
  });
  strategyOptions.set(schema, definitions);
  return schema;
}

function unknownStrategy(name: string, definitions: readonly AnyStrategyDefinition[], reading: ReadingOptions): string {
  if (reading.refuse) return reading.refuse(name);
  const known = definitions.map((definition) => definition.name);
  const suggestion = closestName(name, known);
  return `unknown strategy ${quote(name)} (${suggestion ? `did you mean ${quote(suggestion)}? ` : ''}known: ${known.join(', ')})`;
}

// Marks the issues a schema left to the generic wording: a definition's own `error` wins over it.
const UNWORDED = '\u0000';

type Issue = z.core.$ZodIssue;

function readOptions<D extends AnyStrategyDefinition>(definition: D, options: unknown): StrategyReading<SpecOf<D>> {
  const parsed = definition.options.safeParse(options, { reportInput: true, error: () => UNWORDED });
  if (parsed.success) return { spec: { kind: definition.name, ...parsed.data } as SpecOf<D> };
  const { issue, path, node } = mostTelling(parsed.error.issues, definition.options, []);
  return { problem: issue.message === UNWORDED ? wordIssue(definition.name, issue, path, node) : issue.message };
}

/**
 * The issue to report, with its full path and the schema it is about. An unknown key first
 * (a typo explains the other issues); in a union, the issues of the form whose type the value
 * has (`{ generalize: { buckt: 10 } }` is about the object form), else the union's own. (zod
 * already reports a form's issues alone when no other form got past the type check.)
 */
function mostTelling(issues: readonly Issue[], schema: z.ZodType, base: PropertyKey[]): { issue: Issue; path: PropertyKey[]; node: z.ZodType | undefined } {
  const issue = issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? issues[0];
  if (!issue) throw new Error('a failed parse without issues');
  const node = nodeAt(schema, issue.path);
  const union = node && unwrap(node);
  if (issue.code === 'invalid_union' && union instanceof z.ZodUnion) {
    const form = issue.errors.findIndex((formIssues) => !formIssues.some((i) => i.path.length === 0 && TYPE_MISMATCH.has(i.code)));
    const formSchema = union.options[form] as z.ZodType | undefined;
    const formIssues = issue.errors[form];
    if (formSchema && formIssues && formIssues.length > 0) return mostTelling(formIssues, formSchema, [...base, ...issue.path]);
  }
  return { issue, path: [...base, ...issue.path], node: union instanceof z.ZodUnion ? formOf(union, issue) : node };
}

/** The form of a union an issue is about: the one that finds the same problem with the value (`{ bucket: 10, round: up }` is the object's). */
function formOf(union: z.ZodUnion, issue: Issue): z.ZodType {
  const forms = union.options as readonly z.ZodType[];
  const same = forms.find((form) => form.safeParse(issue.input).error?.issues.some((found) => found.code === issue.code && found.path.length === 0));
  return same ?? union;
}

const TYPE_MISMATCH = new Set<Issue['code']>(['invalid_type', 'invalid_value', 'invalid_union']);

/** The generic problem for an issue the schema did not word, from the constraints editors see in the JSON Schema. */
function wordIssue(name: string, issue: Issue, path: readonly PropertyKey[], node: z.ZodType | undefined): string {
  const label = [name, ...path.map(String)].join('.');
  const input: unknown = issue.input;
  const object = node && unwrap(node);
  if (object instanceof z.ZodObject && (issue.code === 'unrecognized_keys' || issue.code === 'invalid_type')) {
    const known = Object.keys(object.shape);
    const owner = path.length === 0 ? `strategy ${quote(name)}` : label;
    if (issue.code === 'unrecognized_keys') {
      const [key = ''] = issue.keys;
      if (known.length === 0) return `${owner} takes no options, but got ${quote(key)}`;
      const suggestion = closestName(key, known);
      return `unknown option ${quote(key)} for ${quote(label)} (${suggestion ? `did you mean ${quote(suggestion)}? ` : ''}known: ${known.join(', ')})`;
    }
    if (known.length === 0) return `${owner} takes no options`;
    const what = path.length === 0 ? `the options of ${quote(name)}` : label;
    return `${what} must be an object such as { ${known[0]}: ... }, not ${kindOfValue(input)}`;
  }
  const expected = node ? expectation(node) : undefined;
  return expected ? `${label} must be ${expected}, not ${kindOfValue(input)}` : `${label} cannot be ${kindOfValue(input)}`;
}

/** "a whole number from 1 to 64", "true or false", "placeholder or mask": the schema's constraints in words. */
function expectation(node: z.ZodType): string | undefined {
  let json: Record<string, unknown>;
  try {
    json = z.toJSONSchema(node, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (json.type === 'integer' || json.type === 'number') return `${json.type === 'integer' ? 'a whole number' : 'a number'}${range(json)}`;
  if (json.type === 'boolean') return 'true or false';
  if (Array.isArray(json.enum)) return orList(json.enum.map(String));
  if (json.type === 'string') return 'a text';
  return undefined;
}

function range(json: Record<string, unknown>): string {
  const bound = (key: string) => {
    const value = json[key];
    return typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;
  };
  const [min, max, above] = [bound('minimum'), bound('maximum'), bound('exclusiveMinimum')];
  if (above !== undefined) return ` greater than ${above}`;
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of ${min} or more`;
  if (max !== undefined) return ` of ${max} or less`;
  return '';
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The schema of the value at `path`, through objects, lists, wrappers and the forms of a union (the first that has the path). */
function nodeAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  const [key, ...rest] = path;
  if (key === undefined) return schema;
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    const field = (inner.shape as Record<PropertyKey, z.ZodType | undefined>)[key];
    return field && nodeAt(field, rest);
  }
  if (inner instanceof z.ZodArray) return nodeAt(inner.element as z.ZodType, rest);
  if (inner instanceof z.ZodUnion) {
    for (const form of inner.options as readonly z.ZodType[]) {
      const found = nodeAt(form, path);
      if (found) return found;
    }
  }
  return undefined;
}

/** The schema under optional, default, prefault and nullable, and the input side of a transform. */
function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodPipe) return unwrap(schema.in as z.ZodType);
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  return schema;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
