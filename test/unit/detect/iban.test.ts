import { describe, expect, it } from 'vitest';
import { hasValidIbanChecksum, isIban } from '../../../src/detect/iban.js';
import { found } from './helpers.js';

describe('IBAN detection', () => {
  it.each([
    'DE89 3704 0044 0532 0130 00',
    'DE89370400440532013000',
    'GB29 NWBK 6016 1331 9268 19',
    'FR14 2004 1010 0505 0001 3M02 606',
    'ES91 2100 0418 4502 0005 1332',
    'IT60 X054 2811 1010 0000 0123 456',
    'NL91 ABNA 0417 1643 00',
    'BE68 5390 0754 7034',
    'CH93 0076 2011 6238 5295 7',
    'AT61 1904 3002 3457 3201',
    'PT50 0002 0123 1234 5678 9015 4',
    'nl91 abna 0417 1643 00',
  ])('finds %s with its mod-97 check and country length', (iban) => {
    expect(found('IBAN', iban)).toEqual([iban]);
    expect(found('IBAN', `Please refund to ${iban}, thanks.`)).toEqual([iban]);
  });

  it('stops at the country length, before the next word', () => {
    expect(found('IBAN', 'IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX')).toEqual(['DE89 3704 0044 0532 0130 00']);
  });

  it.each([
    ['a wrong check digit', 'DE88 3704 0044 0532 0130 00'],
    ['a digit changed', 'NL91 ABNA 0417 1643 01'],
    ['a wrong length for the country', 'DE89 3704 0044 0532 0130 0'],
    ['letters where the country has digits', 'DE89 3704 0044 0532 0130 0A'],
    ['an unknown country', 'XX89 3704 0044 0532 0130 00'],
    ['glued to other text', 'REFDE89370400440532013000'],
    ['an order number', 'order ORD-2024-001234'],
  ])('does not flag %s', (_what, text) => {
    expect(found('IBAN', text)).toEqual([]);
  });

  it('validates compact IBANs', () => {
    expect(isIban('GB29NWBK60161331926819')).toBe(true);
    expect(isIban('GB29NWBK60161331926818')).toBe(false);
    expect(hasValidIbanChecksum('GB82WEST12345698765432')).toBe(true);
  });
});
