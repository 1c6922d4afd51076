import { describe, expect, it } from 'vitest';
import { looksLikeEmail, looksLikePhone, normalizeEmail, toE164 } from '../../../src/detect/normalize.js';

describe('normalizeEmail', () => {
  it('trims and lowercases', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
  });
});

describe('toE164', () => {
  it.each([
    ['+44 20 7946 0958', '+442079460958'],
    ['+442079460958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['020 7946 0958', '+442079460958'],
    ['06 12 34 56 78', '+33612345678'],
    ['(201) 555-0123', '+12015550123'],
    [' +49 30 1234567 ', '+49301234567'],
  ])('reads %s as %s', (input, e164) => {
    expect(toE164(input)).toBe(e164);
  });

  it('tries the default regions in the order given', () => {
    expect(toE164('020 7946 0958', ['IT', 'GB'])).toBe('+3902079460958');
    expect(toE164('020 7946 0958', ['GB', 'IT'])).toBe('+442079460958');
  });

  it('reads international numbers whatever the regions', () => {
    expect(toE164('+33 6 12 34 56 78', ['US'])).toBe('+33612345678');
  });

  it('returns undefined for what is not a valid number', () => {
    expect(toE164('06 12 34 56 78', ['US'])).toBeUndefined();
    expect(toE164('(555) 010-0199')).toBeUndefined();
    expect(toE164('2024-03-15')).toBeUndefined();
    expect(toE164('+44 20')).toBeUndefined();
    expect(toE164('hello')).toBeUndefined();
    expect(toE164('')).toBeUndefined();
  });
});

describe('looksLikeEmail / looksLikePhone', () => {
  it('tell identifiers apart', () => {
    expect(looksLikeEmail(' jane@example.com ')).toBe(true);
    expect(looksLikeEmail('jane@example')).toBe(false);
    expect(looksLikeEmail('write to jane@example.com')).toBe(false);
    expect(looksLikePhone('+44 20 7946 0958')).toBe(true);
    expect(looksLikePhone('CUST-00042')).toBe(false);
    expect(looksLikePhone('jane@example.com')).toBe(false);
  });
});
