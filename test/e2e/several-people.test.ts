import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShopDatabase } from '../../fixtures/shop/generate-database.js';
import { openDatabase } from '../../src/db/connect.js';
import { repoRoot, runLethe, runLetheInTerminal } from '../support/cli.js';

const DOWN = '\u001b[B';

/**
 * An employee who is also a customer, with the same e-mail: the value names two kinds of
 * person. At a terminal lethe asks which is meant (a real pseudo-terminal: the prompt reads
 * keys); without one it needs --subject. SQLite only: the choice is the CLI's, not the database's.
 */
describe('a value that names two kinds of person', () => {
  let dir: string;
  let shared: string;
  let employeeId: number;
  let customerId: number;
  const args = (...rest: string[]) => ['--config', path.join(dir, 'lethe.yml'), ...rest];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-several-'));
    await copyFile(path.join(repoRoot, 'fixtures/shop/lethe.yml'), path.join(dir, 'lethe.yml'));
    await writeFile(path.join(dir, 'shop.db'), '');
    const knex = openDatabase({ client: 'sqlite', connection: path.join(dir, 'shop.db') });
    try {
      await generateShopDatabase(knex, 'sqlite', { customers: 30, seed: 7, now: new Date('2026-12-01T00:00:00Z') });
      const [employee] = await knex('Employee').select('EmployeeId', 'Email').orderBy('EmployeeId').limit(1);
      employeeId = employee.EmployeeId;
      shared = employee.Email;
      customerId = 5;
      await knex('Customer').where('CustomerId', customerId).update({ Email: shared });
    } finally {
      await knex.destroy();
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('without a terminal, refuses and names both kinds (nothing changed)', async () => {
    const run = await runLethe(args('anonymize', shared, '--dry-run'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/customer Customer 5 \(by email\); employee Employee \d+ \(by email\)/);
    expect(run.stderr).toMatch(/--subject \(customer, employee\)/);
  });

  it('at a terminal, anonymize asks which kind of person is meant and plans that one', async () => {
    const run = await runLetheInTerminal(args('anonymize', shared, '--dry-run'), { prompt: /Which one is meant\?/, answer: `${DOWN}\r` });
    expect(run.screen).toMatch(/customer \(key 5 by email\)/);
    expect(run.screen).toMatch(/employee \(key \d+ by email\)/);
    expect(run.screen).toContain(`Plan: anonymize employee Employee ${employeeId}`);
    expect(run.code).toBe(0);
  });

  it('at a terminal, export asks too and exports the one chosen', async () => {
    const out = path.join(dir, 'customer.json');
    const run = await runLetheInTerminal(args('export', shared, '--out', out), { prompt: /Which one is meant\?/, answer: '\r' });
    expect(run.code).toBe(0);
    const document = JSON.parse(await readFile(out, 'utf8'));
    expect(document.subject).toMatchObject({ name: 'customer', key: customerId });
  });
});
