import { statSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialectFor } from '../../../src/db/connect.js';
import type { Dialect } from '../../../src/db/dialect.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

describeEachDatabase('afterPersonalDataChange', (target) => {
  let database: TestDatabase;
  let dialect: Dialect;
  beforeAll(async () => {
    database = await target.create();
    dialect = dialectFor(target.client);
    const { knex } = database;
    if (target.client === 'postgres') await knex.raw('CREATE SCHEMA crm');
    for (const table of ['Customers', ...(target.client === 'postgres' ? ['crm.users'] : [])]) {
      const [schema, name] = table.includes('.') ? table.split('.') : [undefined, table];
      await knex.schema.withSchema(schema!).createTable(name!, (t) => {
        t.integer('id').primary();
        t.string('Email', 100);
      });
      await knex(table).insert([{ id: 1, Email: 'jane@example.com' }]);
      await knex(table).update({ Email: 'user-1@anonymized.invalid' });
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('has nothing to say when no table changed', async () => {
    expect(await dialect.afterPersonalDataChange(database.knex, [], { vacuum: true })).toEqual([]);
  });

  it.runIf(target.client === 'postgres')('says old row versions stay until VACUUM, and runs it with vacuum', async () => {
    const tables = ['Customers', 'crm.users'];
    expect(await dialect.afterPersonalDataChange(database.knex, tables)).toEqual([
      'PostgreSQL keeps the old row versions of Customers, crm.users in the table files until VACUUM; run again with --vacuum or VACUUM them (autovacuum will, eventually).',
    ]);
    const notes = await dialect.afterPersonalDataChange(database.knex, tables, { vacuum: true });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^VACUUM removed the old row versions of Customers, crm.users/);
    const { rows } = await database.knex.raw<{ rows: { relname: string; vacuumed: boolean }[] }>(
      "SELECT relname, last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables WHERE relname IN ('Customers', 'users') ORDER BY relname",
    );
    expect(rows).toEqual([
      { relname: 'Customers', vacuumed: true },
      { relname: 'users', vacuumed: true },
    ]);
  });

  it.runIf(target.client === 'postgres')('reports a failed VACUUM as a note, not an error, since the change has committed', async () => {
    const notes = await dialect.afterPersonalDataChange(database.knex, ['no_such_table'], { vacuum: true });
    expect(notes).toEqual(['VACUUM failed for no_such_table (42P01); run VACUUM on them as the table owner.']);
  });

  it.runIf(target.client === 'mysql')('says InnoDB purges old row versions in the background, and what still holds them', async () => {
    const notes = await dialect.afterPersonalDataChange(database.knex, ['Customers'], { vacuum: true });
    expect(notes).toEqual([expect.stringContaining('InnoDB purges the old row versions of Customers')]);
    expect(notes[0]).toContain('binary logs and backups');
  });

  it.runIf(target.client === 'sqlite')('empties the WAL file, where old page images would survive', async () => {
    await database.knex.raw('PRAGMA journal_mode = WAL');
    await database.knex('Customers').update({ Email: 'again@anonymized.invalid' });
    expect(statSync(`${database.connection}-wal`).size).toBeGreaterThan(0);
    expect(await dialect.afterPersonalDataChange(database.knex, ['Customers'])).toEqual([]);
    expect(statSync(`${database.connection}-wal`).size).toBe(0);
  });
});
