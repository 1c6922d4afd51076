import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateShopDatabase } from '../../fixtures/shop/generate-database.js';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { runMain } from '../support/streams.js';

const CATALOGUE = ['Album', 'Artist', 'Genre', 'Playlist', 'PlaylistTrack', 'Track'];
const KEY = 'shop-init-test-key-0123456789abcdef0123456789';

/**
 * The README's worked example, step by step, on the shop fixture: init drafts the map, the
 * two edits the README shows are made, and the first erasure follows. On each database.
 */
describeEachDatabase('the shop fixture from init to a first erasure', (target) => {
  let database: TestDatabase;
  let dir: string;
  let map: string;
  const env = () => ({ LETHE_KEY: KEY });
  const lethe = (...args: string[]) => runMain(['--config', map, ...args], { env: env() });
  const json = async (...args: string[]) => {
    const run = await lethe(...args, '--json');
    expect(run.code, run.stderr + run.stdout).toBe(0);
    return JSON.parse(run.stdout);
  };

  beforeAll(async () => {
    database = await target.create();
    dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-shop-init-'));
    map = path.join(dir, 'lethe.yml');
    await generateShopDatabase(database.knex, database.client, { customers: 60, seed: 42, now: new Date('2026-12-01T00:00:00Z') });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it('init drafts both kinds of people, a reference between them, the catalogue impersonal; two edits later check --strict passes and a customer is erased', async () => {
    const init = await runMain(['init', '--client', database.client, '--connection', database.connection, '--out', map, '--json'], { env: env() });
    expect(init.code, init.stderr).toBe(0);
    const drafted = JSON.parse(init.stdout);
    expect(drafted.problems).toEqual([]);
    expect(drafted.subjects.map((s: { table: string }) => s.table)).toEqual(['Customer', 'Employee']);
    const table = (name: string) => drafted.tables.find((t: { name: string }) => t.name === name);
    // A support agent is referenced by customers, never their owner (nor the other way round).
    expect(table('Customer')).toMatchObject({ belongsTo: [], references: [{ parent: 'Employee', column: 'SupportRepId' }] });
    expect(table('Employee').belongsTo).toEqual([]);
    expect(table('Invoice').belongsTo).toEqual([{ parent: 'Customer', column: 'CustomerId' }]);
    for (const name of CATALOGUE) expect(table(name).impersonal, name).toMatch(/no column holds personal data/);
    expect(table('PlaylistTrack').primaryKey).toEqual(['PlaylistId', 'TrackId']);
    expect(table('Customer').personal).toEqual(expect.arrayContaining(['Company', 'BirthDate']));
    expect(table('Employee').personal).toEqual(expect.arrayContaining(['HireDate', 'Title']));
    expect(drafted.notices.join('\n')).toMatch(/sampled Customer\.Phone values are not valid phone numbers/);

    // The README's two edits.
    const text = await readFile(map, 'utf8');
    const edited = text
      .replace(/(\n {2}customer:\n[\s\S]*?)\n(?: {4}#[^\n]*\n)? {4}tombstones: false/, '$1\n    tombstones: true')
      .replace(
        /(\n {2}Customer:\n {4}primaryKey: CustomerId\n {4}references: \{ Employee: SupportRepId \}\n)/,
        '$1    retention: { inactiveFor: 24 months, activity: [Invoice.InvoiceDate], activityFallback: CreatedAt }\n',
      );
    expect(edited).toContain('tombstones: true');
    expect(edited).toContain('activityFallback: CreatedAt');
    await writeFile(map, edited);

    const check = await lethe('check', '--strict');
    expect(check.stderr + check.stdout).toMatch(/OK: safe to run/);
    expect(check.code).toBe(0);

    const [customer] = await database.knex('Customer').select('CustomerId', 'Phone', 'Email').where('CustomerId', 3);
    const found = await json('find', String(customer.Phone));
    expect(found.subject).toMatchObject({ name: 'customer', key: 3 });

    // An agent's erasure plans the agent alone.
    const [agent] = await database
      .knex('Employee')
      .select('EmployeeId', 'Email')
      .whereIn('EmployeeId', database.knex('Customer').select('SupportRepId'))
      .limit(1);
    const agentPlan = await json('anonymize', agent.Email, '--dry-run');
    expect(agentPlan.tables.map((t: { table: string }) => t.table)).toEqual(['Employee']);

    const customersBefore = await database.knex('Customer').whereNot('CustomerId', 3).orderBy('CustomerId');
    const invoicesBefore = await database.knex('Invoice').select('InvoiceId', 'Total').where('CustomerId', 3).orderBy('InvoiceId');
    const receipt = await json('anonymize', customer.Email, '--yes');
    expect(receipt.subject).toMatchObject({ name: 'customer', key: 3 });
    const [after] = await database.knex('Customer').where('CustomerId', 3);
    expect(after.Email).not.toBe(customer.Email);
    expect(after.Phone).toBeNull();
    expect(await database.knex('Invoice').select('InvoiceId', 'Total').where('CustomerId', 3).orderBy('InvoiceId')).toEqual(invoicesBefore);
    expect(await database.knex('Customer').whereNot('CustomerId', 3).orderBy('CustomerId')).toEqual(customersBefore);

    const sweep = await json('sweep', '--dry-run', '--now', '2026-12-01T00:00:00Z');
    const inactive = sweep.tasks.find((t: { action: string }) => t.action === 'inactive');
    expect(inactive.due).toBeGreaterThan(0);
    expect(inactive.dueWithoutActivity).toBeGreaterThan(0);
    expect((await lethe('audit', 'verify')).code).toBe(0);
  });
});
