import type { Knex } from 'knex';
import type { DatabaseClient } from '../database-clients.js';
import type { RowKey } from './row-key.js';
import type { ColumnInfo, SchemaSnapshot } from './schema-snapshot.js';

/** A row to rewrite: its primary key and the new values of some columns. */
export interface KeyedUpdate {
  key: RowKey;
  values: Record<string, unknown>;
}

/** A primary-key value as the driver returns it (a tuple for a key of several columns). */
export type RowKeyValue = RowKey;

/** What `updateKeysetBatch` writes: see there. */
export interface KeysetBatch {
  /** The table, for messages. */
  table: string;
  /** The rows still to change, built on the caller's transaction; a new builder per call. */
  pending: () => Knex.QueryBuilder;
  /** Every row of the table, on the caller's transaction; a new builder per call. */
  rows: () => Knex.QueryBuilder;
  keyColumns: string[];
  after: RowKeyValue | undefined;
  limit: number;
  values: Record<string, unknown>;
  /**
   * Many rows are due (the task does not read them through a timestamp index): the batch
   * spans the next `limit` rows of the table, due or not, and writes the due ones among them,
   * so that no pass reads the due rows before the write. Asked only of dialects whose writes
   * hand back their keys (writeReturning); the others ignore it.
   */
  spanRows?: boolean;
}

/** What a keyset batch wrote: see `updateKeysetBatch`. */
export interface KeysetBatchResult {
  /** Where the batch ended: the next batch starts after this key. */
  last: RowKeyValue;
  /** Exactly the keys the batch changed, in primary-key order. */
  changed: RowKeyValue[];
  /** A batch that spanned rows of the table (spanRows): how many (its limit, or 0 for the table's last rows). */
  spanned?: number;
  /** The batch took the table's last rows: nothing is left after it. */
  final?: boolean;
}

/** Times from `notBefore` (when given) up to, not including, `before`. */
export interface TimeWindow {
  before: Date;
  notBefore?: Date;
}

/** A job lock held on the database (e.g. one sweep at a time); release it on every exit path. */
export interface JobLock {
  release(): Promise<void>;
}

export interface AfterChangeOptions {
  /** --vacuum: reclaim old row versions now where the database keeps them (PostgreSQL VACUUM). */
  vacuum?: boolean;
}

/**
 * Everything that differs between the databases lethe speaks to lives behind this
 * interface; the core never asks which database it is talking to.
 *
 * Table names are as written in the data map: `users`, or schema-qualified `crm.users`
 * (PostgreSQL schema, MySQL database). Identifiers keep their case (`"CustomerId"`).
 */
export interface Dialect {
  client: DatabaseClient;
  /** Knex configuration for a connection string (a file path for SQLite). Throws DatabaseError when it cannot work. */
  knexConfig(connection: string): Knex.Config;
  /** Where the data lives, for messages: host, port and database, never a password. */
  describeTarget(connection: string): string;
  /** Tables of the connected database (schema-qualified where not in the default schema). */
  listTables(knex: Knex): Promise<string[]>;
  /** The live schema of the named tables; missing tables are simply absent from the result. */
  /** Stops with InterruptedError when `signal` is aborted (SIGINT while a schema of 50,000 tables is read). */
  introspect(knex: Knex, tables: string[], signal?: AbortSignal): Promise<SchemaSnapshot>;
  /**
   * Writes values computed in JS to rows found by primary key, inside the caller's
   * transaction, in the fastest correct form for the dialect. `columns` describes every
   * column in `updates[].values` (for casts).
   */
  updateRowsByKey(trx: Knex.Transaction, table: string, keyColumns: ColumnInfo[], columns: ColumnInfo[], updates: KeyedUpdate[]): Promise<void>;
  /**
   * The first column of the rows `query` selects, in order, read without building an object
   * per row (a batch's primary keys: tens of thousands of values).
   */
  readColumn(query: Knex.QueryBuilder): Promise<unknown[]>;
  /**
   * One keyset batch of a set-based sweep, inside the caller's transaction: of the rows
   * `pending()` selects (due, not yet holding `values`), those after `after` in primary-key
   * order, up to the `limit`-th, get `values`; or, with `spanRows` where the dialect spans,
   * those among the next `limit` rows of the table. The write covers the batch's key range (one
   * index range scan rather than a lookup per key). Returns where the batch ends (undefined:
   * nothing is left) and exactly the keys it changed, in primary-key order, for the caller to
   * record before it commits; it throws rather than return keys it is not sure of.
   */
  updateKeysetBatch(trx: Knex.Transaction, batch: KeysetBatch): Promise<KeysetBatchResult | undefined>;
  /**
   * The rows `query` selects, read inside `trx` to be rewritten in it: locked against other
   * writers until the transaction ends (FOR UPDATE on the servers; on SQLite the database's
   * write lock, taken before the read, so no other process commits in between).
   */
  readForUpdate(trx: Knex.Transaction, table: string, keyColumns: string[], query: Knex.QueryBuilder): Promise<Record<string, unknown>[]>;
  /**
   * `expression` (e.g. a column) in lower case, folding every script as JavaScript's toLowerCase does (SQLite's
   * own LOWER() folds ASCII only: `Élodie` stayed `élodie`-blind), for case-insensitive
   * prefilters whose candidates lethe then confirms in JS.
   */
  lowerCase(knex: Knex, expression: Knex.Raw): Knex.Raw;
  /** A WHERE condition: `column` holds a time before `cutoff` (however the dialect stores time). */
  timeBefore(knex: Knex, column: string, cutoff: Date): Knex.Raw;
  /**
   * Where timeBefore is no range an index on `column` can serve (SQLite): a condition that is,
   * and that holds for every row in the window (timeBefore `before`, and not timeBefore
   * `notBefore`), to be ANDed to the exact tests so that they run on those rows only.
   * Absent, or undefined, where timeBefore already is such a range.
   */
  timeWindow?(knex: Knex, column: string, window: TimeWindow): Knex.Raw | undefined;
  /**
   * Runs `write` (an UPDATE or DELETE) returning the keys (`keyColumns`) of the rows it wrote,
   * in no particular order, so that a batch writes the rows below its people by their links in
   * one statement, without reading their keys first. Absent on MySQL/MariaDB, which cannot
   * (MariaDB returns from DELETE only).
   */
  writeReturning?(write: Knex.QueryBuilder, keyColumns: string[]): Promise<RowKey[]>;
  /** Takes the named job lock without waiting; undefined when another process holds it. */
  tryJobLock(knex: Knex, name: string, connection: string): Promise<JobLock | undefined>;
  /**
   * Runs after personal data was overwritten or deleted, so that old values do not survive
   * in database files. Returns notes for the receipt (what still holds old versions, what was done).
   */
  afterPersonalDataChange(knex: Knex, tables: string[], options?: AfterChangeOptions): Promise<string[]>;
}
