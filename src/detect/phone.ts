import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { hasContext, isLabelledAsReference, raise, wordsPattern } from './context.js';
import type { Detector, Span } from './types.js';

/**
 * Regions whose national formats are recognised when a number is written without a country
 * code: the EU, the UK, Switzerland and the US. Order matters where two regions read the
 * same digits (toE164 takes the first), so the most common ones come first.
 */
export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = [
  'GB', 'IE', 'FR', 'DE', 'AT', 'CH', 'ES', 'IT', 'NL', 'BE', 'PT', 'US',
  'LU', 'DK', 'SE', 'FI', 'PL', 'CZ', 'SK', 'HU', 'SI', 'HR', 'RO', 'BG', 'GR', 'CY', 'MT', 'EE', 'LV', 'LT',
];

// A run of digits with at most a few separators between them. Boundaries are checked in code,
// not with lookarounds, so that a run glued to other text is dropped whole instead of trimmed
// until it happens to fit (which would turn "ORD-2024-001234" into a phone number).
// Separators: one space, dot, dash or slash ("0151/2345678"), or a bracket with a space or
// dash ("(0)20", "(201) 555").
const CANDIDATE = /\+?\(?\d(?:(?:[ \u00A0.\-/]|\)[ \u00A0\-]?|[ \u00A0\-]?\()\d|\d)*/g;
const GLUED_BEFORE = /[\p{L}\p{N}_\-/.#@]$/u;
const GLUED_AFTER = /^(?:[\p{L}\p{N}_@]|[-/.,:]\d)/u;
// "2024-03-15 10" is a date and an hour, even though 202-403-1510 would be a valid US number.
const DATE_SHAPES = [/^(?:1[89]|20)\d\d[-./]\d{1,2}[-./]\d{1,2}(?!\d)/, /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/];
// "2 500 000", "20.000.000": thousands separators. Nine digits in threes ("612 345 678") is
// how Spanish and Portuguese numbers are written, so that shape stays.
const THOUSANDS = /^\d{1,3}(?:([ \u00A0.,])\d{3})+$/;
const NINE_IN_THREES = /^\d{3} \d{3} \d{3}$/;
// Shapes of other numbers: an SSN ("078-05-1120", "401 22 9187"), an IPv4 address, a
// Portuguese postcode ("4100-114"), a year and another number ("2024 1234"), a code ending
// in a lone digit ("88 41 20 3").
const NOT_PHONE_SHAPES = [
  /^\d{3}([- ])\d{2}\1\d{4}$/,
  /^\d{1,3}(?:\.\d{1,3}){3}$/,
  /^\d{4}-\d{3}$/,
  /^(?:19|20)\d\d[ \u00A0.\-/]/,
  /[ \u00A0.\-/]\d$/,
];

function isOtherNumberShaped(written: string): boolean {
  if (NOT_PHONE_SHAPES.some((shape) => shape.test(written))) return true;
  return !written.startsWith('0') && THOUSANDS.test(written) && (!NINE_IN_THREES.test(written) || written.endsWith('000'));
}

// Where numbers have no trunk prefix, a national number is any digits in the plan's ranges:
// three in four groups of digits read as a Luxembourg number, one in four as a Danish one.
// Outside Spain, Italy, Portugal and North America (whose plans are tight enough), such a
// reading needs the text to call it a phone number, and the digits grouped as that country
// groups them ("12 34 56 78" in Denmark).
const WRITTEN_WITHOUT_PREFIX: ReadonlySet<string> = new Set(['ES', 'IT', 'PT', 'US', 'CA']);
// National numbers start with a trunk "0" in these regions (Italy's landlines too, so Italy is
// in neither), and never with one in those; a parse costs microseconds, so the others are skipped.
const WRITTEN_WITH_ZERO: ReadonlySet<string> = new Set(['GB', 'IE', 'FR', 'DE', 'AT', 'CH', 'NL', 'BE', 'SE', 'FI', 'SI', 'HR', 'RO', 'BG', 'SK', 'HU']);
const WRITTEN_WITHOUT_ZERO: ReadonlySet<string> = new Set(['ES', 'PT', 'US', 'CA', 'LU', 'DK', 'PL', 'CZ', 'GR', 'CY', 'MT', 'EE', 'LV', 'LT']);
// Without a trunk "0", rarer ranges (Italian VOIP "55...", pagers, premium rate) match too
// many ordinary digit runs, "555-010-0199" among them.
const EVERYDAY_TYPES = new Set(['FIXED_LINE', 'MOBILE', 'FIXED_LINE_OR_MOBILE', 'TOLL_FREE']);
const MIN_DIGITS = 7;
// Seven digits within a short stretch of text: the least any phone number has.
const HAS_SEVEN_DIGITS = /\d(?:\D{0,3}\d){6}/;
const MAX_DIGITS = 15;

const digitsOf = (s: string): string => s.replace(/\D/g, '');

/** "44 20 7946 0958": a country code written without its "+". */
function startsWithCallingCode(digits: string, region: string): boolean {
  try {
    return digits.startsWith(getCountryCallingCode(region as CountryCode));
  } catch {
    return true;
  }
}

/** "3-3-4" for "555-010-0199": the lengths of the digit groups. */
function digitGroups(s: string): string {
  return (s.match(/\d+/g) ?? []).map((group) => group.length).join('-');
}

function digitCount(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

/**
 * The phone number `raw` is, if it is written the way phone numbers are written: with a
 * country code (+44..., 0044...), or in the national format of one of `regions`. The
 * national check compares digits with libphonenumber's national formatting, so
 * "(555) 010-0199" is not taken as a British number just because its digits would fit one
 * after a trunk "0". When `saysPhone` (the text calls it a phone number), bare digit runs and
 * national numbers of regions without a trunk prefix are read too.
 */
export function parsePhone(
  raw: string,
  regions: readonly string[] = DEFAULT_PHONE_REGIONS,
  { saysPhone = false }: { saysPhone?: boolean } = {},
): PhoneNumber | undefined {
  const written = raw.trim();
  const digits = digitsOf(written);
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return undefined;
  if (DATE_SHAPES.some((shape) => shape.test(written))) return undefined;

  if (/^(?:\+|00)/.test(written)) {
    const international = parsePhoneNumberFromString(written.replace(/^00/, '+'), { extract: false });
    return international?.isValid() && !international.ext ? international : undefined;
  }
  // A bare run of digits not starting with a trunk "0" is far more often an id than a phone
  // (unless the text says it is one), and no national number has more than twelve digits.
  const bare = /^\d+$/.test(written);
  if (bare && ((!written.startsWith('0') && !saysPhone) || digits.length > 12)) return undefined;
  if (isOtherNumberShaped(written)) return undefined;
  // Outside North America a parenthesised area code carries the trunk "0": "(020) 7946 0958".
  const northAmericanOnly = /\((?!0)\d/.test(written);
  const leadingZero = written.startsWith('0') || written.startsWith('(0');
  for (const region of regions) {
    if (leadingZero ? WRITTEN_WITHOUT_ZERO.has(region) : WRITTEN_WITH_ZERO.has(region) && !startsWithCallingCode(digits, region)) continue;
    const national = parsePhoneNumberFromString(written, { defaultCountry: region as CountryCode, extract: false });
    // isPossible (a length check) is cheap and rules out most regions before isValid.
    if (!national?.isPossible() || !national.isValid() || national.ext) continue;
    if (northAmericanOnly && national.countryCallingCode !== '1') continue;
    if (!written.startsWith('0') && !EVERYDAY_TYPES.has(national.getType() ?? '')) continue;
    // "44 20 7946 0958": the country code without its "+".
    if (digits === digitsOf(national.number)) return national;
    if (!written.startsWith('0') && !WRITTEN_WITHOUT_PREFIX.has(region)) {
      if (!saysPhone || (!bare && digitGroups(written) !== digitGroups(national.formatNational()))) continue;
    }
    if (digits === digitsOf(national.formatNational())) return national;
  }
  return undefined;
}

const CONTEXT = wordsPattern([
  'call', 'phone', 'tel', 'tel.', 'telephone', 'mobile', 'cell', 'number', 'ring', 'whatsapp', 'sms', 'text me', 'reach me',
  'téléphone', 'portable', 'appeler', 'appelez', 'joindre', 'numéro', 'telefon', 'handy', 'rufnummer', 'anrufen', 'ruf',
  'teléfono', 'móvil', 'llámame', 'llamar', 'número', 'telefono', 'cellulare', 'chiamami', 'chiamare', 'numero',
  'telefoon', 'mobiel', 'bel', 'bellen', 'nummer', 'telemóvel', 'telemovel', 'ligar', 'ligue', 'contacto', 'gsm', 'fax',
]);
// Company and tax numbers have the length of phone numbers: "partita IVA 01234567897", "NIPC 500 123 456".
const OTHER_NUMBER_CONTEXT = wordsPattern([
  'vat', 'vat number', 'iva', 'p.iva', 'partita iva', 'tva', 'ust-idnr', 'ust-id', 'ustid', 'steuernummer', 'btw', 'btw-nummer',
  'kvk', 'nipc', 'nif', 'cif', 'siret', 'siren', 'tax id', 'company number', 'registration number', 'iban', 'swift', 'bic',
]);
// "NL91 ABNA 0417 1643 01": the rest of an IBAN-like group of blocks.
const AFTER_IBAN_BLOCKS = /[A-Z]{2}\d\d(?:[ ][A-Z0-9]{4})+[ ]$/;

export function findPhones(text: string, regions: readonly string[] = DEFAULT_PHONE_REGIONS): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    // In "(020 7946 0958)" the brackets enclose the number rather than an area code.
    const enclosed = match[0].startsWith('(') && !match[0].includes(')');
    const written = enclosed ? match[0].slice(1) : match[0];
    const end = match.index + match[0].length;
    const start = end - written.length;
    if (GLUED_BEFORE.test(text.slice(Math.max(0, match.index - 1), match.index)) || GLUED_AFTER.test(text.slice(end, end + 2))) continue;
    if (digitCount(written) < MIN_DIGITS || isLabelledAsReference(text, start)) continue;
    if (AFTER_IBAN_BLOCKS.test(text.slice(Math.max(0, start - 40), start))) continue;
    const saysPhone = hasContext(text, start, end, CONTEXT);
    if (!saysPhone && hasContext(text, start, end, OTHER_NUMBER_CONTEXT, 30)) continue;
    const phone = parsePhone(written, regions, { saysPhone });
    if (!phone) continue;
    const base = /^(?:\+|00)/.test(written) ? 0.9 : 0.8;
    spans.push({ type: 'PHONE', start, end, score: saysPhone ? raise(base, 0.1) : base });
  }
  return spans;
}

export const phoneDetector: Detector = {
  type: 'PHONE',
  mayContain: (text) => HAS_SEVEN_DIGITS.test(text),
  find: (text, context) => findPhones(text, context.phoneRegions),
};
