import { describe, expect, it } from 'vitest';
import { createStrategy, MaskingError } from '../../../src/masking/index.js';
import { maskingContext } from './masking-context.js';

const toYear = createStrategy({ kind: 'generalize', to: 'year' });
const toMonth = createStrategy({ kind: 'generalize', to: 'month' });
const toDecade = createStrategy({ kind: 'generalize', to: 'decade' });
const dateColumn = maskingContext({ column: { name: 'birth_date', type: 'date' } });

describe('generalize to year, month, decade', () => {
  it.each([
    ['1987-06-15', '1987-01-01', '1987-06-01', '1980-01-01'],
    ['1987-06-15 10:20:30', '1987-01-01 00:00:00', '1987-06-01 00:00:00', '1980-01-01 00:00:00'],
    ['1987-06-15 10:20', '1987-01-01 00:00', '1987-06-01 00:00', '1980-01-01 00:00'],
    ['1987-06-15T10:20:30Z', '1987-01-01T00:00:00Z', '1987-06-01T00:00:00Z', '1980-01-01T00:00:00Z'],
    ['1987-06-15T10:20:30.123Z', '1987-01-01T00:00:00.000Z', '1987-06-01T00:00:00.000Z', '1980-01-01T00:00:00.000Z'],
    ['1987-06-15T10:20:30+02:00', '1987-01-01T00:00:00+02:00', '1987-06-01T00:00:00+02:00', '1980-01-01T00:00:00+02:00'],
    ['1987-06-15 10:20:30,5', '1987-01-01 00:00:00,0', '1987-06-01 00:00:00,0', '1980-01-01 00:00:00,0'],
    ['2009-12-31T23:59:59.999999-0500', '2009-01-01T00:00:00.000000-0500', '2009-12-01T00:00:00.000000-0500', '2000-01-01T00:00:00.000000-0500'],
  ])('keeps the format of %s', (input, year, month, decade) => {
    expect(toYear.apply(input, dateColumn)).toBe(year);
    expect(toMonth.apply(input, dateColumn)).toBe(month);
    expect(toDecade.apply(input, dateColumn)).toBe(decade);
  });

  it('returns a Date at the start of the period, in UTC, for a Date', () => {
    const born = new Date(Date.UTC(1987, 5, 15, 10, 20, 30));
    expect(toYear.apply(born, dateColumn)).toEqual(new Date(Date.UTC(1987, 0, 1)));
    expect(toMonth.apply(born, dateColumn)).toEqual(new Date(Date.UTC(1987, 5, 1)));
    expect(toDecade.apply(born, dateColumn)).toEqual(new Date(Date.UTC(1980, 0, 1)));
  });

  it('reads a Date at local midnight in a date column as the calendar date drivers meant', () => {
    // pg and mysql2 build DATE values at local midnight; 1 January must stay in its own year.
    expect(toYear.apply(new Date(1987, 0, 1), dateColumn)).toEqual(new Date(1987, 0, 1));
    expect(toMonth.apply(new Date(1987, 5, 15), dateColumn)).toEqual(new Date(1987, 5, 1));
    expect(toDecade.apply(new Date(1989, 11, 31), dateColumn)).toEqual(new Date(1980, 0, 1));
  });

  it('reads numbers in date columns as epoch milliseconds', () => {
    const born = Date.UTC(1987, 5, 15, 10, 20, 30);
    expect(toYear.apply(born, dateColumn)).toBe(Date.UTC(1987, 0, 1));
    expect(toMonth.apply(born, maskingContext({ column: { type: 'datetime' } }))).toBe(Date.UTC(1987, 5, 1));
  });

  it('keeps NULL', () => {
    expect(toYear.apply(null, dateColumn)).toBeNull();
  });

  it('fails on what is not a date, naming the column but never the value', () => {
    const yearColumn = maskingContext({ column: { name: 'birth_date', type: 'integer' } });
    const cases: [unknown, typeof dateColumn][] = [
      ['15/06/1987', dateColumn],
      ['1987-02-30', dateColumn],
      ['1987-06-15 25:00:00', dateColumn],
      ['Jane Doe', dateColumn],
      [new Date('not a date'), dateColumn],
      [true, dateColumn],
      [1987, yearColumn],
    ];
    for (const [value, context] of cases) {
      let error: unknown;
      try {
        toYear.apply(value, context);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MaskingError);
      const message = (error as Error).message;
      expect(message).toContain('users.birth_date');
      expect(message).not.toContain(String(value));
    }
  });

  it('describes itself', () => {
    expect(toDecade.describe()).toBe('generalize to decade');
    expect(toDecade.pseudonymous).toBe(false);
  });
});

describe('generalize to buckets', () => {
  const byTen = createStrategy({ kind: 'generalize', bucket: 10 });
  const context = maskingContext({ column: { name: 'age', type: 'integer' } });

  it('floors numbers to the bucket', () => {
    expect(byTen.apply(37, context)).toBe(30);
    expect(byTen.apply(40, context)).toBe(40);
    expect(byTen.apply(-3, context)).toBe(-10);
    expect(byTen.apply(37.9, context)).toBe(30);
    expect(createStrategy({ kind: 'generalize', bucket: 1000 }).apply(52_345, context)).toBe(52_000);
  });

  it('keeps numbers given as text as text, and bigints as bigints', () => {
    expect(byTen.apply('1987', context)).toBe('1980');
    expect(byTen.apply(1987n, context)).toBe(1980n);
    expect(byTen.apply(-3n, context)).toBe(-10n);
  });

  it('keeps NULL and refuses what is not a number without showing it', () => {
    expect(byTen.apply(null, context)).toBeNull();
    expect(() => byTen.apply('Jane', context)).toThrow(MaskingError);
    expect(() => byTen.apply('Jane', context)).toThrow(/^cannot generalize users\.age: found a string, but generalize to buckets of 10 expects a number$/);
    expect(byTen.describe()).toBe('generalize to buckets of 10');
  });
});
