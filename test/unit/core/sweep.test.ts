import type { Knex } from 'knex';
import { expect, it } from 'vitest';
import type { Session } from '../../../src/core/session.js';
import { planSweep } from '../../../src/core/sweep-plan.js';
import { executeSweep, SweepLockedError } from '../../../src/core/sweep-run.js';
import { SWEEP_STATE_TABLE } from '../../../src/db/sweep-state.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { useSessionPerTest, type Workspace } from '../../support/workspace.js';

const now = new Date('2026-06-01T12:00:00Z');

/** Rows of people, their chats and chat lines, and notes; timestamps relative to `now`. */
async function buildChatSchema(knex: Knex): Promise<void> {
  for (const table of ['chat_lines', 'chats', 'notes', 'people', SWEEP_STATE_TABLE]) await knex.schema.dropTableIfExists(table);
  await knex.schema.createTable('people', (t) => {
    t.increments('id');
    t.string('email', 200).notNullable().unique();
    t.string('name', 200).notNullable();
    t.datetime('created_at').notNullable();
    t.datetime('last_seen_at').nullable();
  });
  await knex.schema.createTable('chats', (t) => {
    t.increments('id');
    t.integer('person_id').unsigned().notNullable().references('people.id');
    t.datetime('started_at').notNullable();
  });
  await knex.schema.createTable('chat_lines', (t) => {
    t.increments('id');
    t.integer('chat_id').unsigned().notNullable().references('chats.id');
    t.text('body').notNullable();
    t.datetime('created_at').notNullable();
  });
  await knex.schema.createTable('notes', (t) => {
    t.increments('id');
    t.integer('person_id').unsigned().notNullable().references('people.id');
    t.string('secret', 100).nullable();
    t.string('label', 100).notNullable();
    t.datetime('created_at').notNullable();
  });
  const at = (months: number) => {
    const d = new Date(now);
    d.setUTCMonth(d.getUTCMonth() - months);
    return d.toISOString().slice(0, 19).replace('T', ' ');
  };
  await knex('people').insert([
    { id: 1, email: 'old@example.com', name: 'Olga Old', created_at: at(80), last_seen_at: at(30) }, // inactive
    { id: 2, email: 'busy@example.com', name: 'Bea Busy', created_at: at(80), last_seen_at: at(30) }, // last seen long ago, but chatted recently
    { id: 3, email: 'new@example.com', name: 'Ned New', created_at: at(1), last_seen_at: null },
  ]);
  await knex('chats').insert([
    { id: 1, person_id: 2, started_at: at(70) }, // past 5 years: deleted with its lines
    { id: 2, person_id: 2, started_at: at(30) },
    { id: 3, person_id: 2, started_at: at(1) },
  ]);
  const lines = [];
  for (let i = 1; i <= 12; i += 1) {
    const chat = i <= 3 ? 1 : i <= 9 ? 2 : 3;
    const months = chat === 1 ? 70 : chat === 2 ? 30 : 1;
    lines.push({ id: i, chat_id: chat, body: `line ${i}: reach me at bea${i}@example.org or +44 161 496 0${String(100 + i)}`, created_at: at(months) });
  }
  await knex('chat_lines').insert(lines);
  await knex('notes').insert([
    { id: 1, person_id: 2, secret: 'pin 1234', label: 'old', created_at: at(20) },
    { id: 2, person_id: 2, secret: 'pin 5678', label: 'new', created_at: at(2) },
    { id: 3, person_id: 3, secret: null, label: 'none', created_at: at(20) },
  ]);
}

