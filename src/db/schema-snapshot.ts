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

/** What the database does to referencing rows when a referenced row is deleted (or its key changed). */
export type DeleteRule = 'cascade' | 'set null' | 'set default' | 'restrict' | 'no action';

export interface ForeignKeyInfo {
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: DeleteRule;
  /** When the referenced value changes: cascade takes the new value along; the others refuse or unlink. */
  onUpdate: DeleteRule;
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

/** Single-column foreign keys, in any table of `schema`, that refer to `table`.`column`. */
export function foreignKeysTo(schema: SchemaSnapshot, table: string, column: string): { from: string; foreignKey: ForeignKeyInfo }[] {
  return referencesTo(schema, table)
    .filter(({ foreignKey: fk }) => fk.columns.length === 1 && fk.referencedColumns[0] === column)
    .map(({ table: other, foreignKey }) => ({ from: `${other.name}.${foreignKey.columns[0]}`, foreignKey }));
}

const referencesBySchema = new WeakMap<SchemaSnapshot, Map<string, { table: TableInfo; foreignKey: ForeignKeyInfo }[]>>();

/**
 * Every foreign key, in any table of `schema`, that refers to `table`, in schema order. Indexed
 * once per snapshot: asked for each mapped column, a scan of every table each time made a
 * check of 10,000 tables take minutes.
 */
export function referencesTo(schema: SchemaSnapshot, table: string): { table: TableInfo; foreignKey: ForeignKeyInfo }[] {
  let index = referencesBySchema.get(schema);
  if (!index) {
    index = new Map();
    for (const other of schema.values()) {
      for (const foreignKey of other.foreignKeys) {
        const list = index.get(foreignKey.referencedTable);
        if (list) list.push({ table: other, foreignKey });
        else index.set(foreignKey.referencedTable, [{ table: other, foreignKey }]);
      }
    }
    referencesBySchema.set(schema, index);
  }
  return index.get(table) ?? [];
}

/** How many other tables have a foreign key to `table` (a table of people is pointed at by many). */
export function referringTables(schema: SchemaSnapshot, table: string): number {
  return new Set(
    referencesTo(schema, table)
      .map((r) => r.table.name)
      .filter((t) => t !== table),
  ).size;
}

// One token of an SQL expression: a comment, a string literal, a quoted name, a bare word,
// `::` or any other character. String literals escape a quote as '' (standard SQL) or, in
// MariaDB/MySQL, also with a backslash.
const BACKTICK = '`';
const TOKEN_REST = String.raw`"((?:[^"]|"")*)"|${BACKTICK}((?:[^${BACKTICK}]|${BACKTICK}${BACKTICK})*)${BACKTICK}|\[([^\]]*)\]|([\p{L}_][\p{L}\p{N}_$]*)|::|\S`;
const COMMENT = String.raw`--[^\n]*|/\*[\s\S]*?\*/`;
const SQL_TOKEN = new RegExp(`${COMMENT}|'(?:[^']|'')*'|${TOKEN_REST}`, 'gu');
const SQL_TOKEN_BACKSLASH = new RegExp(String.raw`${COMMENT}|'(?:[^'\\]|''|\\.)*'|${TOKEN_REST}`, 'gu');

export interface SqlNameOptions {
  /** Quoted names match exactly (PostgreSQL); elsewhere names match whatever their case. */
  quotedExact?: boolean;
  /** Backslash escapes a quote in a string literal (MariaDB/MySQL's default). */
  backslashEscapes?: boolean;
}

/**
 * The columns an SQL expression (an index's key, a generated column's formula) refers to, as
 * `columns` spell them. Words that name a function (followed by "(") or a type (after "::"
 * or AS) are not columns; anything else that matches a column is, which errs towards more.
 */
export function columnsNamedIn(expression: string, columns: Iterable<string>, options: SqlNameOptions = {}): string[] {
  const names = [...columns];
  const found = new Set<string>();
  const tokens = [...expression.matchAll(options.backslashEscapes ? SQL_TOKEN_BACKSLASH : SQL_TOKEN)].filter((m) => !/^(--|\/\*)/.test(m[0]));
  tokens.forEach((match, i) => {
    const [, doubleQuoted, backQuoted, bracketed, bare] = match;
    const previous = tokens[i - 1]?.[0];
    if (previous === '::' || /^as$/i.test(previous ?? '')) return;
    const quoted = doubleQuoted?.replaceAll('""', '"') ?? backQuoted?.replaceAll('``', '`') ?? bracketed;
    if (quoted !== undefined) {
      for (const name of names.filter((n) => (options.quotedExact ? n === quoted : n.toLowerCase() === quoted.toLowerCase()))) found.add(name);
    } else if (bare !== undefined && tokens[i + 1]?.[0] !== '(') {
      for (const name of names.filter((n) => n.toLowerCase() === bare.toLowerCase())) found.add(name);
    }
  });
  return names.filter((n) => found.has(n));
}

/** Records a unique index that constrains one column's values (see ColumnInfo.uniqueIndex) on that column. */
export function noteUniqueIndex(
  columns: Map<string, ColumnInfo>,
  indexName: string,
  keyExpression: string,
  options: SqlNameOptions & { exclude?: string } = {},
): void {
  const named = columnsNamedIn(keyExpression, columns.keys(), options).filter((n) => n !== options.exclude);
  const column = named.length === 1 ? columns.get(named[0]!) : undefined;
  if (column && !column.unique && column.uniqueIndex === undefined) column.uniqueIndex = indexName;
}
