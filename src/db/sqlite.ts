import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { interruptible } from '../turn.js';
import { DatabaseError } from '../errors.js';
import { quietKnexLog } from './connection-errors.js';
import { checkWritten, groupByColumns, readThenUpdateRange, readThenUpdateSpan, spanEnd, spanRange, spanResult, utcDateText } from './batch-update.js';
import type { KeyPart } from './row-key.js';
import type { Dialect, JobLock } from './dialect.js';
import { tryLockFile } from './job-lock.js';
import { broadType, deleteRule, noteUniqueIndex, type ColumnInfo, type IndexInfo, type SchemaSnapshot, type TableInfo } from './schema-snapshot.js';

interface PragmaColumn {
  name: string;
  type: string;
  notnull: number;
  dflt_value: unknown;
  pk: number;
}
interface PragmaIndex {
  name: string;
  unique: number;
  origin: string;
  partial: number;
}
interface PragmaIndexColumn {
  name: string | null;
}
interface PragmaForeignKey {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_delete: string;
  on_update: string;
}

/** The better-sqlite3 Statement methods lethe uses. */
interface SqliteStatement {
  readonly reader: boolean;
  run(...parameters: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  all(...parameters: unknown[]): unknown[];
  pluck(): SqliteStatement;
  /** Rows as arrays. */
  raw(toggle?: boolean): SqliteStatement;
}

/** The better-sqlite3 Database methods lethe uses on the raw connection. */
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

// A ':memory:' database lives in this process only, so its job locks do too.
/** A function lethe registers on every SQLite connection: toLowerCase, for every script. */
const UNICODE_LOWER = 'lethe_lower';
/**
 * A function lethe registers on every SQLite connection: it hands each key it is called with
 * to `changedKeys` and returns NULL. A spanning batch's UPDATE calls it in one column's new
 * value (`coalesce(lethe_changed_key(id), ?)`), once per row it writes: SQLite's RETURNING,
 * which does the same, made the UPDATE twice as slow; reading the due keys first is a pass more.
 */
const CHANGED_KEY = 'lethe_changed_key';

/** While a spanning batch's UPDATE runs (synchronously, on one connection): the keys it writes, in the order written. */
let changedKeys: unknown[] | undefined;

const memoryLocks = new Set<string>();

export const sqliteDialect: Dialect = {
  client: 'sqlite',

  knexConfig(connection) {
    if (connection !== ':memory:' && !existsSync(connection)) {
      throw new DatabaseError(
        `The SQLite database ${connection} does not exist.`,
        undefined,
        'Check database.connection in the data map (relative paths are relative to the map file).',
        { code: 'connection' },
      );
    }
    return {
      client: integerBindingClient() as unknown as typeof Knex.Client,
      // A failing statement's message shows its placeholders, never the bound values (personal data, under --debug).
      compileSqlOnError: false,
      log: quietKnexLog,
      connection: { filename: connection },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        // secure_delete makes SQLite overwrite deleted and replaced content with zeros, so an
        // anonymized value does not linger in free pages or free space inside pages.
        afterCreate(
          conn: { pragma(sql: string): unknown; function(name: string, options: object, fn: (value: unknown) => unknown): unknown },
          done: (err: Error | null, conn: unknown) => void,
        ) {
          try {
            // LOWER() folds ASCII only; this folds every script (see lowerCase).
            conn.function(UNICODE_LOWER, { deterministic: true }, (value) => (typeof value === 'string' ? value.toLowerCase() : value));
            conn.function(CHANGED_KEY, { deterministic: false }, (key) => {
              changedKeys?.push(key);
              return null;
            });
            conn.pragma('secure_delete = ON');
            conn.pragma('foreign_keys = ON');
            conn.pragma('busy_timeout = 5000');
            done(null, conn);
          } catch (error) {
            done(error as Error, conn);
          }
        },
      },
    };
  },

  describeTarget(connection) {
    return `SQLite file ${connection}`;
  },

  async listTables(knex) {
    const rows: { name: string }[] = await knex.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    return rows.map((r) => r.name);
  },

