import { detect, looksLikeEmail, normalizeEmail, resolveOverlaps, toE164 } from '../detect/index.js';
import type { SubjectTraits } from './types.js';

/** Where a text mentions one particular person: their e-mail or phone in any written form, their full name, another identifier. */
export interface Mention {
  start: number;
  end: number;
  score: number;
  kind: 'EMAIL' | 'PHONE' | 'NAME' | 'ID';
}

const NOT_GLUED_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_GLUED_AFTER = '(?![\\p{L}\\p{N}])';
// A short number ("1", "42") as an identifier would match every such number in the text.
const TOO_SHORT = /^.{0,3}$|^\d{1,5}$/u;

/**
 * The person's mentions in someone else's text. Unlike redact, which removes all PII it
 * finds, this finds only this person: e-mails and phones the detectors find are compared
 * with theirs as normalised values (so `Jane.Doe@Example.com` and `020 7946 0958` count),
 * and their full name is matched as whole words in any case. Name parts alone are not
 * mentions: other people share first names.
 */
export function findMentions(text: string, subject: SubjectTraits): Mention[] {
  const emails = new Set(subject.identifiers.filter(looksLikeEmail).map(normalizeEmail));
  const phones = new Set(subject.identifiers.map((id) => (looksLikeEmail(id) ? undefined : toE164(id))).filter((p): p is string => p !== undefined));
  const found: Mention[] = [];
  for (const span of detect(text, { purpose: 'find' })) {
    const written = text.slice(span.start, span.end);
    if (span.type === 'EMAIL' && emails.has(normalizeEmail(written))) found.push({ ...span, kind: 'EMAIL' });
    if (span.type === 'PHONE' && phones.has(toE164(written) ?? '')) found.push({ ...span, kind: 'PHONE' });
  }
  for (const name of distinct(subject.names)) found.push(...occurrences(text, name, 'NAME'));
  for (const identifier of distinct(subject.identifiers)) {
    if (looksLikeEmail(identifier) || toE164(identifier) || TOO_SHORT.test(identifier)) continue;
    found.push(...occurrences(text, identifier, 'ID'));
  }
  return resolveOverlaps(found);
}

/** The text with the person's mentions replaced by [EMAIL], [PHONE], [NAME] or [ID]; everything else stays. */
export function redactMentions(text: string, subject: SubjectTraits): string {
  let out = text;
  for (const mention of findMentions(text, subject).reverse()) {
    out = `${out.slice(0, mention.start)}[${mention.kind}]${out.slice(mention.end)}`;
  }
  return out;
}

/**
 * Short substrings a database can look for with LIKE to find candidate rows cheaply
 * (lowercased): the e-mail, the name, the last digits of the phone. The detector then
 * confirms each candidate.
 */
export function mentionProbes(subject: SubjectTraits): string[] {
  const probes = new Set<string>();
  for (const id of subject.identifiers) {
    if (looksLikeEmail(id)) probes.add(normalizeEmail(id));
    else {
      const phone = toE164(id);
      if (phone) probes.add(phone.slice(-4));
      else if (!TOO_SHORT.test(id)) probes.add(id.trim().toLowerCase());
    }
  }
  for (const name of subject.names) if (name.trim()) probes.add(name.trim().toLowerCase());
  return [...probes];
}

function occurrences(text: string, needle: string, kind: Mention['kind']): Mention[] {
  const pattern = needle
    .split(/\s+/u)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  const regex = new RegExp(`${NOT_GLUED_BEFORE}${pattern}${NOT_GLUED_AFTER}`, 'giu');
  return [...text.matchAll(regex)].map((m) => ({ start: m.index, end: m.index + m[0].length, score: 0.9, kind }));
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];
}
