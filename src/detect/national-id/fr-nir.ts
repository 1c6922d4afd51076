import { hasContext, wordsPattern } from '../context.js';
import type { Detector, Span } from '../types.js';

// Sex, year, month, department (2A/2B for Corsica), commune, order number, then the key;
// usually written in those groups: "1 85 05 78 006 084 36".
const NIR = /(?<![\p{L}\p{N}])([1-478]) ?(\d\d) ?(0[1-9]|1[0-2]|[2-9]\d) ?(\d\d|2[AaBb]) ?(\d{3}) ?(\d{3}) ?(\d\d)(?![\p{L}\p{N}])/gu;
const CONTEXT = wordsPattern([
  'sécurité sociale',
  'securite sociale',
  'sécu',
  'secu',
  'nir',
  'insee',
  'carte vitale',
  'vitale',
  'nss',
  'ameli',
  'numéro de sécurité sociale',
]);

/** The two-digit key: 97 minus the 13-digit number modulo 97 (Corsica's 2A and 2B read as 19 and 18). */
export function nirKey(thirteen: string): number {
  const numeric = thirteen.toUpperCase().replace('2A', '19').replace('2B', '18');
  return 97 - (Number(numeric) % 97);
}

export function findFrNirs(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(NIR)) {
    const [written, sex, year, month, department, commune, order, key] = match;
    const corsican = /^2[AB]$/i.test(department!);
    const thirteen = `${sex}${year}${month}${corsican ? department!.slice(0, 1) + department!.slice(1).toUpperCase() : department}${commune}${order}`;
    if (nirKey(thirteen) !== Number(key)) continue;
    const start = match.index;
    const end = start + written.length;
    spans.push({ type: 'FR_NIR', start, end, score: hasContext(text, start, end, CONTEXT, 50) ? 0.98 : 0.85 });
  }
  return spans;
}

export const frNirDetector: Detector = {
  type: 'FR_NIR',
  mayContain: (text) => /\d ?(?:\d\d|2[AaBb]) ?\d{3} ?\d{3}/.test(text),
  find: (text) => findFrNirs(text),
};