  async introspect(knex, tables, signal) {
    const existing = new Set(await this.listTables(knex));
    const snapshot: SchemaSnapshot = new Map();
    // SQLite compares table names without regard to case: a foreign key may say Users for users.
    const byLowerName = new Map([...existing].map((name) => [name.toLowerCase(), name]));
    const wanted = tables.filter((table) => existing.has(table));
    const catalog = wanted.length > BULK_INTROSPECTION ? await readCatalog(knex, signal) : undefined;
    for (const [i, table] of wanted.entries()) {
      if (i % 500 === 499) await interruptible(signal, INTERRUPTED_INTROSPECTION);
      const info = await introspectTable(knex, table, catalog);
      for (const fk of info.foreignKeys) fk.referencedTable = byLowerName.get(fk.referencedTable.toLowerCase()) ?? fk.referencedTable;
      snapshot.set(table, info);
    }
    return snapshot;
  },

  async updateRowsByKey(trx, table, keyColumns, columns, updates) {
    // One prepared statement per set of columns, run once per row inside the caller's transaction:
    // SQLite has no network round trip, so this beats building large statements.
    const db = (await trx.client.acquireConnection()) as SqliteConnection;
    try {
      for (const group of groupByColumns(columns, updates)) {
        const assignments = group.columns.map((c) => `${quote(c.name)} = ?`).join(', ');
        const where = keyColumns.map((k) => `${quote(k.name)} = ?`).join(' AND ');
        const statement = prepared(db, 'run', `UPDATE ${quoteTable(table)} SET ${assignments} WHERE ${where}`);
        for (const update of group.updates) {
          statement.run(...group.columns.map((c) => toParameter(update.values[c.name], c)), ...[update.key].flat().map(asSqliteInteger));
        }
      }
    } finally {
      await trx.client.releaseConnection(db);
    }
  },

  readColumn(query) {
    // better-sqlite3's pluck() returns the values themselves.
    return onItsConnection(query, (db, sql, bindings) => prepared(db, 'pluck', sql, (statement) => statement.pluck()).all(...bindings));
  },

  async updateKeysetBatch(trx, batch) {
    // One writer at a time: no other connection commits between this transaction's read and
    // its write (in WAL mode the write would fail with SQLITE_BUSY_SNAPSHOT instead).
    const readColumn = (query: Knex.QueryBuilder) => this.readColumn(query);
    if (!batch.spanRows) return readThenUpdateRange(batch, readColumn);
    const end = await spanEnd(batch, readColumn);
    if (end === undefined) return undefined;
    // A key of several columns, or not a number (text, under the column's collation): read in
    // key order first. A number key: the UPDATE hands over the keys it writes (CHANGED_KEY).
    if (batch.keyColumns.length > 1 || typeof end.last !== 'number') return readThenUpdateSpan(batch, end, readColumn);
    const [column, value] = Object.entries(batch.values)[0]!;
    const write = spanRange(batch, end).update({
      ...batch.values,
      [column]: trx.raw(`coalesce(${CHANGED_KEY}(??), ?)`, [batch.keyColumns[0]!, value as Knex.Value]),
    });
    const { count, keys } = await onItsConnection(write, (db, sql, bindings) => {
      changedKeys = [];
      try {
        return { count: prepared(db, 'run', sql).run(...bindings).changes, keys: changedKeys as number[] };
      } finally {
        changedKeys = undefined;
      }
    });
    checkWritten(keys, count);
    // Written in key order (the range is read through the key); should the planner take
    // another index, numbers sort as SQLite sorts them. Every key of the span is a number:
    // SQLite sorts NULL before numbers and text after them, and the last key is a number.
    if (keys.some((key, i) => i > 0 && key <= keys[i - 1]!)) keys.sort((a, b) => a - b);
    return spanResult(end, keys);
  },

  writeReturning(write, keyColumns) {
    // knex's SQLite compiler drops RETURNING from a DELETE: it is added here. The keys come back
    // as values (one column) or arrays, not as an object per row: that costs as much as the write.
    const returning = `RETURNING ${keyColumns.map(quote).join(', ')}`;
    return onItsConnection(write, (db, sql, bindings) =>
      keyColumns.length === 1
        ? (prepared(db, 'pluck', `${sql} ${returning}`, (statement) => statement.pluck()).all(...bindings) as KeyPart[])
        : (prepared(db, 'raw', `${sql} ${returning}`, (statement) => statement.raw()).all(...bindings) as KeyPart[][]),
    );
  },

  async readForUpdate(trx, table, keyColumns, query) {
    // A write that changes nothing still takes SQLite's write lock (waiting up to busy_timeout):
    // from here until the commit no other process can write what this batch reads.
    await trx.raw('UPDATE ?? SET ?? = ?? WHERE 0', [table, keyColumns[0]!, keyColumns[0]!]);
    return query;
  },

