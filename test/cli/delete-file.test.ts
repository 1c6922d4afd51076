import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { runLethe } from '../support/cli.js';
import { describeEachDatabase } from '../support/databases.js';
import { startS3, type TestS3 } from '../support/s3.js';
import { useMapWorkspace } from '../support/workspace.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const BUCKET = 'lethe-avatars';

/**
 * delete-file on a folder and on a real S3-compatible server (s3rver, started here): files go
 * after the commit, from a list written in the transaction; nothing outside a root is touched.
 */
const MAP = `storage:
  attachments: { path: ./files }
  avatars:
    s3:
      bucket: ${BUCKET}
      prefix: avatars/
      endpoint: \${S3_ENDPOINT}
      forcePathStyle: true
      accessKeyId: \${S3_KEY}
      secretAccessKey: \${S3_SECRET}
subjects:
  customer:
    table: users
    identifiers:
      id: { column: id, type: id }
      email: { column: email, type: email }
    name: full_name
tables:
  users:
    columns:
      email: { strategy: { template: "user-{id}@example.invalid" } }
      full_name: { strategy: { template: "User #{id}" } }
      avatar: { strategy: { delete-file: { storage: avatars, then: { value: avatars/default.png } } } }
  messages:
    belongsTo: { users: user_id }
    columns:
      user_id: keep
      body: { strategy: redact }
      attachment: { strategy: { delete-file: { storage: attachments } } }
      created_at: keep
    retention: { timestamp: created_at, anonymizeAfter: 30 days }
`;

