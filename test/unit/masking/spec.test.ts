import { describe, expect, it } from 'vitest';
import { KNOWN_STRATEGIES, parseStrategySpec, templateFields } from '../../../src/masking/index.js';

const problemOf = (raw: unknown): string => {
  const parsed = parseStrategySpec(raw);
  if (!('problem' in parsed)) throw new Error(`expected a problem, got ${JSON.stringify(parsed.spec)}`);
  return parsed.problem;
};

describe('parseStrategySpec', () => {
  it.each([
    [null, { kind: 'null' }],
    ['null', { kind: 'null' }],
    ['empty', { kind: 'empty' }],
    ['random', { kind: 'random' }],
    ['hash', { kind: 'hash' }],
    ['redact', { kind: 'redact' }],
    ['mask', { kind: 'mask', keepFirst: 0, keepLast: 4, char: '*' }],
    [{ empty: null }, { kind: 'empty' }],
    [{ random: {} }, { kind: 'random' }],
    [{ value: 'n/a' }, { kind: 'value', value: 'n/a' }],
    [{ value: 0 }, { kind: 'value', value: 0 }],
    [{ value: false }, { kind: 'value', value: false }],
    [{ value: '' }, { kind: 'value', value: '' }],
    [{ template: 'User #{id}' }, { kind: 'template', template: 'User #{id}' }],
    [{ hash: null }, { kind: 'hash' }],
    [{ hash: {} }, { kind: 'hash' }],
    [{ hash: { length: 16 } }, { kind: 'hash', length: 16 }],
    [{ mask: {} }, { kind: 'mask', keepFirst: 0, keepLast: 4, char: '*' }],
    [{ mask: { keepFirst: 2, keepLast: 0, char: '#' } }, { kind: 'mask', keepFirst: 2, keepLast: 0, char: '#' }],
    [{ generalize: 'year' }, { kind: 'generalize', to: 'year' }],
    [{ generalize: 'month' }, { kind: 'generalize', to: 'month' }],
    [{ generalize: 'decade' }, { kind: 'generalize', to: 'decade' }],
    [{ generalize: { bucket: 10 } }, { kind: 'generalize', bucket: 10 }],
    [{ generalize: { bucket: 0.5 } }, { kind: 'generalize', bucket: 0.5 }],
    [{ redact: {} }, { kind: 'redact' }],
    [{ redact: { placeholders: false } }, { kind: 'redact', placeholders: false }],
  ])('reads %j', (raw, spec) => {
    expect(parseStrategySpec(raw)).toEqual({ spec });
  });

  it('names the closest strategy for a typo and lists the known ones', () => {
    expect(problemOf('hsah')).toBe(
      'unknown strategy "hsah" (did you mean "hash"? known: null, empty, value, template, random, hash, mask, generalize, redact, delete-file)',
    );
    expect(problemOf({ genralize: 'year' })).toMatch(/^unknown strategy "genralize" \(did you mean "generalize"\?/);
    expect(problemOf('Redact')).toMatch(/did you mean "redact"\?/);
    expect(problemOf('nul')).toMatch(/did you mean "null"\?/);
  });

  it('offers no suggestion when nothing is close', () => {
    expect(problemOf('scramble')).toBe(
      'unknown strategy "scramble" (known: null, empty, value, template, random, hash, mask, generalize, redact, delete-file)',
    );
  });

  it('points "keep" at the column form', () => {
    expect(problemOf('keep')).toMatch(/"keep" is not a strategy/);
  });

  it('asks for the setting of strategies that cannot go without one', () => {
    expect(problemOf('value')).toMatch(/needs the value/);
    expect(problemOf('template')).toMatch(/needs the text/);
    expect(problemOf('generalize')).toMatch(/needs a level/);
  });

  it('refuses objects with other than one key', () => {
    expect(problemOf({ hash: {}, mask: {} })).toBe('a strategy object has exactly one key, the strategy\'s name, but this one has "hash" and "mask"');
    expect(problemOf({})).toMatch(/exactly one key.*none/);
  });

  it('refuses values that are neither a name nor an object', () => {
    expect(problemOf(42)).toMatch(/^a strategy is a name such as "hash".*not 42$/);
    expect(problemOf(['hash'])).toMatch(/not a list$/);
    expect(problemOf(true)).toMatch(/not true$/);
  });

  it('checks generalize levels and buckets', () => {
    expect(problemOf({ generalize: 'yaer' })).toBe('unknown generalize level "yaer" (did you mean "year"? known: year, month, decade, or { bucket: n })');
    expect(problemOf({ generalize: 'week' })).toMatch(/^unknown generalize level "week" \(known:/);
    expect(problemOf({ generalize: { bucket: 0 } })).toMatch(/bucket must be a number greater than 0, not 0/);
    expect(problemOf({ generalize: { bucket: -5 } })).toMatch(/greater than 0/);
    expect(problemOf({ generalize: { bucket: '10' } })).toMatch(/greater than 0, not "10"/);
    expect(problemOf({ generalize: { buckt: 10 } })).toMatch(/unknown option "buckt" for "generalize" \(did you mean "bucket"\?/);
    expect(problemOf({ generalize: 10 })).toMatch(/generalize must be year, month, decade or \{ bucket: n \}/);
  });

  it('checks lengths and mask options', () => {
    expect(problemOf({ hash: { length: -1 } })).toBe('hash.length must be a whole number from 1 to 64, not -1');
    expect(problemOf({ hash: { length: 65 } })).toMatch(/from 1 to 64, not 65/);
    expect(problemOf({ hash: { length: 2.5 } })).toMatch(/whole number/);
    expect(problemOf({ hash: { lenght: 8 } })).toBe('unknown option "lenght" for "hash" (did you mean "length"? known: length)');
    expect(problemOf({ hash: 16 })).toMatch(/options of "hash" must be an object such as \{ length: ... \}/);
    expect(problemOf({ mask: { keepLast: -1 } })).toBe('mask.keepLast must be a whole number of 0 or more, not -1');
    expect(problemOf({ mask: { keepFirst: 'two' } })).toMatch(/mask.keepFirst must be a whole number/);
    expect(problemOf({ mask: { char: '**' } })).toMatch(/mask.char must be a single character/);
    expect(problemOf({ mask: { keeplast: 4 } })).toMatch(/did you mean "keepLast"/);
  });

  it('checks values, templates and option-less strategies', () => {
    expect(problemOf({ value: null })).toMatch(/value must be a string, a number or true\/false, not nothing/);
    expect(problemOf({ value: { a: 1 } })).toMatch(/not an object/);
    expect(problemOf({ value: Number.NaN })).toMatch(/value must be/);
    expect(problemOf({ template: '' })).toMatch(/template must be a non-empty text/);
    expect(problemOf({ template: 'User #{id' })).toMatch(/has an unmatched brace/);
    expect(problemOf({ template: 'User #{}' })).toMatch(/empty placeholder/);
    expect(problemOf({ random: { length: 8 } })).toBe('strategy "random" takes no options, but got "length"');
    expect(problemOf({ null: 'yes' })).toBe('strategy "null" takes no options');
    expect(problemOf({ redact: { placeholders: 'no' } })).toMatch(/redact.placeholders must be true or false/);
  });

  it('writes each problem as one sentence', () => {
    for (const raw of ['hsah', { hash: { length: -1 } }, { generalize: 'yaer' }, { a: 1, b: 2 }]) {
      const problem = problemOf(raw);
      expect(problem).not.toContain('\n');
      expect(problem).not.toMatch(/\.$/);
    }
  });

  it('accepts every known strategy by name or with options', () => {
    expect(KNOWN_STRATEGIES).toHaveLength(10);
    const examples: Record<string, unknown> = {
      value: { value: 1 },
      template: { template: 'x' },
      generalize: { generalize: 'year' },
      'delete-file': { 'delete-file': { storage: 'files' } },
    };
    for (const name of KNOWN_STRATEGIES) {
      const parsed = parseStrategySpec(examples[name] ?? name);
      expect(parsed).toEqual({ spec: expect.objectContaining({ kind: name }) });
    }
  });
});

describe('templateFields', () => {
  it('lists the placeholders once each, in order', () => {
    expect(templateFields('User #{id}')).toEqual(['id']);
    expect(templateFields('{first}-{ last }-{first}')).toEqual(['first', 'last']);
    expect(templateFields('no placeholders')).toEqual([]);
    expect(templateFields('user-{id}@anonymized.invalid')).toEqual(['id']);
  });
});
