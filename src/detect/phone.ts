import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { Span } from './index.js';

/** Regions whose national formats are recognised when a number is written without a country code. */
export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = [
  'GB', 'IE', 'FR', 'DE', 'AT', 'CH', 'ES', 'IT', 'NL', 'BE', 'PT', 'US',
];

// A run of digits with at most a few separators between them. Boundaries are checked in code,
// not with lookarounds, so that a run glued to other text is dropped whole instead of trimmed
// until it happens to fit (which would turn "ORD-2024-001234" into a phone number).
const CANDIDATE = /\+?\(?\d(?:[ \u00A0.\-()]{1,3}\d|\d)*/g;
const GLUED_BEFORE = /[\p{L}\p{N}_\-/.#@]$/u;
const GLUED_AFTER = /^(?:[\p{L}\p{N}_@]|[-/.,:]\d)/u;
// "2024-03-15 10" is a date and an hour, even though 202-403-1510 would be a valid US number.
const DATE_SHAPES = [/^(?:1[89]|20)\d\d[-./]\d{1,2}[-./]\d{1,2}(?!\d)/, /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/];
// Without a trunk "0", rarer ranges (Italian VOIP "55...", pagers, premium rate) match too
// many ordinary digit runs, "555-010-0199" among them.
const EVERYDAY_TYPES = new Set(['FIXED_LINE', 'MOBILE', 'FIXED_LINE_OR_MOBILE', 'TOLL_FREE']);
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

const digitsOf = (s: string): string => s.replace(/\D/g, '');

/**
 * The phone number `raw` is, if it is written the way phone numbers are written: with a
 * country code (+44..., 0044...), or in the national format of one of `regions`. The
 * national check compares digits with libphonenumber's national formatting, so
 * "(555) 010-0199" is not taken as a British number just because its digits would fit one
 * after a trunk "0".
 */
export function parsePhone(raw: string, regions: readonly string[] = DEFAULT_PHONE_REGIONS): PhoneNumber | undefined {
  const written = raw.trim();
  const digits = digitsOf(written);
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return undefined;
  if (DATE_SHAPES.some((shape) => shape.test(written))) return undefined;

  if (/^(?:\+|00)/.test(written)) {
    const international = parsePhoneNumberFromString(written.replace(/^00/, '+'), { extract: false });
    return international?.isValid() && !international.ext ? international : undefined;
  }
  // A bare run of digits not starting with a trunk "0" is far more often an id than a phone.
  if (/^\d+$/.test(written) && !written.startsWith('0')) return undefined;
  // Outside North America a parenthesised area code carries the trunk "0": "(020) 7946 0958".
  const northAmericanOnly = /\((?!0)\d/.test(written);
  for (const region of regions) {
    const national = parsePhoneNumberFromString(written, { defaultCountry: region as CountryCode, extract: false });
    if (!national?.isValid() || national.ext) continue;
    if (northAmericanOnly && national.countryCallingCode !== '1') continue;
    if (!written.startsWith('0') && !EVERYDAY_TYPES.has(national.getType() ?? '')) continue;
    if (digits === digitsOf(national.formatNational()) || digits === digitsOf(national.number)) return national;
  }
  return undefined;
}

export function findPhones(text: string, regions: readonly string[] = DEFAULT_PHONE_REGIONS): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    // In "(020 7946 0958)" the brackets enclose the number rather than an area code.
    const enclosed = match[0].startsWith('(') && !match[0].includes(')');
    const written = enclosed ? match[0].slice(1) : match[0];
    const end = match.index + match[0].length;
    const start = end - written.length;
    if (GLUED_BEFORE.test(text.slice(0, match.index)) || GLUED_AFTER.test(text.slice(end))) continue;
    const phone = parsePhone(written, regions);
    if (phone) spans.push({ type: 'PHONE', start, end, score: /^(?:\+|00)/.test(written) ? 0.95 : 0.85 });
  }
  return spans;
}
