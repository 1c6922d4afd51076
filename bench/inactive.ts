/**
 * The `inactive` case: customers with their sessions (an activity) and orders, most of them
 * inactive for longer than the period. lethe's sweep (its inactive pass: each person erased
 * whole, audited, in batches) against a hand-written set-based erasure of the same people:
 * the due people in a temporary table, then one UPDATE or DELETE per table, one transaction.
 *
 * Each measured run is a child process of its own (`node inactive.js --child '<job>'`), on a
 * freshly built set of tables, like the other cases.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { before, parseDuration } from '../src/config/duration.js';
import { openDatabase } from '../src/db/connect.js';
import { answerParent, peakRssMb, runInChild } from './child.js';
import { scratchSqlite, type BenchDatabase, type BenchDialect } from './databases.js';

/** The sweep's "now", fixed so the people due do not depend on the day the benchmark runs. */
const NOW = new Date('2026-01-01T00:00:00Z');
const INACTIVE_FOR = '365 days';
const CUTOFF = before(NOW, parseDuration(INACTIVE_FOR)!);
const CUTOFF_TEXT = CUTOFF.toISOString().slice(0, 19).replace('T', ' ');
const SPREAD_DAYS = 2000;

export interface InactiveJob {
  runner: 'lethe' | 'baseline';
  dialect: BenchDialect;
  connection: string;
  configPath: string;
  /** Absent: lethe sizes its batches itself, as `lethe sweep` does. */
  batchSize?: number;
}

export interface InactiveMeasure {
  seconds: number;
  peakRssMb: number;
  /** lethe: of `seconds`, the plan (counting the people due). */
  planSeconds?: number;
  people: number;
}

export interface InactiveResult {
  dialect: BenchDialect;
  case: 'inactive';
  /** Customers in the table. */
  rows: number;
  /** People due (erased by both sides). */
  due: number;
  lethe_people_per_s: number;
  baseline_people_per_s: number;
  /** The same rates, under the names the other cases use (a row here is a person). */
  lethe_rows_per_s: number;
  baseline_rows_per_s: number;
  ratio: number;
  target: number;
  /** The absolute floor the issue sets on SQLite (people per second), or null elsewhere. */
  floor_people_per_s: number | null;
  lethe_seconds: number;
  baseline_seconds: number;
  lethe_plan_s: number;
  peak_rss_mb: number;
  baseline_peak_rss_mb: number;
  /** null: lethe's own batch sizes (sized by time). */
  batch_size: number | null;
  same_result: boolean;
}

export const INACTIVE_TARGET = 0.5;
export const INACTIVE_FLOOR_SQLITE = 5000;

