import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

/**
 * National formats of countries outside the default regions (the EU, the UK, Switzerland and
 * North America), for numbers written without a country code: "(11) 98765-4321" in Brazil,
 * "(02) 9374 4000" in Australia, "011 15-4823-6170" in Argentina, "090-1234-5678" in Japan.
 *
 * Most of the world's plans accept a good share of all digit runs of their lengths, so a
 * reading in one of them counts only when the writing agrees with it: the digits as that
 * country writes them (its trunk "0" included), grouped after the same area code, and
 * either a trunk "0" or a bracketed area code, or a phone word before the number.
 */

// Countries whose national numbers start with a trunk "0" ("0412 345 678" in Australia).
const TRUNK_ZERO: readonly CountryCode[] = [
  'AU',
  'NZ',
  'IN',
  'PK',
  'BD',
  'LK',
  'ZA',
  'NG',
  'KE',
  'GH',
  'UG',
  'TZ',
  'ZW',
  'ZM',
  'RW',
  'ET',
  'NA',
  'MW',
  'SD',
  'EG',
  'MA',
  'DZ',
  'LY',
  'TR',
  'IL',
  'IR',
  'IQ',
  'JO',
  'SA',
  'AE',
  'SY',
  'YE',
  'PS',
  'AF',
  'JP',
  'KR',
  'TW',
  'TH',
  'MY',
  'ID',
  'PH',
  'VN',
  'KH',
  'MM',
  'AR',
  'VE',
  'EC',
  'PY',
  'UY',
  'CU',
  'PE',
  'UA',
  'RS',
  'BA',
  'MK',
  'AL',
  'ME',
  'MD',
  'AZ',
  'AM',
  'KG',
  'XK',
  'CD',
  'CG',
  'BJ',
  'CI',
  'RE',
  'GP',
  'MQ',
  'GF',
  'YT',
  'MC',
  'CN',
];
// Countries written with a bracketed area code and no trunk "0": "(11) 98765-4321", "(2) 2123 4567".
const BRACKETED: readonly CountryCode[] = ['BR', 'MX', 'CL', 'CO', 'AR', 'PE'];
// Countries whose numbers have no trunk prefix at all: read only after a phone word.
const NO_TRUNK: readonly CountryCode[] = [
  'BR',
  'MX',
  'CO',
  'CL',
  'PE',
  'BO',
  'CR',
  'GT',
  'SV',
  'HN',
  'NI',
  'PA',
  'DO',
  'PR',
  'CN',
  'SG',
  'HK',
  'MO',
  'NO',
  'IS',
  'TN',
  'SN',
  'CM',
  'ML',
  'BF',
  'NE',
  'TG',
  'MZ',
  'AO',
  'CV',
  'QA',
  'KW',
  'BH',
  'OM',
  'LB',
  'NP',
  'MN',
  'TJ',
  'UZ',
  'GE',
  'SR',
  'HT',
];

const EVERYDAY_TYPES = new Set(['FIXED_LINE', 'MOBILE', 'FIXED_LINE_OR_MOBILE', 'TOLL_FREE', 'VOIP', 'UAN']);

const digitsOf = (s: string): string => s.replace(/\D/g, '');

/** The offsets in the digits where a new group starts: "011 15-4823" gives [3, 5]. */
function boundaries(s: string): number[] {
  const result: number[] = [];
  let count = 0;
  let inGroup = false;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (!inGroup && count > 0) result.push(count);
      inGroup = true;
      count++;
    } else inGroup = false;
  }
  return result;
}

/**
 * Whether `written` is written the way `national` is in its country: the same digits as its
 * national format (trunk prefix included) and, when grouped, its first group where the
 * country's own first group ends (the area code or mobile prefix).
 */
function writtenAsIn(written: string, national: PhoneNumber): boolean {
  const formatted = national.formatNational();
  if (digitsOf(formatted) !== digitsOf(written)) return false;
  const ours = boundaries(written);
  if (ours.length === 0) return true;
  const theirs = boundaries(formatted);
  return theirs.length === 0 || theirs.includes(ours[0]!);
}

function readIn(written: string, countries: readonly CountryCode[], skip: ReadonlySet<string>): PhoneNumber | undefined {
  for (const country of countries) {
    if (skip.has(country)) continue;
    const number = parsePhoneNumberFromString(written, { defaultCountry: country, extract: false });
    if (!number?.isPossible() || !number.isValid() || number.ext) continue;
    if (!EVERYDAY_TYPES.has(number.getType() ?? '')) continue;
    if (writtenAsIn(written, number)) return number;
  }
  return undefined;
}

/**
 * The number `written` is in the national format of a country outside `skip` (the regions
 * already tried), if any. Without `saysPhone`, only numbers with a trunk "0" or a bracketed
 * area code, and grouped (a bare run of digits is too often something else).
 */
export function parseWorldNational(written: string, skip: ReadonlySet<string>, saysPhone: boolean): PhoneNumber | undefined {
  const grouped = /\D/.test(written);
  if (!saysPhone && !grouped) return undefined;
  if (/^\(?0/.test(written)) return readIn(written, TRUNK_ZERO, skip);
  if (written.startsWith('(')) return readIn(written, BRACKETED, skip);
  return saysPhone ? readIn(written, NO_TRUNK, skip) : undefined;
}
