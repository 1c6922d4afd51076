/**
 * The benchmark's tables, generated inside the database (a recursive CTE, generate_series,
 * MariaDB's sequence engine) so that millions of rows take seconds, and deterministic, so
 * that lethe and the baseline each get the same rows on a freshly built table.
 */
import type { Knex } from 'knex';
import { before, parseDuration } from '../src/config/duration.js';
import type { BenchDialect } from './databases.js';

export type BenchCase = 'sql' | 'redact' | 'nightly';
export const BENCH_CASES: readonly BenchCase[] = ['sql', 'redact', 'nightly'];

/** The sweep's "now": fixed, so the rows due do not depend on the day the benchmark runs. */
export const NOW = new Date('2026-01-01T00:00:00Z');
/** Timestamps spread over the 2000 days before NOW, so about 82% of the rows are past this. */
export const ANONYMIZE_AFTER = '365 days';
export const CUTOFF = before(NOW, parseDuration(ANONYMIZE_AFTER)!);
/** The cutoff as the timestamp columns hold time: UTC text (SQLite), timestamp / DATETIME (servers). */
export const CUTOFF_TEXT = CUTOFF.toISOString().slice(0, 19).replace('T', ' ');
/** nightly: the next night's sweep runs a day later; its rows are those between the two cutoffs. */
export const NEXT_NOW = new Date(NOW.getTime() + 86_400_000);
export const NEXT_CUTOFF_TEXT = before(NEXT_NOW, parseDuration(ANONYMIZE_AFTER)!).toISOString().slice(0, 19).replace('T', ' ');

export const SPREAD_DAYS = 2000;
const NOW_EPOCH = NOW.getTime() / 1000;
/** Rows per INSERT ... SELECT on MariaDB/MySQL: bounded transactions while loading. */
const MYSQL_LOAD_CHUNK = 200_000;

export interface CaseTable {
  table: string;
  /** The data map's `tables` entry and a subject on the table (a map needs one). */
  mapping: Record<string, unknown>;
  subject: Record<string, unknown>;
}

/** Accounts whose personal columns get constants: one set-based UPDATE per batch. */
const ACCOUNTS: CaseTable = {
  table: 'accounts',
  subject: { table: 'accounts', identifiers: { email: { column: 'email', type: 'email' } } },
  mapping: {
    primaryKey: 'id',
    columns: {
      created_at: 'keep',
      country: 'keep',
      full_name: { category: 'name', strategy: 'empty' },
      email: { category: 'contact.email', strategy: null },
      phone: { category: 'contact.phone', strategy: null },
    },
    retention: { timestamp: 'created_at', anonymizeAfter: ANONYMIZE_AFTER },
  },
};

export const CASE_TABLES: Record<BenchCase, CaseTable> = {
  sql: ACCOUNTS,
  // The same table with an index on its timestamp, swept a first time before the measured night.
  nightly: ACCOUNTS,
  redact: {
    table: 'messages',
    subject: { table: 'messages', identifiers: { id: { column: 'id', type: 'id' } } },
    mapping: {
      primaryKey: 'id',
      columns: {
        conversation_id: 'keep',
        sender: 'keep',
        created_at: 'keep',
        body: { category: 'content', strategy: 'redact' },
      },
      retention: { timestamp: 'created_at', anonymizeAfter: ANONYMIZE_AFTER },
    },
  },
};

/** The data map for one case, as JSON (which is YAML). */
export function dataMapFor(benchCase: BenchCase, dialect: BenchDialect, connection: string, auditPath: string): string {
  const { table, mapping, subject } = CASE_TABLES[benchCase];
  return JSON.stringify(
    {
      database: { client: dialect, connection },
      audit: { path: auditPath },
      subjects: { person: subject },
      tables: { [table]: mapping },
    },
    null,
    2,
  );
}

/** SQL pieces that differ between the dialects, for the row generators below. */
interface SqlFlavour {
  concat(...parts: string[]): string;
  /** `expr` as text of `width` digits with leading zeros. */
  padded(expr: string, width: number): string;
  /** A timestamp `seconds` before NOW, in the column's type. */
  secondsBeforeNow(seconds: string): string;
  /** Integer division. */
  div(a: string, b: string): string;
  timestampType: string;
  textType: string;
}