/** Builds customers (`people` of them), two sessions and one order each; about 82% are inactive. */
export async function buildInactiveTables(knex: Knex, dialect: BenchDialect, people: number): Promise<void> {
  for (const table of ['sessions', 'orders', 'customers', 'lethe_sweep_state', 'lethe_commit']) await knex.schema.dropTableIfExists(table);
  const engine = dialect === 'mysql' ? ' ENGINE=InnoDB' : '';
  const ts = dialect === 'postgres' ? 'timestamp' : 'datetime';
  await knex.raw(`CREATE TABLE customers (id integer PRIMARY KEY, email varchar(255), full_name varchar(100) NOT NULL, phone varchar(32),
    signed_up ${ts} NOT NULL, last_seen ${ts})${engine}`);
  await knex.raw(
    `CREATE TABLE sessions (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id), ip varchar(45), at ${ts} NOT NULL)${engine}`,
  );
  await knex.raw(`CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id), total_cents integer NOT NULL,
    shipping_name varchar(100))${engine}`);
  const ageDays = `((n * 7919) % ${SPREAD_DAYS})`;
  const sql = generator(dialect, people);
  const daysBefore = (days: string) => sql.daysBeforeNow(days);
  await knex.raw(`INSERT INTO customers (id, email, full_name, phone, signed_up, last_seen)
    SELECT n, ${sql.concat(`'customer'`, 'n', `'@example.com'`)}, ${sql.concat(`'Customer '`, 'n')}, ${sql.concat(`'+44 7700 9'`, 'n % 100000')},
      ${daysBefore(`${SPREAD_DAYS} + 100`)}, ${daysBefore(ageDays)} FROM ${sql.numbers}`);
  await knex.raw(
    `INSERT INTO sessions (id, customer_id, ip, at) SELECT 2 * n, n, ${sql.concat(`'192.0.2.'`, 'n % 250')}, ${daysBefore(ageDays)} FROM ${sql.numbers}`,
  );
  await knex.raw(`INSERT INTO sessions (id, customer_id, ip, at) SELECT 2 * n + 1, n, NULL, ${daysBefore(`${ageDays} + 10`)} FROM ${sql.numbers}`);
  await knex.raw(
    `INSERT INTO orders (id, customer_id, total_cents, shipping_name) SELECT n, n, n % 10000, ${sql.concat(`'Customer '`, 'n')} FROM ${sql.numbers}`,
  );
  // Indexes both sides need: the links below a customer, and the activity times.
  await knex.raw('CREATE INDEX sessions_customer ON sessions (customer_id)');
  await knex.raw('CREATE INDEX orders_customer ON orders (customer_id)');
  await knex.raw('CREATE INDEX customers_last_seen ON customers (last_seen)');
  if (dialect === 'sqlite') await knex.raw('ANALYZE');
  else if (dialect === 'postgres') await knex.raw('VACUUM ANALYZE customers, sessions, orders');
  else await knex.raw('ANALYZE TABLE customers, sessions, orders');
}

function generator(dialect: BenchDialect, people: number): { numbers: string; concat(...parts: string[]): string; daysBeforeNow(days: string): string } {
  const now = NOW.toISOString().slice(0, 19).replace('T', ' ');
  if (dialect === 'sqlite') {
    return {
      numbers: `(WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${people}) SELECT n FROM seq) AS numbers`,
      concat: (...parts) => parts.join(' || '),
      daysBeforeNow: (days) => `datetime('${now}', '-' || (${days}) || ' days')`,
    };
  }
  if (dialect === 'postgres') {
    return {
      numbers: `generate_series(1, ${people}) AS s(n)`,
      concat: (...parts) => parts.map((p) => `(${p})::text`).join(' || '),
      daysBeforeNow: (days) => `(TIMESTAMP '${now}' - make_interval(days => (${days})::int))`,
    };
  }
  return {
    numbers: `(SELECT seq AS n FROM seq_1_to_${people}) AS numbers`,
    concat: (...parts) => `CONCAT(${parts.join(', ')})`,
    daysBeforeNow: (days) => `TIMESTAMPADD(DAY, -(${days}), '${now}')`,
  };
}

/** The data map: constants for the personal columns (what a set-based statement can write too). */
export function inactiveMap(dialect: BenchDialect, connection: string, auditPath: string): string {
  return JSON.stringify(
    {
      database: { client: dialect, connection },
      audit: { path: auditPath },
      subjects: { customer: { table: 'customers', identifiers: { email: { column: 'email', type: 'email' } }, name: 'full_name' } },
      tables: {
        customers: {
          primaryKey: 'id',
          columns: {
            email: { category: 'contact.email', strategy: null },
            full_name: { category: 'name', strategy: 'empty' },
            phone: { category: 'contact.phone', strategy: null },
            signed_up: 'keep',
            last_seen: 'keep',
          },
          retention: { inactiveFor: INACTIVE_FOR, activity: ['customers.last_seen', 'sessions.at'] },
        },
        sessions: {
          primaryKey: 'id',
          belongsTo: { customers: 'customer_id' },
          onErase: 'delete',
          columns: { customer_id: 'keep', ip: { category: 'network', strategy: null }, at: 'keep' },
        },
        orders: {
          primaryKey: 'id',
          belongsTo: { customers: 'customer_id' },
          columns: { customer_id: 'keep', total_cents: 'keep', shipping_name: { category: 'name', strategy: null } },
        },
      },
    },
    null,
    2,
  );
}

