import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { interruptible } from '../turn.js';
import { groupByColumns, readThenUpdateRange, utcDateText } from './batch-update.js';
import { connectTimeoutOf, parseServerUrl, quietKnexLog } from './connection-errors.js';
import type { Dialect } from './dialect.js';
import { holdOnDedicatedConnection } from './job-lock.js';
import { broadType, deleteRule, noteUniqueIndex, type ColumnInfo, type ForeignKeyInfo, type IndexInfo, type SchemaSnapshot } from './schema-snapshot.js';

/** The mysql2 connection method lethe uses on a raw pooled connection. */
interface MysqlConnection {
  query(sql: string, callback: (err: Error | null, rows?: unknown) => void): void;
}

const PROTOCOLS = ['mysql:', 'mariadb:'];

/** A new pooled connection's session settings. */
async function setUpSession(conn: MysqlConnection): Promise<void> {
  const query = (sql: string) => new Promise<unknown>((resolve, reject) => conn.query(sql, (err, rows) => (err ? reject(err) : resolve(rows))));
  // TIMESTAMP columns convert through the session time zone; make it UTC to match timezone 'Z'.
  await query("SET time_zone = '+00:00'");
  const [server] = (await query('SELECT VERSION() AS version')) as { version?: unknown }[];
  if (!/mariadb/i.test(String(server?.version ?? ''))) return;
  // MariaDB turns the sweep's correlated EXISTS (activity below a person) into an IN subquery
  // that it materializes by reading the whole table, once per page of people (a page of the
  // inactive pass cost 20-35 ms on 250,000 sessions instead of 7-10 ms): kept correlated, each
  // is an index lookup. lethe runs no other EXISTS on the database. Only a plan: a server that
  // lacks the switch (before 10.0) keeps its own, and works.
  await query("SET SESSION optimizer_switch = 'exists_to_in=off'").catch(() => undefined);
}
// Placeholders per statement, as for a prepared statement (16 bits); knex interpolates them
// on the client, so the statement's size is bounded too, well under the default max_allowed_packet (16 MB on MariaDB).
const MAX_PARAMETERS = 65_535;
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;
// GET_LOCK names are at most 64 characters.
const MAX_LOCK_NAME = 64;

