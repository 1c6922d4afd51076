import type { DetectOptions } from '../detect/index.js';
import type { StrategyKind } from './registry.js';

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

export type { StrategyKind, StrategySpec } from './registry.js';
export type { AfterFileSpec } from './delete-file.js';