  lowerCase(knex, expression) {
    return knex.raw(`${UNICODE_LOWER}(?)`, [expression]);
  },

  timeBefore(knex, column, cutoff) {
    // SQLite has no time type. Text ('YYYY-MM-DD HH:MM:SS', ISO 8601 with T, Z or an offset)
    // compares through julianday(); numbers are taken as epoch milliseconds, which is what
    // knex writes for a Date. Epoch seconds are not recognised. `?? < ''` holds for numbers
    // only (SQLite sorts them before every text and blob; NULL compares as NULL): the same
    // test as typeof() IN ('integer', 'real'), which cost more than the julianday() after it.
    return knex.raw("(CASE WHEN ?? < '' THEN ?? < ? ELSE julianday(??) < julianday(?) END)", [column, column, cutoff.getTime(), column, cutoff.toISOString()]);
  },

  timeWindow(knex, column, window) {
    // Index order is NULL, numbers, text, blobs: a number range, and a text range (and the same
    // bytes as a blob range, which julianday() reads too) that contain every row in the window.
    const upper = dateTextAfter(window.before);
    if (upper === undefined) return undefined;
    const lower = window.notBefore ? dateTextFrom(window.notBefore) : '';
    const numbers = window.notBefore ? '(?? >= ? AND ?? < ?)' : '?? < ?';
    const numberBindings = window.notBefore ? [column, window.notBefore.getTime(), column, window.before.getTime()] : [column, window.before.getTime()];
    return knex.raw(`(${numbers} OR (?? >= ? AND ?? < ?) OR (?? >= ? AND ?? < ?))`, [
      ...numberBindings,
      column,
      lower ?? '',
      column,
      upper,
      column,
      Buffer.from(lower ?? ''),
      column,
      Buffer.from(upper),
    ]);
  },

  async tryJobLock(_knex, name, connection) {
    if (connection === ':memory:') {
      if (memoryLocks.has(name)) return undefined;
      memoryLocks.add(name);
      return { release: async () => void memoryLocks.delete(name) } satisfies JobLock;
    }
    // Beside the database file, one per job name: <db>.<name>.lethe-lock.
    return tryLockFile(`${connection}.${name.replace(/[^\w-]/g, '_')}.lethe-lock`);
  },

  async afterPersonalDataChange(knex) {
    // In WAL mode the replaced pages live on in the -wal file until a checkpoint; TRUNCATE
    // copies them back (where secure_delete has zeroed the old content) and empties the file.
    const [mode] = (await knex.raw('PRAGMA journal_mode')) as { journal_mode: string }[];
    if (mode?.journal_mode.toLowerCase() === 'wal') await knex.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    return [];
  },
};

/*
 * Text bounds for timeWindow. julianday() reads 'YYYY-MM-DD', then optionally a time (hours up
 * to 24, so '24:30' is the next day) after a space or T, then an offset of up to ±14:59 or Z;
 * days up to 31 in any month ('02-31' is 2 or 3 March). The 'YYYY-MM-DD' a text starts with
 * is never later, as text, than the UTC day of 15 hours after the time it names; and never
 * earlier than the UTC day of 16 hours before it, or than the last day of the month before
 * when that day is the 1st to 3rd ('2023-02-31 24:30-14:59' is 4 March 2023, 15:29 UTC).
 * A text that is not a date (a bare time of day, which julianday() places on 2000-01-01; a
 * Julian day number written as text) is no timestamp lethe reads: outside these bounds, such
 * a value is not due.
 */
const OFFSET_MARGIN_MS = 15 * 3_600_000;
const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' after every date text naming a time before `time` (undefined past year 9999). */
function dateTextAfter(time: Date): string | undefined {
  return dayText(time.getTime() + OFFSET_MARGIN_MS + DAY_MS);
}

/** 'YYYY-MM-DD' at or before every date text naming `time` or later (undefined: no text bound). */
function dateTextFrom(time: Date): string | undefined {
  let from = time.getTime() - OFFSET_MARGIN_MS - 3_600_000;
  const date = new Date(from).getUTCDate();
  // Before the 4th: the month before may still hold a day 29-31 of this month's times.
  if (date < 4) from -= date * DAY_MS;
  return dayText(from);
}