const FLAVOURS: Record<BenchDialect, SqlFlavour> = {
  sqlite: {
    concat: (...parts) => parts.join(' || '),
    padded: (expr, width) => `printf('%0${width}d', ${expr})`,
    secondsBeforeNow: (seconds) => `datetime(${NOW_EPOCH} - (${seconds}), 'unixepoch')`,
    div: (a, b) => `(${a}) / (${b})`,
    timestampType: 'datetime',
    textType: 'text',
  },
  postgres: {
    concat: (...parts) => parts.map((p) => `(${p})::text`).join(' || '),
    padded: (expr, width) => `lpad((${expr})::text, ${width}, '0')`,
    secondsBeforeNow: (seconds) => `to_timestamp(${NOW_EPOCH} - (${seconds})) AT TIME ZONE 'UTC'`,
    div: (a, b) => `(${a}) / (${b})`,
    timestampType: 'timestamp',
    textType: 'text',
  },
  mysql: {
    concat: (...parts) => `CONCAT(${parts.join(', ')})`,
    padded: (expr, width) => `LPAD(${expr}, ${width}, '0')`,
    secondsBeforeNow: (seconds) => `TIMESTAMPADD(SECOND, -(${seconds}), '${NOW.toISOString().slice(0, 19).replace('T', ' ')}')`,
    div: (a, b) => `(${a}) DIV (${b})`,
    timestampType: 'datetime',
    textType: 'text',
  },
};

/** Row n's age in seconds: days scattered over `days` (7919 is prime to them) by a multiplicative hash of n, plus a time of day. */
const age = (days: number) => `((n * 7919) % ${days}) * 86400 + (n % 86400)`;

interface CaseSql {
  create: string;
  /** Columns and the SELECT list over a relation with one column `n`. */
  columns: string;
  select: string;
}

