import type { DetectOptions, DetectorType } from '../detect/index.js';

/** What a strategy needs to know of the column it writes (a subset of db's ColumnInfo). */
export interface ColumnShape {
  name: string;
  /** Broad type: text | integer | number | boolean | date | datetime | binary | other. */
  type: 'text' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'binary' | 'other';
  /** Maximum length in characters for bounded text columns (VARCHAR(n)); undefined when unbounded. */
  maxLength?: number;
  nullable: boolean;
  unique: boolean;
}

/** The person being anonymized, as far as free-text redaction needs to know them. */
export interface SubjectTraits {
  /** Raw values of the person's identifiers (e-mail, phone, customer number...). */
  identifiers: string[];
  /** The person's name(s) as stored, e.g. "Jane Doe". */
  names: string[];
}

export interface MaskingContext {
  table: string;
  column: ColumnShape;
  /** The row as read before any change: strategies such as template read other columns. */
  row: Readonly<Record<string, unknown>>;
  /** secrets.key of the data map, when set. Required by `hash`; makes `random` reproducible nowhere (it stays random). */
  key?: string;
  subject?: SubjectTraits;
  /** The map's detection settings (allow and deny lists, threshold, phone regions); a column's own redact options win. */
  detection?: DetectOptions;
}

export interface MaskingStrategy {
  readonly kind: StrategyKind;
  /** The new value for the column. Must never return the input unchanged for a non-empty personal value unless it has nothing personal (e.g. redact of text with no PII). */
  apply(value: unknown, ctx: MaskingContext): unknown;
  /** A short human description for plans: `template "User #{id}"`, `hash (HMAC-SHA256, 16 chars)`. */
  describe(): string;
  /** True when the result still lets someone holding the key link records (hash): pseudonymisation, not anonymisation. */
  readonly pseudonymous: boolean;
}

export type StrategyKind =
  | 'null'
  | 'empty'
  | 'value'
  | 'template'
  | 'random'
  | 'hash'
  | 'mask'
  | 'generalize'
  | 'redact'
  | 'delete-file';

/** What a `delete-file` column holds once its file is deleted. */
export type AfterFileSpec = { kind: 'null' } | { kind: 'empty' } | { kind: 'value'; value: string | number | boolean } | { kind: 'template'; template: string };

export type StrategySpec =
  /** Deletes the file the column names (in the storage root `storage`), after the commit; the column becomes `then`. */
  | { kind: 'delete-file'; storage: string; then: AfterFileSpec }
  | { kind: 'null' }
  | { kind: 'empty' }
  | { kind: 'value'; value: string | number | boolean }
  | { kind: 'template'; template: string }
  | { kind: 'random' }
  | { kind: 'hash'; length?: number }
  | { kind: 'mask'; keepFirst: number; keepLast: number; char: string }
  | { kind: 'generalize'; to: 'year' | 'month' | 'decade' }
  | { kind: 'generalize'; bucket: number }
  /** placeholders: false writes "[REDACTED]" for every span instead of "[EMAIL]", "[PHONE]", "[NAME]", "[ID]". */
  | {
      kind: 'redact';
      placeholders?: boolean;
      /** Only these kinds of PII (all detector types by default). */
      types?: DetectorType[];
      threshold?: number;
      /** placeholder: `[EMAIL]`; mask: keep the shape, hide the characters (`xxxx@xxxxxxx.xxx`). */
      style?: 'placeholder' | 'mask';
    };
