import { rm } from 'node:fs/promises';
import type { Knex } from 'knex';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { demoContents as contents, waitFor } from '../support/wait.js';
import { createDemoWorkspace, useDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const NOW = '2026-11-25T12:00:00Z';

/**
 * Each user either anonymized whole or not at all: their row holds the map's placeholder
 * exactly when every one of their orders does (the demo map: users.email becomes
 * user-{id}@anonymized.invalid, orders.shipping_name Customer #{user_id}).
 */
async function halfAnonymized(knex: Knex): Promise<number[]> {
  const users = (await knex('users').select('id', 'email')) as { id: number; email: string }[];
  const orders = (await knex('orders').select('user_id', 'shipping_name', 'shipping_address')) as {
    user_id: number;
    shipping_name: string;
    shipping_address: string;
  }[];
  const erased = new Map(users.map((u) => [Number(u.id), u.email === `user-${u.id}@anonymized.invalid`]));
  const torn = new Set<number>();
  for (const order of orders) {
    const done = order.shipping_name === `Customer #${order.user_id}` && order.shipping_address === '';
    if (erased.get(Number(order.user_id)) !== done) torn.add(Number(order.user_id));
  }
  return [...torn].sort((a, b) => a - b);
}

describeEachDatabase('lethe sweep: the inactive pass, killed', (target) => {
  const current = useDemoWorkspace(target, 300);
  let demo: DemoWorkspace;
  beforeEach(async () => {
    demo = current.demo;
    await demo.regenerate();
    await rm(`${demo.dir}/.lethe`, { recursive: true, force: true });
  });

  it('killed with SIGKILL during the inactive pass and run again, ends as an uninterrupted sweep of a copy; nobody is half anonymized', async () => {
    const dry = await demo.run(['sweep', '--dry-run', '--json', '--now', NOW, '--table', 'users']);
    const due = (JSON.parse(dry.stdout) as { tasks: { action: string; due: number }[] }).tasks.find((t) => t.action === 'inactive')!.due;
    // Enough people for several batches of three before the kill.
    expect(due).toBeGreaterThanOrEqual(9);
    expect(await demo.query(halfAnonymized)).toEqual([]);
    const erasedUsers = () =>
      demo.query(async (knex) => Number((await knex('users').where('email', 'like', 'user-%@anonymized.invalid').count({ n: '*' }))[0]!.n));
    const erasedBefore = await erasedUsers();

    const copyDatabase = await target.create();
    const copy = await createDemoWorkspace(copyDatabase, 300);
    try {
      const args = ['sweep', '--yes', '--json', '--now', NOW, '--table', 'users', '--batch-size', '3'];
      const killed = demo.start([...args, '--pause', '100']);
      const inactiveBatches = async () =>
        (await demo.auditEntries()).filter((e) => e.action === 'anonymize' && e.phase === 'outcome' && e.outcome === 'ok').length;
      await waitFor(async () => (await inactiveBatches()) >= 2, 'two batches of inactive people');
      killed.child.kill('SIGKILL');
      await killed.done;
      // The job never finished: no outcome of the sweep itself.
      expect((await demo.auditEntries()).some((e) => e.action === 'sweep' && e.phase === 'outcome')).toBe(false);
      // Whatever the kill interrupted, no person is part done: a batch committed whole or not at all.
      expect(await demo.query(halfAnonymized)).toEqual([]);
      // Two batches or more committed (a person or more each), and not all of them.
      const erasedAtKill = (await erasedUsers()) - erasedBefore;
      expect(erasedAtKill).toBeGreaterThanOrEqual(2);
      expect(erasedAtKill).toBeLessThan(due);

      const again = await demo.run(args);
      expect(again.code).toBe(0);
      expect((await copy.run(args)).code).toBe(0);
      expect(await demo.query(contents)).toEqual(await copy.query(contents));
      expect(await demo.query(halfAnonymized)).toEqual([]);
      // Every batch's intent has its outcome: the one the kill cut off was completed by the next run.
      const verify = await demo.run(['audit', 'verify', '--json']);
      expect(verify.code).toBe(0);
    } finally {
      await copy.cleanup();
      await copyDatabase.drop();
    }
  }, 120_000);
});
