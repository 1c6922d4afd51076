import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';

interface Entry {
  id: number;
  action: string;
  phase: string;
  outcome: string | null;
  intentId: number | null;
  detail: Record<string, unknown> | null;
}

/**
 * A process killed at the worst moments of an erasure (LETHE_TEST_CRASH places a SIGKILL
 * exactly): the database decides what happened, through the commit marker written in the
 * erasure's own transaction, and the next command completes the trail accordingly, with
 * the tombstones that make the erasure survive a restore.
 */
describeEachDatabase('an erasure killed around its commit', (target) => {
  const current = useDemoWorkspace(target, 30);
  const entries = async (): Promise<Entry[]> =>
    (JSON.parse((await current.demo.run(['--json', 'audit', 'list', '--limit', 'all'])).stdout) as Entry[]).sort((a, b) => a.id - b.id);

  it('killed after the commit: the next find says she was erased, the trail completes it with her tombstones, and a restore is caught', async () => {
    const demo = current.demo;
    const file = path.join(demo.dir, 'demo.db');
    if (target.client === 'sqlite') await copyFile(file, `${file}.backup`);

    const killed = await demo.run(['anonymize', 'jane.doe@example.com', '--yes'], { env: { LETHE_TEST_CRASH: 'after-commit' } });
    expect(killed.code).toBe(137);
    const intent = (await entries()).filter((e) => e.action === 'anonymize' && e.phase === 'intent').at(-1)!;
    expect((await entries()).some((e) => e.intentId === intent.id)).toBe(false);

    const find = await demo.run(['find', 'jane.doe@example.com']);
    expect(find.code).toBe(4);
    expect(find.stderr).toMatch(/This customer was erased on \d{4}-\d\d-\d\d \(audit entry \d+\)/);
    const after = await entries();
    const outcome = after.find((e) => e.intentId === intent.id)!;
    expect(outcome).toMatchObject({ phase: 'outcome', outcome: 'ok', detail: { reconciled: true } });
    expect(after.filter((e) => e.action === 'tombstone' && (e.detail as { tombstonesOf?: number }).tombstonesOf === outcome.id)).toHaveLength(1);
    expect((await demo.run(['audit', 'verify'])).code).toBe(0);
    expect(Number((await demo.query((knex) => knex('lethe_commit').count({ n: '*' })))[0]!.n)).toBe(0);

    if (target.client === 'sqlite') {
      await copyFile(`${file}.backup`, file);
      const dry = await demo.run(['reapply', '--dry-run', '--json']);
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.stdout).people).toMatchObject([{ subject: { key: 1 } }]);
    }
  });

  it('killed before the commit: nothing changed, and the next command completes the intent as not applied', async () => {
    const demo = current.demo;
    const before = await demo.query((knex) => knex('users').where({ id: 5 }).first());
    const killed = await demo.run(['anonymize', '5', '--by', 'id', '--yes'], { env: { LETHE_TEST_CRASH: 'before-commit' } });
    expect(killed.code).toBe(137);
    const intent = (await entries()).filter((e) => e.action === 'anonymize' && e.phase === 'intent').at(-1)!;

    expect((await demo.run(['find', '5', '--by', 'id'])).code).toBe(0);
    expect(await demo.query((knex) => knex('users').where({ id: 5 }).first())).toEqual(before);
    expect((await entries()).find((e) => e.intentId === intent.id)).toMatchObject({ outcome: 'failed', detail: { reconciled: true, applied: false } });
    const again = await demo.run(['anonymize', '5', '--by', 'id', '--yes']);
    expect(again.code).toBe(0);
    expect(await demo.query((knex) => knex('users').where({ id: 5 }).first())).not.toEqual(before);
    expect((await demo.run(['audit', 'verify'])).code).toBe(0);
  });
});
