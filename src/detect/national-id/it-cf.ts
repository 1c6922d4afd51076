import { hasContext, wordsPattern } from '../context.js';
import type { Detector, Span } from '../types.js';

// Surname and name consonants, year, month letter, day (+40 for women), municipality code,
// check letter. Digits may be replaced by L-V where two people would share a code (omocodia).
const CF = /(?<![\p{L}\p{N}])[A-Za-z]{6}[\dLMNP-Vlmnp-v]{2}[ABCDEHLMPRSTabcdehlmprst][\dLMNP-Vlmnp-v]{2}[A-Za-z][\dLMNP-Vlmnp-v]{3}[A-Za-z](?![\p{L}\p{N}])/gu;
// Values of the characters in odd positions (1st, 3rd, ...), digits and letters alike.
const ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const CONTEXT = wordsPattern(['codice fiscale', 'cod. fiscale', 'cod fisc', 'cf', 'c.f.', 'c.f', 'tessera sanitaria', 'fiscal code', 'tax code']);

function charValue(char: number): number {
  return char <= 57 ? char - 48 : char - 65;
}

/** The check letter of the first fifteen characters of a codice fiscale. */
export function cfCheckLetter(fifteen: string): string {
  const upper = fifteen.toUpperCase();
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const value = charValue(upper.charCodeAt(i));
    sum += i % 2 === 0 ? ODD[value]! : value;
  }
  return String.fromCharCode(65 + (sum % 26));
}

export function findItCfs(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(CF)) {
    const written = match[0];
    if (written !== written.toUpperCase() && written !== written.toLowerCase()) continue;
    if (cfCheckLetter(written) !== written[15]!.toUpperCase()) continue;
    const start = match.index;
    const end = start + written.length;
    spans.push({ type: 'IT_CF', start, end, score: hasContext(text, start, end, CONTEXT) ? 0.98 : 0.9 });
  }
  return spans;
}

export const itCfDetector: Detector = {
  type: 'IT_CF',
  // The year's last digit and the month letter: rarely replaced by omocodia, cheap to scan for.
  mayContain: (text) => /\d[A-EHLMPR-Ta-ehlmpr-t][\dLMNP-Vlmnp-v]/.test(text),
  find: (text) => findItCfs(text),
};
