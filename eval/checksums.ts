/**
 * Check digits of the structured identifiers in the corpus, written here independently of
 * src/detect: the gold labels are checked against these, so a detector bug cannot hide
 * behind the same bug in the corpus checks.
 */

/** Digits and letters only, upper-cased: "de89 3704-0044" -> "DE8937040044". */
export const compact = (value: string): string => value.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();

/** Lengths of the IBANs of the countries the corpus uses (SWIFT IBAN registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AT: 20,
  BE: 16,
  CH: 21,
  DE: 22,
  DK: 18,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  IE: 22,
  IT: 27,
  LU: 20,
  MC: 27,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  SE: 24,
};

/** The remainder of the ISO 7064 mod 97-10 check over an IBAN's digits (1 when valid). */
export function ibanRemainder(iban: string): number {
  const value = compact(iban);
  const rearranged = value.slice(4) + value.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

export type IbanProblem = 'shape' | 'country' | 'length' | 'checksum';

/** What is wrong with `iban` as an IBAN, or undefined when it is valid. */
export function ibanProblem(iban: string): IbanProblem | undefined {
  const value = compact(iban);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(value)) return 'shape';
  const length = IBAN_LENGTHS[value.slice(0, 2)];
  if (length === undefined) return 'country';
  if (value.length !== length) return 'length';
  return ibanRemainder(value) === 1 ? undefined : 'checksum';
}

export function luhnValid(number: string): boolean {
  const digits = number.replace(/\D/g, '');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** The issuer whose IIN range and length fit `number`, if any. */
export function cardIssuer(number: string): string | undefined {
  const d = number.replace(/\D/g, '');
  const n = d.length;
  const prefix = (length: number): number => Number(d.slice(0, length));
  if (/^3[47]/.test(d) && n === 15) return 'amex';
  if (/^4/.test(d) && (n === 13 || n === 16 || n === 19)) return 'visa';
  if (((prefix(2) >= 51 && prefix(2) <= 55) || (prefix(4) >= 2221 && prefix(4) <= 2720)) && n === 16) return 'mastercard';
  if ((/^6011|^65/.test(d) || (prefix(3) >= 644 && prefix(3) <= 649)) && n >= 16 && n <= 19) return 'discover';
  if (/^3(?:0[0-5]|[689])/.test(d) && n >= 14 && n <= 19) return 'diners';
  if (prefix(4) >= 3528 && prefix(4) <= 3589 && n >= 16 && n <= 19) return 'jcb';
  if (/^(?:1800|2131)/.test(d) && n === 15) return 'jcb';
  if (prefix(4) >= 2200 && prefix(4) <= 2204 && n >= 16 && n <= 19) return 'mir';
  if (/^(?:60|65|81|82|508|353|356)/.test(d) && n === 16) return 'rupay';
  if (/^9792/.test(d) && n === 16) return 'troy';
  if (/^1/.test(d) && n === 15) return 'uatp';
  if (/^62/.test(d) && n >= 16 && n <= 19) return 'unionpay';
  if (/^(?:5[06-8]|6)/.test(d) && n >= 12 && n <= 19) return 'maestro';
  return undefined;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI (12345678Z) or NIE (X1234567L), with its control letter. */
export function esDniValid(value: string): boolean {
  const id = compact(value);
  const match = /^([XYZ]\d{7}|\d{8})([A-Z])$/.exec(id);
  if (!match) return false;
  const number = Number(match[1]!.replace(/^[XYZ]/, (c) => String('XYZ'.indexOf(c))));
  return DNI_LETTERS[number % 23] === match[2];
}

/**
 * French NIR: sex, year, month, department (2A/2B for Corsica), commune, order, then the key
 * 97 - (the first 13 digits mod 97).
 */
export function frNirValid(value: string): boolean {
  const id = compact(value);
  const match = /^([12]\d{4}(?:\d{2}|2A|2B)\d{6})(\d{2})$/.exec(id);
  if (!match) return false;
  const body = match[1]!.replace('2A', '19').replace('2B', '18');
  return 97 - Number(BigInt(body) % 97n) === Number(match[2]);
}

// Values of a character in an odd (1st, 3rd...) or even position of the codice fiscale.
const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const cfIndex = (char: string): number => (/\d/.test(char) ? Number(char) : char.charCodeAt(0) - 65);

/** The check letter of the first 15 characters of an Italian codice fiscale. */
export function itCfCheckLetter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const index = cfIndex(first15[i]!);
    sum += i % 2 === 0 ? CF_ODD[index]! : index;
  }
  return String.fromCharCode(65 + (sum % 26));
}

export function itCfValid(value: string): boolean {
  const id = compact(value);
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(id)) return false;
  return itCfCheckLetter(id.slice(0, 15)) === id[15];
}

/** Dutch BSN: nine digits passing the "11-proef" (weights 9..2, then -1). */
export function nlBsnValid(value: string): boolean {
  const id = value.replace(/[\s.-]/g, '');
  if (!/^\d{9}$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(id[i]) * (9 - i);
  sum -= Number(id[8]);
  return sum % 11 === 0 && sum !== 0;
}

/** UK National Insurance number: two prefix letters HMRC issues, six digits, suffix A-D. */
export function ukNinoValid(value: string): boolean {
  const id = compact(value);
  const match = /^([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])\d{6}[A-D]$/.exec(id);
  return match !== null && !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(match[1]!);
}

/** US SSN: no checksum, but area 000, 666 and 9xx, group 00 and serial 0000 are never issued. */
export function usSsnValid(value: string): boolean {
  const match = /^(\d{3})[- ]?(\d{2})[- ]?(\d{4})$/.exec(value.trim());
  if (!match) return false;
  const [, area, group, serial] = match;
  return area !== '000' && area !== '666' && !area!.startsWith('9') && group !== '00' && serial !== '0000';
}
