import { hasContext, wordsPattern } from '../context.js';
import type { Detector, Span } from '../types.js';

// Two prefix letters (D, F, I, Q, U, V never; O never second), six digits, a suffix A-D;
// spaces between the pairs are common.
const NINO = /(?<![\p{L}\p{N}])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d\d) ?(\d\d) ?(\d\d) ?([A-D])(?![\p{L}\p{N}])/giu;
const NEVER_ALLOCATED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);
const CONTEXT = wordsPattern(['national insurance', 'ni number', 'ni no', 'ni', 'nino', 'nin', 'insurance number', 'hmrc', 'payroll']);

export function findUkNinos(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(NINO)) {
    const written = match[0];
    // One case throughout: "ab123456c" or "AB123456C", not a word that happens to fit.
    if (written !== written.toUpperCase() && written !== written.toLowerCase()) continue;
    if (NEVER_ALLOCATED.has(match[1]!.toUpperCase())) continue;
    const start = match.index;
    const end = start + written.length;
    spans.push({ type: 'UK_NINO', start, end, score: hasContext(text, start, end, CONTEXT) ? 0.95 : 0.7 });
  }
  return spans;
}

export const ukNinoDetector: Detector = {
  type: 'UK_NINO',
  mayContain: (text) => /[A-Za-z]{2} ?\d\d ?\d\d/.test(text),
  find: (text) => findUkNinos(text),
};
