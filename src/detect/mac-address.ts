import { hasContext, raise, wordsPattern } from './context.js';
import type { Detector, Span } from './types.js';

// Six hex pairs with one kind of separator ("00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e"), or
// Cisco's three dotted quads ("001a.2b3c.4d5e").
const MAC =
  /(?<![\p{L}\p{N}_:.-])(?:[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\p{L}\p{N}_]|[:.-][0-9A-Fa-f])/gu;
const CONTEXT = wordsPattern([
  'mac',
  'mac address',
  'adresse mac',
  'mac-adresse',
  'dirección mac',
  'indirizzo mac',
  'mac-adres',
  'hardware',
  'device',
  'wifi',
  'wi-fi',
  'ethernet',
  'bssid',
]);

export function findMacAddresses(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(MAC)) {
    const written = match[0];
    const start = match.index;
    const end = start + written.length;
    const hex = written.replace(/[:.-]/g, '');
    if (/^0+$|^f+$/i.test(hex)) continue;
    // Without a hex letter, "12-34-56-78-90-12" is as likely some other grouped number.
    const hasHexLetter = /[a-f]/i.test(hex);
    const dotted = written.includes('.');
    const base = hasHexLetter ? (dotted ? 0.7 : 0.9) : 0.45;
    spans.push({ type: 'MAC_ADDRESS', start, end, score: hasContext(text, start, end, CONTEXT, 30) ? raise(base, 0.3) : base });
  }
  return spans;
}

export const macAddressDetector: Detector = {
  type: 'MAC_ADDRESS',
  mayContain: (text) => /[0-9A-Fa-f]{2}[:.-][0-9A-Fa-f]{2}/.test(text),
  find: (text) => findMacAddresses(text),
};
