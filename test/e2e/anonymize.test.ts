import { rm } from 'node:fs/promises';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { fileContains, useDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const everything = (d: DemoWorkspace) =>
  d.query(async (db) => ({
    users: await db('users').orderBy('id'),
    messages: await db('messages').orderBy('id'),
    orders: await db('orders').orderBy('id'),
    consents: await db('consents').orderBy('id'),
    conversations: await db('conversations').orderBy('id'),
  }));

describeEachDatabase('lethe anonymize', (target) => {
  const current = useDemoWorkspace(target);
  let demo: DemoWorkspace;
  beforeEach(async () => {
    demo = current.demo;
    await demo.regenerate();
    await rm(`${demo.dir}/.lethe`, { recursive: true, force: true });
  });
  it('refuses without --yes when stdin is not a terminal, and changes nothing', async () => {
    const before = await everything(demo);
    const run = await demo.run(['anonymize', 'jane.doe@example.com']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Refusing to anonymize without confirmation/);
    expect(run.stderr).toMatch(/--yes/);
    expect(await everything(demo)).toEqual(before);
  });

  it('--dry-run prints the plan on stdout and changes nothing', async () => {
    const before = await everything(demo);
    const run = await demo.run(['anonymize', 'jane.doe@example.com', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Plan: anonymize customer users 1/);
    expect(run.stdout).toMatch(/messages\s+anonymize\s+\d+\s+body: redact/);
    expect(run.stdout).toMatch(/Dry run: nothing was changed/);
    expect(await everything(demo)).toEqual(before);
  });

  it('with --yes anonymizes her everywhere, keeps what is not personal, and leaves no trace in any file', async () => {
    const before = await everything(demo);
    const run = await demo.run(['find', 'jane.doe@example.com', '--json']);
    expect(run.code).toBe(0);
    expect((await demo.run(['anonymize', 'jane.doe@example.com', '--dry-run'])).code).toBe(0);
    const anonymize = await demo.run(['anonymize', 'jane.doe@example.com', '--yes']);
    expect(anonymize.code).toBe(0);
    expect(anonymize.stdout).toMatch(/Anonymized customer users 1: \d+ rows rewritten, 0 deleted\. Audit entry \d+/);

    expect((await demo.run(['find', 'jane.doe@example.com'])).code).toBe(4);
    expect((await demo.run(['find', '+44 20 7946 0958'])).code).toBe(4);
    const byId = await demo.run(['find', '1', '--by', 'id', '--json']);
    expect(byId.code).toBe(0);
    const doc = JSON.parse(byId.stdout);
    expect(doc.anonymized).toMatchObject({ auditEntry: expect.any(Number) });
    expect(doc.tables.users[0]).toMatchObject({ email: 'user-1@anonymized.invalid', full_name: 'User #1', phone: null });

    const after = await everything(demo);
    // keep columns are unchanged, row for row; other people are untouched.
    expect(after.conversations).toEqual(before.conversations);
    expect(after.orders.map(({ shipping_name, shipping_address, ...kept }: Record<string, unknown>) => kept)).toEqual(
      before.orders.map(({ shipping_name, shipping_address, ...kept }: Record<string, unknown>) => kept),
    );
    expect(after.users.slice(1)).toEqual(before.users.slice(1));
    expect(
      after.messages.filter((m: { conversation_id: number }) => !doc.tables.conversations.some((c: { id: number }) => c.id === m.conversation_id)),
    ).toEqual(before.messages.filter((m: { conversation_id: number }) => !doc.tables.conversations.some((c: { id: number }) => c.id === m.conversation_id)));

    // What lethe wrote to disk: the audit store always, the database too on SQLite.
    const files = await demo.files();
    expect(files).toContain(demo.auditPath);
    if (target.client === 'sqlite') expect(files.some((f) => f.endsWith('demo.db'))).toBe(true);
    for (const file of files.filter((f) => !f.endsWith('.yml'))) {
      for (const needle of ['jane.doe@example.com', 'Jane Doe', '7946 0958', '79460958']) {
        expect(await fileContains(file, needle), `${needle} in ${file}`).toBe(false);
      }
    }
  });

  it('audits the find, the dry run and the anonymization', async () => {
    await demo.run(['find', 'jane.doe@example.com']);
    await demo.run(['anonymize', 'jane.doe@example.com', '--dry-run']);
    await demo.run(['anonymize', 'jane.doe@example.com', '--yes', '--operator', 'dpo@example.org']);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(demo.auditPath, { readonly: true });
    const rows = db.prepare('SELECT operator, command, action, phase, outcome, dry_run FROM audit_entry ORDER BY id').all();
    db.close();
    expect(rows).toEqual([
      { operator: 'e2e', command: 'find', action: 'find', phase: 'event', outcome: 'ok', dry_run: 0 },
      { operator: 'e2e', command: 'anonymize', action: 'anonymize', phase: 'event', outcome: 'ok', dry_run: 1 },
      { operator: 'dpo@example.org', command: 'anonymize', action: 'anonymize', phase: 'intent', outcome: null, dry_run: 0 },
      { operator: 'dpo@example.org', command: 'anonymize', action: 'anonymize', phase: 'outcome', outcome: 'ok', dry_run: 0 },
      // The demo keeps tombstones and a suppression list (Jane opted out): events declare them, so that audit verify covers them.
      { operator: 'dpo@example.org', command: 'anonymize', action: 'tombstone', phase: 'event', outcome: 'ok', dry_run: 0 },
      { operator: 'dpo@example.org', command: 'anonymize', action: 'suppression', phase: 'event', outcome: 'ok', dry_run: 0 },
      // Her attachments and picture, deleted after the commit: counted, never named.
      { operator: 'dpo@example.org', command: 'anonymize', action: 'delete-files', phase: 'event', outcome: 'ok', dry_run: 0 },
    ]);
  });

  it('asks on a terminal: "n" (the default) changes nothing', async () => {
    const before = await everything(demo);
    const run = await demo.runInTerminal(['anonymize', 'jane.doe@example.com'], { prompt: /cannot be undone/, answer: 'n\r' });
    expect(run.screen).toMatch(/Anonymize this person\? This cannot be undone\. \(y\/N\)/);
    expect(run.screen).toMatch(/Not confirmed: nothing was changed/);
    expect(run.code).toBe(130);
    expect(await everything(demo)).toEqual(before);
  });

  it('asks on a terminal: "y" anonymizes', async () => {
    const run = await demo.runInTerminal(['anonymize', 'jane.doe@example.com'], { prompt: /cannot be undone/, answer: 'y\r' });
    expect(run.screen).toMatch(/Anonymized customer users 1/);
    expect(run.code).toBe(0);
    const users = await demo.query((db) => db('users').where('id', 1));
    expect(users[0].email).toBe('user-1@anonymized.invalid');
  });

  it('--no-input refuses even on a terminal', async () => {
    const run = await demo.runInTerminal(['--no-input', 'anonymize', 'jane.doe@example.com'], { prompt: /$^/, answer: '' });
    expect(run.code).toBe(2);
    expect(run.screen).toMatch(/--no-input/);
  });

  it('--from anonymizes many people, one transaction each, and exits 3 when some failed', async () => {
    const emails = await demo.query((db) => db('users').whereIn('id', [2, 3]).orderBy('id').pluck('email'));
    const list = `${demo.dir}/requests.txt`;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(list, `jane.doe@example.com\nnobody@example.com\n${emails.join('\n')}\n`);
    const run = await demo.run(['anonymize', '--from', list, '--yes']);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/3 anonymized, 1 not done, 4 lines/);
    expect(run.stdout).toMatch(/line 2: not-found/);
    expect(run.stdout).not.toContain('nobody');
    const users = await demo.query((db) => db('users').whereIn('id', [1, 2, 3]).orderBy('id').pluck('email'));
    expect(users).toEqual(['user-1@anonymized.invalid', 'user-2@anonymized.invalid', 'user-3@anonymized.invalid']);
  });

  it('--from - reads a CSV from stdin (and needs --yes)', async () => {
    const csv = 'request,email\nR-1,jane.doe@example.com\n';
    expect((await demo.run(['anonymize', '--from', '-'], { input: csv })).code).toBe(2);
    const run = await demo.run(['anonymize', '--from', '-', '--yes', '--json'], { input: csv });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ anonymized: 1, failed: 0, items: [{ line: 2, status: 'anonymized' }] });
  });
});
