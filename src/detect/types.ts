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

export interface DetectOptions {
  /** Which kinds to look for; every detector when omitted. The deny list is applied regardless. */
  types?: readonly PiiType[];
  /** Spans scoring below this are dropped (default 0.5). */
  threshold?: number;
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