function dayText(ms: number): string | undefined {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  return Number.isNaN(ms) || year < 0 || year > 9999 ? undefined : date.toISOString().slice(0, 10);
}

const INTERRUPTED_INTROSPECTION = 'Interrupted while the database schema was read; nothing was done.';

/** Beyond this many tables, the catalog is read in four statements rather than four per table. */
const BULK_INTROSPECTION = 50;

/** The pragmas of every table, read at once and grouped by table (or index) name. */
interface Catalog {
  columns: Map<string, PragmaColumn[]>;
  indexes: Map<string, PragmaIndex[]>;
  indexColumns: Map<string, PragmaIndexColumn[]>;
  foreignKeys: Map<string, PragmaForeignKey[]>;
}

/**
 * Every table's columns, indexes, index columns and foreign keys through the table-valued
 * pragma functions: preparing four statements per table made a check of 50,000 tables spend
 * most of its time in sqlite3_prepare.
 */
async function readCatalog(knex: Knex, signal: AbortSignal | undefined): Promise<Catalog> {
  // Rows as arrays on the connection itself: 200,000 column rows as knex's objects cost seconds more.
  const db = (await knex.client.acquireConnection()) as SqliteConnection;
  const rows = (sql: string): unknown[][] => db.prepare(sql).raw(true).all() as unknown[][];
  /** Rows grouped by their first field (the table or index they describe), in the order read. */
  const grouped = <T>(sql: string, row: (fields: unknown[]) => T): Map<string, T[]> => {
    const byOwner = new Map<string, T[]>();
    for (const fields of rows(sql)) {
      const owner = fields[0] as string;
      const list = byOwner.get(owner);
      if (list) list.push(row(fields));
      else byOwner.set(owner, [row(fields)]);
    }
    return byOwner;
  };
  try {
    const ofTables = "FROM sqlite_master AS m JOIN %s AS p WHERE m.type = 'table'";
    const columns = grouped(`SELECT m.name, p.name, p.type, p."notnull", p.dflt_value, p.pk ${ofTables.replace('%s', 'pragma_table_info(m.name)')}`, (f) => ({
      name: f[1] as string,
      type: f[2] as string,
      notnull: f[3] as number,
      dflt_value: f[4],
      pk: f[5] as number,
    }));
    await interruptible(signal, INTERRUPTED_INTROSPECTION);
    const indexes = grouped(`SELECT m.name, p.name, p."unique", p.origin, p.partial ${ofTables.replace('%s', 'pragma_index_list(m.name)')}`, (f) => ({
      name: f[1] as string,
      unique: f[2] as number,
      origin: f[3] as string,
      partial: f[4] as number,
    }));
    await interruptible(signal, INTERRUPTED_INTROSPECTION);
    // Index names are unique in a database; automatic indexes (UNIQUE, PRIMARY KEY) are in sqlite_master too.
    const indexColumns = grouped("SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_index_info(m.name) AS p WHERE m.type = 'index'", (f) => ({
      name: f[1] as string | null,
    }));
    await interruptible(signal, INTERRUPTED_INTROSPECTION);
    const foreignKeys = grouped(
      `SELECT m.name, p.id, p.seq, p."table", p."from", p."to", p.on_delete, p.on_update ${ofTables.replace('%s', 'pragma_foreign_key_list(m.name)')}`,
      (f) => ({
        id: f[1] as number,
        seq: f[2] as number,
        table: f[3] as string,
        from: f[4] as string,
        to: f[5] as string | null,
        on_delete: f[6] as string,
        on_update: f[7] as string,
      }),
    );
    return { columns, indexes, indexColumns, foreignKeys };
  } finally {
    await knex.client.releaseConnection(db);
  }
}

