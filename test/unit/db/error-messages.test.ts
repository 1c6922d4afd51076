import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connect.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

/** --debug prints a failing statement: with its placeholders, never with the values bound to them. */
describeEachDatabase('driver error messages', (target) => {
  let database: TestDatabase;
  let knex: Knex;
  beforeAll(async () => {
    database = await target.create();
    knex = openDatabase({ client: database.client, connection: database.connection });
  });
  afterAll(async () => {
    await knex?.destroy();
    await database?.drop();
  });

  it('name the statement but not the bound values', async () => {
    const error = (await knex('no_such_table')
      .where('email', 'jane.doe@example.com')
      .select('*')
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/no_such_table/);
    expect(error.message).not.toContain('jane.doe@example.com');
    expect(`${error.stack}`).not.toContain('jane.doe@example.com');
  });
});
