import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { runMain } from '../support/streams.js';
import { createWorkspace, type Workspace } from '../support/workspace.js';

/**
 * Records unlike the demo's: two levels below the person (whose name no detector knows, so
 * only the walk up to their row can remove it), descendants deleted on erasure, a key of two
 * columns, a text key, a record that belongs to nobody, and tables that hold no records.
 * The deleted descendants name files (delete-file): they go after the commit, as for a person.
 */
const MAP = `
storage:
  uploads: { path: ./uploads }
subjects:
  member:
    table: members
    identifiers:
      id: { column: id, type: id }
      email: { column: email, type: email }
    name: full_name
tables:
  members:
    columns:
      email: { strategy: { template: "member-{id}@example.invalid" } }
      full_name: { strategy: { value: "Former member" } }
  threads:
    belongsTo: { members: member_id }
    columns:
      member_id: keep
      title: keep
      note: { strategy: redact }
  posts:
    belongsTo: { threads: thread_id }
    columns:
      thread_id: keep
      body: { strategy: redact }
      written_at: keep
  attachments:
    belongsTo: { posts: post_id }
    onErase: delete
    columns:
      post_id: keep
      file_name: { strategy: { delete-file: { storage: uploads } } }
  post_labels:
    primaryKey: [post_id, label]
    belongsTo: { posts: post_id }
    columns:
      post_id: keep
      label: keep
      comment: { strategy: redact }
  tickets:
    primaryKey: code
    columns:
      code: keep
      body: { strategy: redact }
  countries:
    primaryKey: code
    impersonal: reference data
    columns:
      code: keep
      name: keep
`;

async function buildSchema(knex: Knex): Promise<void> {
  await knex.schema.createTable('members', (t) => {
    t.increments('id');
    t.string('email', 200).notNullable();
    t.string('full_name', 200).notNullable();
  });
  await knex.schema.createTable('threads', (t) => {
    t.increments('id');
    t.integer('member_id').unsigned().notNullable().references('members.id');
    t.index(['member_id']);
    t.string('title', 100).notNullable();
    t.text('note').nullable();
  });
  await knex.schema.createTable('posts', (t) => {
    t.increments('id');
    t.integer('thread_id').unsigned().notNullable().references('threads.id');
    t.index(['thread_id']);
    t.text('body').notNullable();
    t.string('written_at', 30).notNullable();
  });
  await knex.schema.createTable('attachments', (t) => {
    t.increments('id');
    t.integer('post_id').unsigned().notNullable().references('posts.id');
    t.index(['post_id']);
    t.string('file_name', 200).nullable();
  });
  await knex.schema.createTable('post_labels', (t) => {
    t.integer('post_id').unsigned().notNullable().references('posts.id');
    t.string('label', 40).notNullable();
    t.string('comment', 400).nullable();
    t.primary(['post_id', 'label']);
  });
  await knex.schema.createTable('tickets', (t) => {
    t.string('code', 20).primary();
    t.text('body').notNullable();
  });
  await knex.schema.createTable('countries', (t) => {
    t.string('code', 2).primary();
    t.string('name', 100).notNullable();
  });
  await knex.schema.createTable('visits', (t) => {
    t.increments('id');
    t.string('path', 100).notNullable();
  });
  await knex('members').insert([
    { id: 1, email: 'zyx@qwrt.example', full_name: 'Zyxo Qwrtel' },
    { id: 2, email: 'other@member.example', full_name: 'Olga Other' },
  ]);
  await knex('threads').insert([
    { id: 1, member_id: 1, title: 'Sizes', note: 'zyxo asked twice' },
    { id: 2, member_id: 1, title: 'Returns', note: 'qwrtel wants a refund, write to zyx@qwrt.example' },
    { id: 3, member_id: 2, title: 'Hello', note: 'Olga Other says hi' },
  ]);
  await knex('posts').insert([
    { id: 10, thread_id: 1, body: 'Hi, zyxo qwrtel here, ZYXO for short.', written_at: '2026-01-01' },
    { id: 11, thread_id: 1, body: 'Thanks Zyxo! Write to zyx@qwrt.example or ring +44 20 7946 0958.', written_at: '2026-01-02' },
    { id: 12, thread_id: 2, body: 'Qwrtel again: still waiting.', written_at: '2026-01-03' },
  ]);
  await knex('attachments').insert([
    { id: 100, post_id: 10, file_name: 'zyxo-passport.png' },
    { id: 101, post_id: 12, file_name: 'receipt.pdf' },
  ]);
  await knex('post_labels').insert([
    { post_id: 10, label: 'urgent', comment: 'Zyxo called at 9' },
    { post_id: 10, label: 'vip', comment: 'Zyxo is a VIP' },
    { post_id: 11, label: 'urgent', comment: 'zyxo again' },
    { post_id: 12, label: 'urgent', comment: 'qwrtel again' },
    { post_id: 12, label: 'vip', comment: 'Qwrtel is a VIP' },
  ]);
  await knex('tickets').insert([
    { code: 'T-1', body: 'A visitor wrote from jo.visitor@mail.com, call back on +44 20 7946 0000.' },
    { code: 'T-2', body: 'Zyxo dropped by.' },
  ]);
  await knex('countries').insert([{ code: 'FR', name: 'France' }]);
  await knex('visits').insert([{ id: 1, path: '/' }]);
}

