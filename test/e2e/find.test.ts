import { expect, it } from 'vitest';
import { runLethe } from '../support/cli.js';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';

describeEachDatabase('lethe find', (target) => {
  const current = useDemoWorkspace(target);
  it('--json prints the subject and the rows of every linked table on stdout', async () => {
    const run = await current.demo.run(['find', 'jane.doe@example.com', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.subject).toMatchObject({ name: 'customer', table: 'users', key: 1, matchedBy: ['email'] });
    expect(Object.keys(doc.tables).sort()).toEqual(['consents', 'conversations', 'messages', 'orders', 'users']);
    expect(doc.tables.users[0]).toMatchObject({ id: 1, email: 'jane.doe@example.com', full_name: 'Jane Doe' });
    expect(doc.tables.conversations.length).toBeGreaterThanOrEqual(3);
    expect(doc.tables.messages.length).toBeGreaterThanOrEqual(10);
    expect(doc.tables.orders.length).toBeGreaterThanOrEqual(2);
    expect(doc.personalColumns.users).toContain('email');
  });

  it('prints readable tables with personal columns marked, results on stdout only', async () => {
    const run = await current.demo.run(['find', '+44 20 7946 0958']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('matched by phone');
    expect(run.stdout).toMatch(/email\*/);
    expect(run.stdout).toMatch(/^messages \(\d+ rows\)$/m);
    expect(run.stdout).not.toMatch(/\u001b\[/); // NO_COLOR
  });

  it('exits 4 when nothing matches, with the message on stderr and nothing on stdout', async () => {
    const run = await current.demo.run(['find', 'nobody@example.com']);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: No customer matches/m);
  });

  it('exits 2 on an unknown --by and on a missing map', async () => {
    expect((await current.demo.run(['find', 'x', '--by', 'mail'])).code).toBe(2);
    const missing = await runLethe(['--config', `${current.demo.dir}/nope.yml`, 'find', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yml');
  });

  it('--scan reports the message bodies as holding personal data, and no value in clear', async () => {
    const run = await current.demo.run(['find', '--scan']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/messages\.body\s+\d+\s+.*EMAIL \d+.*personal data/);
    expect(run.stdout).not.toMatch(/@example\.(com|org|net)|\+44 |Jane Doe/);
    const json = JSON.parse((await current.demo.run(['find', '--scan', '--json'])).stdout);
    expect(json.columns.find((c: { table: string; column: string }) => c.table === 'messages' && c.column === 'body').found.EMAIL).toBeGreaterThan(0);
  });

  it('has help with examples', async () => {
    const run = await runLethe(['find', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('lethe find jane.doe@example.com');
  });
});