export const mysqlDialect: Dialect = {
  client: 'mysql',

  knexConfig(connection) {
    const url = parseServerUrl(connection, PROTOCOLS, 'MySQL');
    const connectTimeout = connectTimeoutOf(url);
    // Other URL parameters (socketPath, ssl, ...) go to mysql2 as given; ssl=true asks for verified TLS.
    const extra: Record<string, unknown> = Object.fromEntries([...url.searchParams].filter(([name]) => name !== 'connect_timeout'));
    if (extra.ssl === 'true' || extra.ssl === 'required') extra.ssl = {};
    else if (extra.ssl === 'false') delete extra.ssl;
    return {
      client: 'mysql2',
      // A failing statement's message shows its placeholders, never the bound values (personal data, under --debug).
      compileSqlOnError: false,
      log: quietKnexLog,
      connection: {
        host: url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
        port: url.port ? Number(url.port) : 3306,
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: decodeURIComponent(url.pathname.slice(1)),
        connectTimeout,
        // DATE as text, DATETIME and TIMESTAMP read and written as UTC: nothing shifts with the
        // process time zone. Large integers and decimals come back as strings rather than rounded.
        dateStrings: ['DATE'],
        timezone: 'Z',
        supportBigNumbers: true,
        ...extra,
      },
      acquireConnectionTimeout: connectTimeout + 5_000,
      pool: {
        min: 0,
        max: 4,
        afterCreate(conn: MysqlConnection, done: (err: Error | null, conn: unknown) => void) {
          setUpSession(conn).then(
            () => done(null, conn),
            (error: Error) => done(error, conn),
          );
        },
      },
    };
  },

  describeTarget(connection) {
    try {
      const url = parseServerUrl(connection, PROTOCOLS, 'MySQL');
      const host = url.hostname || url.searchParams.get('socketPath') || 'localhost';
      const label = url.protocol === 'mariadb:' ? 'MariaDB' : 'MySQL';
      return `${label} at ${host}:${url.port || 3306}/${decodeURIComponent(url.pathname.slice(1))}`;
    } catch {
      return 'MySQL (database.connection is not a valid URL)';
    }
  },

  async listTables(knex) {
    const rows = await rowsOf<{ name: string }>(
      knex.raw("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME"),
    );
    return rows.map((r) => String(r.name));
  },

  async introspect(knex, tables, signal) {
    const schema = await introspect(knex, tables);
    await interruptible(signal, 'Interrupted while the database schema was read; nothing was done.');
    return schema;
  },

  async updateRowsByKey(trx, table, keyColumns, columns, updates) {
    for (const group of groupByColumns(columns, updates)) {
      const rowsPerStatement = Math.floor(MAX_PARAMETERS / (group.columns.length + keyColumns.length));
      let chunk: unknown[][] = [];
      let bytes = 0;
      for (const update of group.updates) {
        const row = [...[update.key].flat(), ...group.columns.map((c) => toParameter(update.values[c.name], c))];
        const size = row.reduce<number>((sum, value) => sum + sizeOf(value), 0);
        if (chunk.length > 0 && (chunk.length >= rowsPerStatement || bytes + size > MAX_STATEMENT_BYTES)) {
          await updateChunk(trx, table, keyColumns, group.columns, chunk);
          chunk = [];
          bytes = 0;
        }
        chunk.push(row);
        bytes += size;
      }
      if (chunk.length > 0) await updateChunk(trx, table, keyColumns, group.columns, chunk);
    }
  },

  async readColumn(query) {
    const rows = (await query.options({ rowsAsArray: true })) as unknown[][];
    return rows.map((row) => row[0]);
  },

  updateKeysetBatch(_trx, batch) {
    // InnoDB's plain SELECT reads a snapshot while UPDATE reads the latest rows; a locking read
    // locks the rows (and, under REPEATABLE READ, the gaps between them), so both see the same.
    // Without UPDATE ... RETURNING, the keys are read before the write anyway: spans (which
    // only spare that read) would add a pass, so none are asked of this dialect.
    return readThenUpdateRange(batch, (query) => this.readColumn(query), { lock: true });
  },

  async readForUpdate(_trx, _table, _keyColumns, query) {
    return query.forUpdate();
  },

  lowerCase(knex, expression) {
    return knex.raw('LOWER(?)', [expression]);
  },

  timeBefore(knex, column, cutoff) {
    // mysql2 (timezone 'Z') sends the Date as UTC text, as DATETIME values are stored.
    return knex.raw('?? < ?', [column, cutoff]);
  },

  async tryJobLock(knex, name) {
    let lockName = '';
    return holdOnDedicatedConnection(knex, {
      take: async (conn) => {
        // GET_LOCK names are server-wide: include the database so jobs on different databases do not collide.
        const [current] = await rowsOf<{ db: string | null }>(knex.raw('SELECT DATABASE() AS db').connection(conn));
        lockName = `lethe:${current?.db ?? ''}:${name}`;
        if (lockName.length > MAX_LOCK_NAME)
          lockName = `lethe:${createHash('sha256')
            .update(lockName)
            .digest('hex')
            .slice(0, MAX_LOCK_NAME - 6)}`;
        const [row] = await rowsOf<{ locked: number | null }>(knex.raw('SELECT GET_LOCK(?, 0) AS locked', [lockName]).connection(conn));
        return Number(row?.locked) === 1;
      },
      give: (conn) => knex.raw('SELECT RELEASE_LOCK(?)', [lockName]).connection(conn),
    });
  },

  async afterPersonalDataChange(_knex, tables) {
    if (tables.length === 0) return [];
    return [
      `InnoDB purges the old row versions of ${tables.join(', ')} from its undo logs in the background; binary logs and backups still hold the old values until they expire.`,
    ];
  },
};

/** mysql2 answers a query with [rows, fields]. */
async function rowsOf<T>(query: Knex.Raw): Promise<T[]> {
  const [rows] = (await query) as [T[]];
  return rows;
}

// --- introspection -------------------------------------------------------------------------

