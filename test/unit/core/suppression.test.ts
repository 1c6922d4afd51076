import { describe, expect, it } from 'vitest';
import type { SuppressRule } from '../../../src/config/suppress-rule.js';
import { looselyEqual, lookupDigests, matchesSuppressRule, SuppressionKey } from '../../../src/core/suppression.js';

describe('looselyEqual: a condition of the map against a column as each dialect returns it', () => {
  it.each([
    [true, true],
    [true, 1],
    [true, 1n],
    [true, '1'],
    [true, 't'],
    [true, 'TRUE'],
    [true, 'yes'],
    [true, Buffer.from([1])],
    [false, false],
    [false, 0],
    [false, 'f'],
    [false, 'false'],
    [1, true],
    [1, '1'],
    [5, '5.00'],
    [5, 5n],
    ['unsubscribed', 'unsubscribed'],
    ['t', true],
    ['1', 1],
    ['2026-01-02', new Date('2026-01-02T00:00:00Z')],
    [null, null],
    [null, undefined],
  ])('%s matches %o', (expected, actual) => {
    expect(looselyEqual(expected, actual)).toBe(true);
  });

  it.each([
    [true, false],
    [true, 0],
    [true, 'f'],
    [true, 2],
    [true, 'unsubscribed'],
    [true, null],
    [false, null],
    [false, ''],
    [1, 0],
    [1, 'one'],
    ['Unsubscribed', 'unsubscribed'],
    ['x', null],
    [null, 0],
    [null, ''],
  ])('%s does not match %o', (expected, actual) => {
    expect(looselyEqual(expected, actual)).toBe(false);
  });
});

describe('matchesSuppressRule', () => {
  const rule: SuppressRule = {
    identifiers: [],
    when: [
      { column: 'status', values: ['unsubscribed', 'bounced'], negate: false },
      { column: 'unsubscribed_at', values: [null], negate: true },
    ],
  };
  it('needs every condition: a list is any of its values, { not } none of them', () => {
    expect(matchesSuppressRule(rule, { status: 'bounced', unsubscribed_at: '2026-01-01' })).toBe(true);
    expect(matchesSuppressRule(rule, { status: 'active', unsubscribed_at: '2026-01-01' })).toBe(false);
    expect(matchesSuppressRule(rule, { status: 'unsubscribed', unsubscribed_at: null })).toBe(false);
  });
});

describe('lookupDigests', () => {
  const key = new SuppressionKey('k'.repeat(40));
  it('reaches the digest an e-mail is kept as, however it is typed', () => {
    const kept = key.digest('email', 'ada.lovelace@example.org');
    expect(lookupDigests(key, '  Ada.Lovelace@EXAMPLE.org ')).toContain(kept);
    expect(lookupDigests(key, 'ada.lovelace@example.com')).not.toContain(kept);
  });

  it('reaches a valid phone as E.164 and an invalid one by its digits', () => {
    expect(lookupDigests(key, '020 7946 0958')).toContain(key.digest('phone', '+442079460958'));
    expect(lookupDigests(key, '0044 (0)20 7946-0958')).toContain(key.digest('phone', '+442079460958'));
    expect(lookupDigests(key, '+453 3331 9991')).toContain(key.digest('phone', '45333319991'));
  });

  it('reads a national number in every region where it is valid', () => {
    const digests = lookupDigests(key, '01 42 68 53 00');
    expect(digests).toContain(key.digest('phone', '+33142685300'));
    expect(lookupDigests(key, '+33 1 42 68 53 00')).toContain(key.digest('phone', '+33142685300'));
    expect(lookupDigests(key, '0142 685300', ['GB'])).not.toContain(key.digest('phone', '+33142685300'));
  });

  it('depends on the key', () => {
    expect(new SuppressionKey('j'.repeat(40)).digest('email', 'a@b.org')).not.toBe(key.digest('email', 'a@b.org'));
  });
});
