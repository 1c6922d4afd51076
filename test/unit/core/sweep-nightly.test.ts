import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Session } from '../../../src/core/session.js';
import { planSweep } from '../../../src/core/sweep-plan.js';
import { executeSweep } from '../../../src/core/sweep-run.js';
import { SWEEP_STATE_TABLE } from '../../../src/db/sweep-state.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { createWorkspace, type Workspace } from '../../support/workspace.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2026-03-03T02:00:00Z');

/**
 * The same rows twice: `events` with an index on its timestamp (read through the narrowing),
 * `events_plain` without (the exact test alone, as before). On SQLite the times are stored in
 * mixed forms: text with a space or T, Z or an offset, date only, and epoch milliseconds.
 */
async function buildEvents(knex: Knex, client: string): Promise<number[]> {
  const instants: number[] = [];
  for (const table of ['events', 'events_plain', SWEEP_STATE_TABLE]) await knex.schema.dropTableIfExists(table);
  for (const table of ['events', 'events_plain']) {
    await knex.schema.createTable(table, (t) => {
      t.integer('id').primary();
      t.datetime('created_at').nullable();
      t.string('secret', 50).nullable();
      t.string('note', 50).nullable();
    });
  }
  await knex.raw('CREATE INDEX events_created_at ON events (created_at)');
  const rows = [];
  // Every 5 hours over 70 days, the newest a day before now; keys scattered over time.
  for (let i = 0; i < 336; i += 1) {
    const at = now.getTime() - DAY - ((i * 149) % 336) * 5 * HOUR - (i % 7) * 60_000;
    instants.push(at);
    rows.push({ id: i + 1, created_at: stored(client, at, i), secret: `s${i}`, note: `n${i}` });
  }
  rows.push({ id: 1000, created_at: null, secret: 'never', note: 'never' });
  for (const table of ['events', 'events_plain']) for (let i = 0; i < rows.length; i += 100) await knex(table).insert(rows.slice(i, i + 100));
  return instants;
}

