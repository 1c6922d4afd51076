import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { runLethe } from '../support/cli.js';
import { describeEachDatabase } from '../support/databases.js';
import { fileContains, useDemoWorkspace } from '../support/demo-workspace.js';

const DEMO_TABLES = ['consents', 'conversations', 'messages', 'orders', 'users'];

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

describeEachDatabase('lethe export', (target) => {
  const current = useDemoWorkspace(target);

  it('--format json --out FILE writes a 0600 file of valid JSON: rows of every table, categories, retention', async () => {
    const file = path.join(current.demo.dir, 'jane-doe-export.json');
    const run = await current.demo.run(['export', 'jane.doe@example.com', '--format', 'json', '--out', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(file);
    expect(run.stderr).toMatch(/personal data/);
    expect(await modeOf(file)).toBe(0o600);

    const doc = JSON.parse(await readFile(file, 'utf8'));
    expect(doc.subject).toEqual({ name: 'customer', table: 'users', key: 1 });
    expect(Number.isNaN(Date.parse(doc.exportedAt))).toBe(false);
    expect(doc.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(doc.tables).sort()).toEqual(DEMO_TABLES);
    expect(Object.values(doc.tables).filter((t) => (t as { rows: unknown[] }).rows.length > 0).length).toBeGreaterThanOrEqual(3);
    expect(doc.tables.users.rows[0]).toMatchObject({ id: 1, email: 'jane.doe@example.com', full_name: 'Jane Doe' });
    // DATETIME columns as ISO 8601 UTC, whatever the database.
    expect(doc.tables.users.rows[0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(doc.tables.messages.rows.length).toBeGreaterThanOrEqual(10);
    expect(doc.tables.users.columns.email).toEqual({ category: 'contact.email', personal: true });
    expect(doc.tables.users.columns.country).toEqual({ category: null, personal: false });
    expect(doc.tables.consents.columns.ip_address).toEqual({ category: 'online.ip', personal: true });
    expect(doc.tables.messages.retention).toEqual({ timestamp: 'created_at', anonymizeAfter: '24 months', deleteAfter: '5 years' });
    expect(doc.tables.orders.retention).toEqual({ timestamp: 'created_at', deleteAfter: '10 years' });
    expect(doc.tables.users.retention).toMatchObject({ inactiveFor: '24 months' });

    // Audited without values and without the path, which here holds the person's name.
    const entries = await current.demo.auditEntries();
    expect(entries.at(-1)).toMatchObject({ action: 'export', phase: 'event', outcome: 'ok' });
    const audit = current.demo.auditPath;
    expect(await fileContains(audit, 'jane-doe-export')).toBe(false);
    expect(await fileContains(audit, 'jane.doe@example.com')).toBe(false);
  });

  it('writes JSON on stdout by default, the notice on stderr, and nothing but the document under --quiet', async () => {
    const run = await current.demo.run(['export', '+44 20 7946 0958']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.subject.key).toBe(1);
    expect(run.stderr).toMatch(/standard output/);
    expect(run.stderr).toMatch(/personal data/);
    expect(run.stderr).not.toContain('Jane');

    const quiet = await current.demo.run(['--quiet', 'export', 'jane.doe@example.com', '--out', '-']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(JSON.parse(quiet.stdout).subject.key).toBe(1);
  });

  it('--format csv --out DIR writes one 0600 CSV per table with a header row, a manifest and a README, in a 0700 directory', async () => {
    const dir = path.join(current.demo.dir, 'exports', 'jane-doe-csv');
    const run = await current.demo.run(['export', 'jane.doe@example.com', '--format', 'csv', '--out', dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(dir);
    expect(run.stderr).toMatch(/personal data/);
    expect(await modeOf(dir)).toBe(0o700);
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(['README.txt', ...DEMO_TABLES.map((t) => `${t}.csv`), 'manifest.json'].sort());
    for (const name of names) expect(await modeOf(path.join(dir, name))).toBe(0o600);

    const users = await readFile(path.join(dir, 'users.csv'), 'utf8');
    expect(users.split('\r\n')[0]).toBe('id,email,full_name,phone,birth_date,country,created_at,last_seen_at,marketing_opt_in,avatar');
    const messages = parse(await readFile(path.join(dir, 'messages.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(messages.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(messages[0]!)).toEqual(['id', 'conversation_id', 'sender', 'body', 'attachment', 'created_at']);

    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.tables.messages).toMatchObject({
      file: 'messages.csv',
      rows: messages.length,
      retention: { anonymizeAfter: '24 months', deleteAfter: '5 years' },
    });
    expect(manifest.tables.messages.columns.body).toEqual({ category: 'content', personal: true });
    expect(await readFile(path.join(dir, 'README.txt'), 'utf8')).toContain('messages.csv');
  });

  it('--json prints a summary of what was written (counts and files, no values) when the export went to files', async () => {
    const file = path.join(current.demo.dir, 'summary.json');
    const run = await current.demo.run(['--json', 'export', 'jane.doe@example.com', '--out', file]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ format: 'json', files: [file], subject: { name: 'customer', key: 1 } });
    expect(summary.tables.messages).toBeGreaterThanOrEqual(10);
    expect(run.stdout).not.toContain('Jane');
  });

  it('refuses CSV on standard output and a directory that is not empty (exit 2, nothing written)', async () => {
    const toStdout = await current.demo.run(['export', 'jane.doe@example.com', '--format', 'csv', '--out', '-']);
    expect(toStdout.code).toBe(2);
    expect(toStdout.stdout).toBe('');
    expect(toStdout.stderr).toMatch(/^error: --out: a CSV export is several files/m);
    expect((await current.demo.run(['export', 'jane.doe@example.com', '--format', 'csv'])).code).toBe(2);

    const busy = path.join(current.demo.dir, 'busy');
    await mkdir(busy);
    await writeFile(path.join(busy, 'keep.txt'), 'x');
    const run = await current.demo.run(['export', 'jane.doe@example.com', '--format', 'csv', '--out', busy]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not empty');
    expect(await readdir(busy)).toEqual(['keep.txt']);

    expect((await current.demo.run(['export', 'jane.doe@example.com', '--format', 'xml'])).code).toBe(2);
  });

  it('exits 4 when nothing matches, writing no file', async () => {
    const file = path.join(current.demo.dir, 'nobody.json');
    const run = await current.demo.run(['export', 'nobody@example.com', '--out', file]);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: No customer matches/m);
    expect(existsSync(file)).toBe(false);
    expect((await readdir(current.demo.dir)).filter((f) => f.includes('nobody'))).toEqual([]);
    expect((await current.demo.auditEntries()).at(-1)).toMatchObject({ action: 'export', outcome: 'nothing-matched' });
  });

  it('has help with examples', async () => {
    const run = await runLethe(['export', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('lethe export jane.doe@example.com --out jane-doe.json');
    expect(run.stdout).toContain('--format csv --out');
  });
});