const KEYS = {
  members: ['id'],
  threads: ['id'],
  posts: ['id'],
  attachments: ['id'],
  post_labels: ['post_id', 'label'],
  tickets: ['code'],
  countries: ['code'],
  visits: ['id'],
} as const;
type Snapshot = Record<keyof typeof KEYS, Record<string, unknown>[]>;

describeEachDatabase('anonymize --record: shapes of records', (target) => {
  let database: TestDatabase;
  let workspace: Workspace;
  const env = () => (database.client === 'sqlite' ? {} : { DATABASE_URL: database.connection });
  const lethe = (...args: string[]) => runMain(['--config', workspace.configPath, ...args], { env: env() });
  const rows = (table: string, key: string | string[] = 'id') => database.knex(table).select('*').orderBy([key].flat()) as Promise<Record<string, unknown>[]>;
  const snapshot = async (): Promise<Snapshot> => {
    const out = {} as Snapshot;
    for (const [table, key] of Object.entries(KEYS)) out[table as keyof Snapshot] = await rows(table, [...key]);
    return out;
  };
  const auditOutcome = async () => {
    const entries = JSON.parse((await lethe('audit', 'list', '--json', '--action', 'anonymize-record')).stdout) as {
      id: number;
      phase: string;
      subject: unknown;
      detail: Record<string, unknown>;
    }[];
    return entries.filter((e) => e.phase === 'outcome').sort((a, b) => b.id - a.id)[0]!;
  };

  beforeAll(async () => {
    database = await target.create();
    await buildSchema(database.knex);
    workspace = await createWorkspace(database, MAP);
    await mkdir(path.join(workspace.dir, 'uploads'));
    for (const file of ['zyxo-passport.png', 'receipt.pdf']) await writeFile(path.join(workspace.dir, 'uploads', file), 'scan');
  });
  afterAll(async () => {
    await workspace?.cleanup();
    await database?.drop();
  });

  it("a thread: its posts rewritten with the member's own name and e-mail, its attachments deleted; the member and the other thread untouched", async () => {
    const before = await snapshot();
    const run = await lethe('anonymize', '--record', 'threads:1', '--yes', '--json');
    expect(run.code, run.stderr).toBe(0);
    const receipt = JSON.parse(run.stdout);
    expect(receipt).toMatchObject({ record: { table: 'threads', key: 1 }, owners: [{ subject: 'member', table: 'members', key: 1 }] });
    const after = await snapshot();
    const text = JSON.stringify([
      after.threads.find((t) => t.id === 1),
      after.posts.filter((p) => p.thread_id === 1),
      after.post_labels.filter((l) => [10, 11].includes(Number(l.post_id))),
    ]);
    // No detector knows "Zyxo" or "Qwrtel": only the walk up from the thread to the member removes them.
    expect(text).not.toMatch(/zyx|qwrt|7946/i);
    expect(after.posts.find((p) => p.id === 10)!.body).toBe('Hi, [NAME] here, [NAME] for short.');
    expect(after.threads.find((t) => t.id === 1)).toMatchObject({ title: 'Sizes', note: '[NAME] asked twice' });
    // onErase: delete below the record: deleted, as a person's erasure deletes them, with the files they name.
    expect(after.attachments.map((a) => a.id)).toEqual([101]);
    expect(receipt.files).toMatchObject({ deleted: 1 });
    expect(existsSync(path.join(workspace.dir, 'uploads', 'zyxo-passport.png'))).toBe(false);
    expect(existsSync(path.join(workspace.dir, 'uploads', 'receipt.pdf'))).toBe(true);
    for (const table of ['members', 'countries', 'tickets', 'visits'] as const) expect(after[table]).toEqual(before[table]);
    expect(after.threads.filter((t) => t.id !== 1)).toEqual(before.threads.filter((t) => t.id !== 1));
    expect(after.posts.filter((p) => p.thread_id !== 1)).toEqual(before.posts.filter((p) => p.thread_id !== 1));
    expect(await auditOutcome()).toMatchObject({ subject: { name: 'member', key: 1 }, detail: { record: 'threads', key: 1 } });
  });

  it('a row keyed by two columns, written table:a,b or table:(a, b); the key is in the trail as a tuple', async () => {
    const before = await rows('post_labels', ['post_id', 'label']);
    const isIt = (l: Record<string, unknown>) => Number(l.post_id) === 12 && l.label === 'vip';
    const dry = await lethe('anonymize', '--record', 'post_labels:(12, vip)', '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ record: { table: 'post_labels', key: [12, 'vip'] }, owners: [{ key: 1 }] });
    const run = await lethe('anonymize', '--record', 'post_labels:12,vip', '--yes');
    expect(run.code, run.stderr).toBe(0);
    const after = await rows('post_labels', ['post_id', 'label']);
    expect(after.find(isIt)!.comment).toBe('[NAME] is a VIP');
    expect(after.filter((l) => !isIt(l))).toEqual(before.filter((l) => !isIt(l)));
    expect(await auditOutcome()).toMatchObject({ detail: { record: 'post_labels', key: [12, 'vip'] } });
    const wrong = await lethe('anonymize', '--record', 'post_labels:10', '--yes');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/keyed by 2 columns \(post_id, label\).*post_labels:POST_ID,LABEL/);
  });

  it('a record that belongs to nobody: the detectors alone, and no subject in the trail; its key matched exactly', async () => {
    const run = await lethe('anonymize', '--record', 'tickets:T-1', '--yes');
    expect(run.code, run.stderr).toBe(0);
    const [t1, t2] = await rows('tickets', 'code');
    expect(t1!.body).toBe('A visitor wrote from [EMAIL], call back on [PHONE].');
    expect(t2!.body).toBe('Zyxo dropped by.');
    expect(await auditOutcome()).toMatchObject({ subject: null, detail: { record: 'tickets', key: 'T-1' } });
    // MariaDB's collation compares case-insensitively; lethe does not.
    const other = await lethe('anonymize', '--record', 'tickets:t-2', '--yes');
    expect(other.code).toBe(4);
    expect((await rows('tickets', 'code'))[1]!.body).toBe('Zyxo dropped by.');
  });

  it("no record in a person's own table, an impersonal table or an unmapped one (exit 2)", async () => {
    const before = await snapshot();
    for (const [ref, message] of [
      ['members:1', /a row of members is a member/i],
      ['countries:FR', /countries is marked as holding nothing personal \(reference data\)/],
      ['visits:1', /visits is not in the data map/],
    ] as const) {
      const run = await lethe('anonymize', '--record', ref, '--yes');
      expect(run.code, ref).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(await snapshot()).toEqual(before);
  });
});
