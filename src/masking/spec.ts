import { closestName } from './closest-name.js';
import { detectorTypes } from '../detect/detector-types.js';
import type { DetectorType } from '../detect/index.js';
import type { StrategyKind, StrategySpec } from './types.js';

export const KNOWN_STRATEGIES: readonly StrategyKind[] = [
  'null', 'empty', 'value', 'template', 'random', 'hash', 'mask', 'generalize', 'redact', 'delete-file',
];

export const GENERALIZE_LEVELS = ['year', 'month', 'decade'] as const;

/** An HMAC-SHA256 digest is 64 hex characters; a longer hash cannot be made. */
export const MAX_HASH_LENGTH = 64;

export type ParsedStrategy = { spec: StrategySpec } | { problem: string };

// Placeholders are `{column}`. There is no escaping: any other brace is a mistake.
const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The column names a template reads, in order of first use: templateFields("{a}-{b}-{a}") is ["a", "b"]. */
export function templateFields(template: string): string[] {
  const names = [...template.matchAll(PLACEHOLDER)].map((match) => (match[1] ?? '').trim());
  return [...new Set(names)];
}

/** Reads a strategy as written in the data map. A problem is one sentence, without the path (the caller adds it). */
export function parseStrategySpec(raw: unknown): ParsedStrategy {
  try {
    return { spec: readStrategy(raw) };
  } catch (error) {
    if (error instanceof SpecProblem) return { problem: error.message };
    throw error;
  }
}

class SpecProblem extends Error {}

function readStrategy(raw: unknown): StrategySpec {
  if (raw === null || raw === 'null') return { kind: 'null' };
  if (typeof raw === 'string') return readBareName(raw);
  if (isRecord(raw)) {
    const keys = Object.keys(raw);
    const [name] = keys;
    if (keys.length !== 1 || name === undefined) {
      throw new SpecProblem(
        `a strategy object has exactly one key, the strategy's name, but this one has ${keys.length === 0 ? 'none' : keys.map(quote).join(' and ')}`,
      );
    }
    return readWithOptions(name, raw[name]);
  }
  throw new SpecProblem(
    `a strategy is a name such as "hash" or an object such as { mask: { keepLast: 4 } }, not ${kindOfValue(raw)}`,
  );
}

function readBareName(name: string): StrategySpec {
  switch (name) {
    case 'empty':
    case 'random':
    case 'hash':
    case 'mask':
    case 'redact':
      return readWithOptions(name, undefined);
    case 'value':
      throw new SpecProblem('strategy "value" needs the value to write, e.g. { value: "n/a" }');
    case 'template':
      throw new SpecProblem('strategy "template" needs the text to write, e.g. { template: "User #{id}" }');
    case 'generalize':
      throw new SpecProblem('strategy "generalize" needs a level, e.g. { generalize: year } or { generalize: { bucket: 10 } }');
    case 'delete-file':
      throw new SpecProblem('strategy "delete-file" needs the storage root the column\'s files are in, e.g. { delete-file: { storage: attachments } }');
    case 'keep':
      throw new SpecProblem('"keep" is not a strategy: to leave a column unchanged write "column: keep" instead of a strategy');
    default:
      throw unknownStrategy(name);
  }
}

function readWithOptions(name: string, options: unknown): StrategySpec {
  switch (name) {
    case 'null':
    case 'empty':
    case 'random':
      readOptions(name, options, []);
      return { kind: name };
    case 'value':
      return readValue(options);
    case 'template':
      return readTemplate(options);
    case 'hash':
      return readHash(options);
    case 'mask':
      return readMask(options);
    case 'generalize':
      return readGeneralize(options);
    case 'redact':
      return readRedact(options);
    case 'delete-file':
      return readDeleteFile(options);
    default:
      throw unknownStrategy(name);
  }
}

/** `{ delete-file: { storage: attachments, then: null } }`: `then` is null (default), empty, { value } or { template }. */
function readDeleteFile(options: unknown): StrategySpec {
  if (options === undefined || options === null) {
    throw new SpecProblem('delete-file needs the storage root the files are in, e.g. { delete-file: { storage: attachments } }');
  }
  const { storage, then } = readOptions('delete-file', options, ['storage', 'then']);
  if (typeof storage !== 'string' || storage === '') {
    throw new SpecProblem(`delete-file.storage must name a root under storage (e.g. attachments), not ${kindOfValue(storage)}`);
  }
  if (then === undefined) return { kind: 'delete-file', storage, then: { kind: 'null' } };
  const after = readStrategy(then);
  if (after.kind !== 'null' && after.kind !== 'empty' && after.kind !== 'value' && after.kind !== 'template') {
    throw new SpecProblem(`delete-file.then is what the column holds once its file is gone: null, empty, { value: ... } or { template: ... }, not ${quote(after.kind)}`);
  }
  return { kind: 'delete-file', storage, then: after };
}

