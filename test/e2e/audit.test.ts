import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditStore, type AuditEntry } from '../../src/audit/index.js';
import { AUDIT_CSV_COLUMNS } from '../../src/core/audit-report.js';
import { runLethe } from '../support/cli.js';
import { databaseTargets } from '../support/databases.js';
import { useDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

/** The demo map's key (lethe.yml: ${LETHE_KEY:-demo-key-not-for-production-use-only}). */
const DEMO_KEY = 'demo-key-not-for-production-use-only';
const HEADER = AUDIT_CSV_COLUMNS.join(',');

const hasSqlite3 = (() => {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// The audit commands read only the audit store, a SQLite file whatever the database: the SQLite demo is enough.
describe('lethe audit', () => {
  const current = useDemoWorkspace(databaseTargets.find((t) => t.client === 'sqlite')!);
  let demo: DemoWorkspace;
  let entries: AuditEntry[];
  let storePath: string;

  /** A copy of the demo map whose audit.path is `auditPath` (relative to the map), and whose database may be replaced. */
  function mapVariant(name: string, auditPath: string, database?: string): string {
    let text = readFileSync(demo.config, 'utf8').replace('path: ./.lethe/audit-sqlite.db', `path: ${auditPath}`);
    if (database) text = text.replace(/database:\n( {2}.*\n)+/, `database:\n${database}\n`);
    const file = path.join(demo.dir, `${name}.yml`);
    writeFileSync(file, text);
    return file;
  }

  /** A copy of the audit store changed by a separate SQLite connection, as someone with the file could; returns a map that points at it. */
  function tamperedCopy(name: string, ...statements: string[]): string {
    const file = path.join(demo.dir, `${name}.db`);
    copyFileSync(storePath, file);
    const db = new Database(file);
    try {
      for (const sql of statements) db.exec(sql);
    } finally {
      db.close();
    }
    return mapVariant(name, `./${name}.db`);
  }

  const readEntries = () => {
    const store = AuditStore.open(storePath, { key: DEMO_KEY, readOnly: true });
    try {
      return store.list();
    } finally {
      store.close();
    }
  };

  beforeAll(async () => {
    demo = current.demo;
    storePath = demo.auditPath;
    expect((await demo.run(['find', 'jane.doe@example.com'])).code).toBe(0);
    expect((await demo.run(['anonymize', 'jane.doe@example.com', '--dry-run'])).code).toBe(0);
    expect((await demo.run(['anonymize', 'jane.doe@example.com', '--yes', '--operator', 'dpo@example.com'])).code).toBe(0);
    // An operator name that a spreadsheet would run as a formula; the find is audited although nothing matches.
    expect((await demo.run(['find', 'nobody@example.com', '--operator', '=HYPERLINK("http://evil.example","click")'])).code).toBe(4);
    entries = readEntries();
    expect(entries.length).toBeGreaterThanOrEqual(5);
  });

  describe('list', () => {
    it('prints a table of every entry, newest first, in a pipe', async () => {
      const run = await demo.run(['audit', 'list']);
      expect(run.code).toBe(0);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        /^\s*id\s+time \(UTC\)\s+operator\s+command\s+action\s+phase\s+outcome\s+dry run\s+subject\s+tables \(action rows\)\s+database$/,
      );
      const ids = lines.slice(2).map((l) => Number(l.trim().split(/\s+/)[0]));
      expect(ids).toEqual(entries.map((e) => e.id).reverse());
      const outcome = entries.find((e) => e.action === 'anonymize' && e.phase === 'outcome')!;
      const row = lines.find((l) => l.trim().startsWith(`${outcome.id} `))!;
      expect(row).toMatch(
        new RegExp(
          `${outcome.at.slice(0, 10)} \\d\\d:\\d\\d:\\d\\d\\s+dpo@example.com\\s+anonymize\\s+anonymize\\s+outcome\\s+ok\\s+no\\s+customer 1\\s+\\w+ anonymize \\d+.*\\s+SQLite file \\S+demo\\.db$`,
        ),
      );
      expect(run.stdout).not.toMatch(/\u001b\[/);
    });

    it('--json prints an array, filtered by action, operator and time', async () => {
      const all = JSON.parse((await demo.run(['audit', 'list', '--json'])).stdout) as AuditEntry[];
      expect(all).toEqual([...entries].reverse());
      const anonymize = JSON.parse((await demo.run(['audit', 'list', '--action', 'anonymize', '--json'])).stdout) as AuditEntry[];
      expect(anonymize.length).toBeGreaterThanOrEqual(3);
      expect(anonymize.every((e) => e.action === 'anonymize')).toBe(true);
      const byOperator = JSON.parse((await demo.run(['audit', 'list', '--operator', 'dpo@example.com', '--json'])).stdout) as AuditEntry[];
      // The erasure, the event that declares its tombstones, the one that declares the hashes of
      // her opted-out address (the demo keeps a suppression list), and her files deleted after the commit.
      expect(byOperator.map((e) => `${e.action}:${e.phase}`).sort()).toEqual([
        'anonymize:intent',
        'anonymize:outcome',
        'delete-files:event',
        'suppression:event',
        'tombstone:event',
      ]);
      const today = entries[0]!.at.slice(0, 10);
      const sinceToday = JSON.parse((await demo.run(['audit', 'list', '--since', today, '--until', today, '--json'])).stdout) as AuditEntry[];
      expect(sinceToday).toHaveLength(entries.length);
      const beforeFirst = await demo.run(['audit', 'list', '--until', entries[0]!.at, '--json']);
      expect(JSON.parse(beforeFirst.stdout)).toEqual([]);
      // Under --json (and no terminal) stderr stays empty; the notice is for a person.
      expect(beforeFirst.stderr).toBe('');
      expect((await demo.run(['audit', 'list', '--until', entries[0]!.at])).stderr).toMatch(/No audit entries match/);
    });

    it('--limit keeps the newest and says how many there are', async () => {
      const run = await demo.run(['audit', 'list', '--limit', '2', '--json']);
      expect((JSON.parse(run.stdout) as AuditEntry[]).map((e) => e.id)).toEqual(
        entries
          .slice(-2)
          .map((e) => e.id)
          .reverse(),
      );
      expect(run.stderr).toBe('');
      expect((await demo.run(['audit', 'list', '--limit', '2'])).stderr).toMatch(new RegExp(`newest 2 of ${entries.length} entries`));
    });

    it('refuses a date it cannot read, naming the flag', async () => {
      const run = await demo.run(['audit', 'list', '--since', '31/12/2026']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--since: "31\/12\/2026" is not a date/);
    });
  });

  describe('show', () => {
    it('prints one entry whole: tables with keys and columns, detail, hashes', async () => {
      const outcome = entries.find((e) => e.action === 'anonymize' && e.phase === 'outcome')!;
      const run = await demo.run(['audit', 'show', String(outcome.id)]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Audit entry ${outcome.id}$`, 'm'));
      expect(run.stdout).toContain(`time        ${outcome.at}`);
      expect(run.stdout).toContain(`(completes intent ${outcome.intentId})`);
      expect(run.stdout).toMatch(/^ {4}users: anonymize 1 row$/m);
      expect(run.stdout).toMatch(/^ {6}keys {5}1$/m);
      expect(run.stdout).toMatch(/^ {6}columns .*email/m);
      expect(run.stdout).toContain(`hash        ${outcome.hash}`);
      expect(run.stdout).toContain(`prev hash   ${outcome.prevHash}`);

      const intent = await demo.run(['audit', 'show', String(outcome.intentId)]);
      expect(intent.stdout).toContain(`(completed by entry ${outcome.id})`);
    });

    it('--json prints the entry exactly as stored', async () => {
      const run = await demo.run(['audit', 'show', String(entries[0]!.id), '--json']);
      expect(JSON.parse(run.stdout)).toEqual(entries[0]);
    });

    it('exits 4 for an entry that does not exist and 2 for what is not an id', async () => {
      const missing = await demo.run(['audit', 'show', '9999']);
      expect(missing.code).toBe(4);
      expect(missing.stderr).toMatch(/No audit entry 9999/);
      expect((await demo.run(['audit', 'show', 'last'])).code).toBe(2);
    });
  });

  describe('export', () => {
    it('CSV on stdout: the documented header, then one row per entry, spreadsheet-safe', async () => {
      const run = await demo.run(['audit', 'export', '--format', 'csv', '--out', '-']);
      expect(run.code).toBe(0);
      expect(run.stdout.split('\r\n')[0]).toBe(HEADER);
      const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => Number(r.id))).toEqual(entries.map((e) => e.id));
      for (const [i, row] of rows.entries()) {
        expect(row.at).toBe(entries[i]!.at);
        expect(row.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(row.hash).toBe(entries[i]!.hash);
      }
      const anonymized = rows.find((r) => r.action === 'anonymize' && r.phase === 'outcome')!;
      expect(anonymized).toMatchObject({ operator: 'dpo@example.com', outcome: 'ok', dry_run: 'false', subject_type: 'customer', subject_key: '1' });
      expect(anonymized.tables).toMatch(/(^|; )messages:anonymize:\d+(; |$)/);
      expect(anonymized.tables).toMatch(/(^|; )users:anonymize:1(; |$)/);
      expect(anonymized.keys).toMatch(/(^|; )users: 1(; |$)/);
      expect(anonymized.database).toBe(`SQLite file ${path.join(demo.dir, 'demo.db')}`);
      expect(anonymized.database_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(rows.find((r) => r.action === 'anonymize' && r.phase === 'event')).toMatchObject({ dry_run: 'true' });
      // The formula is defused with a leading apostrophe.
      expect(rows.find((r) => r.outcome === 'nothing-matched')!.operator).toBe(`'=HYPERLINK("http://evil.example","click")`);
      expect(run.stderr).toMatch(new RegExp(`${entries.length} audit entries exported`));
    });

    it('--out writes a 0600 file with the same rows', async () => {
      const out = path.join(demo.dir, 'audit.csv');
      const run = await demo.run(['audit', 'export', '--format', 'csv', '--out', out]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/written to .*audit\.csv \(mode 0600/);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const stdout = await demo.run(['audit', 'export']);
      expect(readFileSync(out, 'utf8')).toBe(stdout.stdout);
    });

    it('--format json writes JSON lines, one entry per line, and takes the filters', async () => {
      const run = await demo.run(['audit', 'export', '--format', 'json']);
      expect(run.code).toBe(0);
      expect(
        run.stdout
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l)),
      ).toEqual(entries);
      const out = path.join(demo.dir, 'anonymize.jsonl');
      expect((await demo.run(['audit', 'export', '--format', 'json', '--action', 'anonymize', '--out', out])).code).toBe(0);
      const lines = readFileSync(out, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as AuditEntry);
      expect(lines.map((e) => e.id)).toEqual(entries.filter((e) => e.action === 'anonymize').map((e) => e.id));
      expect(statSync(out).mode & 0o777).toBe(0o600);
    });

    it('refuses an unknown format', async () => {
      const run = await demo.run(['audit', 'export', '--format', 'xlsx']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--format/);
    });
  });

  describe('verify', () => {
    it('exits 0 on an intact chain and prints the count and the last hash', async () => {
      const run = await demo.run(['audit', 'verify']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Audit trail intact: ${entries.length} entries, chained with HMAC-SHA256 (keyed).`);
      expect(run.stdout).toContain(`Last hash: ${entries.at(-1)!.hash}`);
      expect(run.stdout).not.toMatch(/Interrupted/);
      // Jane's e-mail and phone.
      expect(run.stdout).toContain('Tombstones: 2, each as the audit entry that declares it recorded it.');
      const json = JSON.parse((await demo.run(['audit', 'verify', '--json'])).stdout);
      expect(json).toMatchObject({
        intact: true,
        entries: entries.length,
        lastHash: entries.at(-1)!.hash,
        chain: 'hmac-sha256',
        interrupted: [],
        tombstones: 2,
      });
    });

    describe('tombstones', () => {
      const declaration = () => entries.find((e) => e.action === 'tombstone')!;

      it('exits 1 naming a tombstone edited through a separate SQLite connection', async () => {
        const [first] = declaration().detail!.tombstones as number[];
        const config = tamperedCopy('tombstone-edited', `UPDATE tombstone SET at = '2020-01-01T00:00:00.000Z' WHERE id = ${first}`);
        const run = await runLethe(['--config', config, 'audit', 'verify']);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(new RegExp(`not intact: tombstone ${first} of entry ${declaration().id} was altered`));
        expect(run.stderr).toMatch(/Every audit entry is intact/);
        const json = JSON.parse((await runLethe(['--config', config, 'audit', 'verify', '--json'])).stdout);
        expect(json).toMatchObject({ intact: false, firstBadId: declaration().id, tombstone: first });
      });

      it('exits 1 naming a deleted tombstone', async () => {
        const [, second] = declaration().detail!.tombstones as number[];
        const run = await runLethe(['--config', tamperedCopy('tombstone-deleted', `DELETE FROM tombstone WHERE id = ${second}`), 'audit', 'verify']);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(new RegExp(`not intact: tombstone ${second} of entry ${declaration().id} was deleted`));
      });

      it.skipIf(!hasSqlite3)('exits 1 after a tombstone is changed with the sqlite3 tool', async () => {
        const file = path.join(demo.dir, 'tombstone-byte.db');
        copyFileSync(storePath, file);
        execFileSync('sqlite3', [file, "UPDATE tombstone SET digest = replace(digest, 'a', 'b')"]);
        const run = await runLethe(['--config', mapVariant('tombstone-byte', './tombstone-byte.db'), 'audit', 'verify']);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/tombstone \d+ of entry \d+ was altered/);
      });
    });

    it('exits 1 naming an entry edited through a separate SQLite connection', async () => {
      const config = tamperedCopy('edited', "UPDATE audit_entry SET operator = 'x' WHERE id = 2");
      const run = await runLethe(['--config', config, 'audit', 'verify']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^error: The audit trail at .*edited\.db is not intact: entry 2 does not match its hash: it was altered or moved\.$/m);
      expect(run.stderr).toMatch(/Entries 1 to 1 are intact/);
      const json = await runLethe(['--config', config, 'audit', 'verify', '--json']);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ intact: false, ok: false, firstBadId: 2 });
    });

    it.skipIf(!hasSqlite3)('exits 1 after one byte of an entry is changed with the sqlite3 tool', async () => {
      const file = path.join(demo.dir, 'byte.db');
      copyFileSync(storePath, file);
      execFileSync('sqlite3', [file, "UPDATE audit_entry SET at = replace(at, 'Z', 'z') WHERE id = 3"]);
      const run = await runLethe(['--config', mapVariant('byte', './byte.db'), 'audit', 'verify']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/entry 3 does not match its hash/);
    });

    it('exits 1 naming a deleted entry', async () => {
      const run = await runLethe(['--config', tamperedCopy('deleted', 'DELETE FROM audit_entry WHERE id = 3'), 'audit', 'verify']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/not intact: entry 3 is missing: entry 2 is followed by entry 4/);
    });

    it('exits 1 naming two swapped entries', async () => {
      const config = tamperedCopy(
        'swapped',
        'UPDATE audit_entry SET id = -1 WHERE id = 3',
        'UPDATE audit_entry SET id = 3 WHERE id = 4',
        'UPDATE audit_entry SET id = 4 WHERE id = -1',
      );
      const run = await runLethe(['--config', config, 'audit', 'verify']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/not intact: entry 3 /);
    });

    it('with --anchor, catches the newest entry being removed', async () => {
      const last = entries.at(-1)!;
      const config = tamperedCopy('truncated', `DELETE FROM audit_entry WHERE id = ${last.id}`);
      expect((await runLethe(['--config', config, 'audit', 'verify'])).code).toBe(0);
      const run = await runLethe(['--config', config, 'audit', 'verify', '--anchor', last.hash]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`none has the anchor hash ${last.hash}`));
      expect((await demo.run(['audit', 'verify', '--anchor', last.hash])).code).toBe(0);
    });

    it('lists jobs that started and never completed, and still exits 0', async () => {
      const config = tamperedCopy('interrupted');
      const store = AuditStore.open(path.join(demo.dir, 'interrupted.db'), { key: DEMO_KEY });
      const killed = store.recordIntent({
        operator: 'cron',
        command: 'sweep',
        action: 'sweep',
        requestId: randomUUID(),
        subject: null,
        dryRun: false,
        tables: { messages: { action: 'anonymize', rows: 120 } },
      });
      store.close();
      const run = await runLethe(['--config', config, 'audit', 'verify']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Interrupted: 1 job step started and never completed/);
      expect(run.stdout).toMatch(new RegExp(`^\\s+${killed.id}\\s+.*cron\\s+sweep\\s+sweep\\s+messages anonymize 120\\s+${killed.requestId}$`, 'm'));
      const json = JSON.parse((await runLethe(['--config', config, 'audit', 'verify', '--json'])).stdout);
      expect(json.interrupted).toEqual([expect.objectContaining({ id: killed.id, requestId: killed.requestId })]);
      const list = await runLethe(['--config', config, 'audit', 'list', '--limit', '1']);
      expect(list.stdout).toMatch(new RegExp(`^\\s+${killed.id}\\s.*intent\\s+interrupted`, 'm'));
    });

    it('reports a wrong key as such, exit 1', async () => {
      const run = await demo.run(['audit', 'verify'], { env: { LETHE_KEY: 'not-the-demo-key' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/not the one the audit store .* was created with/);
    });
  });

  describe('without the database', () => {
    it('needs only audit.path and secrets.key: an unreachable database does not matter', async () => {
      const config = mapVariant('no-database', storePath, '  client: postgres\n  connection: ${NO_SUCH_DATABASE_URL}');
      const verify = await runLethe(['--config', config, 'audit', 'verify']);
      expect(verify.code).toBe(0);
      expect(verify.stdout).toContain(`Last hash: ${entries.at(-1)!.hash}`);
      expect((await runLethe(['--config', config, 'audit', 'export'])).stdout.split('\r\n')[0]).toBe(HEADER);
    });

    it('never creates or changes the store: a missing one is an error', async () => {
      const config = mapVariant('missing', './nowhere/audit.db');
      const run = await runLethe(['--config', config, 'audit', 'list']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/No audit store at .*nowhere\/audit\.db/);
      expect(existsSync(path.join(demo.dir, 'nowhere'))).toBe(false);
      expect(readEntries()).toEqual(entries);
    });
  });

  it('has help with examples and the CSV columns', async () => {
    const audit = await runLethe(['audit', '--help']);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('Examples:');
    for (const sub of ['list', 'show', 'export', 'verify']) expect(audit.stdout).toMatch(new RegExp(`^\\s+${sub}\\b`, 'm'));
    const exportHelp = await runLethe(['audit', 'export', '--help']);
    expect(exportHelp.stdout).toContain('lethe audit export --format csv');
    expect(exportHelp.stdout).toContain(AUDIT_CSV_COLUMNS.slice(0, 10).join(', '));
  });
});
