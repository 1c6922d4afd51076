import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { raise } from './context.js';
import { passesLuhn } from './credit-card.js';
import { continuesCode, EXTENSION, isLabelledAsAccountOrReference, isPlainGap, OTHER_NUMBER_CONTEXT, phoneCue } from './phone-cues.js';
import { parseWorldNational } from './phone-world.js';
import type { Detector, Span } from './types.js';

/**
 * Regions whose national formats are recognised when a number is written without a country
 * code: the EU, the UK, Switzerland and the US. Order matters where two regions read the
 * same digits (toE164 takes the first), so the most common ones come first.
 */
export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = [
  'GB',
  'IE',
  'FR',
  'DE',
  'AT',
  'CH',
  'ES',
  'IT',
  'NL',
  'BE',
  'PT',
  'US',
  'LU',
  'DK',
  'SE',
  'FI',
  'PL',
  'CZ',
  'SK',
  'HU',
  'SI',
  'HR',
  'RO',
  'BG',
  'GR',
  'CY',
  'MT',
  'EE',
  'LV',
  'LT',
];

// A run of digits with at most a few separators between them. Boundaries are checked in code,
// not with lookarounds, so that a run glued to other text is dropped whole instead of trimmed
// until it happens to fit (which would turn "ORD-2024-001234" into a phone number).
// Separators: one space, dot, dash or slash ("0151/2345678"), or a bracket with a space or
// dash ("(0)20", "(201) 555"). A country code may be bracketed ("(+44) 20"), and an area code
// with a trunk "0" set off by a spaced slash or dash ("0911 / 26 73 81", "010 - 412 34 56").
const CANDIDATE = /(?:\(\+\d{1,3}\)[ \u00A0]?)?(?:0\d{1,4}[ \u00A0][-/][ \u00A0](?=\d))?\+?\(?\d(?:(?:[ \u00A0.\-/]|\)[ \u00A0\-]?|[ \u00A0\-]?\()\d|\d)*/g;
const GLUED_BEFORE = /[\p{L}\p{N}_\-/.#@]$/u;
// "Tel.0711 ...": an abbreviation's dot.
const ABBREVIATION_DOT = /\p{L}{2}\.$/u;
const GLUED_AFTER = /^(?:[\p{L}\p{N}_@]|[-/.,:]\d)/u;
// "2024-03-15 10" is a date and an hour, even though 202-403-1510 would be a valid US number.
const DATE_SHAPES = [/^(?:1[89]|20)\d\d[-./]\d{1,2}[-./]\d{1,2}(?!\d)/, /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/];
// "2 500 000", "20.000.000": thousands separators. Nine digits in threes ("612 345 678") is
// how Spanish and Portuguese numbers are written, so that shape stays.
const THOUSANDS = /^\d{1,3}(?:([ \u00A0.,])\d{3})+$/;
const NINE_IN_THREES = /^\d{3} \d{3} \d{3}$/;
// Shapes of other numbers: an SSN ("078-05-1120", "401 22 9187"), an IPv4 address, a
// Portuguese postcode ("4100-114"), a Brazilian CEP or US ZIP+4 ("01310-100", "30311-3420"),
// a year and another number ("2024 1234"); unless the text says phone, a code ending in a lone
// digit ("88 41 20 3").
const NOT_PHONE_SHAPES = [/^\d{3}([- ])\d{2}\1\d{4}$/, /^\d{1,3}(?:\.\d{1,3}){3}$/, /^\d{4}-\d{3}$/, /^\d{5}-\d{3,4}$/, /^(?:19|20)\d\d[ \u00A0.\-/]/];
const LONE_LAST_DIGIT = /[ \u00A0.\-/]\d$/;

/**
 * Whether `written` has the shape of some other number. After a phone word (`saysPhone`),
 * a lone last digit ("0731 96 44-0", a switchboard) and digits in threes are read as a phone.
 */
function isOtherNumberShaped(written: string, saysPhone = false): boolean {
  if (NOT_PHONE_SHAPES.some((shape) => shape.test(written))) return true;
  if (saysPhone) return false;
  if (LONE_LAST_DIGIT.test(written)) return true;
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
// Six digits within a short stretch of text: the least a phone number has.
const HAS_SIX_DIGITS = /\d(?:\D{0,3}\d){5}/;
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

/** Whether the groups of `written` fall where North American numbers split: "(201) 555-0123", "1-201-5550123". */
function groupedAsNorthAmerican(written: string): boolean {
  const groups = written.match(/\d+/g) ?? [];
  if (groups.length > 1 && groups[0] === '1') groups.shift();
  let at = 0;
  for (const group of groups.slice(0, -1)) {
    at += group.length;
    if (at !== 3 && at !== 6) return false;
  }
  return true;
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
 * national numbers of regions without a trunk prefix are read too. For the detector,
 * `asWritten` also wants North American digits grouped as they are there ("6362 0501 44" is
 * not (636) 205-0144), and `phoneWordBefore` (a phone word right before the number) lets a
 * lone last digit ("0731 96 44-0") and digits in threes be a phone number.
 */
export function parsePhone(
  raw: string,
  regions: readonly string[] = DEFAULT_PHONE_REGIONS,
  { saysPhone = false, asWritten = false, phoneWordBefore = false }: { saysPhone?: boolean; asWritten?: boolean; phoneWordBefore?: boolean } = {},
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
  if (isOtherNumberShaped(written, phoneWordBefore)) return undefined;
  // Outside North America a parenthesised area code carries the trunk "0": "(020) 7946 0958".
  const northAmericanOnly = /\((?!0)\d/.test(written);
  const leadingZero = written.startsWith('0') || written.startsWith('(0');
  for (const region of regions) {
    if (leadingZero ? WRITTEN_WITHOUT_ZERO.has(region) : WRITTEN_WITH_ZERO.has(region) && !startsWithCallingCode(digits, region)) continue;
    const national = parsePhoneNumberFromString(written, { defaultCountry: region as CountryCode, extract: false });
    // isPossible (a length check) is cheap and rules out most regions before isValid.
    if (!national?.isPossible() || !national.isValid() || national.ext) continue;
    if (northAmericanOnly && national.countryCallingCode !== '1') continue;
    // "6362 0501 44" has the digits of a North American number but not its groups.
    if (asWritten && national.countryCallingCode === '1' && !groupedAsNorthAmerican(written)) continue;
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

// "NL91 ABNA 0417 1643 01": the rest of an IBAN-like group of blocks.
const AFTER_IBAN_BLOCKS = /[A-Z]{2}\d\d(?:[ ][A-Z0-9]{4})+[ ]$/;
const INTERNATIONAL = /^(?:\(?\+|00)/;
// "(555) 010-0199", "555.010.0199", "+1-903-140-4508": how North American numbers are written,
// which even outside the plan's ranges (the numbers a form generator makes up) reads as a phone.
const NORTH_AMERICAN_SHAPE = /^(?:\+?1[-. ]?)?(?:\(\d{3}\)[ ]?\d{3}-\d{4}|\d{3}([-.])\d{3}\1\d{4})$/;
// A number of 12 digits or more that passes Luhn and starts like a card is a card.
const CARD_LIKE = /^(?:[1-6]|8[12]|9792)/;

/** `written` ("+44 20 ...", "0044 20 ...", "(+44) 20 ...") read with its country code. */
function parseInternational(written: string): PhoneNumber | undefined {
  return parsePhoneNumberFromString(written.replace(/^\((\+\d{1,3})\)/, '$1').replace(/^00/, '+'), { extract: false });
}

function validInternational(written: string): boolean {
  const international = parseInternational(written);
  return international?.isValid() === true && !international.ext;
}

const regionSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function regionSet(regions: readonly string[]): ReadonlySet<string> {
  let set = regionSets.get(regions);
  if (!set) regionSets.set(regions, (set = new Set(regions)));
  return set;
}

/**
 * The score of `written` (text[start..]) as a phone number, or undefined. `cue` is how
 * strongly the text says a phone number follows (see phoneCue). Validity in a numbering plan
 * scores 0.8 and up; a national format outside the default regions, a country code with an
 * invalid number, or a phone word before an invalid number (a typo, a made-up number on a
 * form) score 0.35 to 0.49, which `redact` takes and `find` does not.
 */
function scorePhone(written: string, cue: 0 | 1 | 2, extension: boolean, regions: readonly string[]): number | undefined {
  const digits = digitsOf(written);
  if (digits.length < 6 || digits.length > MAX_DIGITS) return undefined;
  if (DATE_SHAPES.some((shape) => shape.test(written))) return undefined;
  const boost = cue > 0 ? 0.1 : 0;

  if (INTERNATIONAL.test(written)) {
    const international = parseInternational(written);
    if (international?.isValid() && !international.ext) return 0.95;
    // A country code and a number of a plausible length, outside the plan: "+1-903-140-4508".
    const plausible = international !== undefined && international.nationalNumber.length >= 6;
    // Digits grouped as phone numbers are ("+234 1 271 5530", "001-903-140-4508"), not as an
    // amount ("+1 000 000"), with the country code a group of its own ("0042-3381-2024" is not
    // a number of Liechtenstein, +423).
    const afterPrefix = written.replace(/^(?:\(\+|\+|00)/, '');
    const groups = afterPrefix.match(/\d+/g) ?? [];
    const grouped = groups.length >= 3 && digits.length >= 9 && !THOUSANDS.test(afterPrefix) && groups[0] === international?.countryCallingCode;
    if (written.startsWith('00')) {
      if (plausible && grouped) return cue === 2 ? 0.45 : cue === 1 || extension ? 0.4 : 0.35;
      return cue === 2 && digits.length >= 8 ? 0.4 : undefined;
    }
    if (plausible && cue > 0) return cue === 2 ? 0.45 : 0.4;
    // Without a phone word, the length must fit the country's plan, or the digits be grouped.
    if (plausible && (international.isPossible() || grouped)) return extension ? 0.4 : 0.35;
    return cue === 2 && digits.length >= 8 ? 0.4 : undefined;
  }

  // A card number is not a phone number, whatever was said before it.
  if (digits.length >= 12 && CARD_LIKE.test(digits) && passesLuhn(digits)) return undefined;
  if (digits.length >= 7 && parsePhone(written, regions, { saysPhone: cue > 0, asWritten: true, phoneWordBefore: cue === 2 })) {
    return raise(0.8, boost);
  }
  if (isOtherNumberShaped(written, cue === 2)) return undefined;
  const bare = !/\D/.test(written);

  // A bare run of digits is read in the rest of the world only right after a phone word.
  if (digits.length >= 7 && digits.length <= 13 && (!bare || cue === 2)) {
    const world = parseWorldNational(written, regionSet(regions), cue > 0);
    if (world) {
      const trunkOrBracket = /^\(?0|^\(/.test(written);
      if (!trunkOrBracket) return cue === 2 ? 0.6 : 0.45;
      return cue === 2 ? 0.75 : cue === 1 ? 0.6 : 0.45;
    }
  }

  // Not a valid number anywhere: what the text says it is.
  const northAmerican = NORTH_AMERICAN_SHAPE.test(written);
  // A bare run needs seven digits and not to be a round number ("reach 1000000").
  if (cue === 2 && digits.length <= (bare ? 11 : 13) && !(bare && (digits.length < 7 || /000$/.test(digits)))) {
    const signs = (extension || northAmerican || /^\(?0|^\(/.test(written) ? 1 : 0) + (bare ? 0 : 1);
    return signs >= 2 ? 0.45 : 0.4;
  }
  if (northAmerican) return cue === 1 || extension ? 0.4 : 0.35;
  return undefined;
}

export function findPhones(text: string, regions: readonly string[] = DEFAULT_PHONE_REGIONS): Span[] {
  const spans: Span[] = [];
  let lastEnd = -1;
  for (const match of text.matchAll(CANDIDATE)) {
    // In "(020 7946 0958)" the brackets enclose the number rather than an area code.
    const enclosed = match[0].startsWith('(') && !match[0].includes(')');
    const written = enclosed ? match[0].slice(1) : match[0];
    const end = match.index + match[0].length;
    const start = end - written.length;
    const digitTotal = digitCount(written);
    if (digitTotal < 6 || digitTotal > MAX_DIGITS) continue;
    const before = text.slice(Math.max(0, match.index - 3), match.index);
    if (GLUED_BEFORE.test(before) && !(before.endsWith('.') && ABBREVIATION_DOT.test(before) && /^[+(0]/.test(written))) continue;
    const extension = EXTENSION.exec(text.slice(end, end + 24));
    const spanEnd = extension ? end + extension[0].length : end;
    if (GLUED_AFTER.test(text.slice(spanEnd, spanEnd + 2))) continue;
    if (DATE_SHAPES.some((shape) => shape.test(written))) continue;
    // "0412 - 2024-05-01": what follows a spaced dash or slash is a date.
    const spaced = /^0\d{1,4}[ \u00A0][-/][ \u00A0]/.exec(written);
    if (spaced && DATE_SHAPES.some((shape) => shape.test(written.slice(spaced[0].length)))) continue;
    if (AFTER_IBAN_BLOCKS.test(text.slice(Math.max(0, start - 40), start))) continue;

    if (continuesCode(text, start)) continue;
    const intl = INTERNATIONAL.test(written);
    // A valid number with its country code needs no more evidence (nor costs any).
    if (intl && validInternational(written)) {
      spans.push({ type: 'PHONE', start, end: spanEnd, score: 0.95 });
      lastEnd = spanEnd;
      continue;
    }
    const phoneShaped = intl || written.startsWith('0') || written.startsWith('(');
    let cue = phoneCue(text, start, phoneShaped);
    // Neighbouring phone numbers ("Festnetz ..., Handy ..., Büro ...") share their phone word.
    if (cue < 2 && lastEnd >= 0 && isPlainGap(text.slice(lastEnd, start))) cue = 2;
    if (cue < 2 && OTHER_NUMBER_CONTEXT.test(text.slice(Math.max(0, start - 30), start))) continue;
    // "Part no. 0800-015-01", "tracking BRT 0685...": a reference, unless a country code says otherwise.
    if (!written.startsWith('+') && isLabelledAsAccountOrReference(text, start)) continue;
    const score = scorePhone(written, cue, extension !== null, regions);
    if (score === undefined) continue;
    spans.push({ type: 'PHONE', start, end: spanEnd, score });
    lastEnd = spanEnd;
  }
  return spans;
}

export const phoneDetector: Detector = {
  type: 'PHONE',
  mayContain: (text) => HAS_SIX_DIGITS.test(text),
  find: (text, context) => findPhones(text, context.phoneRegions),
};