/** `{ redact: { types: [EMAIL, PHONE], threshold: 0.7, style: mask } }`; every part optional. */
function readRedact(options: unknown): StrategySpec {
  const { placeholders, types, threshold, style } = readOptions('redact', options, ['placeholders', 'types', 'threshold', 'style']);
  const spec: Extract<StrategySpec, { kind: 'redact' }> = { kind: 'redact' };
  if (placeholders !== undefined) {
    if (typeof placeholders !== 'boolean') throw new SpecProblem(`redact.placeholders must be true or false, not ${kindOfValue(placeholders)}`);
    spec.placeholders = placeholders;
  }
  if (types !== undefined) {
    const known = detectorTypes as readonly string[];
    if (!Array.isArray(types) || types.length === 0 || types.some((t) => typeof t !== 'string' || !known.includes(t))) {
      throw new SpecProblem(`redact.types must be a list of ${known.join(', ')}`);
    }
    spec.types = types as DetectorType[];
  }
  if (threshold !== undefined) {
    if (typeof threshold !== 'number' || threshold < 0 || threshold > 1) throw new SpecProblem('redact.threshold must be a number from 0 to 1');
    spec.threshold = threshold;
  }
  if (style !== undefined) {
    if (style !== 'placeholder' && style !== 'mask') throw new SpecProblem('redact.style must be placeholder ([EMAIL]) or mask (format-keeping: xxxx@xxxxxxx.xxx)');
    spec.style = style;
  }
  return spec;
}

function readValue(value: unknown): StrategySpec {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
    return { kind: 'value', value };
  }
  throw new SpecProblem(`value must be a string, a number or true/false, not ${kindOfValue(value)}`);
}

function readTemplate(template: unknown): StrategySpec {
  if (typeof template !== 'string' || template === '') {
    throw new SpecProblem(`template must be a non-empty text such as "User #{id}", not ${kindOfValue(template)}`);
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) {
    throw new SpecProblem(`template ${quote(template)} has an unmatched brace; a column is written {column} and braces cannot be escaped`);
  }
  if (templateFields(template).includes('')) {
    throw new SpecProblem(`template ${quote(template)} has an empty placeholder {}; write the column name inside the braces`);
  }
  return { kind: 'template', template };
}

function readHash(options: unknown): StrategySpec {
  const { length } = readOptions('hash', options, ['length']);
  if (length === undefined) return { kind: 'hash' };
  return { kind: 'hash', length: readCount('hash.length', length, 1, MAX_HASH_LENGTH) };
}

function readMask(options: unknown): StrategySpec {
  const { keepFirst, keepLast, char } = readOptions('mask', options, ['keepFirst', 'keepLast', 'char']);
  if (char !== undefined && (typeof char !== 'string' || [...char].length !== 1)) {
    throw new SpecProblem(`mask.char must be a single character such as "*", not ${kindOfValue(char)}`);
  }
  return {
    kind: 'mask',
    keepFirst: keepFirst === undefined ? 0 : readCount('mask.keepFirst', keepFirst, 0),
    keepLast: keepLast === undefined ? 4 : readCount('mask.keepLast', keepLast, 0),
    char: char ?? '*',
  };
}

function readGeneralize(options: unknown): StrategySpec {
  if (typeof options === 'string') {
    const level = GENERALIZE_LEVELS.find((known) => known === options);
    if (level) return { kind: 'generalize', to: level };
    const suggestion = closestName(options, [...GENERALIZE_LEVELS, 'bucket']);
    throw new SpecProblem(
      `unknown generalize level ${quote(options)} (${suggestion ? `did you mean ${quote(suggestion)}? ` : ''}known: year, month, decade, or { bucket: n })`,
    );
  }
  if (isRecord(options)) {
    const { bucket } = readOptions('generalize', options, ['bucket']);
    if (typeof bucket === 'number' && Number.isFinite(bucket) && bucket > 0) return { kind: 'generalize', bucket };
    throw new SpecProblem(`generalize.bucket must be a number greater than 0, not ${kindOfValue(bucket)}`);
  }
  throw new SpecProblem(`generalize must be year, month, decade or { bucket: n }, not ${kindOfValue(options)}`);
}

/** The options object of a strategy (absent or null means none), refusing keys it does not know. */
function readOptions(strategy: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (!isRecord(options)) {
    throw new SpecProblem(
      known.length === 0
        ? `strategy ${quote(strategy)} takes no options`
        : `the options of ${quote(strategy)} must be an object such as { ${known[0]}: ... }, not ${kindOfValue(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    if (known.length === 0) throw new SpecProblem(`strategy ${quote(strategy)} takes no options, but got ${quote(key)}`);
    const suggestion = closestName(key, known);
    throw new SpecProblem(
      `unknown option ${quote(key)} for ${quote(strategy)} (${suggestion ? `did you mean ${quote(suggestion)}? ` : ''}known: ${known.join(', ')})`,
    );
  }
  return options;
}

function readCount(path: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
  throw new SpecProblem(`${path} must be a whole number ${range}, not ${kindOfValue(value)}`);
}

function unknownStrategy(name: string): SpecProblem {
  const suggestion = closestName(name, KNOWN_STRATEGIES);
  return new SpecProblem(
    `unknown strategy ${quote(name)} (${suggestion ? `did you mean ${quote(suggestion)}? ` : ''}known: ${KNOWN_STRATEGIES.join(', ')})`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** How a wrong config value is shown: scalars as written, containers by their kind. */
function kindOfValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return value === '' ? 'an empty text' : quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}

function quote(text: string): string {
  return JSON.stringify(text);
}
