import { describe, expect, it } from 'vitest';
import { approximateDays, before, parseDuration } from '../../../src/config/duration.js';

describe('parseDuration', () => {
  it('reads words and ISO 8601', () => {
    expect(parseDuration('24 months')).toMatchObject({ months: 24, years: 0 });
    expect(parseDuration('5 years')).toMatchObject({ years: 5 });
    expect(parseDuration('30 days')).toMatchObject({ days: 30 });
    expect(parseDuration('1 year 6 months')).toMatchObject({ years: 1, months: 6 });
    expect(parseDuration('2 weeks')).toMatchObject({ days: 14 });
    expect(parseDuration('P2Y')).toMatchObject({ years: 2 });
    expect(parseDuration('P1Y6M10D')).toMatchObject({ years: 1, months: 6, days: 10 });
    expect(parseDuration('PT12H')).toMatchObject({ hours: 12 });
  });

  it('refuses what it cannot read', () => {
    for (const bad of ['', 'soon', '24', 'months', '5 eons', 'P', 'PT', '2 years and more']) expect(parseDuration(bad), bad).toBeUndefined();
  });
});

describe('before', () => {
  const now = new Date('2026-11-25T10:30:00Z');
  it('subtracts calendar units in UTC', () => {
    expect(before(now, parseDuration('24 months')!).toISOString()).toBe('2024-11-25T10:30:00.000Z');
    expect(before(now, parseDuration('5 years')!).toISOString()).toBe('2021-11-25T10:30:00.000Z');
    expect(before(now, parseDuration('30 days')!).toISOString()).toBe('2026-10-26T10:30:00.000Z');
    expect(before(now, parseDuration('PT12H')!).toISOString()).toBe('2026-11-24T22:30:00.000Z');
  });

  it('clamps to the end of a shorter month instead of rolling over', () => {
    expect(before(new Date('2026-03-31T00:00:00Z'), parseDuration('1 month')!).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(before(new Date('2028-02-29T00:00:00Z'), parseDuration('1 year')!).toISOString()).toBe('2027-02-28T00:00:00.000Z');
  });

  it('compares periods roughly', () => {
    expect(approximateDays(parseDuration('24 months')!)).toBeLessThan(approximateDays(parseDuration('2 years 1 day')!));
  });
});
