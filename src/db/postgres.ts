import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { interruptible } from '../turn.js';
import type { Dialect, KeyedUpdate } from './dialect.js';
import { broadType, noteUniqueIndex, type ColumnInfo, type DeleteRule, type ForeignKeyInfo, type IndexInfo, type SchemaSnapshot } from './schema-snapshot.js';
import { groupByColumns, keyRange, keysetWindow, readKeys, spanEnd, spanRange, spanResult } from './batch-update.js';
import { keyOf, orderByKey } from './row-key.js';
import { connectTimeoutOf, parseServerUrl, quietKnexLog } from './connection-errors.js';
import { holdOnDedicatedConnection } from './job-lock.js';

/** The pg Client methods lethe uses on a raw pooled connection. */
interface PgConnection {
  setTypeParser(oid: number, parse: (text: string) => unknown): void;
  getTypeParser(oid: number): (text: string) => unknown;
  query(sql: string): Promise<unknown>;
}

const DATE_OID = 1082;
const TIMESTAMP_OID = 1114;
const TIMESTAMPTZ_OID = 1184;
// Bind parameters per statement: the protocol counts them in 16 bits.
const MAX_PARAMETERS = 65_535;

export const postgresDialect: Dialect = {
  client: 'postgres',

  knexConfig(connection) {
    const url = parseServerUrl(connection, ['postgres:', 'postgresql:'], 'PostgreSQL');
    const connectTimeout = connectTimeoutOf(url);
    return {
      client: 'pg',
      // A failing statement's message shows its placeholders, never the bound values (personal data, under --debug).
      compileSqlOnError: false,
      log: quietKnexLog,
      // pg reads everything else (sslmode, host= for a socket directory, ...) from the URL itself.
      connection: { connectionString: connection, connectionTimeoutMillis: connectTimeout, application_name: 'lethe' },
      // A little longer than the driver's own timeout, so its more precise error wins.
      acquireConnectionTimeout: connectTimeout + 5_000,
      pool: {
        min: 0,
        max: 4,
        // Per connection, not pg.types (global): values whose JS Date would shift with the
        // process time zone come back as lethe stores them.
        afterCreate(conn: PgConnection, done: (err: Error | null, conn: unknown) => void) {
          conn.setTypeParser(DATE_OID, (text) => text);
          const parseTimestamptz = conn.getTypeParser(TIMESTAMPTZ_OID);
          // `timestamp without time zone` holds UTC by lethe's convention; read it as such.
          conn.setTypeParser(TIMESTAMP_OID, (text) =>
            /infinity$/.test(text) ? parseTimestamptz(text) : parseTimestamptz(text.endsWith(' BC') ? `${text.slice(0, -3)}+00 BC` : `${text}+00`),
          );
          // The same convention in the server: a `timestamp` or `date` compared with a
          // timestamptz is taken as UTC, and now()::timestamp is UTC.
          conn
            .query("SET TIME ZONE 'UTC'")
            // No JIT: lethe's statements are a batch's (bounded, a quarter of a second), and
            // PostgreSQL compiled the due query of every batch afresh (about 10 ms each; the
            // inactive pass 6-7% faster without). A server without JIT (before 11) refuses the
            // setting, and keeps its plans.
            .then(() => conn.query('SET jit = off').catch(() => undefined))
            .then(
              () => done(null, conn),
              (error: Error) => done(error, conn),
            );
        },
      },
    };
  },

  describeTarget(connection) {
    try {
      const url = parseServerUrl(connection, ['postgres:', 'postgresql:'], 'PostgreSQL');
      const host = url.hostname || url.searchParams.get('host') || 'localhost';
      return `PostgreSQL at ${host}:${url.port || 5432}/${decodeURIComponent(url.pathname.slice(1))}`;
    } catch {
      return 'PostgreSQL (database.connection is not a valid URL)';
    }
  },

  async listTables(knex) {
    const { rows } = await knex.raw<{ rows: { name: string }[] }>(`
      SELECT CASE WHEN pg_table_is_visible(c.oid) THEN c.relname ELSE n.nspname || '.' || c.relname END AS name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      ORDER BY 1`);
    return rows.map((r) => r.name);
  },

  async introspect(knex, tables, signal) {
    const schema = await introspect(knex, tables);
    await interruptible(signal, 'Interrupted while the database schema was read; nothing was done.');
    return schema;
  },

  async updateRowsByKey(trx, table, keyColumns, columns, updates) {
    for (const { columns: present, updates: group } of groupByColumns(columns, updates)) {
      const rowsPerStatement = Math.floor(MAX_PARAMETERS / (present.length + keyColumns.length));
      for (let start = 0; start < group.length; start += rowsPerStatement) {
        await updateChunk(trx, table, keyColumns, present, group.slice(start, start + rowsPerStatement));
      }
    }
  },

  async readColumn(query) {
    const rows = (await query.options({ rowMode: 'array' })) as unknown[][];
    return rows.map((row) => row[0]);
  },

  async updateKeysetBatch(trx, batch) {
    // No row locks (FOR UPDATE writes a lock into every row read): the batch's last key is
    // read, and the UPDATE over the range returns the keys it changed, in key order. Rows
    // others change meanwhile are re-checked by the UPDATE and recorded as they end up.
    // Spanning rows of the table, the last key comes from the primary key's index alone,
    // without testing any row: the UPDATE is then the only pass over the rows.
    const keys = batch.keyColumns;
    const readColumn = (query: Knex.QueryBuilder) => this.readColumn(query);
    const changedKeys = (update: Knex.QueryBuilder) => readKeys(orderByKey(trx.with('changed', update).select(keys).from('changed'), keys), keys, readColumn);
    if (batch.spanRows) {
      const end = await spanEnd(batch, readColumn);
      return end === undefined ? undefined : spanResult(end, await changedKeys(spanRange(batch, end).update(batch.values, keys)));
    }
    const lastRow = orderByKey(trx.select(keys).from(keysetWindow(batch).as('batch')), keys, 'desc').limit(1);
    const [last] = await readKeys(lastRow, keys, readColumn);
    if (last === undefined) return undefined;
    return { last, changed: await changedKeys(keyRange(batch, last).update(batch.values, keys)) };
  },

  async writeReturning(write, keyColumns) {
    const rows = (await write.returning(keyColumns)) as unknown as Record<string, unknown>[];
    return rows.map((row) => keyOf(keyColumns, row));
  },

  async readForUpdate(_trx, _table, _keyColumns, query) {
    return query.forUpdate();
  },

  lowerCase(knex, expression) {
    // Folds by the database's ctype; with a C/POSIX locale that is ASCII only (candidates are confirmed in JS either way).
    return knex.raw('LOWER(?)', [expression]);
  },

  timeBefore(knex, column, cutoff) {
    // timestamptz compares as the instant; `timestamp` and `date` are converted in the
    // session time zone, which is UTC (see afterCreate).
    return knex.raw('?? < CAST(? AS timestamptz)', [column, cutoff.toISOString()]);
  },

  async tryJobLock(knex, name) {
    // Advisory locks are scoped to the database; the key is a 64-bit hash of the name.
    const key = createHash('sha256').update(`lethe:${name}`).digest().readBigInt64BE(0).toString();
    return holdOnDedicatedConnection(knex, {
      take: async (conn) => {
        const { rows } = await knex.raw<{ rows: { locked: boolean }[] }>('SELECT pg_try_advisory_lock(CAST(? AS bigint)) AS locked', [key]).connection(conn);
        return rows[0]?.locked === true;
      },
      give: (conn) => knex.raw('SELECT pg_advisory_unlock(CAST(? AS bigint))', [key]).connection(conn),
    });
  },

  async afterPersonalDataChange(knex, tables, options = {}) {
    if (tables.length === 0) return [];
    const list = tables.join(', ');
    if (!options.vacuum) {
      return [
        `PostgreSQL keeps the old row versions of ${list} in the table files until VACUUM; run again with --vacuum or VACUUM them (autovacuum will, eventually).`,
      ];
    }
    const failed: string[] = [];
    for (const table of tables) {
      // VACUUM cannot run inside a transaction; knex.raw runs it on a pooled connection in autocommit.
      // The change has committed, so a failure here (e.g. not the table owner) is a note, not an error.
      await knex.raw('VACUUM ??', [table]).catch((error: unknown) => failed.push(`${table} (${(error as { code?: string }).code ?? 'error'})`));
    }
    const done = tables.filter((t) => !failed.some((f) => f.startsWith(`${t} (`)));
    const notes: string[] = [];
    if (done.length > 0) {
      notes.push(
        `VACUUM removed the old row versions of ${done.join(', ')} (except any an open transaction still sees); write-ahead log files and backups keep them until they are recycled or expire.`,
      );
    }
    if (failed.length > 0) notes.push(`VACUUM failed for ${failed.join(', ')}; run VACUUM on them as the table owner.`);
    return notes;
  },
};

