import { hasContext, isLabelledAsReference, raise, wordsPattern } from '../context.js';
import type { Detector, Span } from '../types.js';

const SSN = /(?<![\p{L}\p{N}.,\-\/])(\d{3})([- ]?)(\d\d)\2(\d{4})(?![\p{L}\p{N}]|[.,\-\/]\d)/gu;
const CONTEXT = wordsPattern(['ssn', 'ss#', 'ss #', 'social security', 'social security number', 'social', 'taxpayer', 'tin', 'itin']);
// Numbers the SSA published in advertising or never issued.
const NEVER_VALID = new Set(['078051120', '219099999']);

/** Area 001-899 except 666, group 01-99, serial 0001-9999: the SSA's rules since 2011. */
export function isUsSsn(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || NEVER_VALID.has(digits)) return false;
  const area = Number(digits.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

export function findUsSsns(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(SSN)) {
    const [written, area, separator, group, serial] = match;
    if (!isUsSsn(`${area}${group}${serial}`)) continue;
    const start = match.index;
    const end = start + written.length;
    const saysSsn = hasContext(text, start, end, CONTEXT, 40);
    if (!saysSsn && isLabelledAsReference(text, start)) continue;
    // "123-45-6789" is the SSN's own shape; nine bare digits could be anything.
    const base = separator === '-' ? 0.6 : separator === ' ' ? 0.45 : 0.25;
    spans.push({ type: 'US_SSN', start, end, score: saysSsn ? raise(base, 0.35) : base });
  }
  return spans;
}

export const usSsnDetector: Detector = {
  type: 'US_SSN',
  mayContain: (text) => /\d{3}/.test(text),
  find: (text) => findUsSsns(text),
};