async function introspectTable(knex: Knex, table: string, catalog?: Catalog): Promise<TableInfo> {
  const quoted = quote(table);
  const columns: PragmaColumn[] = catalog ? (catalog.columns.get(table) ?? []) : await knex.raw(`PRAGMA table_info(${quoted})`);
  const indexes: PragmaIndex[] = catalog ? (catalog.indexes.get(table) ?? []) : await knex.raw(`PRAGMA index_list(${quoted})`);
  const uniqueColumns = new Set<string>();
  const indexInfos: IndexInfo[] = [];
  // Unique indexes of one key part that are partial or on an expression: see ColumnInfo.uniqueIndex.
  const constraining: { name: string; key: string }[] = [];
  for (const index of indexes) {
    const parts: PragmaIndexColumn[] = catalog ? (catalog.indexColumns.get(index.name) ?? []) : await knex.raw(`PRAGMA index_info(${quote(index.name)})`);
    if (index.unique && parts.length === 1 && (index.partial || !parts[0]!.name)) {
      const key = parts[0]!.name ? quote(parts[0]!.name) : await indexKeyText(knex, index.name);
      if (key !== undefined) constraining.push({ name: index.name, key });
    }
    if (index.partial) continue;
    // An expression part has no name: the index serves lookups by the columns before it only.
    const names: string[] = [];
    for (const part of parts) {
      if (!part.name) break;
      names.push(part.name);
    }
    if (names.length > 0) indexInfos.push({ columns: names, unique: index.unique === 1 && names.length === parts.length });
    if (index.unique && parts.length === 1 && parts[0]?.name) uniqueColumns.add(parts[0].name);
  }
  const primaryKey = columns
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  const infos = new Map<string, ColumnInfo>();
  for (const c of columns) {
    // SQLite stores a text of any length in a VARCHAR(40): a declared length is no limit here,
    // so nothing is cut to it and check warns of nothing that would not fit.
    const { maxLength: _unenforced, ...broad } = broadType(c.type);
    infos.set(c.name, {
      name: c.name,
      declaredType: c.type,
      ...broad,
      // A single INTEGER PRIMARY KEY is the rowid: never NULL, whatever notnull says.
      nullable: c.notnull === 0 && c.pk === 0,
      unique: uniqueColumns.has(c.name) || (primaryKey.length === 1 && primaryKey[0] === c.name),
      hasDefault: c.dflt_value !== null,
    });
  }
  for (const index of constraining) noteUniqueIndex(infos, index.name, index.key);
  const fkRows: PragmaForeignKey[] = catalog ? (catalog.foreignKeys.get(table) ?? []) : await knex.raw(`PRAGMA foreign_key_list(${quoted})`);
  const byId = new Map<number, PragmaForeignKey[]>();
  for (const row of fkRows) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  const foreignKeys = [...byId.values()].map((parts) => {
    const sorted = parts.sort((a, b) => a.seq - b.seq);
    return {
      columns: sorted.map((p) => p.from),
      referencedTable: sorted[0]!.table,
      referencedColumns: sorted.map((p) => p.to ?? 'rowid'),
      onDelete: deleteRule(sorted[0]!.on_delete),
      onUpdate: deleteRule(sorted[0]!.on_update),
    };
  });
  // A rowid table's INTEGER PRIMARY KEY is the rowid itself: no index_list entry, but a lookup by it is a seek.
  if (primaryKey.length > 0 && !indexInfos.some((i) => i.columns.join() === primaryKey.join())) indexInfos.unshift({ columns: primaryKey, unique: true });
  return { name: table, columns: infos, primaryKey, foreignKeys, indexes: indexInfos };
}

/** The key list of a CREATE INDEX statement: what is between the parentheses after ON table. */
async function indexKeyText(knex: Knex, index: string): Promise<string | undefined> {
  const [row] = (await knex.raw("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [index])) as { sql: string | null }[];
  // Comments out (but not what looks like one inside a string or a quoted name).
  const sql = (row?.sql ?? '').replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|\/\*[\s\S]*?\*\//g, (token) =>
    token.startsWith('--') || token.startsWith('/*') ? ' ' : token,
  );
  const on = /\bON\s+(?:"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|[^\s(]+)\s*\(/i.exec(sql);
  if (!on) return undefined;
  const start = on.index + on[0].length;
  let depth = 1;
  for (let i = start; i < sql.length; i += 1) {
    if (`'"\`[`.includes(sql[i]!)) i = closingQuote(sql, i);
    else if (sql[i] === '(') depth += 1;
    else if (sql[i] === ')' && --depth === 0) return sql.slice(start, i);
  }
  return undefined;
}

/** Where the string or quoted name opening at `i` ends ('it''s', "a""b", [name]). */
function closingQuote(sql: string, i: number): number {
  const close = sql[i] === '[' ? ']' : sql[i]!;
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] !== close) j += 1;
    else if (close !== ']' && sql[j + 1] === close) j += 2;
    else return j;
  }
  return sql.length;
}