function stored(client: string, at: number, i: number): unknown {
  const iso = new Date(at).toISOString();
  if (client !== 'sqlite') return iso.slice(0, 19).replace('T', ' ');
  const shifted = (minutes: number) => {
    const wall = new Date(at + minutes * 60_000).toISOString().slice(0, 19);
    const sign = minutes < 0 ? '-' : '+';
    return `${wall}${sign}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;
  };
  switch (i % 6) {
    case 0:
      return iso.slice(0, 19).replace('T', ' ');
    case 1:
      return iso;
    case 2:
      return shifted(14 * 60 + 30);
    case 3:
      return shifted(-(13 * 60 + 45));
    case 4:
      return at;
    default:
      return i % 5 === 0 && at % DAY === 0 ? iso.slice(0, 10) : shifted(330);
  }
}

const map = `
subjects:
  person:
    table: events
    identifiers: { note: { column: note, type: id } }
tables:
${['events', 'events_plain']
  .map(
    (table) => `  ${table}:
    primaryKey: id
    columns:
      created_at: keep
      secret: "null"
      note: { strategy: { template: "note-{id}" } }
    retention: { timestamp: created_at, anonymizeAfter: 30 days }`,
  )
  .join('\n')}
`;

describeEachDatabase('the nightly sweep through the timestamp index', (target) => {
  let database: TestDatabase;
  let workspace: Workspace;
  let session: Session;
  let instants: number[];
  beforeAll(async () => {
    database = await target.create();
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    instants = await buildEvents(database.knex, target.client);
    workspace = await createWorkspace(database, map);
    session = await workspace.session();
  });
  afterEach(async () => {
    await session?.close();
    await workspace?.cleanup();
  });

  const rowsOf = async (table: string) => (await database.knex(table).select('id', 'secret').orderBy('id')) as { id: number; secret: string | null }[];

  it('anonymizes night after night exactly the rows the exact test finds, with and without the index, counted or not', async () => {
    const nights = [0, 1, 2, 5, 6, 40].map((days) => new Date(now.getTime() - 40 * DAY + days * DAY));
    for (const [n, night] of nights.entries()) {
      // Nights after the first start from the watermark: the narrowing has a lower bound.
      const plan = await planSweep(session, { now: night, count: n % 2 !== 1 });
      const indexed = plan.tasks.find((t) => t.table === 'events')!;
      expect(indexed.timestampIndexed).toBe(true);
      expect(plan.tasks.find((t) => t.table === 'events_plain')!.timestampIndexed).toBe(false);
      if (n > 0) expect(indexed.notBefore).toBeDefined();
      if (n % 2 === 1) expect(indexed.due).toBeUndefined();
      const summary = await executeSweep(session, plan, { batchSize: 7 });
      expect(summary.tasks.every((t) => t.complete)).toBe(true);
      const cutoff = night.getTime() - 30 * DAY;
      const expected = [...instants.entries()].filter(([, at]) => at < cutoff).map(([i]) => i + 1);
      const withIndex = await rowsOf('events');
      expect(
        withIndex.filter((r) => r.secret === null).map((r) => r.id),
        night.toISOString(),
      ).toEqual(expected);
      expect(withIndex).toEqual(await rowsOf('events_plain'));
      if (n % 2 === 0) expect(indexed.due).toBe(summary.tasks.find((t) => t.task.table === 'events')!.changed);
    }
  });

  it('a night stopped after a batch and run again ends as the exact test alone would have it', async () => {
    await executeSweep(session, await planSweep(session, { now: new Date(now.getTime() - 40 * DAY) }), { batchSize: 50 });
    const night = new Date(now.getTime() - 30 * DAY);
    const stop = new AbortController();
    const stopped = await executeSweep(session, await planSweep(session, { now: night, count: false }), {
      batchSize: 3,
      signal: stop.signal,
      onProgress: () => stop.abort(),
    });
    expect(stopped.stopped?.reason).toBe('signal');
    const resumed = await planSweep(session, { now: new Date(night.getTime() + 2 * HOUR) });
    expect(resumed.tasks[0]!.resume).toBeDefined();
    await executeSweep(session, resumed, { batchSize: 3 });
    // The plain table is swept the same two nights without stopping.
    const cutoff = night.getTime() + 2 * HOUR - 30 * DAY;
    const expected = [...instants.entries()].filter(([, at]) => at < cutoff).map(([i]) => i + 1);
    const withIndex = await rowsOf('events');
    expect(withIndex.filter((r) => r.secret === null).map((r) => r.id)).toEqual(expected);
    expect(withIndex).toEqual(await rowsOf('events_plain'));
  });

  it.runIf(target.client === 'sqlite')('reads the rows of the night through the index (query plan)', async () => {
    await executeSweep(session, await planSweep(session, { now }), { batchSize: 1000 });
    // A table of some size, mostly rows not yet due, and no statistics (no ANALYZE).
    await session.knex.raw(`WITH RECURSIVE n(i) AS (SELECT 2000 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
      INSERT INTO events (id, created_at, secret, note) SELECT i, datetime(${now.getTime() / 1000} + i * 60, 'unixepoch'), 's', 'n' FROM n`);
    const plan = await planSweep(session, { now: new Date(now.getTime() + DAY), table: 'events' });
    expect(plan.tasks[0]!.fewInWindow).toBe(true);
    const { dueRows } = await import('../../../src/core/sweep-plan.js');
    const table = session.map.tables.get('events')!;
    const query = dueRows(session.knex, session.dialect, table, plan.tasks[0]!).select('id').where('id', '>', 0).orderBy('id').limit(1000).toSQL().toNative();
    const steps: { detail: string }[] = await session.knex.raw(`EXPLAIN QUERY PLAN ${query.sql}`, query.bindings as Knex.RawBinding[]);
    expect(steps.map((s) => s.detail).join(' | ')).toMatch(/INDEX events_created_at/);
  });
});
