import type { Knex } from 'knex';
import { expect, it } from 'vitest';
import { executeAnonymization, planForMatch } from '../../../src/core/anonymize.js';
import type { Session } from '../../../src/core/session.js';
import type { Row } from '../../../src/core/subject-lookup.js';
import { previousAnonymization } from '../../../src/core/anonymization-record.js';
import { erasePeople } from '../../../src/core/erase-people.js';
import { tombstoneForValue } from '../../../src/core/tombstones.js';
import { inactiveSubjects, planSweep } from '../../../src/core/sweep-plan.js';
import { executeSweep } from '../../../src/core/sweep-run.js';
import { SWEEP_STATE_TABLE } from '../../../src/db/sweep-state.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { createWorkspace, useSessionPerTest, type Workspace } from '../../support/workspace.js';

const now = new Date('2026-06-01T12:00:00Z');
const PEOPLE = 60;

/**
 * Members, their visits (deleted with them), their threads and the posts in them (redacted
 * with the member's name), and posts that quote two members at once (a row of two people).
 * Every third member visited recently (active), every fifth never logged in but signed up long
 * ago (due through the fallback), every seventh was anonymized before.
 */
async function buildForum(knex: Knex): Promise<void> {
  for (const table of ['posts', 'threads', 'visits', 'members', SWEEP_STATE_TABLE]) await knex.schema.dropTableIfExists(table);
  await knex.schema.createTable('members', (t) => {
    t.integer('id').primary();
    t.string('email', 200).notNullable();
    t.string('full_name', 200).notNullable();
    t.string('phone', 40).nullable();
    t.datetime('signed_up').notNullable();
    t.datetime('last_login').nullable();
  });
  await knex.schema.createTable('visits', (t) => {
    t.integer('id').primary();
    t.integer('member_id').notNullable().references('members.id');
    t.string('ip', 40).nullable();
    t.datetime('at').notNullable();
  });
  await knex.schema.createTable('threads', (t) => {
    t.integer('id').primary();
    t.integer('member_id').notNullable().references('members.id');
    t.string('title', 200).notNullable();
  });
  await knex.schema.createTable('posts', (t) => {
    t.integer('id').primary();
    t.integer('thread_id').notNullable().references('threads.id');
    t.integer('quoted_member_id').nullable().references('members.id');
    t.text('body').notNullable();
  });
  const at = (months: number) => {
    const d = new Date(now);
    d.setUTCMonth(d.getUTCMonth() - months);
    return d.toISOString().slice(0, 19).replace('T', ' ');
  };
  const names = ['Ágnes Kovács', 'Søren Østergaard', 'Zofia Wójcik', 'Tanaka Hiroshi', 'Chidi Okafor', "Seán O'Brien", 'María José Ortega'];
  const members = [];
  const visits = [];
  const threads = [];
  const posts = [];
  for (let id = 1; id <= PEOPLE; id += 1) {
    const name = `${names[id % names.length]} ${id}`;
    const anonymizedBefore = id % 7 === 0;
    members.push({
      id,
      email: anonymizedBefore ? `member-${id}@anonymized.invalid` : `m${id}@example.org`,
      full_name: anonymizedBefore ? `Member ${id}` : name,
      phone: anonymizedBefore ? null : `+44 161 496 0${String(100 + id)}`,
      signed_up: at(60),
      last_login: id % 5 === 0 ? null : at(30),
    });
    // Member 3's visit is six hours inside the period: due a day later.
    const recent = id === 3 ? new Date(new Date(`${at(24)}Z`).getTime() + 6 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ') : at(1);
    visits.push({ id: id * 10, member_id: id, ip: `192.0.2.${id}`, at: id % 3 === 0 ? recent : at(30) });
    visits.push({ id: id * 10 + 1, member_id: id, ip: null, at: at(40) });
    threads.push({ id, member_id: id, title: `Thread ${id}` });
    posts.push({ id: id * 10, thread_id: id, quoted_member_id: null, body: `${name} here, call me on +44 161 496 0${String(100 + id)}` });
    const other = id === PEOPLE ? 1 : id + 1;
    posts.push({ id: id * 10 + 1, thread_id: id, quoted_member_id: other, body: `${name} quoting ${names[other % names.length]} ${other}: hello` });
  }
  await knex('members').insert(members);
  await knex('visits').insert(visits);
  await knex('threads').insert(threads);
  await knex('posts').insert(posts);
}

const forumMap = `
secrets: { key: test-key-0123456789abcdef0123456789 }
subjects:
  member:
    table: members
    identifiers:
      email: { column: email, type: email }
      phone: { column: phone, type: phone }
    name: full_name
    tombstones: true
tables:
  members:
    columns:
      email: { strategy: { template: "member-{id}@anonymized.invalid" } }
      full_name: { strategy: { template: "Member {id}" } }
      phone: "null"
      signed_up: keep
      last_login: keep
    retention:
      inactiveFor: 24 months
      activity: [members.last_login, visits.at]
      activityFallback: signed_up
  visits:
    belongsTo: { members: member_id }
    onErase: delete
    columns: { member_id: keep, ip: "null", at: keep }
  threads:
    belongsTo: { members: member_id }
    columns: { member_id: keep, title: { strategy: hash } }
  posts:
    belongsTo: { threads: thread_id }
    references: { members: quoted_member_id }
    columns: { thread_id: keep, quoted_member_id: keep, body: redact }
`;

describeEachDatabase('sweep: inactive people in batches', (target) => {
  let database: TestDatabase;
  let workspace: Workspace;
  let session: Session;
  useSessionPerTest(
    target,
    forumMap,
    (knex) => buildForum(knex),
    (current) => ({ database, workspace, session } = current),
  );

  const everything = async () => ({
    members: await database.knex('members').orderBy('id'),
    visits: await database.knex('visits').orderBy('id'),
    threads: await database.knex('threads').orderBy('id'),
    posts: await database.knex('posts').orderBy('id'),
  });
  const inactivePlan = () => planSweep(session, { now, table: 'members' });
  /** Who is due: not active in 24 months (visits of every third member are recent), not anonymized before. */
  const expectedDue = Array.from({ length: PEOPLE }, (_, i) => i + 1).filter((id) => id % 3 !== 0 && id % 7 !== 0);

  it('erases every due person as a one-by-one erasure would, in a few batches, with an audit entry and tombstones per person', async () => {
    // The reference: the same people erased one at a time, as the sweep did before batches.
    const plan = await inactivePlan();
    expect(plan.tasks.map((t) => [t.action, t.due])).toEqual([['inactive', expectedDue.length]]);
    const subject = session.map.subjects.get('member')!;
    const due = await inactiveSubjects(session.knex, session.dialect, session.map, subject, plan.tasks[0]!.cutoff);
    for (const row of (due as Row[]).filter((r) => expectedDue.includes(Number(r.id)))) {
      await executeAnonymization(session, await planForMatch(session, { subject, key: row.id as number, row, matchedBy: ['inactivity'] }), {
        command: 'sweep',
      });
    }
    const oneByOne = await everything();

    await session.close();
    await buildForum(database.knex);
    await workspace.cleanup();
    workspace = await createWorkspace(database, forumMap);
    session = await workspace.session();
    const batches: number[] = [];
    const summary = await executeSweep(session, await inactivePlan(), { batchSize: 9, onProgress: (p) => batches.push(p.people ?? 0) });
    const task = summary.tasks[0]!;
    expect(task).toMatchObject({ complete: true, people: expectedDue.length });
    // 40 candidates (the 20 active members are not read; the 6 anonymized before are, and skipped): 5 batches of up to 9.
    expect(task.batches).toBe(5);
    expect(await everything()).toEqual(oneByOne);
    // What the task reports: each row once, even a post of two people.
    expect(task.tables).toMatchObject({
      members: { action: 'anonymize', rows: expectedDue.length },
      visits: { action: 'delete', rows: expectedDue.length * 2 },
      threads: { action: 'anonymize', rows: expectedDue.length },
      posts: { action: 'anonymize', rows: expectedDue.length * 2 },
    });

    // One intent and one ok outcome per batch: the people's keys, each table's key range and digest, the tombstones.
    const outcomes = session.audit.list({ action: 'anonymize' }).filter((e) => e.phase === 'outcome');
    expect(outcomes.length).toBeGreaterThanOrEqual(4);
    expect(outcomes.every((e) => e.outcome === 'ok' && e.command === 'sweep' && e.subject === null && e.detail?.subject === 'member')).toBe(true);
    expect(outcomes.reduce((n, e) => n + Number(e.detail!.people), 0)).toBe(expectedDue.length);
    expect(outcomes.flatMap((e) => e.tables.members!.keys!.map(Number)).sort((a, b) => a - b)).toEqual(expectedDue);
    for (const entry of outcomes) {
      const visits = entry.tables.visits!;
      expect(visits).toMatchObject({ action: 'delete', rows: Number(entry.detail!.people) * 2, keyDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(entry.tables.posts).toMatchObject({ action: 'anonymize', columns: ['body'] });
    }
    // Where find and anonymize look for a person's erasure: the batch that erased them.
    const erasedIn = previousAnonymization(session.audit, subject, 1)!;
    expect(outcomes.find((e) => e.id === erasedIn.auditEntry)!.tables.members!.keys).toContain(1);
    expect(previousAnonymization(session.audit, subject, 3)).toBeUndefined();
    expect(tombstoneForValue(session, subject, 'm1@example.org')).toMatchObject({ auditEntry: erasedIn.auditEntry });
    expect(tombstoneForValue(session, subject, 'm3@example.org')).toBeUndefined();
    expect(session.audit.pendingIntents()).toEqual([]);
    expect(Number((await database.knex('lethe_commit').count({ n: '*' }))[0]!.n)).toBe(0);
    expect(session.audit.verify()).toMatchObject({ ok: true });

    // No name or phone of a due person is left in any row; the active ones keep theirs.
    const text = JSON.stringify(await everything());
    for (const id of expectedDue) {
      expect(text).not.toContain(`m${id}@example.org`);
      expect(text).not.toContain(`496 0${String(100 + id)}`);
    }
    expect(text).toContain('m3@example.org');

    // The next night: nobody is due, and nothing changes.
    const again = await inactivePlan();
    expect(again.tasks[0]!.due).toBe(0);
    const before = await everything();
    expect((await executeSweep(session, again, { batchSize: 9 })).tasks[0]).toMatchObject({ people: 0, complete: true });
    expect(await everything()).toEqual(before);
  });

  it('a stopped pass resumes after its last batch, and ends as an uninterrupted one', async () => {
    const nextDay = new Date(now.getTime() + 86_400_000);
    const controller = new AbortController();
    const stopped = await executeSweep(session, await inactivePlan(), {
      batchSize: 10,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.batches === 2) controller.abort();
      },
    });
    expect(stopped.stopped).toMatchObject({ reason: 'signal', table: 'members', action: 'inactive' });
    const doneFirst = stopped.tasks[0]!.people!;
    expect(doneFirst).toBeGreaterThan(0);
    expect(doneFirst).toBeLessThan(expectedDue.length);
    expect((await database.knex(SWEEP_STATE_TABLE).where({ table_name: 'members' })).map((r: { action: string }) => r.action)).toEqual(['inactive:progress']);

    // A day later member 3, below the resume point, became due (their last visit aged out):
    // the resumed pass takes them too, and does not read again the people the stopped pass read.
    const resumedPlan = await planSweep(session, { now: nextDay, table: 'members' });
    const task = resumedPlan.tasks[0]!;
    // Candidates are the members not active (every third is): 1, 2, 4, 5, ...; two batches of ten end at 29.
    expect(task.resume).toMatchObject({ after: 29 });
    expect(doneFirst).toBe(17);
    expect(task.due).toBe(expectedDue.length - doneFirst + 1);
    const resumed = await executeSweep(session, resumedPlan, { batchSize: 10 });
    // Read again: member 3 and the 20 candidates after 29 (not the 20 before it).
    expect(resumed.tasks[0]).toMatchObject({ complete: true, done: 21, people: expectedDue.length - doneFirst + 1 });
    const afterResume = await everything();
    expect((await database.knex(SWEEP_STATE_TABLE).where({ table_name: 'members' })).map((r: { action: string }) => r.action)).toEqual(['inactive']);

    await session.close();
    await buildForum(database.knex);
    await workspace.cleanup();
    workspace = await createWorkspace(database, forumMap);
    session = await workspace.session();
    await executeSweep(session, await planSweep(session, { now: nextDay, table: 'members' }), { batchSize: 10 });
    expect(afterResume).toEqual(await everything());
  });

  it('leaves alone a person active again since the plan; erases exactly the people its query returns in the transaction', async () => {
    const plan = await inactivePlan();
    // Member 1 logs in after the plan was made: the batch reads its people afresh.
    await database
      .knex('members')
      .where({ id: 1 })
      .update({ last_login: now.toISOString().slice(0, 19).replace('T', ' ') });
    const summary = await executeSweep(session, plan, { batchSize: 100 });
    expect(summary.tasks[0]!.people).toBe(expectedDue.length - 1);
    expect((await database.knex('members').where({ id: 1 }).first()).email).toBe('m1@example.org');

    // The batch's people chosen inside its transaction: whoever the query returns there, no one else.
    await buildForum(database.knex);
    const subject = session.map.subjects.get('member')!;
    const done = await erasePeople(
      session,
      subject,
      async (trx) => (await trx('members').whereIn('id', [1, 2, 5]).whereNotNull('last_login').select('*')) as Row[],
      { command: 'sweep', job: 'test-job' },
    );
    expect(done).toMatchObject({ people: 2, tables: { members: { action: 'anonymize', rows: 2 }, visits: { action: 'delete', rows: 4 } } });
    const members = await database.knex('members').whereIn('id', [1, 2, 5]).orderBy('id');
    expect(members.map((m: { email: string }) => m.email)).toEqual(['member-1@anonymized.invalid', 'member-2@anonymized.invalid', 'm5@example.org']);
    const [last] = session.audit.list({ action: 'anonymize', order: 'desc', limit: 1 });
    expect(last).toMatchObject({ phase: 'outcome', outcome: 'ok', subject: null, detail: { subject: 'member', people: 2 } });
    expect(last!.tables.members!.keys).toEqual([1, 2]);
  });
});
