import { isGlued, raise } from './context.js';
import { CARD_CUE, continuesCode, isLabelledAsAccountOrReference, NOT_A_PAYMENT_CARD, OTHER_CARD_NUMBER_CONTEXT, PAYMENT_CUE } from './card-cues.js';
import type { Detector, Span } from './types.js';

interface Issuer {
  name: string;
  /** Inclusive ranges of the leading digits; both ends have the same number of digits. */
  prefixes: readonly (readonly [number, number])[];
  lengths: readonly number[];
  /**
   * Whether the range is wide: a tenth or more of all numbers of its lengths fall in it (Maestro's
   * "6", UATP's "1"), so that prefix and Luhn together say less than a network's own range.
   */
  wide?: boolean;
}

const ALL_LENGTHS = [12, 13, 14, 15, 16, 17, 18, 19];

// Issuer identification ranges as the networks publish them. The first that fits names the
// number, so narrow ranges come before the wide ones that contain them.
const ISSUERS: readonly Issuer[] = [
  { name: 'Visa', prefixes: [[4, 4]], lengths: [13, 16, 19] },
  {
    name: 'Mastercard',
    prefixes: [
      [51, 55],
      [2221, 2720],
    ],
    lengths: [16],
  },
  {
    name: 'American Express',
    prefixes: [
      [34, 34],
      [37, 37],
    ],
    lengths: [15],
  },
  {
    name: 'Discover',
    prefixes: [
      [6011, 6011],
      [644, 649],
      [65, 65],
      [622126, 622925],
    ],
    lengths: [16, 17, 18, 19],
  },
  { name: 'JCB', prefixes: [[3528, 3589]], lengths: [16, 17, 18, 19] },
  {
    name: 'JCB',
    prefixes: [
      [1800, 1800],
      [2131, 2131],
    ],
    lengths: [15],
  },
  {
    name: 'Diners Club',
    prefixes: [
      [300, 305],
      [3095, 3095],
      [36, 36],
      [38, 39],
    ],
    lengths: [14, 15, 16, 17, 18, 19],
  },
  { name: 'Mir', prefixes: [[2200, 2204]], lengths: [16, 17, 18, 19] },
  { name: 'Troy', prefixes: [[9792, 9792]], lengths: [16] },
  { name: 'UnionPay', prefixes: [[62, 62]], lengths: [16, 17, 18, 19] },
  // Elo, Hipercard and Verve ranges lie inside Maestro's and RuPay's; named for the record.
  {
    name: 'Elo',
    prefixes: [
      [401178, 401179],
      [431274, 431274],
      [438935, 438935],
      [451416, 451416],
      [457393, 457393],
      [504175, 504175],
      [506699, 506778],
      [509000, 509999],
      [627780, 627780],
      [636297, 636297],
      [636368, 636368],
      [650031, 650033],
      [650035, 650051],
      [650405, 650439],
      [650485, 650538],
      [650541, 650598],
      [650700, 650718],
      [650720, 650727],
      [650901, 650978],
      [651652, 651679],
      [655000, 655019],
      [655021, 655058],
    ],
    lengths: [16],
  },
  {
    name: 'Hipercard',
    prefixes: [
      [606282, 606282],
      [3841, 3841],
    ],
    lengths: [13, 16, 19],
  },
  {
    name: 'Verve',
    prefixes: [
      [506099, 506198],
      [650002, 650027],
    ],
    lengths: [16, 18, 19],
  },
  {
    name: 'RuPay',
    prefixes: [
      [60, 60],
      [65, 65],
      [81, 82],
      [508, 508],
      [353, 353],
      [356, 356],
    ],
    lengths: [16],
    wide: true,
  },
  { name: 'UATP', prefixes: [[1, 1]], lengths: [15], wide: true },
  {
    name: 'Maestro',
    prefixes: [
      [50, 50],
      [56, 58],
      [6, 6],
    ],
    lengths: ALL_LENGTHS,
    wide: true,
  },
];

// Digits in groups with one kind of separator between them ("4111 1111 1111 1111",
// "3782-822463-10005", "625020 1335955999570", "4111111111111111"): a first group of three or
// more, then up to six groups, only the last of which may be a single digit.
const CANDIDATE = /(?<![\d.,+])\d{3,19}(?:([ \u00A0-])\d{1,19}(?:\1\d{1,19}){0,5})?(?![\d]|[.,]\d)/g;
// How card numbers are printed: 4-4-4-4 (and a last group of 1 to 4), 4-6-5 and 4-6-4.
const CARD_LAYOUT = /^(?:4-4-4(?:-[1-4]){1,2}|4-6-[45]|4-4-4-4-3|6-1[0-3])$/;

