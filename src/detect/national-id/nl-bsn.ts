import { hasContext, isLabelledAsReference, wordsPattern } from '../context.js';
import type { Detector, Span } from '../types.js';

// Nine digits, bare or as 1234.56.789 / 123 456 789.
const BSN = /(?<![\p{L}\p{N}.,\-\/])(?:\d{9}|\d{4}\.\d\d\.\d{3}|\d{3} \d{3} \d{3})(?![\p{L}\p{N}]|[.,\-\/]\d)/gu;
const CONTEXT = wordsPattern([
  'bsn',
  'burgerservicenummer',
  'burgerservice nummer',
  'sofinummer',
  'sofi-nummer',
  'sofi',
  'citizen service number',
  'persoonsnummer',
]);

/** The "11-test": 9·d1 + 8·d2 + ... + 2·d8 − d9 is a multiple of 11 (and not 0). */
export function passesElevenTest(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (digits.charCodeAt(i) - 48);
  sum -= digits.charCodeAt(8) - 48;
  return sum !== 0 && sum % 11 === 0;
}

export function findNlBsns(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(BSN)) {
    const written = match[0];
    if (!passesElevenTest(written.replace(/[ .]/g, ''))) continue;
    const start = match.index;
    const end = start + written.length;
    const saysBsn = hasContext(text, start, end, CONTEXT, 50);
    if (!saysBsn && isLabelledAsReference(text, start)) continue;
    // One in eleven nine-digit numbers passes the test, so the number alone is weak evidence.
    const base = written.includes('.') ? 0.6 : 0.35;
    spans.push({ type: 'NL_BSN', start, end, score: saysBsn ? 0.95 : base });
  }
  return spans;
}

export const nlBsnDetector: Detector = {
  type: 'NL_BSN',
  mayContain: (text) => /\d{3}/.test(text),
  find: (text) => findNlBsns(text),
};
