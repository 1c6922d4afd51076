import { hasContext, isGlued, isLabelledAsReference, raise, wordsPattern } from './context.js';
import type { Detector, Span } from './types.js';

interface Issuer {
  name: string;
  /** Inclusive ranges of the leading digits; both ends have the same number of digits. */
  prefixes: readonly (readonly [number, number])[];
  lengths: readonly number[];
}

// Issuer identification ranges as the networks publish them.
const ISSUERS: readonly Issuer[] = [
  { name: 'Visa', prefixes: [[4, 4]], lengths: [13, 16, 19] },
  { name: 'Mastercard', prefixes: [[51, 55], [2221, 2720]], lengths: [16] },
  { name: 'American Express', prefixes: [[34, 34], [37, 37]], lengths: [15] },
  { name: 'Discover', prefixes: [[6011, 6011], [644, 649], [65, 65], [622126, 622925]], lengths: [16, 17, 18, 19] },
  { name: 'JCB', prefixes: [[3528, 3589]], lengths: [16, 17, 18, 19] },
  { name: 'Diners Club', prefixes: [[300, 305], [3095, 3095], [36, 36], [38, 39]], lengths: [14, 15, 16, 17, 18, 19] },
  {
    name: 'Maestro',
    prefixes: [[5018, 5018], [5020, 5020], [5038, 5038], [5893, 5893], [6304, 6304], [6759, 6759], [6761, 6763]],
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
  { name: 'UnionPay', prefixes: [[62, 62]], lengths: [16, 17, 18, 19] },
  { name: 'Mir', prefixes: [[2200, 2204]], lengths: [16] },
];

// Digits in groups, one kind of separator: "4111 1111 1111 1111", "3782-822463-10005", "4111111111111111".
const CANDIDATE = /(?<![\d.,])\d{3,19}(?:([ \u00A0-])\d{3,6}(?:\1\d{1,6}){0,4})?(?![\d]|[.,]\d)/g;
const CONTEXT = wordsPattern([
  'card', 'credit', 'debit', 'visa', 'mastercard', 'amex', 'cc', 'cvv', 'expiry', 'exp', 'payment', 'paid with',
  'carte', 'bancaire', 'cb', 'karte', 'kreditkarte', 'kartennummer', 'tarjeta', 'crédito', 'carta', 'credito', 'kaart',
  'creditcard', 'pinpas',
]);

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

/** The network that issues card numbers of this shape, if any. */
export function cardIssuer(digits: string): string | undefined {
  for (const issuer of ISSUERS) {
    if (!issuer.lengths.includes(digits.length)) continue;
    for (const [low, high] of issuer.prefixes) {
      const prefix = Number(digits.slice(0, String(low).length));
      if (prefix >= low && prefix <= high) return issuer.name;
    }
  }
  return undefined;
}

export function isCardNumber(digits: string): boolean {
  return /^\d{12,19}$/.test(digits) && cardIssuer(digits) !== undefined && passesLuhn(digits);
}

export function findCreditCards(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const end = start + match[0].length;
    const digits = match[1] === undefined ? match[0] : match[0].replaceAll(match[1], '');
    if (digits.length < 12 || digits.length > 19 || isGlued(text, start, end) || !isCardNumber(digits)) continue;
    const saysCard = hasContext(text, start, end, CONTEXT, 40, 20);
    if (!saysCard && isLabelledAsReference(text, start)) continue;
    // A run of digits without grouping is more often some other number that happens to pass.
    const base = match[1] === undefined ? 0.75 : 0.9;
    spans.push({ type: 'CREDIT_CARD', start, end, score: saysCard ? raise(base, 0.1) : base });
  }
  return spans;
}

export const creditCardDetector: Detector = {
  type: 'CREDIT_CARD',
  mayContain: (text) => /\d{3}/.test(text),
  find: (text) => findCreditCards(text),
};
