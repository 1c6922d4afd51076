import type { Span } from './index.js';

// The local part allows what RFC 5322 allows outside quotes; the domain needs at least one dot
// and a 2+ letter TLD, and never takes a sentence's final dot.
const LOCAL = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~.-]+";
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
const DOMAIN = `(?:${LABEL}\\.)+\\p{L}{2,63}`;
const EMAIL_IN_TEXT = new RegExp(`${LOCAL}@${DOMAIN}(?![\\p{L}\\p{N}-]|\\.[\\p{L}\\p{N}])`, 'gu');
const WHOLE_EMAIL = new RegExp(`^${LOCAL}@${DOMAIN}$`, 'u');

function isPlausibleLocalPart(local: string): boolean {
  return local.length > 0 && local.length <= 64 && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

export function findEmails(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(EMAIL_IN_TEXT)) {
    // An ellipsis or leading dots belong to the sentence ("see...jane@x.com"), not to the address.
    const sentencePart = /^(?:.*\.{2,}|\.+)/u.exec(match[0].slice(0, match[0].lastIndexOf('@')))?.[0].length ?? 0;
    const start = match.index + sentencePart;
    const address = match[0].slice(sentencePart);
    const local = address.slice(0, address.lastIndexOf('@'));
    if (!isPlausibleLocalPart(local) || address.length > 254) continue;
    spans.push({ type: 'EMAIL', start, end: start + address.length, score: 1 });
  }
  return spans;
}

export function isEmail(value: string): boolean {
  const candidate = value.trim();
  if (!WHOLE_EMAIL.test(candidate) || candidate.length > 254) return false;
  return isPlausibleLocalPart(candidate.slice(0, candidate.lastIndexOf('@')));
}