const chatMap = `
subjects:
  person:
    table: people
    identifiers: { email: { column: email, type: email } }
    name: name
tables:
  people:
    columns:
      email: { strategy: { template: "person-{id}@anonymized.invalid" } }
      name: { strategy: { template: "Person {id}" } }
      created_at: keep
      last_seen_at: keep
    retention:
      inactiveFor: 24 months
      activity: [people.created_at, people.last_seen_at, chat_lines.created_at]
  chats:
    belongsTo: { people: person_id }
    columns: { person_id: keep, started_at: keep }
    retention: { timestamp: started_at, deleteAfter: 5 years }
  chat_lines:
    belongsTo: { chats: chat_id }
    columns:
      chat_id: keep
      body: redact
      created_at: keep
    retention: { timestamp: created_at, anonymizeAfter: 24 months, deleteAfter: 5 years }
  notes:
    belongsTo: { people: person_id }
    columns:
      person_id: keep
      secret: "null"
      label: keep
      created_at: keep
    retention: { timestamp: created_at, anonymizeAfter: 12 months }
`;

describeEachDatabase('sweep', (target) => {
  let database: TestDatabase;
  let workspace: Workspace;
  let session: Session;
  useSessionPerTest(
    target,
    chatMap,
    (knex) => buildChatSchema(knex),
    (current) => ({ database, workspace, session } = current),
  );

  const everything = async () => ({
    people: await database.knex('people').orderBy('id'),
    chats: await database.knex('chats').orderBy('id'),
    lines: await database.knex('chat_lines').orderBy('id'),
    notes: await database.knex('notes').orderBy('id'),
  });
  const dueOf = (plan: Awaited<ReturnType<typeof planSweep>>) => plan.tasks.map((t) => [t.table, t.action, t.due]);

  it('plans per table and action, parents before children for anonymization and children first for deletes, and changes nothing', async () => {
    const before = await everything();
    const plan = await planSweep(session, { now });
    expect(dueOf(plan)).toEqual([
      ['people', 'inactive', 1],
      ['notes', 'anonymize', 1],
      ['chat_lines', 'anonymize', 6],
      ['chat_lines', 'delete', 3],
      ['chats', 'delete', 1],
    ]);
    expect(plan.tasks.find((t) => t.table === 'notes')!.setBased).toBe(true);
    expect(plan.tasks.find((t) => t.action === 'anonymize' && t.table === 'chat_lines')!.setBased).toBe(false);
    expect(await everything()).toEqual(before);
  });

  it('anonymizes, then deletes, what is past its period; the rest is untouched; a second sweep changes nothing', async () => {
    const before = await everything();
    const summary = await executeSweep(session, await planSweep(session, { now }), { batchSize: 2 });
    expect(summary.stopped).toBeUndefined();
    const after = await everything();
    expect(after.people.map((p: { email: string }) => p.email)).toEqual(['person-1@anonymized.invalid', 'busy@example.com', 'new@example.com']);
    expect(after.chats.map((c: { id: number }) => c.id)).toEqual([2, 3]);
    expect(after.lines.map((l: { id: number }) => l.id)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const line of after.lines.filter((l: { chat_id: number }) => l.chat_id === 2))
      expect(line.body).toMatch(/^line \d+: reach me at \[EMAIL\] or \[PHONE\]$/);
    expect(after.lines.filter((l: { chat_id: number }) => l.chat_id === 3)).toEqual(before.lines.filter((l: { chat_id: number }) => l.chat_id === 3));
    expect(after.notes.map((n: { secret: string | null }) => n.secret)).toEqual([null, 'pin 5678', null]);
    expect(after.notes.map((n: { label: string }) => n.label)).toEqual(['old', 'new', 'none']);

    const again = await planSweep(session, { now });
    expect(again.tasks.every((t) => t.due === 0)).toBe(true);
    const second = await executeSweep(session, again, { batchSize: 2 });
    expect(second.totals.changed).toBe(0);
    expect(await everything()).toEqual(after);
  });

  it('audits the job, and every batch with its key range and digest, intent before outcome', async () => {
    const plan = await planSweep(session, { now });
    await executeSweep(session, plan, { batchSize: 2 });
    const entries = session.audit.list({ requestId: plan.requestId });
    expect(entries[0]).toMatchObject({ action: 'sweep', phase: 'intent' });
    expect(entries.at(-1)).toMatchObject({ action: 'sweep', phase: 'outcome', outcome: 'ok', intentId: entries[0]!.id });
    const batches = entries.filter((e) => e.action === 'sweep-batch');
    expect(batches.filter((e) => e.phase === 'intent').length).toBe(batches.filter((e) => e.phase === 'outcome').length);
    const firstLines = batches.find((e) => e.tables.chat_lines?.action === 'anonymize')!;
    expect(firstLines.tables.chat_lines).toMatchObject({ rows: 2, keyRange: [4, 5], keyDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(session.audit.interruptedJobs()).toEqual([]);
    expect(JSON.stringify(entries)).not.toMatch(/example\.(com|org)|Olga|Bea|pin/);
  });

  it('records one entry per table and action with exactly what changed, the inactive pass included', async () => {
    const plan = await planSweep(session, { now });
    const summary = await executeSweep(session, plan, { batchSize: 2 });
    const entries = session.audit.list({ requestId: plan.requestId });
    const perTask = entries.filter((e) => e.action === 'sweep-table').map((e) => ({ rule: e.detail?.rule, tables: e.tables, outcome: e.outcome }));
    expect(perTask).toEqual([
      { rule: 'inactive', tables: { people: { action: 'anonymize', rows: 1 } }, outcome: 'ok' },
      { rule: 'anonymize', tables: { notes: { action: 'anonymize', rows: 1 } }, outcome: 'ok' },
      { rule: 'anonymize', tables: { chat_lines: { action: 'anonymize', rows: 6 } }, outcome: 'ok' },
      { rule: 'delete', tables: { chat_lines: { action: 'delete', rows: 3 } }, outcome: 'ok' },
      { rule: 'delete', tables: { chats: { action: 'delete', rows: 1 } }, outcome: 'ok' },
    ]);
    // The job's totals are the sum of those entries, and of the summary.
    const outcome = entries.find((e) => e.action === 'sweep' && e.phase === 'outcome')!;
    expect(outcome.detail).toMatchObject({ changed: 12, anonymized: 8, deleted: 4, people: 1 });
    expect(summary.totals.changed).toBe(12);
  });

  it('stops at a batch boundary when interrupted, and the next run finishes the same work', async () => {
    const controller = new AbortController();
    const first = await executeSweep(session, await planSweep(session, { now }), {
      batchSize: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.task.table === 'chat_lines' && p.task.action === 'anonymize' && p.batches === 1) controller.abort();
      },
    });
    expect(first.stopped?.reason).toBe('signal');
    const midway = await everything();
    // Lines 4 and 5 are done, 6 to 9 are not: each batch is whole or absent.
    expect(midway.lines.filter((l: { id: number; body: string }) => l.id >= 4 && l.id <= 9).map((l: { body: string }) => l.body.includes('[EMAIL]'))).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    // The next run starts where the stopped one got: lines 4 and 5 are neither due nor read again.
    const linesTask = (plan: Awaited<ReturnType<typeof planSweep>>) => plan.tasks.find((t) => t.table === 'chat_lines' && t.action === 'anonymize')!;
    const next = await planSweep(session, { now });
    expect(linesTask(next).due).toBe(4);
    expect(linesTask(await planSweep(session, { now, full: true })).due).toBe(6);
    const second = await executeSweep(session, next, { batchSize: 2 });
    expect(second.tasks.find((t) => t.task === linesTask(next))).toMatchObject({ done: 4, changed: 4, complete: true });
    const resumed = await everything();
    // A finished pass leaves its watermark, not its progress.
    expect((await database.knex(SWEEP_STATE_TABLE).select('action')).map((r: { action: string }) => r.action).sort()).toEqual([
      'anonymize',
      'anonymize',
      'inactive',
    ]);

    await buildChatSchema(database.knex);
    await executeSweep(session, await planSweep(session, { now }), { batchSize: 2 });
    expect(await everything()).toEqual(resumed);
  });

  it('resumes a stopped pass on a later day: rows of the finished keys that became due since are done too', async () => {
    const controller = new AbortController();
    await executeSweep(session, await planSweep(session, { now }), {
      batchSize: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.task.table === 'chat_lines' && p.task.action === 'anonymize' && p.batches === 1) controller.abort();
      },
    });
    // Line 5 was done; now it holds an address again and a time that only the later run counts as due.
    const later = new Date(now);
    later.setUTCMonth(later.getUTCMonth() + 2);
    const oldCutoff = new Date(now);
    oldCutoff.setUTCMonth(oldCutoff.getUTCMonth() - 24);
    const between = new Date(oldCutoff.getTime() + 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
    await database.knex('chat_lines').where('id', 5).update({ body: 'new: bea5@example.org', created_at: between });
    const plan = await planSweep(session, { now: later });
    expect(plan.tasks.find((t) => t.table === 'chat_lines' && t.action === 'anonymize')!.due).toBe(5);
    await executeSweep(session, plan, { batchSize: 2 });
    const lines = (await everything()).lines as { id: number; body: string }[];
    expect(lines.find((l) => l.id === 5)!.body).toBe('new: [EMAIL]');
    expect(lines.filter((l) => l.id >= 4 && l.id <= 9).every((l) => !/@/.test(l.body))).toBe(true);
  });

  it('adds the progress column to a state table an earlier lethe created, and keeps its watermarks', async () => {
    await database.knex.schema.createTable(SWEEP_STATE_TABLE, (t) => {
      t.string('table_name', 255).notNullable();
      t.string('action', 20).notNullable();
      t.string('digest', 64).notNullable();
      t.string('cutoff', 30).notNullable();
      t.string('updated_at', 30).notNullable();
      t.primary(['table_name', 'action']);
    });
    await database
      .knex(SWEEP_STATE_TABLE)
      .insert({ table_name: 'other', action: 'anonymize', digest: 'x', cutoff: '2020-01-01T00:00:00.000Z', updated_at: '2020-01-01T00:00:00.000Z' });
    const summary = await executeSweep(session, await planSweep(session, { now }), { batchSize: 1 });
    expect(summary.stopped).toBeUndefined();
    expect(await database.knex.schema.hasColumn(SWEEP_STATE_TABLE, 'resume')).toBe(true);
    expect(await database.knex(SWEEP_STATE_TABLE).where({ table_name: 'other' }).first()).toMatchObject({ action: 'anonymize', digest: 'x' });
  });

  it('stops at the deadline with work left', async () => {
    const summary = await executeSweep(session, await planSweep(session, { now }), { batchSize: 1, deadline: new Date(Date.now() - 1) });
    expect(summary.stopped?.reason).toBe('max-duration');
    expect(summary.tasks[0]!.complete).toBe(false);
  });

  it('does not re-read rows an earlier sweep finished, unless asked to (--full), and a restored state brings them back', async () => {
    await executeSweep(session, await planSweep(session, { now }), { batchSize: 50 });
    // An old line comes back (as from a backup) while the recorded state says that period is done.
    await database.knex('chat_lines').insert({ id: 50, chat_id: 2, body: 'again: bea50@example.org', created_at: '2024-01-01 00:00:00' });
    expect((await planSweep(session, { now })).tasks.find((t) => t.table === 'chat_lines' && t.action === 'anonymize')!.due).toBe(0);
    expect((await planSweep(session, { now, full: true })).tasks.find((t) => t.table === 'chat_lines' && t.action === 'anonymize')!.due).toBe(7);
    // A restore brings back the state that goes with its rows; with no state, everything is checked again.
    await database.knex(SWEEP_STATE_TABLE).delete();
    await executeSweep(session, await planSweep(session, { now }), { batchSize: 50 });
    expect((await database.knex('chat_lines').where('id', 50).first()).body).toBe('again: [EMAIL]');
  });

  it('runs one sweep at a time', async () => {
    const lock = await session.dialect.tryJobLock(session.knex, 'sweep', session.map.database.connection);
    try {
      await expect(executeSweep(session, await planSweep(session, { now }), { batchSize: 2 })).rejects.toBeInstanceOf(SweepLockedError);
      expect((await everything()).people[0].email).toBe('old@example.com');
    } finally {
      await lock!.release();
    }
  });
});
