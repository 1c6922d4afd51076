import { findEmails } from './email.js';
import { findPhones } from './phone.js';

export interface Span {
  type: 'EMAIL' | 'PHONE';
  /** UTF-16 offsets, as JS string indices: text.slice(start, end) is the match. */
  start: number;
  end: number;
  /** Confidence from 0 to 1. */
  score: number;
}

export interface DetectOptions {
  /** Which kinds to look for; all when omitted. */
  types?: Span['type'][];
}

const FINDERS: Record<Span['type'], (text: string) => Span[]> = {
  EMAIL: findEmails,
  PHONE: (text) => findPhones(text),
};

/** PII spans in `text`, sorted by start, without overlaps (of two overlapping spans the longer one wins). */
export function detect(text: string, options: DetectOptions = {}): Span[] {
  const types = options.types ?? (Object.keys(FINDERS) as Span['type'][]);
  return resolveOverlaps(types.flatMap((type) => FINDERS[type](text)));
}

/** Keeps the longest of overlapping spans (then the higher score, then the earlier one) and sorts by start. */
export function resolveOverlaps<T extends { start: number; end: number; score?: number }>(spans: T[]): T[] {
  const byPreference = [...spans].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || (b.score ?? 0) - (a.score ?? 0) || a.start - b.start,
  );
  const kept: T[] = [];
  for (const span of byPreference) {
    if (kept.every((other) => span.end <= other.start || span.start >= other.end)) kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}

export { normalizeEmail, toE164, looksLikeEmail, looksLikePhone } from './normalize.js';
export { DEFAULT_PHONE_REGIONS } from './phone.js';
