import { hasContext, isLetterOrDigit, wordsPattern } from './context.js';
import type { Detector, Span } from './types.js';

/**
 * IBAN length and BBAN structure per country, from the SWIFT IBAN registry: "n" digits,
 * "a" capital letters, "c" either. Countries whose structure varies by bank keep "c" only.
 */
const STRUCTURES: Record<string, string> = {
  AD: '4n4n12c',
  AE: '3n16n',
  AL: '8n16c',
  AT: '5n11n',
  AZ: '4a20c',
  BA: '3n3n8n2n',
  BE: '3n7n2n',
  BG: '4a4n2n8c',
  BH: '4a14c',
  BR: '8n5n10n1a1c',
  BY: '4c4n16c',
  CH: '5n12c',
  CR: '18n',
  CY: '3n5n16c',
  CZ: '4n6n10n',
  DE: '8n10n',
  DK: '4n9n1n',
  DO: '4c20n',
  EE: '2n2n11n1n',
  EG: '4n4n17n',
  ES: '4n4n1n1n10n',
  FI: '3n11n',
  FO: '4n9n1n',
  FR: '5n5n11c2n',
  GB: '4a6n8n',
  GE: '2a16n',
  GI: '4a15c',
  GL: '4n9n1n',
  GR: '3n4n16c',
  GT: '4c20c',
  HR: '7n10n',
  HU: '3n4n1n15n1n',
  IE: '4a6n8n',
  IL: '3n3n13n',
  IQ: '4a3n12n',
  IS: '4n2n6n10n',
  IT: '1a5n5n12c',
  JO: '4a4n18c',
  KW: '4a22c',
  KZ: '3n13c',
  LB: '4n20c',
  LC: '4a24c',
  LI: '5n12c',
  LT: '5n11n',
  LU: '3n13c',
  LV: '4a13c',
  LY: '21n',
  MC: '5n5n11c2n',
  MD: '20c',
  ME: '3n13n2n',
  MK: '3n10c2n',
  MR: '5n5n11n2n',
  MT: '4a5n18c',
  MU: '4a2n2n12n3n3a',
  NL: '4a10n',
  NO: '4n6n1n',
  PK: '4a16c',
  PL: '8n16n',
  PS: '4a21c',
  PT: '4n4n11n2n',
  QA: '4a21c',
  RO: '4a16c',
  RS: '3n13n2n',
  SA: '2n18c',
  SC: '4a2n2n16n3a',
  SE: '3n16n1n',
  SI: '5n8n2n',
  SK: '4n6n10n',
  SM: '1a5n5n12c',
  ST: '8n11n2n',
  SV: '4a20n',
  TL: '3n14n2n',
  TN: '2n3n13n2n',
  TR: '5n1n16c',
  UA: '6n19c',
  VA: '3n15n',
  VG: '4a16n',
  XK: '4n10n2n',
};

const BBAN: ReadonlyMap<string, { length: number; pattern: RegExp }> = new Map(
  Object.entries(STRUCTURES).map(([country, structure]) => {
    let length = 4;
    let source = '';
    for (const [, count, kind] of structure.matchAll(/(\d+)([nac])/g)) {
      length += Number(count);
      source += `${kind === 'n' ? '\\d' : kind === 'a' ? '[A-Z]' : '[A-Z0-9]'}{${count}}`;
    }
    return [country, { length, pattern: new RegExp(`^${source}$`) }];
  }),
);

// A country code and two check digits, not glued to a word before them.
const START = /(?<![\p{L}\p{N}])(?:[A-Z]{2}|[a-z]{2})\d\d/gu;
const SEPARATORS = new Set([' ', '\u00A0', '-']);
const CONTEXT = wordsPattern([
  'iban',
  'account',
  'bank',
  'transfer',
  'wire',
  'refund',
  'konto',
  'bankverbindung',
  'überweisung',
  'compte',
  'rib',
  'virement',
  'cuenta',
  'transferencia',
  'conto',
  'bonifico',
  'rekening',
  'overboeking',
  'rekeningnummer',
]);

/** ISO 13616 check: the rearranged IBAN, letters as 10..35, is 1 modulo 97. */
export function hasValidIbanChecksum(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + code - 48) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + code - 55) % 97;
    else return false;
  }
  return remainder === 1;
}

/** Whether `compact` (no spaces, any case) is an IBAN of the right length, structure and checksum. */
export function isIban(compact: string): boolean {
  const iban = compact.toUpperCase();
  const bban = BBAN.get(iban.slice(0, 2));
  return bban !== undefined && iban.length === bban.length && bban.pattern.test(iban.slice(4)) && hasValidIbanChecksum(iban);
}

export function findIbans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(START)) {
    const country = match[0].slice(0, 2).toUpperCase();
    const bban = BBAN.get(country);
    if (!bban) continue;
    // Walk the characters, one separator at a time, until the country's length is reached.
    let compact = match[0];
    let end = match.index + 4;
    while (compact.length < bban.length && end < text.length) {
      const char = text[end]!;
      if (isLetterOrDigit(char)) compact += char;
      else if (!(SEPARATORS.has(char) && isLetterOrDigit(text[end + 1]))) break;
      end++;
    }
    if (compact.length !== bban.length || isLetterOrDigit(text[end]) || !isIban(compact)) continue;
    spans.push({ type: 'IBAN', start: match.index, end, score: hasContext(text, match.index, end, CONTEXT) ? 1 : 0.95 });
  }
  return spans;
}

export const ibanDetector: Detector = {
  type: 'IBAN',
  mayContain: (text) => /[A-Za-z]{2}\d\d/.test(text),
  find: (text) => findIbans(text),
};
