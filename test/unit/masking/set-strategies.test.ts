import { describe, expect, it } from 'vitest';
import { createStrategy, MaskingError } from '../../../src/masking/index.js';
import { maskingContext } from './masking-context.js';

describe('null, empty and value', () => {
  it('null writes NULL', () => {
    const strategy = createStrategy({ kind: 'null' });
    expect(strategy.apply('jane@example.com', maskingContext())).toBeNull();
    expect(strategy.describe()).toBe('null');
    expect(strategy.pseudonymous).toBe(false);
  });

  it('empty writes an empty text', () => {
    const strategy = createStrategy({ kind: 'empty' });
    expect(strategy.apply('12 High Street', maskingContext())).toBe('');
    expect(strategy.apply(null, maskingContext())).toBe('');
    expect(strategy.describe()).toBe('empty text');
  });

  it('value writes the constant, cut to the column when it is text', () => {
    expect(createStrategy({ kind: 'value', value: 'n/a' }).apply('Jane', maskingContext())).toBe('n/a');
    expect(createStrategy({ kind: 'value', value: 0 }).apply(31, maskingContext())).toBe(0);
    expect(createStrategy({ kind: 'value', value: false }).apply(true, maskingContext())).toBe(false);
    expect(createStrategy({ kind: 'value', value: 'redacted' }).apply('x', maskingContext({ column: { maxLength: 3 } }))).toBe('red');
    expect(createStrategy({ kind: 'value', value: 'n/a' }).describe()).toBe('value "n/a"');
  });
});

describe('template', () => {
  const strategy = createStrategy({ kind: 'template', template: 'User #{id} ({ country })' });

  it('fills placeholders from the row', () => {
    expect(strategy.apply('Jane Doe', maskingContext({ row: { id: 42, country: 'GB' } }))).toBe('User #42 (GB)');
    expect(strategy.describe()).toBe('template "User #{id} ({ country })"');
  });

  it('writes NULL fields as empty text and dates as ISO', () => {
    expect(strategy.apply('Jane Doe', maskingContext({ row: { id: 7, country: null } }))).toBe('User #7 ()');
    const dated = createStrategy({ kind: 'template', template: 'since {created_at}' });
    expect(dated.apply('x', maskingContext({ row: { created_at: new Date(Date.UTC(2024, 2, 15)) } }))).toBe('since 2024-03-15T00:00:00.000Z');
  });

  it('cuts the result to the column length', () => {
    const context = maskingContext({ row: { id: 123456, country: 'GB' }, column: { maxLength: 8 } });
    expect(strategy.apply('Jane Doe', context)).toBe('User #12');
  });

  it('fails, naming the column, when the row lacks a field', () => {
    const context = maskingContext({ row: { id: 1 }, column: { name: 'full_name' } });
    expect(() => strategy.apply('Jane Doe', context)).toThrow(MaskingError);
    expect(() => strategy.apply('Jane Doe', context)).toThrow('template for users.full_name uses column "country", which is not in the row');
  });
});