describeEachDatabase('delete-file', (target) => {
  let s3: TestS3;
  const ws = useMapWorkspace(target, MAP, () => ({ S3_ENDPOINT: s3.endpoint, S3_KEY: s3.accessKeyId, S3_SECRET: s3.secretAccessKey }));
  const { lethe, json } = ws;
  const files = () => path.join(ws.dir, 'files');
  const attachment = (name: string) => path.join(files(), name);

  beforeAll(async () => {
    s3 = await startS3([BUCKET, 'someone-else']);
  });
  afterAll(async () => {
    await s3?.close();
  });

  beforeEach(async () => {
    const { knex } = ws.database;
    for (const table of ['messages', 'users', 'lethe_file_deletion', 'lethe_sweep_state']) await knex.schema.dropTableIfExists(table);
    await rm(path.join(ws.dir, 'audit.db'), { force: true });
    await rm(files(), { recursive: true, force: true });
    await mkdir(path.join(files(), 'chat'), { recursive: true });
    await knex.schema.createTable('users', (t) => {
      t.integer('id').primary();
      t.string('email', 100).notNullable().unique();
      t.string('full_name', 100);
      t.string('avatar', 200);
    });
    await knex.schema.createTable('messages', (t) => {
      t.integer('id').primary();
      t.integer('user_id').notNullable().references('id').inTable('users').index();
      t.text('body');
      t.string('attachment', 300);
      t.dateTime('created_at').index();
    });
    await knex('users').insert([
      { id: 1, email: 'ada@example.org', full_name: 'Ada Byron', avatar: 'avatars/ada-byron.png' },
      { id: 2, email: 'alan@example.org', full_name: 'Alan Turing', avatar: 'avatars/default.png' },
      { id: 3, email: 'grace@example.org', full_name: 'Grace Hopper', avatar: 's3://someone-else/avatars/grace.png' },
    ]);
    await knex('messages').insert([
      { id: 1, user_id: 1, body: 'invoice attached', attachment: 'chat/ada-invoice.pdf', created_at: daysAgo(60) },
      { id: 2, user_id: 1, body: 'photo', attachment: 'chat/ada-photo.jpg', created_at: daysAgo(1) },
      { id: 3, user_id: 2, body: 'old scan', attachment: 'chat/alan-scan.pdf', created_at: daysAgo(90) },
      { id: 4, user_id: 2, body: 'new scan', attachment: 'chat/alan-new.pdf', created_at: daysAgo(2) },
      { id: 5, user_id: 3, body: 'not ours', attachment: '../outside.txt', created_at: daysAgo(45) },
      { id: 6, user_id: 3, body: 'no file', attachment: null, created_at: daysAgo(45) },
    ]);
    for (const name of ['chat/ada-invoice.pdf', 'chat/ada-photo.jpg', 'chat/alan-scan.pdf', 'chat/alan-new.pdf'])
      await writeFile(attachment(name), `contents of ${name}`);
    await writeFile(path.join(ws.dir, 'outside.txt'), "not lethe's to delete");
    for (const key of ['avatars/ada-byron.png', 'avatars/default.png']) await s3.put(BUCKET, key, `picture ${key}`);
    await s3.put('someone-else', 'avatars/grace.png', 'not in our bucket');
  });

  it('passes check --strict', async () => {
    const run = await lethe('check', '--strict');
    expect(run.stdout + run.stderr).toMatch(/OK: safe to run/);
    expect(run.code).toBe(0);
  });

  it('a dry run counts the files and bytes and deletes nothing', async () => {
    const plan = await json('anonymize', 'ada@example.org', '--dry-run');
    const bytes = ['chat/ada-invoice.pdf', 'chat/ada-photo.jpg'].reduce((n, f) => n + `contents of ${f}`.length, 0) + 'picture avatars/ada-byron.png'.length;
    expect(plan.files).toEqual({ files: 3, bytes, missing: 0, refused: [] });
    expect(existsSync(attachment('chat/ada-invoice.pdf'))).toBe(true);
    expect(await s3.exists(BUCKET, 'avatars/ada-byron.png')).toBe(true);
  });

  it("anonymize deletes the person's files after the commit, on disk and in the bucket, and no one else's", async () => {
    const receipt = await json('anonymize', 'ada@example.org', '--yes');
    expect(receipt.files).toMatchObject({ deleted: 3, missing: 0, failed: 0 });
    expect(existsSync(attachment('chat/ada-invoice.pdf'))).toBe(false);
    expect(existsSync(attachment('chat/ada-photo.jpg'))).toBe(false);
    expect(await s3.exists(BUCKET, 'avatars/ada-byron.png')).toBe(false);
    expect(existsSync(attachment('chat/alan-scan.pdf'))).toBe(true);
    expect(await s3.exists(BUCKET, 'avatars/default.png')).toBe(true);
    const [ada] = await ws.database.knex('users').where('id', 1);
    expect(ada.avatar).toBe('avatars/default.png');
    expect((await ws.database.knex('messages').where('user_id', 1)).map((m) => m.attachment)).toEqual([null, null]);
    // The trail counts the files and digests their names; it never holds a name.
    const audit = await readFile(path.join(ws.dir, 'audit.db'));
    for (const name of ['ada-invoice', 'ada-photo', 'ada-byron']) expect(audit.includes(Buffer.from(name))).toBe(false);
    expect((await lethe('audit', 'verify')).code).toBe(0);
    expect(await ws.database.knex('lethe_file_deletion').count({ n: '*' })).toEqual([{ n: expect.anything() }]);
    expect(Number((await ws.database.knex('lethe_file_deletion').count({ n: '*' }))[0]!.n)).toBe(0);
  });

  it('keeps a value the column would keep (a shared default picture) and refuses values outside their root', async () => {
    await json('anonymize', 'alan@example.org', '--yes');
    expect(await s3.exists(BUCKET, 'avatars/default.png')).toBe(true);
    const refused = await json('anonymize', 'grace@example.org', '--yes');
    expect(refused.files.refused).toEqual(
      expect.arrayContaining([
        { table: 'users', column: 'avatar', key: '3', reason: expect.stringMatching(/another bucket/) },
        { table: 'messages', column: 'attachment', key: '5', reason: expect.stringMatching(/outside the storage root attachments/) },
      ]),
    );
    expect(existsSync(path.join(ws.dir, 'outside.txt'))).toBe(true);
    expect(await s3.exists('someone-else', 'avatars/grace.png')).toBe(true);
  });

  it('the sweep deletes the attachments of the messages past their period, and only those', async () => {
    const dry = await json('sweep', '--dry-run', '--now', NOW.toISOString());
    const task = dry.tasks.find((t: { table: string }) => t.table === 'messages');
    expect(task.files).toMatchObject({ files: 2, missing: 0, refused: [{ key: '5' }] });
    const summary = await json('sweep', '--yes', '--now', NOW.toISOString());
    expect(summary.tasks.find((t: { table: string }) => t.table === 'messages').filesDeleted).toMatchObject({ deleted: 2 });
    expect(existsSync(attachment('chat/ada-invoice.pdf'))).toBe(false);
    expect(existsSync(attachment('chat/alan-scan.pdf'))).toBe(false);
    expect(existsSync(attachment('chat/ada-photo.jpg'))).toBe(true);
    expect(existsSync(attachment('chat/alan-new.pdf'))).toBe(true);
    expect(existsSync(path.join(ws.dir, 'outside.txt'))).toBe(true);
  });

  it('killed after the commit and before the deletions, the next run deletes the rest', async () => {
    const env = ws.env();
    const killed = await runLethe(['--config', ws.config, 'sweep', '--yes', '--now', NOW.toISOString()], {
      env: { ...env, LETHE_TEST_CRASH: 'before-file-deletion' },
    });
    expect(killed.code).toBe(137);
    // Committed: the rows say the files are gone, the files are still there, and listed.
    expect((await ws.database.knex('messages').where('id', 1))[0].attachment).toBeNull();
    expect(existsSync(attachment('chat/ada-invoice.pdf'))).toBe(true);
    const next = await runLethe(['--config', ws.config, 'sweep', '--yes', '--now', NOW.toISOString()], { env });
    expect(next.code, next.stderr).toBe(0);
    expect(existsSync(attachment('chat/ada-invoice.pdf'))).toBe(false);
    expect(existsSync(attachment('chat/alan-scan.pdf'))).toBe(false);
    expect(existsSync(attachment('chat/ada-photo.jpg'))).toBe(true);
  });
});
