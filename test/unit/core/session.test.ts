import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { buildShopSchema, createSqliteWorkspace, shopMap, type Workspace } from '../../support/workspace.js';

let workspace: Workspace;
beforeEach(async () => {
  workspace = await createSqliteWorkspace(buildShopSchema, shopMap);
});
afterEach(async () => {
  await workspace.cleanup();
});

async function problemsOf(yaml: string) {
  await workspace.writeMap(yaml);
  const error = await workspace.session().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
}

describe('openSession checks the map against the live schema', () => {
  it('opens a clean map and warns about columns the map does not mention', async () => {
    await workspace.writeMap(shopMap.replace('      country: keep\n', ''));
    const session = await workspace.session();
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
    const problems = await problemsOf(shopMap.replace('body: { category: content, strategy: redact }', 'body: { strategy: redcat }').replace('  tickets:\n', '  tikets:\n').replace('tickets: ticket_id', 'tikets: ticket_id'));
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['tables.notes.columns.body.strategy', 'tables.tikets']));
  });

  it('says when the SQLite file does not exist instead of creating an empty one', async () => {
    await workspace.writeMap(shopMap);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(workspace.configPath, (await import('node:fs')).readFileSync(workspace.configPath, 'utf8').replace('./app.db', './missing.db'));
    await expect(workspace.session()).rejects.toThrow(/missing\.db does not exist/);
    expect((await import('node:fs')).existsSync(`${workspace.dir}/missing.db`)).toBe(false);
  });
});

describe('strategies that do not fit the column type', () => {
  it('are refused before anything runs', async () => {
    const problems = await problemsOf(
      shopMap.replace('total_cents: keep', 'total_cents: { strategy: hash }').replace('birth_date: { category: demographic, strategy: { generalize: year } }', 'birth_date: { strategy: { value: "unknown" } }'),
    );
    expect(problems).toEqual([
      { path: 'tables.users.columns.birth_date.strategy', message: expect.stringContaining('does not fit') },
      { path: 'tables.orders.columns.total_cents.strategy', message: expect.stringMatching(/hash writes text, but orders\.total_cents is INTEGER/i) },
    ]);
  });
});