function toParameter(value: unknown, column: ColumnInfo): unknown {
  if (value instanceof Date) {
    // Text in the form the other rows of a date or datetime column most likely have; elsewhere
    // epoch milliseconds, as knex would write it.
    return column.type === 'date' || column.type === 'datetime' ? utcDateText(value, column) : asSqliteInteger(value.getTime());
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return asSqliteInteger(value);
}

/**
 * Runs `query`'s statement with better-sqlite3 itself, on the connection (or the transaction)
 * the query was built on, its bindings converted as lethe's knex client converts them.
 */
async function onItsConnection<T>(query: Knex.QueryBuilder, run: (db: SqliteConnection, sql: string, bindings: unknown[]) => T): Promise<T> {
  const { sql, bindings } = query.toSQL().toNative();
  const client = (query as unknown as { client: Knex.Client }).client;
  const db = (await client.acquireConnection()) as SqliteConnection;
  try {
    return run(db, sql, bindings.map(toBinding));
  } finally {
    await client.releaseConnection(db);
  }
}

/** A binding as lethe's knex client passes it: a Date as epoch milliseconds, a boolean as 0 or 1, an integer as an integer. */
function toBinding(value: unknown): unknown {
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'boolean') return Number(value);
  return asSqliteInteger(value);
}

/**
 * An integer as an SQLite integer. better-sqlite3 binds every JS number as a REAL, and a REAL
 * meets a TEXT column as '1.0': `customer_id = 1` found no row holding '1' (a person's rows
 * linked by a text column were neither found, exported nor erased), and 5 written to a text
 * column was stored as '5.0'. Bound as an integer, 1 is '1' there, and the same number
 * everywhere else (an INTEGER or REAL column compares and stores it as before).
 */
function asSqliteInteger(value: unknown): unknown {
  return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
}

type BindingClient = new (config: Knex.Config) => { _formatBindings(bindings: unknown[] | undefined): unknown[] };
let bindingClient: BindingClient | undefined;

/** knex's better-sqlite3 client, binding integers with asSqliteInteger (knex has no setting for it). */
function integerBindingClient(): BindingClient {
  if (bindingClient) return bindingClient;
  const Base = createRequire(import.meta.url)('knex/lib/dialects/better-sqlite3/index.js') as BindingClient;
  bindingClient = class IntegerBindingClient extends Base {
    override _formatBindings(bindings: unknown[] | undefined): unknown[] {
      // knex's own conversion (a Date, a boolean) and integers as integers: toBinding.
      return (bindings ?? []).map(toBinding);
    }

    /** knex's _query, with the statement prepared once per connection (see prepared). */
    async _query(connection: SqliteConnection, query: { sql: string; bindings?: unknown[]; response?: unknown; context?: unknown }) {
      if (!query.sql) throw new Error('The query is empty');
      const statement = prepared(connection, 'knex', query.sql);
      const bindings = this._formatBindings(query.bindings);
      if (statement.reader) {
        query.response = statement.all(...bindings);
        return query;
      }
      const response = statement.run(...bindings);
      query.response = response;
      query.context = { lastID: response.lastInsertRowid, changes: response.changes };
      return query;
    }
  };
  return bindingClient;
}

/** Statements kept per connection: enough for the few a batch runs again and again. */
const STATEMENTS_KEPT = 32;
const statementCache = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();

/**
 * The connection's statement for `sql`, prepared once and run again: a batch's statements
 * (an IN list of a thousand keys, the due query) are the same text batch after batch, and
 * parsing them cost a tenth of a sweep's time. `use` tells apart the modes a statement is set
 * to once (`set`: pluck, raw), so that no caller finds a statement in another's mode. Every
 * statement lethe runs completes before the next starts (all, run), so one may be reused.
 */
function prepared(db: SqliteConnection, use: string, sql: string, set?: (statement: SqliteStatement) => SqliteStatement): SqliteStatement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  const key = `${use}\u0000${sql}`;
  let statement = cache.get(key);
  if (statement) {
    // Most recently used last: the first entry is the one to drop.
    cache.delete(key);
  } else {
    statement = db.prepare(sql);
    if (set) statement = set(statement);
    if (cache.size >= STATEMENTS_KEPT) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, statement);
  return statement;
}

/** `main.users` is table users of the attached database main, as knex reads it. */
function quoteTable(table: string): string {
  return table.split('.').map(quote).join('.');
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