/**
 * The hand-written erasure: who is due, once, into a temporary table keyed by id, then one
 * statement per table joined to it (MariaDB plans a multi-table UPDATE or DELETE with a join
 * far better than one with IN (subquery)), in one transaction.
 */
async function baseline(knex: Knex, dialect: BenchDialect): Promise<number> {
  return knex.transaction(async (trx) => {
    await trx.raw('DROP TABLE IF EXISTS due_people');
    await trx.raw('CREATE TEMPORARY TABLE due_people (id integer PRIMARY KEY)');
    await trx.raw(
      `INSERT INTO due_people (id) SELECT id FROM customers c WHERE c.last_seen < ?
         AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.customer_id = c.id AND s.at >= ?)`,
      [CUTOFF_TEXT, CUTOFF_TEXT],
    );
    if (dialect === 'mysql') {
      await trx.raw('UPDATE orders o JOIN due_people d ON d.id = o.customer_id SET o.shipping_name = NULL');
      await trx.raw('DELETE s FROM sessions s JOIN due_people d ON d.id = s.customer_id');
      await trx.raw("UPDATE customers c JOIN due_people d ON d.id = c.id SET c.email = NULL, c.full_name = '', c.phone = NULL");
    } else {
      await trx.raw('UPDATE orders SET shipping_name = NULL WHERE customer_id IN (SELECT id FROM due_people)');
      await trx.raw('DELETE FROM sessions WHERE customer_id IN (SELECT id FROM due_people)');
      await trx.raw("UPDATE customers SET email = NULL, full_name = '', phone = NULL WHERE id IN (SELECT id FROM due_people)");
    }
    const [row] = (await trx('due_people').count({ n: '*' })) as { n: number | string }[];
    await trx.raw('DROP TABLE due_people');
    return Number(row!.n);
  });
}

/** What both sides must leave: counts and sums over what they change. */
async function fingerprint(knex: Knex): Promise<string> {
  const [c] = (await knex('customers').select(
    knex.raw("count(*) AS n, sum(CASE WHEN email IS NULL AND full_name = '' AND phone IS NULL THEN id ELSE 0 END) AS erased"),
  )) as Record<string, unknown>[];
  const [s] = (await knex('sessions').select(knex.raw('count(*) AS n, sum(customer_id) AS owners'))) as Record<string, unknown>[];
  const [o] = (await knex('orders').select(knex.raw('sum(CASE WHEN shipping_name IS NULL THEN id ELSE 0 END) AS erased'))) as Record<string, unknown>[];
  return JSON.stringify([c, s, o].map((r) => Object.values(r!).map((v) => String(v))));
}

async function measure(job: InactiveJob): Promise<InactiveMeasure> {
  if (job.runner === 'baseline') {
    const knex = openDatabase({ client: job.dialect, connection: job.connection });
    try {
      await knex.raw('SELECT 1');
      const started = performance.now();
      const people = await baseline(knex, job.dialect);
      return { seconds: (performance.now() - started) / 1000, peakRssMb: peakRssMb(), people };
    } finally {
      await knex.destroy();
    }
  }
  const { openSession } = await import('../src/core/session.js');
  const { planSweep } = await import('../src/core/sweep-plan.js');
  const { executeSweep } = await import('../src/core/sweep-run.js');
  const session = await openSession({ configPath: job.configPath, env: {}, operator: 'bench' });
  try {
    const started = performance.now();
    // As `lethe sweep --yes` runs: no up-front count.
    const plan = await planSweep(session, { now: NOW, count: false });
    const planned = performance.now();
    const summary = await executeSweep(session, plan, job.batchSize === undefined ? {} : { batchSize: job.batchSize });
    const seconds = (performance.now() - started) / 1000;
    if (summary.stopped || summary.tasks.some((t) => !t.complete)) throw new Error('The sweep stopped before the end.');
    return { seconds, planSeconds: (planned - started) / 1000, peakRssMb: peakRssMb(), people: summary.tasks.reduce((n, t) => n + (t.people ?? 0), 0) };
  } finally {
    await session.close();
  }
}

