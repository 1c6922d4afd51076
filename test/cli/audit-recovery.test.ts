import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { databaseTargets } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';
import { runMain } from '../support/streams.js';

const sqlite = databaseTargets.find((t) => t.client === 'sqlite')!;

/**
 * Holds a write transaction on the audit store, big enough that SQLite has written pages of
 * the file itself (cache_size 1 makes it spill), then dies by SIGKILL: a hot journal, as a
 * process killed in the middle of an append leaves it.
 */
function killMidAppend(auditPath: string): Promise<number | null> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('cache_size = 1');
    db.exec('BEGIN IMMEDIATE');
    const insert = db.prepare('INSERT INTO audit_meta (name, value) VALUES (?, ?)');
    for (let i = 0; i < 2000; i++) insert.run('filler-' + i, 'x'.repeat(2000));
    db.prepare("UPDATE audit_entry SET operator = 'half-written'").run();
    process.kill(process.pid, 'SIGKILL');
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, auditPath], { cwd: repoRoot, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve(signal === 'SIGKILL' ? 137 : null));
  });
}

describe('an audit store left mid-append by a killed process', () => {
  const current = useDemoWorkspace(sqlite, 10);
  const lethe = (...args: string[]) => runMain(['--config', current.demo.config, ...args]);

  it('audit verify and audit list roll the half-written append back and read the trail as it was', async () => {
    expect((await lethe('find', 'jane.doe@example.com')).code).toBe(0);
    const before = await lethe('--json', 'audit', 'list', '--limit', 'all');
    expect(await killMidAppend(current.demo.auditPath)).toBe(137);
    expect(existsSync(`${current.demo.auditPath}-journal`)).toBe(true);

    const verify = await lethe('audit', 'verify');
    expect(verify.stderr).not.toMatch(/READONLY|unexpectedly/);
    expect(verify.code).toBe(0);
    const list = await lethe('--json', 'audit', 'list', '--limit', 'all');
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(before.stdout);
    expect(list.stdout).not.toContain('half-written');
  });
});
