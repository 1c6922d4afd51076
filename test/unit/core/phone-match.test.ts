import { describe, expect, it } from 'vitest';
import { looksLikePhoneNumber, samePhone } from '../../../src/core/phone-match.js';
import { toE164 } from '../../../src/detect/normalize.js';

/** Numbers as they were found stored in a sample database nobody here wrote, and as people type them back. */
describe('samePhone', () => {
  it.each([
    ['+1 (514) 721-4711', '5147214711'],
    ['+1 (514) 721-4711', '514-721-4711'],
    ['+1 (514) 721-4711', '+15147214711'],
    ['+56 (0)2 635 4444', '+56 (0)2 635 4444'],
    ['+56 (0)2 635 4444', '+56 2 635 4444'],
    ['+56 (0)2 635 4444', '02 635 4444'],
    ['+453 3331 9991', '+453 3331 9991'],
    ['+453 3331 9991', '453 3331 9991'],
    ['+453 3331 9991', '3331 9991'],
    ['+91 0124 39883988', '+91 0124 39883988'],
    ['+91 0124 39883988', '0124 39883988'],
    ['+91 0124 39883988', '+91 124 39883988'],
    ['+44 020 7946 0123', '020 7946 0123'],
    ['+44 020 7946 0123', '+44 20 7946 0123'],
    ['0049 30 1234567', '+49 30 1234567'],
    ['0049 30 1234567', '030 1234567'],
    ['(11) 3033-5446', '+55 11 3033-5446'],
  ])('%s is %s', (stored, typed) => {
    expect(samePhone(stored, typed)).toBe(true);
    expect(samePhone(typed, stored)).toBe(true);
  });

  it('includes numbers that libphonenumber rejects', () => {
    expect(toE164('+453 3331 9991')).toBeUndefined();
    expect(toE164('+91 0124 39883988')).toBeUndefined();
  });

  it.each([
    ['+1 (514) 721-4711', '+1 (514) 721-4712'],
    ['+44 020 7946 0123', '+44 020 7946 0124'],
    ['+453 3331 9991', '+453 3331 9992'],
    ['+1 555 0100', '+1 555 0199'],
    ['0124 39883988', '0125 39883988'],
  ])('%s is not %s', (a, b) => {
    expect(samePhone(a, b)).toBe(false);
  });

  it('takes phone-shaped values only', () => {
    expect(looksLikePhoneNumber('+453 3331 9991')).toBe(true);
    expect(looksLikePhoneNumber('5147214711')).toBe(true);
    expect(looksLikePhoneNumber('12345')).toBe(false);
    expect(looksLikePhoneNumber('jane.doe@example.com')).toBe(false);
    expect(looksLikePhoneNumber('ORD-2024-004512')).toBe(false);
  });
});
