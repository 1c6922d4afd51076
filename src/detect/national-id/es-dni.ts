import { hasContext, wordsPattern } from '../context.js';
import type { Detector, Span } from '../types.js';

// DNI: eight digits (also written 12.345.678) and a control letter; NIE: X, Y or Z, seven
// digits and the letter.
const DNI = /(?<![\p{L}\p{N}.])(?:(\d{8}|\d{2}\.\d{3}\.\d{3})|([XYZxyz])[ -]?(\d{7}))[ -]?([A-Za-z])(?![\p{L}\p{N}])/gu;
const CONTROL_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const CONTEXT = wordsPattern(['dni', 'nie', 'nif', 'documento', 'documento de identidad', 'identidad', 'carnet', 'pasaporte', 'id']);

/** The control letter of a DNI or NIE number (NIE prefix X, Y, Z read as 0, 1, 2). */
export function esControlLetter(digits: string): string {
  return CONTROL_LETTERS[Number(digits) % 23]!;
}

export function findEsDnis(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(DNI)) {
    const [written, dni, niePrefix, nieDigits, letter] = match;
    const digits = dni?.replaceAll('.', '') ?? `${'XYZ'.indexOf(niePrefix!.toUpperCase())}${nieDigits}`;
    if (esControlLetter(digits) !== letter!.toUpperCase()) continue;
    const start = match.index;
    const end = start + written.length;
    spans.push({ type: 'ES_DNI', start, end, score: hasContext(text, start, end, CONTEXT) ? 0.95 : 0.75 });
  }
  return spans;
}

export const esDniDetector: Detector = {
  type: 'ES_DNI',
  mayContain: (text) => /\d{7}|\d\.\d{3}\.\d/.test(text),
  find: (text) => findEsDnis(text),
};