function caseSql(benchCase: BenchCase, dialect: BenchDialect, days: number): CaseSql {
  const f = FLAVOURS[dialect];
  const q = (name: string) => (dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
  const engine = dialect === 'mysql' ? ' ENGINE=InnoDB' : '';
  if (benchCase === 'sql' || benchCase === 'nightly') {
    return {
      create: `CREATE TABLE ${q('accounts')} (id integer PRIMARY KEY, created_at ${f.timestampType} NOT NULL, full_name varchar(100) NOT NULL,
        email varchar(255), phone varchar(32), country char(2) NOT NULL)${engine}`,
      columns: 'id, created_at, full_name, email, phone, country',
      select: [
        'n',
        f.secondsBeforeNow(age(days)),
        f.concat(`'Customer '`, 'n'),
        f.concat(`'customer'`, 'n', `'@example.com'`),
        f.concat(`'+44 7700 9'`, f.padded('n % 100000', 5)),
        `'GB'`,
      ].join(', '),
    };
  }
  // Three bodies in four hold an e-mail address, a phone number or both; the fourth has nothing to redact.
  const body = `CASE n % 4
      WHEN 0 THEN ${f.concat(`'Hello, this is about my order '`, 'n', `'. Please write to me at client'`, 'n', `'@example.com when it ships.'`)}
      WHEN 1 THEN ${f.concat(`'Hello, this is about my order '`, 'n', `'. You can call me on 020 7946 0'`, f.padded('n % 1000', 3), `' after five.'`)}
      WHEN 2 THEN ${f.concat(`'Hi, order '`, 'n', `' arrived damaged. Mail c'`, 'n', `'@example.org or ring +44 7700 900'`, f.padded('n % 1000', 3), `', thanks.'`)}
      ELSE ${f.concat(`'Thanks for the quick help with order '`, 'n', `', all sorted now.'`)}
    END`;
  return {
    create: `CREATE TABLE ${q('messages')} (id integer PRIMARY KEY, conversation_id integer NOT NULL, sender varchar(16) NOT NULL,
      body ${f.textType} NOT NULL, created_at ${f.timestampType} NOT NULL)${engine}`,
    columns: 'id, conversation_id, sender, body, created_at',
    select: ['n', `${f.div('n', '8')} + 1`, `CASE WHEN n % 2 = 0 THEN 'customer' ELSE 'agent' END`, body, f.secondsBeforeNow(age(days))].join(', '),
  };
}

/** Drops and rebuilds the case's table with `rows` rows over `days` days; afterwards the table is analyzed (and vacuumed on PostgreSQL). */
export async function buildTable(knex: Knex, dialect: BenchDialect, benchCase: BenchCase, rows: number, days = SPREAD_DAYS): Promise<void> {
  const { table } = CASE_TABLES[benchCase];
  const sql = caseSql(benchCase, dialect, days);
  await knex.schema.dropTableIfExists(table);
  await knex.schema.dropTableIfExists('lethe_sweep_state');
  await knex.raw(sql.create);
  if (benchCase === 'nightly') await knex.raw(`CREATE INDEX accounts_created_at ON accounts (created_at)`);
  if (dialect === 'sqlite') {
    await knex.raw(`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${rows})
      INSERT INTO ${table} (${sql.columns}) SELECT ${sql.select} FROM seq`);
    await knex.raw('ANALYZE');
  } else if (dialect === 'postgres') {
    await knex.raw(`INSERT INTO ${table} (${sql.columns}) SELECT ${sql.select} FROM generate_series(1::bigint, ${rows}::bigint) AS s(n)`);
    // Sets hint bits and the visibility map now, so neither measured run pays for the first
    // read; the checkpoint writes the load out now rather than during the measured run.
    await knex.raw(`VACUUM ANALYZE ${table}`);
    await knex.raw('CHECKPOINT').catch(() => undefined);
  } else {
    const sequence = await hasSequenceEngine(knex);
    for (let start = 1; start <= rows; start += MYSQL_LOAD_CHUNK) {
      const end = Math.min(rows, start + MYSQL_LOAD_CHUNK - 1);
      // MariaDB's sequence engine; MySQL gets a recursive CTE of the same numbers.
      const numbers = sequence
        ? `(SELECT seq AS n FROM seq_${start}_to_${end}) AS s`
        : `(WITH RECURSIVE r(n) AS (SELECT ${start} UNION ALL SELECT n + 1 FROM r WHERE n < ${end}) SELECT n FROM r) AS s`;
      if (!sequence) await knex.raw(`SET SESSION cte_max_recursion_depth = ${MYSQL_LOAD_CHUNK + 1}`);
      await knex.raw(`INSERT INTO ${table} (${sql.columns}) SELECT ${sql.select} FROM ${numbers}`);
    }
    await knex.raw(`ANALYZE TABLE ${table}`);
  }
}

async function hasSequenceEngine(knex: Knex): Promise<boolean> {
  try {
    await knex.raw('SELECT seq FROM seq_1_to_1');
    return true;
  } catch {
    return false;
  }
}

/** Counts that tell whether two runs left the table in the same state. */
export async function fingerprint(knex: Knex, dialect: BenchDialect, benchCase: BenchCase): Promise<string> {
  const sql =
    benchCase !== 'redact'
      ? `SELECT count(*) AS a, count(email) AS b, count(phone) AS c, sum(CASE WHEN full_name = '' THEN 1 ELSE 0 END) AS d FROM accounts`
      : `SELECT count(*) AS a, sum(length(body)) AS b, sum(CASE WHEN body LIKE '%[EMAIL]%' THEN 1 ELSE 0 END) AS c,
           sum(CASE WHEN body LIKE '%[PHONE]%' THEN 1 ELSE 0 END) AS d FROM messages`;
  const result: unknown = await knex.raw(sql);
  const rows = (dialect === 'sqlite' ? result : dialect === 'postgres' ? (result as { rows: unknown[] }).rows : (result as unknown[][])[0]) as Record<
    string,
    unknown
  >[];
  const row = rows[0] ?? {};
  return ['a', 'b', 'c', 'd'].map((k) => String(Number(row[k] ?? 0))).join('/');
}
