/** Every kind of personal data the detectors report, plus DENY for the caller's own deny list. */
export type PiiType =
  | 'EMAIL'
  | 'PHONE'
  | 'IBAN'
  | 'CREDIT_CARD'
  | 'IP_ADDRESS'
  | 'URL'
  | 'MAC_ADDRESS'
  | 'DATE_OF_BIRTH'
  | 'UK_NINO'
  | 'ES_DNI'
  | 'FR_NIR'
  | 'IT_CF'
  | 'NL_BSN'
  | 'US_SSN'
  | 'PERSON'
  | 'STREET_ADDRESS'
  | 'DENY';

/** The types a detector looks for (DENY is not one: it comes from the caller's list). */
export type DetectorType = Exclude<PiiType, 'DENY'>;

export interface Span {
  type: PiiType;
  /** UTF-16 offsets, as JS string indices: text.slice(start, end) is the match. */
  start: number;
  end: number;
  /** Confidence from 0 to 1: validation sets the base, context words raise it. */
  score: number;
}

/** A string that is always reported; a bare string is reported as DENY. */
export type DenyEntry = string | { text: string; type: PiiType };

/**
 * What the spans are for. `find` looks for a known person and reports what is surely personal
 * data (exactness first); `redact` anonymizes text and reports what is likely personal data
 * too (recall first: what it misses stays in the database). The two differ in their default
 * threshold (DEFAULT_THRESHOLDS); detectors score weak evidence (a number that no numbering
 * plan accepts but that follows "phone:", a capitalised word after "Dear") between the two.
 */
export type DetectPurpose = 'find' | 'redact';

export interface DetectOptions {
  /** Which kinds to look for; every detector when omitted. The deny list is applied regardless. */
  types?: readonly PiiType[];
  /** What the spans are for (default `find`); it chooses the default threshold. */
  purpose?: DetectPurpose;
  /** Spans scoring below this are dropped, whatever the purpose (default: `thresholds`). */
  threshold?: number;
  /** The threshold of each purpose (the map's detection.thresholds; default DEFAULT_THRESHOLDS). */
  thresholds?: Partial<Record<DetectPurpose, number>>;
  /** Exact strings never reported, compared case-insensitively with the whole span a detector found. */
  allow?: readonly string[];
  /**
   * Strings always reported wherever they occur as whole words (case-insensitively, any run of
   * whitespace for a space), with score 1, whatever `types`, `threshold` and `allow` say.
   */
  deny?: readonly DenyEntry[];
  /** Regions (ISO 3166 alpha-2) whose national phone formats are recognised; EU, UK and US by default. */
  phoneRegions?: readonly string[];
}

/** What each detector receives besides the text. */
export interface DetectorContext {
  phoneRegions: readonly string[];
}

export interface Detector {
  type: DetectorType;
  /** A cheap test on the whole text; when false, `find` is not called. */
  mayContain(text: string): boolean;
  find(text: string, context: DetectorContext): Span[];
}
