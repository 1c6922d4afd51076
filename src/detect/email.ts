import { hasContext, wordsPattern } from './context.js';
import { isMailTld } from './tlds.js';
import type { Detector, Span } from './types.js';

const LOCAL = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~.-]+";
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
const DOMAIN = `(?:${LABEL}\\.)+\\p{L}{2,63}`;
const WHOLE_EMAIL = new RegExp(`^${LOCAL}@${DOMAIN}$`, 'u');

// Scanning left from an "@": the characters a local part is written with in running text.
// "=", "/", "|" and the like are legal but far more often separate the address from the text.
const LOCAL_CHAR = /[\p{L}\p{N}._%+'-]/u;
const LOCAL_START = /^[^\p{L}\p{N}_]+/u;
// Labels after the "@", read stickily; the TLD is checked against the IANA list afterwards.
const DOMAIN_AFTER_AT = new RegExp(`${LABEL}(?:\\.${LABEL})*`, 'uy');
const CONTEXT = wordsPattern(['email', 'e-mail', 'mail', 'courriel', 'correo', 'adresse', 'address', 'contact', 'write to', 'écrire']);
const BASE_SCORE = 0.95;

function isPlausibleLocalPart(local: string): boolean {
  return local.length > 0 && local.length <= 64 && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

/** The longest "label.label.tld" prefix of `domain` that ends in a real TLD, or undefined. */
function domainWithRealTld(domain: string): string | undefined {
  const labels = domain.split('.');
  for (let count = labels.length; count >= 2; count--) {
    const tld = labels[count - 1]!;
    if (/^\p{L}{2,63}$/u.test(tld) && isMailTld(tld)) return labels.slice(0, count).join('.');
  }
  return undefined;
}

export function findEmails(text: string): Span[] {
  const spans: Span[] = [];
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < 128 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    // An ellipsis or leading dots belong to the sentence ("see...jane@x.com"), not to the address.
    const ellipsis = text.slice(start, at).lastIndexOf('..');
    if (ellipsis !== -1) start += ellipsis + 2;
    start += LOCAL_START.exec(text.slice(start, at))?.[0].length ?? 0;
    const local = text.slice(start, at);
    if (!isPlausibleLocalPart(local)) continue;
    DOMAIN_AFTER_AT.lastIndex = at + 1;
    const written = DOMAIN_AFTER_AT.exec(text)?.[0];
    if (written === undefined) continue;
    const domain = domainWithRealTld(written);
    if (domain === undefined) continue;
    const end = at + 1 + domain.length;
    if (end - start > 254) continue;
    spans.push({ type: 'EMAIL', start, end, score: hasContext(text, start, end, CONTEXT) ? 1 : BASE_SCORE });
  }
  return spans;
}

/** Whether the whole value is written as an e-mail address (used to type identifiers, so no TLD check). */
export function isEmail(value: string): boolean {
  const candidate = value.trim();
  if (!WHOLE_EMAIL.test(candidate) || candidate.length > 254) return false;
  return isPlausibleLocalPart(candidate.slice(0, candidate.lastIndexOf('@')));
}

export const emailDetector: Detector = {
  type: 'EMAIL',
  mayContain: (text) => text.includes('@'),
  find: (text) => findEmails(text),
};