const script = fileURLToPath(import.meta.url);

function runChild(job: InactiveJob): Promise<InactiveMeasure> {
  return runInChild(script, ['--child'], job, `The ${job.runner} run on ${job.dialect} (inactive)`);
}

/**
 * Runs the case on one database: for each side, a fresh build of `people` customers, then the
 * measured run in a child; the fastest of `repeat` runs counts.
 */
export async function inactiveBench(
  db: BenchDatabase,
  options: { people: number; batchSize?: number; repeat: number; log: (line: string) => void },
): Promise<InactiveResult> {
  const runs: Record<InactiveJob['runner'], InactiveMeasure[]> = { lethe: [], baseline: [] };
  const prints: Record<InactiveJob['runner'], string> = { lethe: '', baseline: '' };
  for (let i = 0; i < options.repeat; i += 1) {
    for (const runner of i % 2 === 0 ? (['lethe', 'baseline'] as const) : (['baseline', 'lethe'] as const)) {
      const target = await freshTables(db, runner, options.people);
      try {
        const configPath = path.join(db.dir, `inactive-${runner}.json`);
        const auditPath = path.join(db.dir, `inactive-${runner}-audit.db`);
        await rm(auditPath, { force: true });
        await writeFile(configPath, inactiveMap(db.dialect, target.connection, auditPath), { mode: 0o600 });
        const started = performance.now();
        const result = await runChild({
          runner,
          dialect: db.dialect,
          connection: target.connection,
          configPath,
          ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        });
        options.log(
          `  inactive ${runner} on ${db.dialect}: ${result.people.toLocaleString('en')} people in ${result.seconds.toFixed(2)} s (wall ${((performance.now() - started) / 1000).toFixed(1)} s)`,
        );
        runs[runner].push(result);
        prints[runner] = await fingerprint(target.knex);
      } finally {
        await target.close();
      }
    }
  }
  const best = (list: InactiveMeasure[]) => list.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const lethe = best(runs.lethe);
  const base = best(runs.baseline);
  const due = base.people;
  return {
    dialect: db.dialect,
    case: 'inactive',
    rows: options.people,
    due,
    lethe_people_per_s: round(lethe.people / lethe.seconds),
    baseline_people_per_s: round(due / base.seconds),
    lethe_rows_per_s: round(lethe.people / lethe.seconds),
    baseline_rows_per_s: round(due / base.seconds),
    ratio: Math.round((base.seconds / lethe.seconds) * 1000) / 1000,
    target: INACTIVE_TARGET,
    floor_people_per_s: db.dialect === 'sqlite' ? INACTIVE_FLOOR_SQLITE : null,
    lethe_seconds: lethe.seconds,
    baseline_seconds: base.seconds,
    lethe_plan_s: lethe.planSeconds ?? 0,
    peak_rss_mb: Math.round(lethe.peakRssMb),
    baseline_peak_rss_mb: Math.round(base.peakRssMb),
    batch_size: options.batchSize ?? null,
    same_result: prints.lethe === prints.baseline && lethe.people === due,
  };
}

const round = (n: number) => Math.round(n);

async function freshTables(db: BenchDatabase, runner: string, people: number): Promise<{ connection: string; knex: Knex; close(): Promise<void> }> {
  let target: { connection: string; knex: Knex; close(): Promise<void> };
  if (db.dialect === 'sqlite') {
    target = await scratchSqlite(db, `inactive-${runner}`);
  } else {
    const knex = openDatabase({ client: db.dialect, connection: db.connection });
    target = { connection: db.connection, knex, close: () => knex.destroy() };
  }
  await buildInactiveTables(target.knex, db.dialect, people);
  return target;
}

if (process.argv[2] === '--child') answerParent(measure(JSON.parse(process.argv[3] ?? '{}') as InactiveJob));
