import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { startS3, type TestS3 } from '../support/s3.js';
import { afterAll, beforeAll } from 'vitest';

interface Message {
  id: number;
  attachment: string | null;
  created_at: unknown;
}

async function filesUnder(folder: string): Promise<Set<string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return new Set(entries.filter((e) => e.isFile()).map((e) => path.relative(folder, path.join(e.parentPath, e.name)).split(path.sep).join('/')));
}

function time(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return new Date(`${String(value).replace(' ', 'T')}Z`).getTime();
}

/**
 * The demo's chat attachments (files under its files folder, named by messages.attachment):
 * the nightly sweep deletes those of messages past their anonymization period, after each
 * batch commits, and no other file; killed between a commit and its deletions, the next run
 * deletes the rest.
 */
/**
 * A night's time, fixed for the test: the last 01:00 UTC. Today's 01:00 is still ahead during
 * the first hour of a UTC day, and the sweep refuses a --now in the future.
 */
function lastOneAm(): Date {
  const now = new Date();
  const night = new Date(now);
  night.setUTCHours(1, 0, 0, 0);
  if (night > now) night.setUTCDate(night.getUTCDate() - 1);
  return night;
}

describeEachDatabase('the demo sweep and its attachments', (target) => {
  const current = useDemoWorkspace(target, 200);
  let demo: DemoWorkspace;
  let files: string;
  const now = lastOneAm();
  const sweep = ['sweep', '--yes', '--table', 'messages', '--batch-size', '40', '--now', now.toISOString(), '--json'];

  beforeEach(async () => {
    demo = current.demo;
    await demo.regenerate();
    files = path.join(demo.dir, 'files');
  });

  async function check(before: Message[], allFiles: Set<string>, cutoff: number): Promise<void> {
    const after = new Map(((await demo.query((db) => db('messages').select('id', 'attachment', 'created_at'))) as Message[]).map((m) => [m.id, m]));
    const gone = new Set<string>();
    for (const message of before.filter((m) => m.attachment)) {
      const now = after.get(message.id);
      if (!now || now.attachment === null) gone.add(message.attachment!);
      else expect(time(message.created_at), `message ${message.id} kept its attachment`).toBeGreaterThanOrEqual(cutoff);
    }
    expect(gone.size).toBeGreaterThan(0);
    // Every message past its period lost its attachment, and its file is gone; every other file is there.
    for (const message of before.filter((m) => m.attachment && time(m.created_at) < cutoff))
      expect(gone.has(message.attachment!), `message ${message.id}`).toBe(true);
    const left = await filesUnder(files);
    for (const file of allFiles) expect(left.has(file), file).toBe(!gone.has(file));
    expect(Number((await demo.query((db) => db('lethe_file_deletion').count({ n: '*' })))[0]!.n)).toBe(0);
  }

  it('deletes the attachments of every message past its anonymization period, and no other file', async () => {
    const before = (await demo.query((db) => db('messages').select('id', 'attachment', 'created_at'))) as Message[];
    const allFiles = await filesUnder(files);
    expect(allFiles.has('avatars/default.jpg')).toBe(true);
    const run = await demo.run(sweep);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    const anonymize = summary.tasks.find((t: { action: string }) => t.action === 'anonymize');
    expect(anonymize.filesDeleted.deleted).toBeGreaterThan(0);
    await check(before, allFiles, Date.parse(anonymize.cutoff));
  });

  it('killed after a batch committed and before its files went, the next run deletes the rest', async () => {
    const before = (await demo.query((db) => db('messages').select('id', 'attachment', 'created_at'))) as Message[];
    const allFiles = await filesUnder(files);
    const killed = await demo.run(sweep, { env: { LETHE_TEST_CRASH: 'before-file-deletion' } });
    expect(killed.code).toBe(137);
    // The batch committed: its rows name no file, its files are still there, listed.
    const listed = Number((await demo.query((db) => db('lethe_file_deletion').count({ n: '*' })))[0]!.n);
    expect(listed).toBeGreaterThan(0);
    const detached = before.filter((m) => m.attachment && existsSync(path.join(files, m.attachment)));
    expect(detached.length).toBeGreaterThan(0);
    const again = await demo.run(sweep);
    expect(again.code, again.stderr).toBe(0);
    const cutoff = Date.parse(JSON.parse(again.stdout).tasks.find((t: { action: string }) => t.action === 'anonymize').cutoff);
    await check(before, allFiles, cutoff);
  });
});

