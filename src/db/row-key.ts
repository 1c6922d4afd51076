import type { Knex } from 'knex';
import type { ColumnInfo, TableInfo } from './schema-snapshot.js';

/**
 * A row's key: the value of its primary-key column, or, for a table keyed by several columns
 * (`primaryKey: [playlist_id, track_id]`), the tuple of their values in the map's order.
 * Everything that addresses rows by key (find, export, anonymize, the sweep's batches and its
 * resume record, audit digests) goes through this module, so one and several columns are the
 * same to every job.
 */
export type KeyPart = string | number;
export type RowKey = KeyPart | KeyPart[];

/** The key of `row` under the key columns `columns` (one column: its value, not a tuple). */
export function keyOf(columns: readonly string[], row: Record<string, unknown>): RowKey {
  return columns.length === 1 ? (row[columns[0]!] as KeyPart) : columns.map((c) => row[c] as KeyPart);
}

/** A key as text that tells keys apart, for sets and maps (never shown as it is to anyone). */
export function keyText(key: RowKey): string {
  // A Date as String() drops its milliseconds: two rows a millisecond apart would be one.
  return Array.isArray(key) ? JSON.stringify(key) : (key as unknown) instanceof Date ? (key as unknown as Date).toISOString() : String(key);
}

/** A key for people to read: `42`, or `(7, 3)` for a key of several columns. */
export function showKey(key: RowKey): string {
  return Array.isArray(key) ? `(${key.map(String).join(', ')})` : String(key);
}

/** The key as the map writes it: the column, or the list of columns of a key of several. */
export function keyName(columns: readonly string[]): string | string[] {
  return columns.length === 1 ? columns[0]! : [...columns];
}

/** `users.id = 42`, or `playlist_track (playlist_id, track_id) = (7, 3)`: a row named by its key, for people to read. */
export function describeRow(table: string, columns: readonly string[], key: RowKey): string {
  return columns.length === 1 ? `${table}.${columns[0]} = ${showKey(key)}` : `${table} (${columns.join(', ')}) = ${showKey(key)}`;
}

/** Key order as the database sorts numbers and, for text, a stable order (used to present rows). */
export function compareKeys(a: RowKey, b: RowKey): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const order = compareKeys(a[i]!, b[i]!);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** `columns` of `table` qualified (`t.c`) for queries that join, or as they are. */
export function qualified(columns: readonly string[], table?: string): string[] {
  return table ? columns.map((c) => `${table}.${c}`) : [...columns];
}

/** Rows whose key is one of `keys` (a chunk: callers split long lists). */
export function whereKeyIn(query: Knex.QueryBuilder, columns: readonly string[], keys: readonly RowKey[]): Knex.QueryBuilder {
  if (columns.length === 1) return whereValueIn(query, columns[0]!, keys as KeyPart[]);
  // (a, b) IN ((?, ?), ...): row values, on SQLite since 3.15, PostgreSQL and MySQL/MariaDB.
  return query.whereIn([...columns], keys as KeyPart[][]);
}

/**
 * Rows whose `column` holds one of `values` (a chunk: callers split long lists). On
 * PostgreSQL, one array parameter (`= ANY(?)`, its type taken from the column's, as an IN
 * list's parameters are): a list of a thousand parameters cost the server more to parse and
 * plan than the statement took to run (a batch of the sweep's inactive pass: a fifth of its writes).
 */
export function whereValueIn(query: Knex.QueryBuilder, column: string, values: readonly KeyPart[]): Knex.QueryBuilder {
  const dialect = (query as unknown as { client?: { dialect?: string } }).client?.dialect;
  if (dialect === 'postgresql' && values.length > 1) return query.whereRaw('?? = ANY(?)', [column, [...values] as Knex.Value]);
  return query.whereIn(column, values as KeyPart[]);
}

/** Rows whose key is `key`. */
export function whereKey(query: Knex.QueryBuilder, columns: readonly string[], key: RowKey): Knex.QueryBuilder {
  const parts = tuple(columns, key);
  for (const [i, column] of columns.entries()) query.where(column, parts[i]!);
  return query;
}

/**
 * Rows after `after` (`>`) or up to `last` (`<=`) in key order. A key of several columns
 * compares column by column, written as `a > ? OR (a = ? AND b > ?)`, which every database's
 * planner turns into index ranges (MariaDB does not for a row-value comparison).
 */
export function whereKeyBeyond(query: Knex.QueryBuilder, columns: readonly string[], bound: RowKey, op: '>' | '<='): Knex.QueryBuilder {
  if (columns.length === 1) return query.where(columns[0]!, op, bound as KeyPart);
  const parts = tuple(columns, bound);
  const strict = op === '>' ? '>' : '<';
  return query.where((outer) => {
    for (let i = 0; i < columns.length; i++) {
      const last = i === columns.length - 1;
      outer.orWhere((inner) => {
        for (let j = 0; j < i; j++) inner.where(columns[j]!, parts[j]!);
        inner.where(columns[i]!, last ? op : strict, parts[i]!);
      });
    }
  });
}

/** `query` in key order. */
export function orderByKey(query: Knex.QueryBuilder, columns: readonly string[], direction: 'asc' | 'desc' = 'asc'): Knex.QueryBuilder {
  for (const column of columns) query.orderBy(column, direction);
  return query;
}

/** The key's values, one per key column; a mismatch is a defect in lethe, not in the data. */
function tuple(columns: readonly string[], key: RowKey): KeyPart[] {
  const parts = Array.isArray(key) ? key : [key];
  if (parts.length !== columns.length) throw new Error(`a key of ${parts.length} values for ${columns.length} key columns`);
  return parts;
}

/** The live columns of a mapped table's key, in the key's order (check has made sure they exist). */
export function keyColumnsOf(live: TableInfo, table: { keyColumns: readonly string[] }): ColumnInfo[] {
  return table.keyColumns.map((name) => live.columns.get(name)!);
}