// --- introspection -------------------------------------------------------------------------

interface ResolvedTable {
  requested: string;
  oid: number;
}
interface ColumnRow {
  oid: number;
  name: string;
  declared_type: string;
  not_null: boolean;
  has_default: boolean;
}
interface KeyRow {
  oid: number;
  name: string;
  ord: number;
}
interface UniqueRow {
  oid: number;
  name: string;
  index_name: string;
}
interface GeneratedRow {
  oid: number;
  name: string;
  expression: string;
}
interface ForeignKeyRow {
  oid: number;
  constraint: string;
  column: string;
  referenced_table: string;
  referenced_column: string;
  on_delete: string;
  on_update: string;
}
interface UniqueIndexRow {
  oid: number;
  index_name: string;
  key: string;
}
interface IndexRow {
  oid: number;
  index_oid: number;
  is_unique: boolean;
  name: string | null;
}

/** pg_constraint.confdeltype. */
const DELETE_RULES: Record<string, DeleteRule> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

async function introspect(knex: Knex, tables: string[]): Promise<SchemaSnapshot> {
  const snapshot: SchemaSnapshot = new Map();
  if (tables.length === 0) return snapshot;
  // to_regclass resolves a name exactly as a query would (search_path for unqualified names);
  // quote_ident keeps its case, so "CustomerId" is not folded to customerid.
  const split = tables.map(splitName);
  const { rows: resolved } = await knex.raw<{ rows: ResolvedTable[] }>(
    `SELECT r.requested, to_regclass(CASE WHEN r.schema IS NULL THEN '' ELSE quote_ident(r.schema) || '.' END || quote_ident(r.name))::oid AS oid
     FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[])) AS r(requested, schema, name)`,
    [tables, split.map((s) => s.schema) as string[], split.map((s) => s.name)],
  );
  const found = resolved.filter((r) => r.oid !== null);
  if (found.length === 0) return snapshot;
  const oids = found.map((r) => r.oid);

  const { rows: columnRows } = await knex.raw<{ rows: ColumnRow[] }>(
    `SELECT a.attrelid AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS declared_type,
            a.attnotnull AS not_null, (a.atthasdef OR a.attidentity <> '') AS has_default
     FROM pg_attribute a WHERE a.attrelid = ANY(CAST(? AS oid[])) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  const { rows: keyRows } = await knex.raw<{ rows: KeyRow[] }>(
    `SELECT i.indrelid AS oid, a.attname AS name, k.ord
     FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indisprimary AND i.indrelid = ANY(CAST(? AS oid[])) ORDER BY k.ord`,
    [oids],
  );
  // Unique constraints are backed by unique indexes; partial and expression indexes do not make a column unique.
  const { rows: uniqueRows } = await knex.raw<{ rows: UniqueRow[] }>(
    `SELECT i.indrelid AS oid, a.attname AS name, c.relname AS index_name
     FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indrelid = ANY(CAST(? AS oid[]))`,
    [oids],
  );
  const { rows: foreignKeyRows } = await knex.raw<{ rows: ForeignKeyRow[] }>(
    `SELECT c.conrelid AS oid, c.conname AS constraint, a.attname AS column, fa.attname AS referenced_column, c.confdeltype AS on_delete, c.confupdtype AS on_update,
            CASE WHEN pg_table_is_visible(f.oid) THEN f.relname ELSE fn.nspname || '.' || f.relname END AS referenced_table
     FROM pg_constraint c
     CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, fattnum, ord)
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
     JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fattnum
     JOIN pg_class f ON f.oid = c.confrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
     WHERE c.contype = 'f' AND c.conrelid = ANY(CAST(? AS oid[])) ORDER BY c.conname, k.ord`,
    [oids],
  );
  // Unique indexes of one key part that are partial or on an expression: equal values written
  // into the column they read still collide (ColumnInfo.uniqueIndex).
  const { rows: uniqueIndexRows } = await knex.raw<{ rows: UniqueIndexRow[] }>(
    `SELECT i.indrelid AS oid, c.relname AS index_name, pg_get_indexdef(i.indexrelid, 1, true) AS key
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indisunique AND i.indnkeyatts = 1 AND (i.indpred IS NOT NULL OR i.indexprs IS NOT NULL) AND i.indrelid = ANY(CAST(? AS oid[]))
     ORDER BY c.relname`,
    [oids],
  );
  // Generated columns: a unique one keeps apart the column it is computed from. PostgreSQL 12
  // brought them (and pg_attribute.attgenerated, which older servers would not parse).
  const {
    rows: [version],
  } = await knex.raw<{ rows: { number: number }[] }>("SELECT current_setting('server_version_num')::int AS number");
  const { rows: generatedRows } =
    (version?.number ?? 0) < 120000
      ? { rows: [] }
      : await knex.raw<{ rows: GeneratedRow[] }>(
          `SELECT a.attrelid AS oid, a.attname AS name, pg_get_expr(d.adbin, d.adrelid) AS expression
     FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attgenerated <> '' AND a.attrelid = ANY(CAST(? AS oid[]))`,
          [oids],
        );
  // Key columns of every full index in order; an expression part (attnum 0) has no name.
  const { rows: indexRows } = await knex.raw<{ rows: IndexRow[] }>(
    `SELECT i.indrelid AS oid, i.indexrelid AS index_oid, i.indisunique AS is_unique, a.attname AS name
     FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
     LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
     WHERE i.indpred IS NULL AND k.ord <= i.indnkeyatts AND i.indrelid = ANY(CAST(? AS oid[]))
     ORDER BY i.indexrelid, k.ord`,
    [oids],
  );

  for (const { requested, oid } of found) {
    const primaryKey = keyRows.filter((k) => k.oid === oid).map((k) => k.name);
    const unique = new Set(uniqueRows.filter((u) => u.oid === oid).map((u) => u.name));
    const columns = new Map<string, ColumnInfo>();
    for (const c of columnRows.filter((row) => row.oid === oid)) {
      columns.set(c.name, {
        name: c.name,
        declaredType: c.declared_type,
        ...broadType(c.declared_type),
        nullable: !c.not_null,
        unique: unique.has(c.name) || (primaryKey.length === 1 && primaryKey[0] === c.name),
        hasDefault: c.has_default,
      });
    }
    for (const index of uniqueIndexRows.filter((row) => row.oid === oid)) noteUniqueIndex(columns, index.index_name, index.key, { quotedExact: true });
    for (const generated of generatedRows.filter((row) => row.oid === oid)) {
      const index = uniqueRows.find((u) => u.oid === oid && u.name === generated.name);
      if (index) noteUniqueIndex(columns, index.index_name, generated.expression, { quotedExact: true, exclude: generated.name });
    }
    const foreignKeys = new Map<string, ForeignKeyInfo>();
    for (const fk of foreignKeyRows.filter((row) => row.oid === oid)) {
      const info = foreignKeys.get(fk.constraint) ?? {
        columns: [],
        referencedTable: fk.referenced_table,
        referencedColumns: [],
        onDelete: DELETE_RULES[fk.on_delete] ?? 'no action',
        onUpdate: DELETE_RULES[fk.on_update] ?? 'no action',
      };
      info.columns.push(fk.column);
      info.referencedColumns.push(fk.referenced_column);
      foreignKeys.set(fk.constraint, info);
    }
    snapshot.set(requested, {
      name: requested,
      columns,
      primaryKey,
      foreignKeys: [...foreignKeys.values()],
      indexes: indexesOf(indexRows.filter((row) => row.oid === oid)),
    });
  }
  return snapshot;
}

function indexesOf(rows: IndexRow[]): IndexInfo[] {
  const byIndex = new Map<number, IndexRow[]>();
  for (const row of rows) byIndex.set(row.index_oid, [...(byIndex.get(row.index_oid) ?? []), row]);
  const indexes: IndexInfo[] = [];
  for (const parts of byIndex.values()) {
    const end = parts.findIndex((p) => p.name === null);
    const columns = (end < 0 ? parts : parts.slice(0, end)).map((p) => p.name!);
    if (columns.length > 0) indexes.push({ columns, unique: parts[0]!.is_unique && end < 0 });
  }
  return indexes;
}

/** `crm.users` is table users in schema crm; `users` is looked up through search_path. */
function splitName(table: string): { schema: string | null; name: string } {
  const dot = table.indexOf('.');
  return dot < 0 ? { schema: null, name: table } : { schema: table.slice(0, dot), name: table.slice(dot + 1) };
}

// --- batched update ------------------------------------------------------------------------

/**
 * UPDATE t SET c = v.c1 FROM (VALUES (CAST($1 AS <pk type>), CAST($2 AS <c type>)), ...) AS v(k0, c1)
 * WHERE t.pk = v.k0: one statement, one index lookup per row (a key of several columns is
 * k0, k1, ...). The casts give the VALUES list the columns' types (unknown parameters would
 * otherwise be text).
 */
async function updateChunk(trx: Knex.Transaction, table: string, keyColumns: ColumnInfo[], columns: ColumnInfo[], updates: KeyedUpdate[]): Promise<void> {
  const casts = [...keyColumns, ...columns].map((c) => `CAST(? AS ${castType(c.declaredType)})`).join(', ');
  const rows = updates.map(() => `(${casts})`).join(', ');
  const aliases = [...keyColumns.map((_, i) => `k${i}`), ...columns.map((_, i) => `c${i}`)].join(', ');
  const assignments = columns.map((_, i) => `?? = v.c${i}`).join(', ');
  const bindings: unknown[] = [table, ...columns.map((c) => c.name)];
  for (const update of updates) {
    bindings.push(...[update.key].flat(), ...columns.map((c) => toParameter(update.values[c.name])));
  }
  bindings.push(...keyColumns.map((k) => k.name));
  const match = keyColumns.map((_, i) => `t.?? = v.k${i}`).join(' AND ');
  await trx.raw(`UPDATE ?? AS t SET ${assignments} FROM (VALUES ${rows}) AS v(${aliases}) WHERE ${match}`, bindings as Knex.RawBinding[]);
}

/**
 * The declared type without its length or precision: casting to varchar(10) would silently
 * truncate, while assigning to the column raises an error as a plain UPDATE would.
 */
function castType(declared: string): string {
  // bit without a length means bit(1), so bit(n) keeps its length.
  return /^bit\(/.test(declared) ? declared : declared.replace(/\(\d+(?:,\s*\d+)?\)/g, '');
}

function toParameter(value: unknown): unknown {
  // pg would send a Date in the process's time zone, and casting that to `timestamp` drops the zone.
  return value instanceof Date ? value.toISOString() : value;
}
