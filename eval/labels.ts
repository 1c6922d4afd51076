/**
 * What the corpus may label, and the checks each label must pass before it counts as gold.
 * A gold IBAN that fails mod-97 or a "bad card" decoy that passes Luhn is a corpus bug, and
 * the evaluation refuses to run on it rather than score detectors against a wrong answer.
 */
import { isIP } from 'node:net';
import { cardIssuer, esDniValid, frNirValid, ibanProblem, itCfValid, luhnValid, nlBsnValid, ukNinoValid, usSsnValid } from './checksums.js';

export const NATIONAL_ID_TYPES = ['UK_NINO', 'ES_DNI', 'FR_NIR', 'IT_CF', 'NL_BSN', 'US_SSN'] as const;

export const GOLD_TYPES = [
  'EMAIL',
  'PHONE',
  'IBAN',
  'CREDIT_CARD',
  'IP_ADDRESS',
  'URL',
  'MAC_ADDRESS',
  'DATE_OF_BIRTH',
  ...NATIONAL_ID_TYPES,
  'PERSON',
  'STREET_ADDRESS',
] as const;
export type GoldType = (typeof GOLD_TYPES)[number];

/**
 * Kinds of hard negative: text that looks like personal data but is not. Marked so that a
 * false positive can be traced to what it mistook, and counted in the corpus summary.
 */
export const DECOY_KINDS = [
  'ORDER', // order number
  'INVOICE', // invoice or receipt number
  'TRACKING', // parcel tracking code
  'TICKET', // case, ticket or booking reference
  'PRICE',
  'AMOUNT', // a sum of money in words or digits without currency
  'DATE', // a date that is not a birth date
  'TIME',
  'QUANTITY', // weights, sizes, counts
  'VERSION', // software or firmware version
  'PRODUCT', // product code, SKU, model number, serial number
  'POSTCODE', // a postcode or city on its own
  'HOST', // a host or file name that is not a URL
  'HANDLE', // a social media handle or a broken address
  'BAD_IBAN', // IBAN-shaped, wrong check digits
  'BAD_CARD', // card-shaped, fails Luhn
  'BAD_IP', // IP-shaped, out of range
  'BAD_ID', // national-ID-shaped, wrong check digit
  'NOT_NAME', // a word that is a first name elsewhere (a month, a flower, a brand, a place)
  'NUMBER', // any other digit run: account ids, PINs, percentages, scores
] as const;
export type DecoyKind = (typeof DECOY_KINDS)[number];

export function isGoldType(type: string): type is GoldType {
  return (GOLD_TYPES as readonly string[]).includes(type);
}

export function isDecoyKind(kind: string): kind is DecoyKind {
  return (DECOY_KINDS as readonly string[]).includes(kind);
}

/**
 * A phone number as people write it: an optional + or 00 prefix, 6 to 15 digits grouped by
 * spaces, dots, dashes, slashes or brackets, and an optional extension ("x769", "ext. 12",
 * "#4"). Not libphonenumber's validity: numbers it rejects are phone numbers too when the
 * text says so, and the detectors must find them.
 */
function phoneProblem(text: string): string | undefined {
  const match = /^(\+|00)?([\d\s().\/-]+?)(?:\s*(?:x|ext\.?|extn?\.?|extension|poste|Durchwahl|DW|ramal|interno|int\.|loc\.|#)\s*\d{1,6})?$/i.exec(text);
  if (!match || !/^[\d(]/.test(match[2]!))
    return 'not a phone number: digits grouped by spaces, dots, dashes, slashes or brackets, an optional + and extension';
  const digits = match[2]!.replace(/\D/g, '').length;
  return digits >= 6 && digits <= 15 ? undefined : `a phone number has 6 to 15 digits before its extension (this has ${digits})`;
}

const EMAIL_SHAPE = /^[\p{L}\p{N}._%+'-]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}$/u;
const MAC_SHAPE = /^(?:[0-9A-F]{2}([:-])(?:[0-9A-F]{2}\1){4}[0-9A-F]{2}|[0-9A-F]{4}\.[0-9A-F]{4}\.[0-9A-F]{4})$/i;

/** Why `text` cannot be gold of `type`, or undefined when it can. */
export function goldProblem(type: GoldType, text: string): string | undefined {
  switch (type) {
    case 'EMAIL':
      return EMAIL_SHAPE.test(text) ? undefined : 'not an e-mail address';
    case 'PHONE':
      return phoneProblem(text);
    case 'IBAN': {
      const problem = ibanProblem(text);
      return problem ? `IBAN ${problem} is wrong` : undefined;
    }
    case 'CREDIT_CARD':
      if (!luhnValid(text)) return 'fails the Luhn check';
      return cardIssuer(text) ? undefined : 'no issuer has that prefix and length';
    case 'IP_ADDRESS':
      return isIP(text) ? undefined : 'not a valid IPv4 or IPv6 address';
    case 'URL':
      return urlProblem(text);
    case 'MAC_ADDRESS':
      return MAC_SHAPE.test(text) ? undefined : 'not a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff)';
    case 'DATE_OF_BIRTH':
      return /\b(?:19|20)\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2}\b/.test(text) ? undefined : 'a date of birth needs a year';
    case 'UK_NINO':
      return ukNinoValid(text) ? undefined : 'not a valid National Insurance number';
    case 'ES_DNI':
      return esDniValid(text) ? undefined : 'wrong DNI/NIE control letter or shape';
    case 'FR_NIR':
      return frNirValid(text) ? undefined : 'wrong NIR key or shape';
    case 'IT_CF':
      return itCfValid(text) ? undefined : 'wrong codice fiscale check letter or shape';
    case 'NL_BSN':
      return nlBsnValid(text) ? undefined : 'fails the BSN 11-test';
    case 'US_SSN':
      return usSsnValid(text) ? undefined : 'not an SSN that could be issued';
    case 'PERSON':
      return /^\p{L}/u.test(text) && !/\d/.test(text) ? undefined : 'a name starts with a letter and has no digits';
    case 'STREET_ADDRESS':
      return /\d/.test(text) && /\p{L}{3}/u.test(text) ? undefined : 'a street address has a number and a street name';
  }
}

// Nine bare digits are any number; only the 3-2-4 grouping says "SSN".
const writtenLikeSsn = (text: string): boolean => /^\d{3}[- ]\d{2}[- ]\d{4}$/.test(text) && usSsnValid(text);

function urlProblem(text: string): string | undefined {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    return url.hostname.includes('.') ? undefined : 'a URL needs a dotted host name';
  } catch {
    return 'not a URL';
  }
}

/**
 * Why `text` cannot be a decoy of `kind`, or undefined. Only the "bad" kinds are checked:
 * they must really be invalid, or they would be personal data marked as a negative.
 */
export function decoyProblem(kind: DecoyKind, text: string): string | undefined {
  switch (kind) {
    case 'BAD_IBAN':
      return ibanProblem(text) === undefined ? 'is a valid IBAN' : undefined;
    case 'BAD_CARD':
      return luhnValid(text) ? 'passes the Luhn check' : undefined;
    case 'BAD_IP':
      return isIP(text) ? 'is a valid IP address' : undefined;
    case 'BAD_ID':
      return [esDniValid, frNirValid, itCfValid, nlBsnValid, ukNinoValid, writtenLikeSsn].some((valid) => valid(text))
        ? 'is a valid national identifier'
        : undefined;
    default:
      return undefined;
  }
}
