import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { databaseTargets } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';
import { runMain } from '../support/streams.js';

const sqlite = databaseTargets.find((t) => t.client === 'sqlite')!;

/**
 * Another process holds SQLite's write lock longer than lethe's busy timeout (5 s), as a long
 * sweep batch or a bulk import would: the erasure's first attempt gives up, rolled back, and
 * the next one runs once the lock is free, instead of failing with SQLITE_BUSY.
 */
describe('an erasure that meets a busy SQLite database', () => {
  const current = useDemoWorkspace(sqlite, 10);

  it('runs its transaction again and succeeds; the trail says it took two attempts', async () => {
    const file = path.join(current.demo.dir, 'demo.db');
    // lethe's own tables (identity, commit markers) exist already, as after any earlier run.
    expect((await runMain(['--config', current.demo.config, 'anonymize', '2', '--by', 'id', '--yes'])).code).toBe(0);
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE'); console.log('held'); setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, 7000);`,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const run = await runMain(['--config', current.demo.config, 'anonymize', 'jane.doe@example.com', '--yes']);
    await new Promise((resolve) => (holder.exitCode === null ? holder.once('close', resolve) : resolve(undefined)));
    expect(run.stderr).not.toMatch(/error|BUSY|locked/i);
    expect(run.code).toBe(0);
    const audit = new Database(current.demo.auditPath, { readonly: true });
    try {
      const outcome = audit
        .prepare("SELECT outcome, detail FROM audit_entry WHERE action = 'anonymize' AND phase = 'outcome' ORDER BY id DESC LIMIT 1")
        .get() as { outcome: string; detail: string };
      expect(outcome.outcome).toBe('ok');
      expect(JSON.parse(outcome.detail)).toMatchObject({ attempts: 2 });
    } finally {
      audit.close();
    }
  });
});