/**
 * The same sweep with the demo's files in an S3-compatible bucket (s3rver, started here):
 * the objects of messages past their period go, every other object stays, and values that
 * lead out of the root (`../../etc/passwd`, another bucket) are refused and reported.
 */
describeEachDatabase('the demo sweep and its attachments in a bucket', (target) => {
  const current = useDemoWorkspace(target, 120);
  let s3: TestS3;
  const now = lastOneAm();
  const sweep = ['sweep', '--yes', '--table', 'messages', '--now', now.toISOString(), '--json'];

  beforeAll(async () => {
    s3 = await startS3(['demo-files', 'someone-else']);
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('deletes the objects of messages past their period, no other object, and refuses values outside the bucket', async () => {
    const demo = current.demo;
    await demo.regenerate();
    const map = await readFile(demo.config, 'utf8');
    await writeFile(
      demo.config,
      map.replace(
        '  files: { path: ./files }',
        '  files:\n    s3:\n      bucket: demo-files\n      endpoint: ${S3_ENDPOINT}\n      forcePathStyle: true\n      accessKeyId: ${S3_KEY}\n      secretAccessKey: ${S3_SECRET}',
      ),
    );
    const env = { S3_ENDPOINT: s3.endpoint, S3_KEY: s3.accessKeyId, S3_SECRET: s3.secretAccessKey };
    const folder = path.join(demo.dir, 'files');
    const objects = await filesUnder(folder);
    for (const key of objects) await s3.put('demo-files', key, await readFile(path.join(folder, key), 'utf8'));
    await s3.put('someone-else', 'chat/x.pdf', 'not ours');
    const before = (await demo.query((db) => db('messages').select('id', 'attachment', 'created_at').orderBy('id'))) as Message[];
    // Two old messages name what is not lethe's to delete.
    const year = 365 * 86_400_000;
    // Past the anonymization period, not yet past deletion: the anonymize pass reads them.
    const old = before
      .filter((m) => m.attachment && time(m.created_at) < now.getTime() - 3 * year && time(m.created_at) > now.getTime() - 4.5 * year)
      .slice(0, 2);
    expect(old).toHaveLength(2);
    await demo.query((db) => db('messages').where('id', old[0]!.id).update({ attachment: '../../etc/passwd' }));
    await demo.query((db) => db('messages').where('id', old[1]!.id).update({ attachment: 's3://someone-else/chat/x.pdf' }));

    const run = await demo.run(sweep, { env });
    expect(run.code, run.stderr).toBe(0);
    const task = JSON.parse(run.stdout).tasks.find((t: { action: string }) => t.action === 'anonymize');
    expect(task.filesDeleted.deleted).toBeGreaterThan(0);
    expect(task.filesDeleted.refused.map((r: { key: string }) => r.key).sort()).toEqual([String(old[0]!.id), String(old[1]!.id)].sort());
    const cutoff = Date.parse(task.cutoff);
    const gone = new Set(before.filter((m) => m.attachment && time(m.created_at) < cutoff && !old.includes(m)).map((m) => m.attachment!));
    expect(gone.size).toBeGreaterThan(0);
    for (const key of objects) expect(await s3.exists('demo-files', key), key).toBe(!gone.has(key));
    expect(await s3.exists('someone-else', 'chat/x.pdf')).toBe(true);
    expect(existsSync('/etc/passwd')).toBe(true);
    await writeFile(demo.config, map);
  });
});