/** The Luhn (mod 10) check every card number carries in its last digit. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The GS1 check digit of a bar code number (EAN-13, UPC-A, GTIN-14): a product, not a card. */
function passesGtin(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) sum += (digits.charCodeAt(i) - 48) * weight;
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}

function issuerOf(digits: string): Issuer | undefined {
  for (const issuer of ISSUERS) {
    if (!issuer.lengths.includes(digits.length)) continue;
    for (const [low, high] of issuer.prefixes) {
      const prefix = Number(digits.slice(0, String(low).length));
      if (prefix >= low && prefix <= high) return issuer;
    }
  }
  return undefined;
}

/** The network that issues card numbers of this shape, if any. */
export function cardIssuer(digits: string): string | undefined {
  return issuerOf(digits)?.name;
}

export function isCardNumber(digits: string): boolean {
  return /^\d{12,19}$/.test(digits) && cardIssuer(digits) !== undefined && passesLuhn(digits);
}

/** "4-4-4-4" for "4111 1111 1111 1111". */
const layoutOf = (groups: readonly string[]): string => groups.map((group) => group.length).join('-');

/**
 * The score of a card number written as `groups`, or undefined. A network's range and Luhn
 * make a card; a wide range (Maestro's "6", UATP's "1") or none at all needs the text to say
 * it is a card, since one number in ten passes Luhn by chance.
 */
function scoreCard(groups: readonly string[], cue: 'card' | 'payment' | 'none', negative: boolean): number | undefined {
  const digits = groups.join('');
  if (digits.length < 12 || digits.length > 19 || !passesLuhn(digits)) return undefined;
  const issuer = issuerOf(digits);
  const printed = CARD_LAYOUT.test(layoutOf(groups));
  const bare = groups.length === 1;
  // A bar code (EAN-13, UPC-A, GTIN-14) is a product, unless the text says card.
  if (bare && cue !== 'card' && digits.length <= 14 && passesGtin(digits)) return undefined;
  if (negative && (issuer === undefined || issuer.wide || !printed)) return undefined;
  if (issuer === undefined) return cue === 'card' ? 0.45 : undefined;
  const base = issuer.wide ? (printed ? 0.6 : 0.45) : bare ? 0.75 : 0.9;
  if (cue === 'card') return raise(Math.max(base, 0.75), 0.1);
  if (cue === 'payment') return raise(base, 0.1);
  return base;
}

export function findCreditCards(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const separator = match[1];
    let groups = separator === undefined ? [match[0]] : match[0].split(separator);
    let total = match[0].length - groups.length + 1;
    if (total < 12) continue;
    let end = start + match[0].length;
    // "DE89 3704 0044 ...", "1Z 999 AA1 ...", "12 3456 ...": the rest of an IBAN, a code or a number.
    if (isGlued(text, start, end) || continuesCode(text, start) || /\d[ \u00A0-]$/.test(text.slice(Math.max(0, start - 2), start))) continue;
    if (groups.slice(0, -1).some((group) => group.length === 1)) continue;

    const words = cardContext(text, start, end);
    if (words.cue === 'none' && isLabelledAsAccountOrReference(text, start)) continue;
    let score = total <= 19 ? scoreCard(groups, words.cue, words.negative) : undefined;
    // "4111 1111 1111 1111 12/27", "... 123": a card printed as cards are, then an expiry or a code.
    while (score === undefined && groups.length > 2) {
      const last = groups[groups.length - 1]!;
      groups = groups.slice(0, -1);
      total -= last.length;
      end -= last.length + 1;
      if (total < 12) break;
      if (!CARD_LAYOUT.test(layoutOf(groups))) continue;
      const trimmed = scoreCard(groups, words.cue, words.negative);
      if (trimmed !== undefined && issuerOf(groups.join(''))?.wide !== true) score = trimmed;
    }
    if (score === undefined) continue;
    spans.push({ type: 'CREDIT_CARD', start, end, score });
  }
  return spans;
}

/** What the words around a candidate say: a card, a payment, or another kind of card or number. */
function cardContext(text: string, start: number, end: number): { cue: 'card' | 'payment' | 'none'; negative: boolean } {
  const before = text.slice(Math.max(0, start - 40), start);
  const after = text.slice(end, end + 24);
  const negative = NOT_A_PAYMENT_CARD.test(before) || OTHER_CARD_NUMBER_CONTEXT.test(before.slice(-30));
  if (!negative && (CARD_CUE.test(before) || CARD_CUE.test(after))) return { cue: 'card', negative };
  if (PAYMENT_CUE.test(before) || PAYMENT_CUE.test(after)) return { cue: 'payment', negative };
  return { cue: 'none', negative };
}

export const creditCardDetector: Detector = {
  type: 'CREDIT_CARD',
  mayContain: (text) => /\d{3}/.test(text),
  find: (text) => findCreditCards(text),
};
