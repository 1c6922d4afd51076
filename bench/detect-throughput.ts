import { detect } from '../src/detect/index.js';

/** Chat-like lines, most without PII, some with: roughly what a sweep's redact reads. */
const LINES = [
  'Hi, my parcel for order ORD-2024-004512 still has not arrived, can you check?',
  'Thanks for waiting. It left our Leeds depot on 2024-05-01 and should reach you by Friday.',
  'The kettle was 49.99 EUR, I would like a refund please.',
  'You can reach me at jane.roe@example.org or on +44 161 496 0321.',
  'OK, that is all, thanks!',
  'IBAN for the refund: DE89 3704 0044 0532 0130 00',
  'Bonjour, je m\u2019appelle Claire Martin, mon numéro est 06 12 34 56 78.',
  'Version 2.3.1 of the app crashes when I open my orders.',
  'I live at 221 Baker Street, London NW1 6XE.',
  'No, nothing else, have a nice day.',
];

/** The floor (issue 17): megabytes per second of chat-like text on one core. */
export const DETECT_FLOOR_MB_PER_S = 2;

/**
 * Megabytes per second of `detect()` as redact calls it (every detector on, purpose redact), on
 * one core, over about `megabytes` of text.
 */
export function detectThroughput(megabytes = 4): { mb_per_s: number; texts_per_s: number; floor_mb_per_s: number } {
  const texts: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < megabytes * 1_000_000; i += 1) {
    const line = `${LINES[i % LINES.length]} #${i}`;
    texts.push(line);
    bytes += Buffer.byteLength(line);
  }
  for (const text of texts.slice(0, 2000)) detect(text, { purpose: 'redact' }); // warm up the JIT (and load the lexicons)
  const started = process.hrtime.bigint();
  for (const text of texts) detect(text, { purpose: 'redact' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { mb_per_s: Number((bytes / 1e6 / seconds).toFixed(2)), texts_per_s: Math.round(texts.length / seconds), floor_mb_per_s: DETECT_FLOOR_MB_PER_S };
}
