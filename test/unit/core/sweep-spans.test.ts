import type { Knex } from 'knex';
import { expect, it } from 'vitest';
import { digestKeys, type AuditEntry, type AuditKey } from '../../../src/audit/index.js';
import type { Session } from '../../../src/core/session.js';
import { planSweep } from '../../../src/core/sweep-plan.js';
import { executeSweep } from '../../../src/core/sweep-run.js';
import { SWEEP_STATE_TABLE } from '../../../src/db/sweep-state.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { useSessionPerTest, type Workspace } from '../../support/workspace.js';

const DAY = 86_400_000;
const now = new Date('2026-05-01T00:00:00Z');
const ROWS = 150;

/** Row i's age: a run of 30 rows in the middle is recent (a span with nothing due); the rest alternate over 90 days. */
const ageOf = (i: number) => (i >= 60 && i < 90 ? 2 * DAY : ((i * 37) % 90) * DAY + 3_600_000);
const isDue = (i: number) => ageOf(i) > 30 * DAY;
/** Every seventh row already holds the constants: due or not, the sweep does not change it. */
const isBlank = (i: number) => i % 7 === 3;
const timeOf = (i: number) => new Date(now.getTime() - ageOf(i)).toISOString().slice(0, 19).replace('T', ' ');

/** The same rows under three kinds of key: sparse numbers, text of mixed case, and two columns. */
const KEYS = {
  members: (i: number) => ({ id: i * 3 + (i >= 100 ? 1_000_000 : 0) }),
  codes: (i: number) => ({ code: `${i % 2 === 0 ? 'c' : 'C'}-${String((i * 53) % 1000).padStart(3, '0')}-${i}` }),
  pairs: (i: number) => ({ a: i % 5, b: `k${String(i).padStart(4, '0')}` }),
} as const;
type Table = keyof typeof KEYS;
const TABLES = Object.keys(KEYS) as Table[];

async function build(knex: Knex): Promise<void> {
  for (const table of [...TABLES, SWEEP_STATE_TABLE]) await knex.schema.dropTableIfExists(table);
  await knex.schema.createTable('members', (t) => {
    t.integer('id').primary();
    columns(t);
  });
  await knex.schema.createTable('codes', (t) => {
    t.string('code', 40).primary();
    columns(t);
  });
  await knex.schema.createTable('pairs', (t) => {
    t.integer('a').notNullable();
    t.string('b', 20).notNullable();
    t.primary(['a', 'b']);
    columns(t);
  });
  for (const table of TABLES) {
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      ...KEYS[table](i),
      created_at: timeOf(i),
      name: isBlank(i) ? '' : `Name ${i}`,
      email: isBlank(i) ? null : `p${i}@example.com`,
      tier: isBlank(i) ? 'gone' : `tier ${i % 4}`,
      score: i,
    }));
    for (let i = 0; i < rows.length; i += 100) await knex(table).insert(rows.slice(i, i + 100));
  }
}

function columns(t: Knex.CreateTableBuilder): void {
  t.datetime('created_at').notNullable();
  t.string('name', 40).notNullable();
  t.string('email', 60).nullable();
  t.string('tier', 20).notNullable();
  t.integer('score').notNullable();
}

const rule = `
    columns:
      created_at: keep
      score: keep
      name: { category: name, strategy: empty }
      email: { category: contact.email, strategy: "null" }
      tier: { category: other, strategy: { value: gone } }
    retention: { timestamp: created_at, anonymizeAfter: 30 days }`;
const map = `
subjects:
  member:
    table: members
    identifiers: { email: { column: email, type: email } }
tables:
  members:
    primaryKey: id${rule}
  codes:
    primaryKey: code${rule}
  pairs:
    primaryKey: [a, b]${rule}
`;

/** A row's key as the audit holds it. */
function keyOf(table: Table, row: Record<string, unknown>): AuditKey {
  if (table === 'pairs') return [Number(row.a), String(row.b)];
  return table === 'members' ? Number(row.id) : String(row.code);
}

/**
 * A set-based task over many due rows spans rows of the table, due or not (KeysetBatch.spanRows;
 * MySQL/MariaDB reads its due keys first instead):
 * whatever the spans, the sweep must change exactly the due rows not yet holding the constants,
 * and record each batch with exactly its keys, in the database's key order, digest included.
 */
