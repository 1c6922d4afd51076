import Database from 'better-sqlite3';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';
import { runMain } from '../support/streams.js';

interface EntryRow {
  id: number;
  command: string;
  action: string;
  phase: string;
  outcome: string | null;
  dry_run: number;
  subject: string | null;
  detail: string | null;
}

/**
 * What the trail says and what the guard rails refuse, in-process: no false restore alarm,
 * "already anonymized" instead of a second erasure, refusals on record, dry runs under the
 * command that ran, and no sweep into the future.
 */
describeEachDatabase('the trail tells the exact truth', (target) => {
  const current = useDemoWorkspace(target, 60);
  const env = () => (current.database.client === 'sqlite' ? {} : { DATABASE_URL: current.database.connection });
  const lethe = (...args: string[]) => runMain(['--config', current.demo.config, ...args], { env: env() });
  const users = () => current.demo.query((db) => db('users').orderBy('id'));
  const entries = (): EntryRow[] => {
    const db = new Database(current.demo.auditPath, { readonly: true });
    try {
      return db.prepare('SELECT id, command, action, phase, outcome, dry_run, subject, detail FROM audit_entry ORDER BY id').all() as EntryRow[];
    } finally {
      db.close();
    }
  };
  beforeEach(async () => {
    await current.demo.regenerate();
  });

  it('anonymizing twice says "already anonymized" (by id and by e-mail) and find raises no restore alarm', async () => {
    const first = await lethe('anonymize', '1', '--by', 'id', '--yes');
    expect(first.code, first.stderr).toBe(0);
    const receipt = /Audit entry (\d+)/.exec(first.stdout)?.[1];
    expect(receipt).toBeDefined();
    const after = await users();

    const again = await lethe('anonymize', '1', '--by', 'id', '--yes');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`already anonymized on \\d{4}-\\d\\d-\\d\\d, audit entry ${receipt}; nothing to do`));
    const byEmail = await lethe('anonymize', 'jane.doe@example.com', '--yes');
    expect(byEmail.code, byEmail.stderr).toBe(0);
    expect(byEmail.stdout).toMatch(/already anonymized on \d{4}-\d\d-\d\d, audit entry \d+; nothing to do/);
    expect(await users()).toEqual(after);

    const found = await lethe('find', '1', '--by', 'id', '--json');
    expect(found.code).toBe(0);
    const document = JSON.parse(found.stdout);
    expect(document.erased).toBeNull();
    expect(document.anonymized).toMatchObject({ auditEntry: Number(receipt) });
    expect((await lethe('find', '1', '--by', 'id')).stdout).not.toMatch(/restored from a backup/);
    // The repeated requests are on record, without a second anonymization.
    const repeats = entries().filter((e) => e.command === 'anonymize' && e.detail?.includes('alreadyAnonymized'));
    expect(repeats).toHaveLength(2);
    expect(entries().filter((e) => e.command === 'anonymize' && e.phase === 'outcome')).toHaveLength(1);
  });

  it('reapply after a restore erases the person again, and a second look lists nobody', async () => {
    const before = await users();
    expect((await lethe('anonymize', 'jane.doe@example.com', '--yes')).code).toBe(0);
    // A restore: her row as it was.
    await current.demo.query((db) => db('users').where('id', 1).update(before[0]));
    const dry = await lethe('reapply', '--dry-run', '--json');
    expect(JSON.parse(dry.stdout).people.map((p: { subject: { key: number } }) => p.subject.key)).toEqual([1]);
    const done = await lethe('reapply', '--yes', '--json');
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ anonymized: 1, failed: 0 });
    const second = await lethe('reapply', '--dry-run', '--json');
    expect(JSON.parse(second.stdout).people).toEqual([]);
    // The dry run is recorded under the command that ran.
    const dryRuns = entries().filter((e) => e.dry_run === 1);
    expect(dryRuns.length).toBeGreaterThan(0);
    expect(dryRuns.every((e) => e.command === 'reapply')).toBe(true);
  });

  it('a refusal and a "no" are on record, without personal data', async () => {
    const refused = await lethe('anonymize', 'jane.doe@example.com');
    expect(refused.code).toBe(2);
    const sweepRefused = await lethe('sweep', '--now', '2026-11-25T12:00:00Z');
    expect(sweepRefused.code).toBe(2);
    const records = entries().filter((e) => e.outcome === 'refused');
    expect(records.map((e) => `${e.command}:${e.phase}`)).toEqual(['anonymize:event', 'sweep:event']);
    expect(JSON.parse(records[0]!.subject!)).toEqual({ name: 'customer', key: 1 });
    expect(JSON.stringify(records)).not.toMatch(/jane|doe|example\.com/i);
  });

  it('sweep refuses a --now in the future unless it is a dry run', async () => {
    const before = await users();
    const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const run = await lethe('sweep', '--yes', '--now', nextYear);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--now .* is in the future/);
    expect(await users()).toEqual(before);
    const preview = await lethe('sweep', '--dry-run', '--now', nextYear, '--json');
    expect(preview.code, preview.stderr).toBe(0);
    expect(JSON.parse(preview.stdout)).toMatchObject({ dryRun: true, now: nextYear });
    expect(await users()).toEqual(before);
  });
});
