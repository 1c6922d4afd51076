import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/index.js';
import { runLethe } from '../support/cli.js';
import { databaseTargets, describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';

/**
 * One audit store serving two databases: the SQLite demo, where Jane Doe is erased, and a
 * demo database of the target's dialect (on SQLite, a second file), whose map names the
 * SQLite demo's store as its audit.path. Each database sees only its own erasures.
 */
describeEachDatabase('one audit store shared by two databases', (target) => {
  const erased = useDemoWorkspace(databaseTargets.find((t) => t.client === 'sqlite')!, 40);
  const other = useDemoWorkspace(target, 40);
  let config: string;
  const run = (args: string[]) =>
    runLethe(['--config', config, ...args], { env: target.client === 'sqlite' ? {} : { DATABASE_URL: other.database.connection } });

  beforeAll(async () => {
    expect((await erased.demo.run(['anonymize', 'jane.doe@example.com', '--yes'])).code).toBe(0);
    const map = readFileSync(other.demo.config, 'utf8');
    const shared = map.replace(/^ {2}path: \.\/\.lethe\/audit-\w+\.db$/m, `  path: ${JSON.stringify(erased.demo.auditPath)}`);
    expect(shared).not.toBe(map);
    config = path.join(other.demo.dir, 'shared-store.yml');
    writeFileSync(config, shared);
  });

  it('find in the other database shows her data, with no word of an erasure', async () => {
    const found = await run(['find', 'jane.doe@example.com']);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('Jane Doe');
    expect(found.stdout + found.stderr).not.toMatch(/erased|anonymized on|reapply/i);
    const json = JSON.parse((await run(['find', 'jane.doe@example.com', '--json'])).stdout);
    expect(json).toMatchObject({ subject: { key: 1 }, anonymized: null, erased: null });
    const byId = await run(['find', '1', '--by', 'id', '--json']);
    expect(JSON.parse(byId.stdout)).toMatchObject({ anonymized: null, erased: null });
    expect(JSON.parse((await run(['reapply', '--dry-run', '--json'])).stdout).people).toEqual([]);
  });

  it('the SQLite demo still knows its own erasure', async () => {
    const gone = await erased.demo.run(['find', 'jane.doe@example.com']);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toMatch(/This customer was erased on \d{4}-\d\d-\d\d \(audit entry \d+\)/);
    expect(JSON.parse((await erased.demo.run(['find', '1', '--by', 'id', '--json'])).stdout).anonymized).toMatchObject({ auditEntry: expect.any(Number) });
  });

  it('the trail holds both databases, each entry naming its own, and verifies whole', async () => {
    const entries = JSON.parse((await run(['audit', 'list', '--json'])).stdout) as AuditEntry[];
    const erasedLabel = `SQLite file ${path.join(erased.demo.dir, 'demo.db')}`;
    const labels = new Set(entries.map((e) => e.database?.label));
    expect(labels.size).toBe(2);
    expect(labels.has(erasedLabel)).toBe(true);
    const otherLabel = [...labels].find((l) => l !== erasedLabel)!;
    expect(otherLabel).toMatch(target.client === 'sqlite' ? /^SQLite file .*demo\.db$/ : /^(PostgreSQL|MySQL|MariaDB) at /);
    expect(new Set(entries.map((e) => e.database?.id)).size).toBe(2);
    for (const label of labels) expect(label).not.toMatch(/root@|password/);
    // The whole trail is there for the auditor: the erasure in the SQLite demo, the finds here.
    expect(entries.some((e) => e.action === 'anonymize' && e.phase === 'outcome' && e.database?.label === erasedLabel)).toBe(true);
    expect(entries.some((e) => e.action === 'find' && e.database?.label === otherLabel)).toBe(true);
    const verify = await run(['audit', 'verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/Tombstones: 2,/);
  });

  it("erasing her there too is that database's erasure; lethe check does not count lethe's table as unmapped", async () => {
    expect((await run(['anonymize', 'jane.doe@example.com', '--yes'])).code).toBe(0);
    const gone = await run(['find', 'jane.doe@example.com']);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toMatch(/erased on/);
    expect((await run(['audit', 'verify'])).stdout).toMatch(/Tombstones: 4,/);
    const check = await run(['check']);
    expect(check.code).toBe(0);
    expect(check.stdout + check.stderr).not.toContain('lethe_instance');
  });
});
