import { describe, expect, it } from 'vitest';
import { cfCheckLetter } from '../../../src/detect/national-id/it-cf.js';
import { esControlLetter } from '../../../src/detect/national-id/es-dni.js';
import { nirKey } from '../../../src/detect/national-id/fr-nir.js';
import { passesElevenTest } from '../../../src/detect/national-id/nl-bsn.js';
import { isUsSsn } from '../../../src/detect/national-id/us-ssn.js';
import { everything, found } from './helpers.js';

describe('national identifiers', () => {
  it.each([
    ['UK_NINO', 'my NI number is JG 10 37 59 A', 'JG 10 37 59 A'],
    ['UK_NINO', 'NINO: AB123456C', 'AB123456C'],
    ['ES_DNI', 'DNI 87654321X', '87654321X'],
    ['ES_DNI', 'mi DNI es 12.345.678-Z', '12.345.678-Z'],
    ['ES_DNI', 'NIE Y1234567X', 'Y1234567X'],
    ['ES_DNI', 'NIE Z-1234567-R', 'Z-1234567-R'],
    ['FR_NIR', 'numéro de sécurité sociale 2 69 05 49 588 157 80', '2 69 05 49 588 157 80'],
    ['FR_NIR', 'NIR 194037512000544', '194037512000544'],
    ['FR_NIR', 'carte vitale 2 88 12 2A 012 345 91', '2 88 12 2A 012 345 91'],
    ['IT_CF', 'codice fiscale BNCGVN80A01H501J', 'BNCGVN80A01H501J'],
    ['IT_CF', 'il mio CF è VRDLGU75M44F205A', 'VRDLGU75M44F205A'],
    ['NL_BSN', 'mijn BSN is 123456782', '123456782'],
    ['NL_BSN', 'burgerservicenummer 1112.22.333', '1112.22.333'],
    ['US_SSN', 'SSN 536-90-4399', '536-90-4399'],
    ['US_SSN', 'social security number 536 90 4399', '536 90 4399'],
  ] as const)('finds %s in "%s"', (type, text, id) => {
    expect(found(type, text)).toEqual([id]);
    expect(everything(text)).toEqual([[type, id]]);
  });

  it.each([
    ['UK_NINO', 'a prefix never allocated', 'GB 12 34 56 A'],
    ['UK_NINO', 'a D, F, I, Q, U or V prefix', 'QQ 12 34 56 C'],
    ['UK_NINO', 'mixed case', 'Ab123456C'],
    ['ES_DNI', 'a wrong control letter', 'DNI 87654321A'],
    ['FR_NIR', 'a wrong key', 'NIR 2 69 05 49 588 157 81'],
    ['FR_NIR', 'a month 13', 'NIR 2 69 13 49 588 157 80'],
    ['IT_CF', 'a wrong check letter', 'CF BNCGVN80A01H501K'],
    ['NL_BSN', 'a failed 11-test', 'BSN 123456789'],
    ['US_SSN', 'area 000', 'SSN 000-12-3456'],
    ['US_SSN', 'area 666', 'SSN 666-12-3456'],
    ['US_SSN', 'area 9xx', 'SSN 912-12-3456'],
    ['US_SSN', 'group 00', 'SSN 536-00-4399'],
    ['US_SSN', 'serial 0000', 'SSN 536-90-0000'],
    ['US_SSN', 'the Woolworth card', 'SSN 078-05-1120'],
  ] as const)('does not flag %s: %s', (type, _what, text) => {
    expect(found(type, text)).toEqual([]);
  });

  it('needs context for a bare nine-digit number, which one in eleven passes the BSN test', () => {
    expect(found('NL_BSN', 'klantnummer 123456782')).toEqual([]);
    expect(found('US_SSN', 'customer 536904399')).toEqual([]);
    expect(found('US_SSN', 'customer 536904399', { threshold: 0.2 })).toEqual(['536904399']);
  });

  it('computes the check characters', () => {
    expect(esControlLetter('12345678')).toBe('Z');
    expect(nirKey('1850578006084')).toBe(91);
    expect(nirKey('288122A012345')).toBe(91);
    expect(cfCheckLetter('RSSMRA85T10A562')).toBe('S');
    expect(passesElevenTest('111222333')).toBe(true);
    expect(isUsSsn('536904399')).toBe(true);
  });
});