describeEachDatabase('a set-based sweep spanning rows of the table', (target) => {
  let database: TestDatabase;
  let session: Session;
  let workspace: Workspace;
  useSessionPerTest(target, map, build, (current) => ({ database, session, workspace } = current));

  /**
   * The tables hold what a finished sweep leaves, and the audit entries (of one run or several)
   * record exactly the changed keys, batch by batch, in the database's key order.
   */
  async function expectSweptAndRecorded(entries: AuditEntry[]): Promise<void> {
    for (const table of TABLES) {
      const rows = (await database.knex(table).select('*').orderBy(orderBy(table))) as Record<string, unknown>[];
      const byKey = new Map(Array.from({ length: ROWS }, (_, i) => [JSON.stringify(keyOf(table, KEYS[table](i))), i]));
      const indexOf = (row: Record<string, unknown>) => byKey.get(JSON.stringify(keyOf(table, row)))!;
      // The table: due rows hold the constants, the others are as they were.
      for (const row of rows) {
        const i = indexOf(row);
        const blank = isDue(i) || isBlank(i);
        expect({ i, name: row.name, email: row.email, tier: row.tier, score: Number(row.score) }).toEqual({
          i,
          name: blank ? '' : `Name ${i}`,
          email: blank ? null : `p${i}@example.com`,
          tier: blank ? 'gone' : `tier ${i % 4}`,
          score: i,
        });
      }
      // The keys the sweep changed, in the database's order.
      const changed = rows.filter((row) => isDue(indexOf(row)) && !isBlank(indexOf(row))).map((row) => keyOf(table, row));
      const position = new Map(rows.map((row, at) => [JSON.stringify(keyOf(table, row)), at]));
      const at = (key: AuditKey) => position.get(JSON.stringify(key))!;

      // Every batch: its rows, its key range and the digest of exactly the keys changed in it, in key order.
      const batches = entries.filter((e) => e.action === 'sweep-batch' && e.phase === 'intent' && e.tables[table]).map((e) => e.tables[table]!);
      expect(batches.length).toBeGreaterThan(0);
      let covered = 0;
      let previous = -1;
      for (const batch of batches) {
        const [first, last] = batch.keyRange!;
        expect(at(first)).toBeGreaterThan(previous);
        const keys = changed.filter((key) => at(key) >= at(first) && at(key) <= at(last));
        expect(batch.rows).toBe(keys.length);
        expect(batch.rows).toBeGreaterThan(0);
        expect(batch.keyDigest).toBe(digestKeys(keys));
        covered += keys.length;
        previous = at(last);
      }
      expect(covered).toBe(changed.length);
    }
    expect(entries.filter((e) => e.action === 'sweep-batch' && e.phase === 'outcome' && e.outcome !== 'ok')).toEqual([]);
  }

  for (const sizing of [{ batchSize: 7 }, { batchSize: 2 }, {}] as const) {
    it(`changes and records exactly the due rows, under keys of every kind (${sizing.batchSize ? `${sizing.batchSize} rows a span` : 'spans sized by time'})`, async () => {
      const plan = await planSweep(session, { now, count: false });
      const summary = await executeSweep(session, plan, sizing);
      expect(summary.tasks.every((t) => t.complete)).toBe(true);
      await expectSweptAndRecorded(session.audit.list({ requestId: plan.requestId }));
      for (const table of TABLES) {
        const task = summary.tasks.find((t) => t.task.table === table)!;
        expect(task.changed).toBe(Array.from({ length: ROWS }, (_, i) => i).filter((i) => isDue(i) && !isBlank(i)).length);
        // Spans of N rows of the table, the last one the table's last rows: not N due rows
        // (MySQL/MariaDB, whose UPDATE returns no keys, does not span).
        if (sizing.batchSize) expect(task.batches).toBe(Math.ceil((target.client === 'mysql' ? task.changed : ROWS) / sizing.batchSize));
      }

      // A second sweep changes nothing.
      const again = await executeSweep(session, await planSweep(session, { now }), sizing);
      expect(again.totals.changed).toBe(0);
    });
  }

  it.runIf(target.client !== 'mysql')('stopped after a span with nothing due, finishes the work on the next run, each row once', async () => {
    // Stops once the members' task has run a span that changed nothing (the recent rows).
    const stop = new AbortController();
    const changedBy = new Map<number, number>();
    const first = await planSweep(session, { now, table: 'members', count: false });
    const stopped = await executeSweep(session, first, {
      batchSize: 7,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.batches > 1 && p.changed === changedBy.get(p.batches - 1)) stop.abort();
        changedBy.set(p.batches, p.changed);
      },
    });
    expect(stopped.stopped?.reason).toBeDefined();
    expect(stopped.tasks[0]!.complete).toBe(false);
    expect(stopped.tasks[0]!.changed).toBeGreaterThan(0);
    const plan = await planSweep(session, { now, count: false });
    const rest = await executeSweep(session, plan, { batchSize: 7 });
    expect(rest.tasks.every((t) => t.complete)).toBe(true);
    await expectSweptAndRecorded([...session.audit.list({ requestId: first.requestId }), ...session.audit.list({ requestId: plan.requestId })]);
  });

  it.runIf(target.client === 'sqlite')('stops at a due row whose key is NULL rather than pass it over; one not due is left alone', async () => {
    const row = (code: string | null, i: number) => ({ code, created_at: timeOf(i), name: `Name ${i}`, email: null, tier: 't', score: i });
    const notDue = Array.from({ length: ROWS }, (_, i) => i).find((i) => !isDue(i))!;
    await database.knex('codes').insert(row(null, notDue));
    const passed = await executeSweep(session, await planSweep(session, { now, table: 'codes', count: false }), { batchSize: 7 });
    expect(passed.tasks[0]!.complete).toBe(true);
    expect(await database.knex('codes').whereNull('code').first()).toMatchObject({ name: `Name ${notDue}` });

    const due = Array.from({ length: ROWS }, (_, i) => i).find((i) => isDue(i))!;
    await database.knex('codes').insert(row(null, due));
    await database.knex('codes').update({ name: 'again' }).whereNotNull('code');
    await expect(executeSweep(session, await planSweep(session, { now, table: 'codes', count: false, full: true }), { batchSize: 7 })).rejects.toThrow(
      /have no key \(NULL in code\)/,
    );
    expect(await database.knex('codes').where({ name: '' }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it.runIf(target.client === 'postgres')('pages through a key that reads back shortened (microseconds), and refuses spans of one row of it', async () => {
    // timestamp(6) keys come back as JS Dates, to the millisecond: a span ending at one must
    // not lose the row, and a span of one row would start at that row again, forever.
    await database.knex.schema.dropTableIfExists('stamps');
    await database.knex.raw('CREATE TABLE stamps (ts timestamp(6) PRIMARY KEY, created_at timestamp NOT NULL, name text NOT NULL)');
    await database.knex.raw(
      `INSERT INTO stamps SELECT timestamp '2020-01-01' + n * interval '1001 microseconds', timestamp '2025-01-01', 'Name ' || n FROM generate_series(1, 40) AS n`,
    );
    await workspace.writeMap(
      `${map}  stamps:\n    primaryKey: ts\n    columns:\n      created_at: keep\n      name: { category: name, strategy: empty }\n    retention: { timestamp: created_at, anonymizeAfter: 30 days }\n`,
    );
    const stamps = await workspace.session();
    try {
      const swept = await executeSweep(stamps, await planSweep(stamps, { now, table: 'stamps', count: false }), { batchSize: 3 });
      expect(swept.tasks[0]!.changed).toBe(40);
      expect(await database.knex('stamps').whereNot({ name: '' }).count({ n: '*' })).toEqual([{ n: '0' }]);
      await database.knex('stamps').update({ name: 'again' });
      const plan = await planSweep(stamps, { now, table: 'stamps', count: false, full: true });
      await expect(executeSweep(stamps, plan, { batchSize: 1 })).rejects.toThrow(/does not read back as stored/);
    } finally {
      await stamps.close();
      await database.knex.schema.dropTableIfExists('stamps');
    }
  });

  it.runIf(target.client === 'sqlite')('fails the batch, rolled back, when a row it counted was not written (a trigger ignored it)', async () => {
    // Two due rows of the first span of 50: a trigger keeps the first from being written.
    const [kept, other] = Array.from({ length: 50 }, (_, i) => i).filter((i) => isDue(i) && !isBlank(i));
    await database.knex.raw(`CREATE TRIGGER keep_member BEFORE UPDATE ON members WHEN OLD.id = ${KEYS.members(kept!).id} BEGIN SELECT RAISE(IGNORE); END`);
    const plan = await planSweep(session, { now, table: 'members', count: false });
    await expect(executeSweep(session, plan, { batchSize: 50 })).rejects.toThrow(/changed while the sweep wrote them \(\d+ rows written, \d+ keys\)/);
    // The failed batch left nothing: the other due row of the span is as it was.
    const row = (await database.knex('members').where(KEYS.members(other!)).first()) as { name: string };
    expect(row.name).toBe(`Name ${other}`);
    const entries = session.audit.list({ requestId: plan.requestId });
    // It failed before it recorded keys it was not sure of: no batch entry, and the job failed.
    expect(entries.filter((e) => e.action === 'sweep-batch')).toEqual([]);
    expect(entries.filter((e) => e.action === 'sweep' && e.phase === 'outcome').map((e) => e.outcome)).toEqual(['failed']);
  });
});

function orderBy(table: Table): string[] {
  return table === 'pairs' ? ['a', 'b'] : table === 'members' ? ['id'] : ['code'];
}
