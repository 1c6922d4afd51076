import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateShopDatabase } from '../../fixtures/shop/generate-database.js';
import { SHARED_PHONE } from '../../fixtures/shop/data.js';
import { repoRoot } from '../support/cli.js';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { runMain } from '../support/streams.js';
import { findPeople } from '../../src/core/find.js';
import { openSession } from '../../src/core/session.js';

const maps = { sqlite: 'lethe.yml', postgres: 'lethe.postgres.yml', mysql: 'lethe.mysql.yml' } as const;
/** The shape of each exported value: the JSON type, and for strings whether it is a date, a time or a decimal. */
const shapes = new Map<string, unknown>();

function shapeOf(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  if (/^\d{4}-\d\d-\d\d$/.test(value)) return 'date';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value)) return 'time';
  if (/^-?\d+\.\d+$/.test(value)) return `decimal ${value.split('.')[1]!.length}`;
  return 'string';
}

/**
 * The shop fixture, a schema nobody here designed it for: two kinds of people, a reference
 * between them, a composite key, quoted mixed-case names, phones as people type them, money.
 */
describeEachDatabase('the shop fixture', (target) => {
  let database: TestDatabase;
  let dir: string;
  let config: string;
  const env = () => (database.client === 'sqlite' ? {} : { DATABASE_URL: database.connection });
  const lethe = (...args: string[]) => runMain(['--config', config, ...args], { env: env() });
  const shop = () => generateShopDatabase(database.knex, database.client, { customers: 60, seed: 42, now: new Date('2026-12-01T00:00:00Z') });

  beforeAll(async () => {
    database = await target.create();
    dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-shop-'));
    config = path.join(dir, 'lethe.yml');
    const map = await readFile(path.join(repoRoot, 'fixtures/shop', maps[database.client]), 'utf8');
    await writeFile(config, database.client === 'sqlite' ? map.replace('./shop.db', JSON.stringify(database.connection)) : map);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it('passes check --strict with the bundled map', async () => {
    await shop();
    const run = await lethe('check', '--strict');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('finds every stored phone, as stored and in two other formats', async () => {
    await shop();
    const people = [
      ...(await database.knex('Customer').select({ id: 'CustomerId', phone: 'Phone' })).map((p) => ({ ...p, subject: 'customer' })),
      ...(await database.knex('Employee').select({ id: 'EmployeeId', phone: 'Phone' })).map((p) => ({ ...p, subject: 'employee' })),
    ].filter((p) => p.phone && !(p.subject === 'customer' && (SHARED_PHONE.customerIds as readonly number[]).includes(p.id)));
    expect(people.length).toBeGreaterThan(40);
    // One session for the ~170 lookups (each CLI run would connect and read the schema again).
    const session = await openSession({ configPath: config, env: env() });
    try {
      for (const person of people) {
        const digits = String(person.phone).replace(/\D/g, '');
        for (const typed of [person.phone as string, digits, digits.replace(/(\d{3})(?=\d)/g, '$1.')]) {
          const found = await findPeople(session, typed, { by: 'phone', subject: person.subject });
          expect(
            found.map((f) => f.subject.key),
            `${person.subject} ${person.id} as ${typed}`,
          ).toEqual([person.id]);
        }
      }
    } finally {
      await session.close();
    }
    // And once through the CLI, as a DPO types it.
    const run = await lethe('--json', 'find', '+453 3331 9991');
    expect(run.code, run.stdout).toBe(0);
  });

  it('erasing a support agent leaves every customer row unchanged', async () => {
    await shop();
    const customers = await database.knex('Customer').orderBy('CustomerId');
    const agent = await database.knex('Employee').where({ EmployeeId: 3 }).first();
    expect(customers.filter((c) => c.SupportRepId === 3).length).toBeGreaterThan(0);
    const served = customers.filter((c) => c.SupportRepId === 3).map((c) => c.CustomerId as number);
    const found = JSON.parse((await lethe('--json', 'find', '3', '--by', 'id', '--subject', 'employee')).stdout);
    expect(found.referencedBy).toContainEqual({ table: 'Customer', column: 'SupportRepId', keys: served });
    const out = path.join(dir, 'agent.json');
    expect((await lethe('export', '3', '--by', 'id', '--subject', 'employee', '--out', out, '--force')).code).toBe(0);
    const exported = JSON.parse(await readFile(out, 'utf8'));
    expect(exported.references).toContainEqual({ table: 'Customer', column: 'SupportRepId', rows: served.length });
    expect(Object.keys(exported.tables)).toEqual(['Employee']);
    const run = await lethe('--json', 'anonymize', String(agent.Email), '--subject', 'employee', '--yes');
    expect(run.code, run.stdout).toBe(0);
    expect((JSON.parse(run.stdout).tables as { table: string; rows: number }[]).filter((t) => t.rows > 0).map((t) => t.table)).toEqual(['Employee']);
    expect(await database.knex('Customer').orderBy('CustomerId')).toEqual(customers);
    expect((await database.knex('Employee').where({ EmployeeId: 3 }).first()).Email).toBe('employee-3@anonymized.invalid');
  });

  it('never sweeps a customer with no activity whose sign-up is recent; one who signed up long ago counts from it', async () => {
    await shop();
    const quiet = await database
      .knex('Customer')
      .whereNotExists(database.knex('Invoice').whereRaw('?? = ??', ['Invoice.CustomerId', 'Customer.CustomerId']))
      .orderBy('CustomerId');
    const cutoff = new Date('2024-12-07T00:00:00Z');
    const recent = quiet.filter((c) => new Date(c.CreatedAt) > cutoff);
    const old = quiet.filter((c) => new Date(c.CreatedAt) < cutoff);
    expect(recent.length).toBeGreaterThan(0);
    expect(old.length).toBeGreaterThan(0);
    const dry = JSON.parse((await lethe('--json', 'sweep', '--dry-run', '--table', 'Customer')).stdout);
    expect(dry.tasks[0]).toMatchObject({ action: 'inactive', dueWithoutActivity: old.length });
    expect((await lethe('sweep', '--yes', '--table', 'Customer')).code).toBe(0);
    for (const customer of recent) expect(await database.knex('Customer').where({ CustomerId: customer.CustomerId }).first()).toEqual(customer);
    for (const customer of old)
      expect((await database.knex('Customer').where({ CustomerId: customer.CustomerId }).first()).Email).toMatch(/@anonymized\.invalid$/);
  });

  it('exports the same JSON types as on every other database', async () => {
    await shop();
    const out = path.join(dir, `export-${database.client}.json`);
    const run = await lethe('export', '11', '--by', 'id', '--subject', 'customer', '--out', out, '--force');
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(await readFile(out, 'utf8')) as { tables: Record<string, { rows: Record<string, unknown>[] }> };
    const shape = Object.fromEntries(
      Object.entries(document.tables).map(([table, { rows }]) => [
        table,
        rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, shapeOf(v)]))),
      ]),
    );
    expect(shape.Invoice!.length).toBeGreaterThan(0);
    expect(shape.Invoice![0]).toMatchObject({ InvoiceId: 'number', InvoiceDate: 'time', Total: 'decimal 2' });
    expect(shape.Customer![0]).toMatchObject({ CustomerId: 'number', BirthDate: expect.stringMatching(/^(date|null)$/), CreatedAt: 'time' });
    const first = shapes.get('shop');
    if (first === undefined) shapes.set('shop', shape);
    else expect(shape).toEqual(first);
  });
});
