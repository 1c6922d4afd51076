import type { Knex } from 'knex';
import { expect, it } from 'vitest';
import { digestKeys, type AuditKey } from '../../../src/audit/index.js';
import type { Session } from '../../../src/core/session.js';
import { planSweep } from '../../../src/core/sweep-plan.js';
import { executeSweep } from '../../../src/core/sweep-run.js';
import { SWEEP_STATE_TABLE } from '../../../src/db/sweep-state.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { useSessionPerTest } from '../../support/workspace.js';

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
 * A set-based task over many due rows spans rows of the table, due or not (KeysetBatch.spanRows):
 * whatever the spans, the sweep must change exactly the due rows not yet holding the constants,
 * and record each batch with exactly its keys, in the database's key order, digest included.
 */
describeEachDatabase('a set-based sweep spanning rows of the table', (target) => {
  let database: TestDatabase;
  let session: Session;
  useSessionPerTest(target, map, build, (current) => ({ database, session } = current));

  for (const sizing of [{ batchSize: 7 }, { batchSize: 2 }, {}] as const) {
    it(`changes and records exactly the due rows, under keys of every kind (${sizing.batchSize ? `${sizing.batchSize} rows a span` : 'spans sized by time'})`, async () => {
      const plan = await planSweep(session, { now, count: false });
      const summary = await executeSweep(session, plan, sizing);
      expect(summary.tasks.every((t) => t.complete)).toBe(true);
      const entries = session.audit.list({ requestId: plan.requestId });

      for (const table of TABLES) {
        const order = orderBy(table);
        const rows = (await database.knex(table).select('*').orderBy(order)) as Record<string, unknown>[];
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
        expect(summary.tasks.find((t) => t.task.table === table)!.changed).toBe(changed.length);
      }
      expect(entries.filter((e) => e.phase === 'outcome' && e.outcome !== 'ok')).toEqual([]);

      // A second sweep changes nothing.
      const again = await executeSweep(session, await planSweep(session, { now }), sizing);
      expect(again.totals.changed).toBe(0);
    });
  }

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