interface ColumnRow {
  table_schema: string;
  table_name: string;
  name: string;
  column_type: string;
  is_nullable: string;
  column_default: string | null;
  extra: string;
  generation: string | null;
}
interface IndexRow {
  table_schema: string;
  table_name: string;
  index_name: string;
  name: string | null;
  non_unique: number | string;
}
interface ForeignKeyRow {
  table_schema: string;
  table_name: string;
  constraint_name: string;
  name: string;
  referenced_schema: string;
  referenced_table: string;
  referenced_column: string;
  delete_rule: string | null;
  update_rule: string | null;
}

async function introspect(knex: Knex, tables: string[]): Promise<SchemaSnapshot> {
  const snapshot: SchemaSnapshot = new Map();
  if (tables.length === 0) return snapshot;
  const [current] = await rowsOf<{ db: string | null }>(knex.raw('SELECT DATABASE() AS db'));
  const database = current?.db ?? '';
  // `db.table` names a table in another database of the server.
  const wanted = tables.map((requested) => {
    const dot = requested.indexOf('.');
    return { requested, schema: dot < 0 ? database : requested.slice(0, dot), name: dot < 0 ? requested : requested.slice(dot + 1) };
  });
  const where = `(TABLE_SCHEMA, TABLE_NAME) IN (${wanted.map(() => '(?, ?)').join(', ')})`;
  const pairs = wanted.flatMap((w) => [w.schema, w.name]);

  const columnRows = await rowsOf<ColumnRow>(
    knex.raw(
      `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS name, COLUMN_TYPE AS column_type,
            IS_NULLABLE AS is_nullable, COLUMN_DEFAULT AS column_default, EXTRA AS extra, GENERATION_EXPRESSION AS generation
     FROM information_schema.COLUMNS WHERE ${where} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
      pairs,
    ),
  );
  const indexRows = await rowsOf<IndexRow>(
    knex.raw(
      `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, INDEX_NAME AS index_name, COLUMN_NAME AS name, NON_UNIQUE AS non_unique
     FROM information_schema.STATISTICS WHERE ${where} ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
      pairs,
    ),
  );
  const foreignKeyRows = await rowsOf<ForeignKeyRow>(
    knex.raw(
      `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name, COLUMN_NAME AS name,
            REFERENCED_TABLE_SCHEMA AS referenced_schema, REFERENCED_TABLE_NAME AS referenced_table, REFERENCED_COLUMN_NAME AS referenced_column,
            (SELECT rc.DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS rc
             WHERE rc.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND rc.TABLE_NAME = k.TABLE_NAME AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME) AS delete_rule,
            (SELECT rc.UPDATE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS rc
             WHERE rc.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND rc.TABLE_NAME = k.TABLE_NAME AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME) AS update_rule
     FROM information_schema.KEY_COLUMN_USAGE k WHERE ${where} AND REFERENCED_TABLE_NAME IS NOT NULL
     ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
      pairs,
    ),
  );

  for (const { requested, schema, name } of wanted) {
    // Table names compare as the server stores them (lower case under lower_case_table_names=1).
    const of = <T extends { table_schema: string; table_name: string }>(rows: T[]): T[] => {
      const exact = rows.filter((r) => r.table_schema === schema && r.table_name === name);
      return exact.length > 0
        ? exact
        : rows.filter((r) => r.table_schema.toLowerCase() === schema.toLowerCase() && r.table_name.toLowerCase() === name.toLowerCase());
    };
    const tableColumns = of(columnRows);
    if (tableColumns.length === 0) continue;
    const indexes = new Map<string, IndexRow[]>();
    for (const row of of(indexRows)) indexes.set(row.index_name, [...(indexes.get(row.index_name) ?? []), row]);
    const primaryKey = (indexes.get('PRIMARY') ?? []).map((r) => String(r.name));
    // Single-column unique indexes (a functional index has no column name).
    const unique = new Set(
      [...indexes.values()]
        .filter((parts) => parts.length === 1 && Number(parts[0]!.non_unique) === 0 && parts[0]!.name !== null)
        .map((parts) => String(parts[0]!.name)),
    );
    const columns = new Map<string, ColumnInfo>();
    for (const c of tableColumns) {
      const declaredType = String(c.column_type);
      const extra = String(c.extra).toLowerCase();
      columns.set(c.name, {
        name: c.name,
        declaredType,
        ...broadType(declaredType),
        nullable: c.is_nullable === 'YES',
        unique: unique.has(c.name) || (primaryKey.length === 1 && primaryKey[0] === c.name),
        // MariaDB reports a nullable column without a default as the default 'NULL'.
        hasDefault: (c.column_default !== null && c.column_default !== 'NULL') || /auto_increment|generated/.test(extra),
      });
    }
    // A unique index on a generated column (MariaDB's way to index lower(email)) makes equal
    // values collide in the column it is computed from: see ColumnInfo.uniqueIndex.
    for (const [indexName, parts] of indexes) {
      const generated =
        parts.length === 1 && Number(parts[0]!.non_unique) === 0 ? tableColumns.find((c) => c.name === parts[0]!.name && c.generation) : undefined;
      if (generated) noteUniqueIndex(columns, indexName, generated.generation!, { exclude: generated.name, backslashEscapes: true });
    }
    const foreignKeys = new Map<string, ForeignKeyInfo>();
    for (const fk of of(foreignKeyRows)) {
      const referencedTable = fk.referenced_schema === database ? fk.referenced_table : `${fk.referenced_schema}.${fk.referenced_table}`;
      const info = foreignKeys.get(fk.constraint_name) ?? {
        columns: [],
        referencedTable,
        referencedColumns: [],
        onDelete: deleteRule(fk.delete_rule),
        onUpdate: deleteRule(fk.update_rule),
      };
      info.columns.push(fk.name);
      info.referencedColumns.push(fk.referenced_column);
      foreignKeys.set(fk.constraint_name, info);
    }
    // Lookups use an index up to its first functional part (which has no column name).
    const indexInfos: IndexInfo[] = [];
    for (const parts of indexes.values()) {
      const end = parts.findIndex((p) => p.name === null);
      const names = (end < 0 ? parts : parts.slice(0, end)).map((p) => String(p.name));
      if (names.length > 0) indexInfos.push({ columns: names, unique: Number(parts[0]!.non_unique) === 0 && end < 0 });
    }
    snapshot.set(requested, { name: requested, columns, primaryKey, foreignKeys: [...foreignKeys.values()], indexes: indexInfos });
  }
  return snapshot;
}

// --- batched update ------------------------------------------------------------------------

/**
 * UPDATE t JOIN (SELECT ? AS k0, ? AS c0 UNION ALL SELECT ?, ? ...) AS v ON t.pk = v.k0 SET t.c = v.c0:
 * one statement, one primary-key lookup per row (a key of several columns is k0, k1, ...).
 * MariaDB has no VALUES ROW(), so the derived table is a UNION ALL of one-row SELECTs.
 */
async function updateChunk(trx: Knex.Transaction, table: string, keyColumns: ColumnInfo[], columns: ColumnInfo[], rows: unknown[][]): Promise<void> {
  const first = `SELECT ${[...keyColumns.map((_, i) => `? AS k${i}`), ...columns.map((_, i) => `? AS c${i}`)].join(', ')}`;
  const rest = `SELECT ${Array(keyColumns.length + columns.length)
    .fill('?')
    .join(', ')}`;
  const derived = [first, ...rows.slice(1).map(() => rest)].join(' UNION ALL ');
  const match = keyColumns.map((_, i) => `t.?? = v.k${i}`).join(' AND ');
  const assignments = columns.map((_, i) => `t.?? = v.c${i}`).join(', ');
  const bindings = [table, ...rows.flat(), ...keyColumns.map((k) => k.name), ...columns.map((c) => c.name)];
  await trx.raw(`UPDATE ?? AS t JOIN (${derived}) AS v ON ${match} SET ${assignments}`, bindings as Knex.RawBinding[]);
}

function toParameter(value: unknown, column: ColumnInfo): unknown {
  if (value instanceof Date) return utcDateText(value, column);
  // mysql2 would write a plain object as `key` = value pairs; JSON is what a JSON column takes.
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

function sizeOf(value: unknown): number {
  // Escaped text can take up to twice its UTF-8 length; numbers and NULL are short.
  if (typeof value === 'string') return 2 * Buffer.byteLength(value) + 4;
  if (Buffer.isBuffer(value)) return 2 * value.length + 4;
  return 24;
}
