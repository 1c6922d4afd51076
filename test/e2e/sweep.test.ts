import { rm } from 'node:fs/promises';
import { beforeEach, expect, it } from 'vitest';
import { detect } from '../../src/detect/index.js';
import { describeEachDatabase } from '../support/databases.js';
import { demoContents as contents, waitFor } from '../support/wait.js';
import { createDemoWorkspace, useDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const NOW = '2026-11-25T12:00:00Z';

describeEachDatabase('lethe sweep', (target) => {
  const current = useDemoWorkspace(target, 300);
  let demo: DemoWorkspace;
  beforeEach(async () => {
    demo = current.demo;
    await demo.regenerate();
    await rm(`${demo.dir}/.lethe`, { recursive: true, force: true });
  });

  it('--dry-run --json reports what is due in at least three tables and changes nothing', async () => {
    const before = await demo.query(contents);
    const run = await demo.run(['sweep', '--dry-run', '--json', '--now', NOW]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.dryRun).toBe(true);
    const due = doc.tasks.filter((t: { due: number }) => t.due > 0);
    expect(new Set(due.map((t: { table: string }) => t.table)).size).toBeGreaterThanOrEqual(3);
    expect(due.map((t: { action: string }) => t.action)).toEqual(expect.arrayContaining(['inactive', 'anonymize', 'delete']));
    expect(await demo.query(contents)).toEqual(before);
  });

  it('refuses without --yes when stdin is not a terminal', async () => {
    const before = await demo.query(contents);
    const run = await demo.run(['sweep', '--now', NOW]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Refusing to sweep without confirmation/);
    expect(await demo.query(contents)).toEqual(before);
  });

  it('--yes --json applies every rule; a second sweep changes 0 rows', async () => {
    const run = await demo.run(['sweep', '--yes', '--json', '--now', NOW]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.totals.rows).toBeGreaterThan(0);
    expect(doc.stopped).toBeNull();
    expect(doc.left).toEqual([]);
    for (const task of doc.tasks) expect(task).toMatchObject({ complete: true, batches: expect.any(Number), seconds: expect.any(Number) });

    const deleteCutoff = new Date('2021-11-25T12:00:00Z');
    const anonymizeCutoff = new Date('2024-11-25T12:00:00Z');
    const messages = (await demo.query((db) => db('messages').select('body', 'created_at'))) as { body: string; created_at: string | Date }[];
    const time = (v: string | Date) => (v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`));
    expect(messages.filter((m) => time(m.created_at) < deleteCutoff)).toEqual([]);
    const old = messages.filter((m) => time(m.created_at) < anonymizeCutoff);
    expect(old.length).toBeGreaterThan(0);
    expect(old.filter((m) => detect(m.body, { types: ['EMAIL'] }).length > 0)).toEqual([]);

    const again = await demo.run(['sweep', '--yes', '--json', '--now', NOW]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).totals.rows).toBe(0);
  });

  it('killed with SIGKILL mid-way and run again, ends as an uninterrupted sweep of a copy does', async () => {
    const copyDatabase = await target.create();
    const copy = await createDemoWorkspace(copyDatabase, 300);
    try {
      const args = ['sweep', '--yes', '--json', '--now', NOW, '--batch-size', '20', '--pause', '40'];
      const killed = demo.start(args);
      await waitFor(async () => (await demo.auditEntries()).filter((e) => e.action === 'sweep-batch' && e.phase === 'outcome').length >= 3, 'a few batches');
      killed.child.kill('SIGKILL');
      await killed.done;
      expect((await demo.auditEntries()).some((e) => e.action === 'sweep' && e.phase === 'outcome')).toBe(false);

      expect((await demo.run(['sweep', '--yes', '--json', '--now', NOW, '--batch-size', '20'])).code).toBe(0);
      expect((await copy.run(['sweep', '--yes', '--json', '--now', NOW, '--batch-size', '20'])).code).toBe(0);
      expect(await demo.query(contents)).toEqual(await copy.query(contents));
    } finally {
      await copy.cleanup();
      await copyDatabase.drop();
    }
    // Two demo databases, three sweeps and a kill: the slowest test of the suite, given room.
  }, 120_000);

  it('one sweep at a time; SIGTERM stops at a batch boundary with exit 130', async () => {
    const first = demo.start(['sweep', '--yes', '--now', NOW, '--batch-size', '5', '--pause', '200']);
    await waitFor(async () => (await demo.auditEntries()).some((e) => e.action === 'sweep-batch'), 'the first sweep to start');
    const second = await demo.run(['sweep', '--yes', '--now', NOW]);
    expect(second.code).toBe(5);
    expect(second.stderr).toMatch(/Another lethe sweep is running/);
    first.child.kill('SIGTERM');
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/Sweep stopped \(interrupted\) at a batch boundary/);
    const entries = await demo.auditEntries();
    expect(entries.at(-1)).toMatchObject({ action: 'sweep', phase: 'outcome', outcome: 'cancelled' });
  });

  it('--max-duration stops at a batch boundary, says what is left, exit 3', async () => {
    const run = await demo.run(['sweep', '--yes', '--json', '--now', NOW, '--batch-size', '5', '--pause', '100', '--max-duration', '1s']);
    expect(run.code).toBe(3);
    const doc = JSON.parse(run.stdout);
    expect(doc.stopped.reason).toBe('max-duration');
    expect(doc.left.length).toBeGreaterThan(0);
    expect((await demo.run(['sweep', '--yes', '--json', '--now', NOW])).code).toBe(0);
  });
});
