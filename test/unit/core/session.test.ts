import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { describeEachDatabase } from '../../support/databases.js';
import { shopMap, useShopSession } from '../../support/workspace.js';

describeEachDatabase('openSession checks the map against the live schema', (target) => {
  const shop = useShopSession(target);

  async function problemsOf(yaml: string) {
    await shop.workspace.writeMap(yaml);
    const error = await shop.workspace.session().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }

  it('opens a clean map and warns about columns the map does not mention', async () => {
    await shop.workspace.writeMap(shopMap.replace('      country: keep\n', ''));
    const session = await shop.workspace.session();
    try {
      expect(session.warnings).toEqual([{ path: 'tables.users.columns', message: expect.stringContaining('"country"') }]);
    } finally {
      await session.close();
    }
  });

  it('names unknown tables and columns', async () => {
    const problems = await problemsOf(
      shopMap.replace('  tickets:\n', '  tikets:\n').replace('      country: keep', '      countri: keep').replace('tickets: ticket_id', 'tikets: ticket_id'),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'tables.tikets', message: 'table "tikets" does not exist in the database' },
        { path: 'tables.users.columns.countri', message: 'column "countri" does not exist in table users' },
      ]),
    );
  });

  it('refuses null on a NOT NULL column and a constant on a UNIQUE one', async () => {
    const problems = await problemsOf(
      shopMap
        .replace('full_name: { category: name, strategy: { template: "User #{id}" } }', 'full_name: { category: name, strategy: null }')
        .replace('email: { category: contact.email, strategy: { template: "user-{id}@anonymized.invalid" } }', 'email: { strategy: { value: gone } }'),
    );
    expect(problems.map((p) => p.path)).toEqual(['tables.users.columns.email.strategy', 'tables.users.columns.full_name.strategy']);
    expect(problems[1]!.message).toContain('NOT NULL');
    expect(problems[0]!.message).toContain('UNIQUE');
  });

  it('reports static and live problems in one go', async () => {
    const problems = await problemsOf(
      shopMap.replace('body: { category: content, strategy: redact }', 'body: { strategy: redcat }').replace('  tickets:\n', '  tikets:\n').replace('tickets: ticket_id', 'tikets: ticket_id'),
    );
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['tables.notes.columns.body.strategy', 'tables.tikets']));
  });

  it('refuses strategies whose output does not fit the column type', async () => {
    const problems = await problemsOf(
      shopMap
        .replace('total_cents: keep', 'total_cents: { strategy: hash }')
        .replace('birth_date: { category: demographic, strategy: { generalize: year } }', 'birth_date: { strategy: { value: "unknown" } }'),
    );
    expect(problems).toEqual([
      { path: 'tables.users.columns.birth_date.strategy', message: expect.stringContaining('does not fit') },
      { path: 'tables.orders.columns.total_cents.strategy', message: expect.stringMatching(/hash writes text, but orders\.total_cents is (integer|int)/i) },
    ]);
  });

  it.runIf(target.client === 'sqlite')('says when the SQLite file does not exist instead of creating an empty one', async () => {
    const text = await readFile(shop.workspace.configPath, 'utf8');
    await writeFile(shop.workspace.configPath, text.replace(/connection: "[^"]+"/, 'connection: ./missing.db'));
    await expect(shop.workspace.session()).rejects.toThrow(/missing\.db does not exist/);
    expect(existsSync(`${shop.workspace.dir}/missing.db`)).toBe(false);
  });
});

