import { describe, expect, it } from 'vitest';
import {
  cardIssuer,
  esDniValid,
  frNirValid,
  ibanProblem,
  itCfCheckLetter,
  itCfValid,
  luhnValid,
  nlBsnValid,
  ukNinoValid,
  usSsnValid,
} from '../../../eval/checksums.js';

describe('the corpus checks of structured identifiers', () => {
  it('checks IBANs: mod-97, the country length, the shape', () => {
    // Published examples of the IBAN registry and the banks.
    for (const iban of [
      'DE89 3704 0044 0532 0130 00',
      'GB29NWBK60161331926819',
      'FR14 2004 1010 0505 0001 3M02 606',
      'NL91 ABNA 0417 1643 00',
      'BE68 5390 0754 7034',
    ]) {
      expect(ibanProblem(iban), iban).toBeUndefined();
    }
    expect(ibanProblem('de89 3704 0044 0532 0130 00')).toBeUndefined();
    expect(ibanProblem('DE89 3704 0044 0532 0130 01')).toBe('checksum');
    expect(ibanProblem('DE89 3704 0044 0532 0130 0')).toBe('length');
    expect(ibanProblem('XX89 3704 0044 0532 0130 00')).toBe('country');
    expect(ibanProblem('order 12345')).toBe('shape');
  });

  it('checks Luhn and issuer ranges', () => {
    expect(luhnValid('4111 1111 1111 1111')).toBe(true);
    expect(luhnValid('4111-1111-1111-1112')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(cardIssuer('4111111111111111')).toBe('visa');
    expect(cardIssuer('378282246310005')).toBe('amex');
    expect(cardIssuer('5555555555554444')).toBe('mastercard');
    expect(cardIssuer('2223003122003222')).toBe('mastercard');
    expect(cardIssuer('6011111111111117')).toBe('discover');
    expect(cardIssuer('3530111333300000')).toBe('jcb');
    expect(cardIssuer('30569309025904')).toBe('diners');
    expect(cardIssuer('1234567812345670')).toBeUndefined();
  });

  it('checks Spanish DNI and NIE letters', () => {
    expect(esDniValid('12345678Z')).toBe(true);
    expect(esDniValid('12.345.678-Z')).toBe(true);
    expect(esDniValid('12345678A')).toBe(false);
    expect(esDniValid('X1234567L')).toBe(true);
    expect(esDniValid('X1234567A')).toBe(false);
  });

  it('checks the French NIR key, Corsica included', () => {
    expect(frNirValid('1 85 05 78 006 084 91')).toBe(true);
    expect(frNirValid('1 85 05 78 006 084 92')).toBe(false);
    expect(frNirValid('2 88 12 2A 012 345 91')).toBe(true);
    expect(frNirValid('3 85 05 78 006 084 91')).toBe(false);
  });

  it('checks the codice fiscale check letter', () => {
    expect(itCfCheckLetter('RSSMRA85T10A562')).toBe('S');
    expect(itCfValid('RSSMRA85T10A562S')).toBe(true);
    expect(itCfValid('rssmra85t10a562s')).toBe(true);
    expect(itCfValid('RSSMRA85T10A562T')).toBe(false);
  });

  it('checks the BSN 11-test', () => {
    expect(nlBsnValid('111222333')).toBe(true);
    expect(nlBsnValid('1234.56.782')).toBe(true);
    expect(nlBsnValid('111222334')).toBe(false);
    expect(nlBsnValid('000000000')).toBe(false);
  });

  it('checks NINO prefixes and SSN ranges', () => {
    expect(ukNinoValid('JG 10 37 59 A')).toBe(true);
    expect(ukNinoValid('QQ 12 34 56 C')).toBe(false);
    expect(ukNinoValid('GB 12 34 56 A')).toBe(false);
    expect(ukNinoValid('JG 10 37 59 E')).toBe(false);
    expect(usSsnValid('512-38-4471')).toBe(true);
    expect(usSsnValid('000-12-3456')).toBe(false);
    expect(usSsnValid('666-12-3456')).toBe(false);
    expect(usSsnValid('912-12-3456')).toBe(false);
    expect(usSsnValid('512-00-4471')).toBe(false);
  });
});
