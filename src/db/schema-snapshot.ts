import type { ColumnShape } from '../masking/types.js';

/** What lethe needs to know of a live column; structurally a superset of masking's ColumnShape. */
export interface ColumnInfo extends ColumnShape {
  /** The type as the database declares it, e.g. "varchar(255)". */
  declaredType: string;
  hasDefault: boolean;
  /**
   * When the column is not UNIQUE itself, a unique index that still makes equal values
   * collide: a partial one (`WHERE deleted_at IS NULL`), one on an expression of this column
   * alone (`lower(email)`), or one on a generated column computed from it. Its name.
   */
  uniqueIndex?: string;
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

// Skipped: string literals. Kept: "quoted", `quoted` and [quoted] identifiers, and bare words.
const SQL_TOKEN = /'(?:[^']|'')*'|"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\[([^\]]*)\]|([A-Za-z_][A-Za-z0-9_$]*)/g;

/**
 * The columns an SQL expression (an index's key, a generated column's formula) refers to, as
 * `columns` spell them: quoted names match exactly, bare ones whatever their case. Function
 * and type names match only where a column has that name, which errs towards more columns.
 */
export function columnsNamedIn(expression: string, columns: Iterable<string>): string[] {
  const names = [...columns];
  const found = new Set<string>();
  for (const match of expression.matchAll(SQL_TOKEN)) {
    const [, doubleQuoted, backQuoted, bracketed, bare] = match;
    const quoted = doubleQuoted?.replaceAll('""', '"') ?? backQuoted?.replaceAll('``', '`') ?? bracketed;
    if (quoted !== undefined) {
      if (names.includes(quoted)) found.add(quoted);
    } else if (bare !== undefined) {
      for (const name of names.filter((n) => n.toLowerCase() === bare.toLowerCase())) found.add(name);
    }
  }
  return names.filter((n) => found.has(n));
}

/** Records a unique index that constrains one column's values (see ColumnInfo.uniqueIndex) on that column. */
export function noteUniqueIndex(columns: Map<string, ColumnInfo>, indexName: string, keyExpression: string, exclude?: string): void {
  const named = columnsNamedIn(keyExpression, columns.keys()).filter((n) => n !== exclude);
  const column = named.length === 1 ? columns.get(named[0]!) : undefined;
  if (column && !column.unique && column.uniqueIndex === undefined) column.uniqueIndex = indexName;
}
