import type { Knex } from 'knex';
import { expect, it } from 'vitest';
import { FIRST_BATCH_SIZE } from '../../../src/core/batch-size.js';
import type { Session } from '../../../src/core/session.js';
import { planSweep } from '../../../src/core/sweep-plan.js';
import { executeSweep, type TaskProgress } from '../../../src/core/sweep-run.js';
import { SWEEP_STATE_TABLE } from '../../../src/db/sweep-state.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { useSessionPerTest } from '../../support/workspace.js';

const DAY = 86_400_000;
const now = new Date('2026-05-01T00:00:00Z');
const ROWS = 4_321;

/** Keys scattered over 90 days, so that the due rows of a key range have gaps. */
const ageOf = (id: number) => ((id * 37) % 90) * DAY + 3_600_000;

/** Two tables of ROWS rows, their times spread over 90 days. */
async function buildNotes(knex: Knex): Promise<void> {
  for (const table of ['notes', 'visits', SWEEP_STATE_TABLE]) await knex.schema.dropTableIfExists(table);
  for (const table of ['notes', 'visits']) {
    await knex.schema.createTable(table, (t) => {
      t.integer('id').primary();
      t.datetime('created_at').notNullable();
      t.string('body', 80).nullable();
    });
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      id: i + 1,
      created_at: new Date(now.getTime() - ageOf(i + 1)).toISOString().slice(0, 19).replace('T', ' '),
      body: `row ${i + 1}`,
    }));
    for (let i = 0; i < rows.length; i += 500) await knex(table).insert(rows.slice(i, i + 500));
  }
}

const map = `
subjects:
  writer:
    table: notes
    identifiers: { id: { column: id, type: id } }
tables:
  notes:
    primaryKey: id
    columns:
      created_at: keep
      body: { category: free_text, strategy: { template: "note-{id}" } }
    retention: { timestamp: created_at, anonymizeAfter: 30 days }
  visits:
    primaryKey: id
    columns:
      created_at: keep
      body: { category: free_text, strategy: "null" }
    retention: { timestamp: created_at, deleteAfter: 60 days }
`;

/**
 * Without --batch-size the sweep sizes its batches by the time they take (timedBatchSize).
 * Whatever sizes it picks, the sweep must end as one with a fixed size: every due row done,
 * no other row touched, each row in one batch.
 */
describeEachDatabase('a sweep sizing its batches by time', (target) => {
  let database: TestDatabase;
  let session: Session;
  useSessionPerTest(target, map, buildNotes, (current) => ({ database, session } = current));

  it('does every due row once, in batches that start at 1,000 and then follow time, and nothing else', async () => {
    const looked = new Map<string, number[]>();
    const summary = await executeSweep(session, await planSweep(session, { now, count: false }), {
      onProgress: (p: TaskProgress) => {
        const before = looked.get(p.task.table) ?? [];
        looked.set(p.task.table, [...before, p.done - before.reduce((a, b) => a + b, 0)]);
      },
    });
    expect(summary.tasks.every((t) => t.complete)).toBe(true);

    const dueNotes = Array.from({ length: ROWS }, (_, i) => i + 1).filter((id) => ageOf(id) > 30 * DAY);
    const keptVisits = Array.from({ length: ROWS }, (_, i) => i + 1).filter((id) => ageOf(id) <= 60 * DAY);
    const notes = (await database.knex('notes').select('id', 'body').orderBy('id')) as { id: number; body: string }[];
    expect(notes.filter((r) => r.body.startsWith('note-')).map((r) => Number(r.id))).toEqual(dueNotes);
    expect(notes.filter((r) => !r.body.startsWith('note-')).every((r) => r.body === `row ${r.id}`)).toBe(true);
    const visits = (await database.knex('visits').select('id').orderBy('id')) as { id: number }[];
    expect(visits.map((r) => Number(r.id))).toEqual(keptVisits);

    // Each task's batches: the first of 1,000, then sizes the time chose; together, each due row once.
    for (const [table, due] of [
      ['notes', dueNotes.length],
      ['visits', ROWS - keptVisits.length],
    ] as const) {
      const batches = looked.get(table)!;
      expect(batches[0]).toBe(FIRST_BATCH_SIZE);
      expect(batches.reduce((a, b) => a + b, 0)).toBe(due);
      expect(summary.tasks.find((t) => t.task.table === table)!.batches).toBe(batches.length);
    }

    // A second sweep right after changes nothing.
    const again = await executeSweep(session, await planSweep(session, { now }), {});
    expect(again.totals.changed).toBe(0);
  });
});
