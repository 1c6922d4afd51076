import type { ColumnShape } from '../masking/types.js';

/** What lethe needs to know of a live column; structurally a superset of masking's ColumnShape. */
export interface ColumnInfo extends ColumnShape {
  /** The type as the database declares it, e.g. "varchar(255)". */
  declaredType: string;
  hasDefault: boolean;
}

/** What the database does to referencing rows when a referenced row is deleted. */
export type DeleteRule = 'cascade' | 'set null' | 'set default' | 'restrict' | 'no action';

export interface ForeignKeyInfo {
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: DeleteRule;
}

/** An index (or the primary key): the columns it orders by, first column first. */
export interface IndexInfo {
  columns: string[];
  unique: boolean;
}

export interface TableInfo {
  name: string;
  columns: Map<string, ColumnInfo>;
  primaryKey: string[];
  foreignKeys: ForeignKeyInfo[];
  /** Full (not partial) indexes on plain columns, the primary key's included. */
  indexes: IndexInfo[];
}

/** The live schema of the tables lethe was asked about. */
export type SchemaSnapshot = Map<string, TableInfo>;

/** Maps a declared SQL type to the broad type strategies reason about. */
export function broadType(declared: string): { type: ColumnShape['type']; maxLength?: number } {
  const lower = declared.toLowerCase().trim();
  const length = /\((\d+)\)/.exec(lower)?.[1];
  const maxLength = length === undefined ? undefined : Number(length);
  if (/^(tinyint\(1\)|bool|boolean)/.test(lower)) return { type: 'boolean' };
  // int, integer, bigint, int8, "unsigned big int", serial; not interval or point.
  if (/(^|[^a-z])(tiny|small|medium|big)?int(eger|\d)?([^a-z]|$)|serial/.test(lower)) return { type: 'integer' };
  if (/char|text|clob|string|uuid|json|enum|inet|citext/.test(lower)) {
    return maxLength === undefined ? { type: 'text' } : { type: 'text', maxLength };
  }
  if (/timestamp|datetime/.test(lower)) return { type: 'datetime' };
  if (/^date/.test(lower)) return { type: 'date' };
  if (/real|floa|doub|num|dec|money/.test(lower)) return { type: 'number' };
  if (/blob|bytea|binary/.test(lower)) return { type: 'binary' };
  // SQLite's type affinity: a column declared with no type holds anything.
  return lower === '' ? { type: 'text' } : { type: 'other' };
}

/** Reads a referential action as the catalogs spell it (CASCADE, SET NULL, NO_ACTION, ...). */
export function deleteRule(text: string | null | undefined): DeleteRule {
  const normalized = (text ?? '').toLowerCase().replaceAll('_', ' ').trim();
  if (normalized === 'cascade' || normalized === 'set null' || normalized === 'set default' || normalized === 'restrict') return normalized;
  return 'no action';
}

/** An index whose first column is `column` exists: lookups by it do not scan the table. */
export function hasIndexLeadingWith(table: TableInfo, column: string): boolean {
  return table.indexes.some((index) => index.columns[0] === column);
}

/**
 * The declared type when it reads like text but takes only its own syntax (PostgreSQL's uuid,
 * inet, json...): placeholders and templates are refused there.
 */
export function strictTextType(declared: string): string | undefined {
  return /^(uuid|inet|cidr|macaddr8?|jsonb?|xml|tsvector)\b/i.exec(declared.trim())?.[1]?.toLowerCase();
}
