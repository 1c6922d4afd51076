import { wordAlternatives } from './context.js';
import { creditCardDetector } from './credit-card.js';
import { dateOfBirthDetector } from './date-of-birth.js';
import { detectorTypes } from './detector-types.js';
import { emailDetector } from './email.js';
import { ibanDetector } from './iban.js';
import { ipAddressDetector } from './ip-address.js';
import { macAddressDetector } from './mac-address.js';
import { esDniDetector } from './national-id/es-dni.js';
import { frNirDetector } from './national-id/fr-nir.js';
import { itCfDetector } from './national-id/it-cf.js';
import { nlBsnDetector } from './national-id/nl-bsn.js';
import { ukNinoDetector } from './national-id/uk-nino.js';
import { usSsnDetector } from './national-id/us-ssn.js';
import { personDetector } from './person/person.js';
import { DEFAULT_PHONE_REGIONS, phoneDetector } from './phone.js';
import { streetAddressDetector } from './street-address.js';
import type { DenyEntry, DetectOptions, DetectPurpose, Detector, DetectorContext, DetectorType, PiiType, Span } from './types.js';
import { urlDetector } from './url.js';

export type { DenyEntry, DetectOptions, DetectPurpose, DetectorType, PiiType, Span } from './types.js';
export { detectorTypes } from './detector-types.js';

const DETECTOR_OF: { readonly [T in DetectorType]: Detector } = {
  EMAIL: emailDetector,
  URL: urlDetector,
  PHONE: phoneDetector,
  IBAN: ibanDetector,
  CREDIT_CARD: creditCardDetector,
  IP_ADDRESS: ipAddressDetector,
  MAC_ADDRESS: macAddressDetector,
  DATE_OF_BIRTH: dateOfBirthDetector,
  UK_NINO: ukNinoDetector,
  ES_DNI: esDniDetector,
  FR_NIR: frNirDetector,
  IT_CF: itCfDetector,
  NL_BSN: nlBsnDetector,
  US_SSN: usSsnDetector,
  PERSON: personDetector,
  STREET_ADDRESS: streetAddressDetector,
};

// In the order of detectorTypes (which lives apart from the detectors, see detector-types.ts).
const DETECTORS: readonly Detector[] = detectorTypes.map((type) => DETECTOR_OF[type]);

/**
 * The score a span needs by default, per purpose: a detector scores what it is sure of at 0.5
 * or more, and weak evidence from 0.3, which `redact` takes and `find` does not.
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<DetectPurpose, number>> = { find: 0.5, redact: 0.3 };
const DEFAULT_CONTEXT: DetectorContext = { phoneRegions: DEFAULT_PHONE_REGIONS };

/**
 * PII spans in `text`, sorted by start, without overlaps. Each detector finds candidates,
 * validates them (checksums, ranges, real TLDs) and scores them, context words raising the
 * score; spans under the threshold and allowed strings are dropped, denied strings added,
 * and of overlapping spans the longer wins, then the higher score.
 */
export function detect(text: string, options: DetectOptions = {}): Span[] {
  const purpose = options.purpose ?? 'find';
  const threshold = options.threshold ?? options.thresholds?.[purpose] ?? DEFAULT_THRESHOLDS[purpose];
  const context = options.phoneRegions ? { phoneRegions: options.phoneRegions } : DEFAULT_CONTEXT;
  const wanted = options.types;
  let spans: Span[] = [];
  for (const detector of DETECTORS) {
    if (wanted && !wanted.includes(detector.type)) continue;
    if (!detector.mayContain(text)) continue;
    for (const span of detector.find(text, context)) if (span.score >= threshold) spans.push(span);
  }
  if (options.allow?.length && spans.length > 0) {
    const allowed = allowSet(options.allow);
    spans = spans.filter((span) => !allowed.has(text.slice(span.start, span.end).trim().toLowerCase()));
  }
  if (options.deny?.length) spans.push(...denied(text, options.deny));
  return spans.length <= 1 ? spans : resolveOverlaps(spans);
}

/** Keeps the longest of overlapping spans (then the higher score, then the earlier one) and sorts by start. */
export function resolveOverlaps<T extends { start: number; end: number; score?: number }>(spans: T[]): T[] {
  const byStart = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: T[] = [];
  // Spans that do not overlap anything else are kept as they are; within each run of
  // overlapping spans (a few at most), the preferred ones are kept first. Runs are independent,
  // so this is the same as choosing over the whole list, without its quadratic cost.
  for (let first = 0; first < byStart.length; ) {
    let last = first;
    let runEnd = byStart[first]!.end;
    while (last + 1 < byStart.length && byStart[last + 1]!.start < runEnd) runEnd = Math.max(runEnd, byStart[++last]!.end);
    if (last === first) kept.push(byStart[first]!);
    else kept.push(...preferred(byStart.slice(first, last + 1)));
    first = last + 1;
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

function preferred<T extends { start: number; end: number; score?: number }>(run: T[]): T[] {
  const byPreference = run.sort((a, b) => b.end - b.start - (a.end - a.start) || (b.score ?? 0) - (a.score ?? 0) || a.start - b.start);
  const kept: T[] = [];
  for (const span of byPreference) {
    if (kept.every((other) => span.end <= other.start || span.start >= other.end)) kept.push(span);
  }
  return kept;
}

// Lists come from the data map and are reused for every row: compile each once.
const allowSets = new WeakMap<readonly string[], ReadonlySet<string>>();
const denyPatterns = new WeakMap<readonly DenyEntry[], { pattern: RegExp; typeOf: ReadonlyMap<string, PiiType> } | null>();

function allowSet(allow: readonly string[]): ReadonlySet<string> {
  let set = allowSets.get(allow);
  if (!set) {
    set = new Set(allow.map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== ''));
    allowSets.set(allow, set);
  }
  return set;
}

function denied(text: string, deny: readonly DenyEntry[]): Span[] {
  let compiled = denyPatterns.get(deny);
  if (compiled === undefined) {
    const typeOf = new Map<string, PiiType>();
    for (const entry of deny) {
      const written = (typeof entry === 'string' ? entry : entry.text).trim().replace(/\s+/gu, ' ').toLowerCase();
      if (written !== '' && !typeOf.has(written)) typeOf.set(written, typeof entry === 'string' ? 'DENY' : entry.type);
    }
    compiled =
      typeOf.size === 0 ? null : { pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${wordAlternatives([...typeOf.keys()])})(?![\\p{L}\\p{N}])`, 'giu'), typeOf };
    denyPatterns.set(deny, compiled);
  }
  if (compiled === null) return [];
  const spans: Span[] = [];
  for (const match of text.matchAll(compiled.pattern)) {
    const type = compiled.typeOf.get(match[0].replace(/\s+/gu, ' ').toLowerCase()) ?? 'DENY';
    spans.push({ type, start: match.index, end: match.index + match[0].length, score: 1 });
  }
  return spans;
}

export { normalizeEmail, toE164, looksLikeEmail, looksLikePhone } from './normalize.js';
export { DEFAULT_PHONE_REGIONS } from './phone.js';
export { isIban } from './iban.js';
export { isCardNumber, passesLuhn } from './credit-card.js';
