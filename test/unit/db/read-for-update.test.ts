import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { dialectFor } from '../../../src/db/connect.js';
import { impatientConnection, writeHeldOff } from '../../support/concurrency.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

/**
 * A sweep batch reads the rows it rewrites with readForUpdate: until its transaction ends,
 * no other connection may change them, so an erasure committed meanwhile cannot be
 * overwritten with values computed from what the batch read before (a lost update).
 */
describeEachDatabase('readForUpdate', (target) => {
  let database: TestDatabase;
  let other: Knex;
  beforeAll(async () => {
    database = await target.create();
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    // In WAL mode a reader does not hold writers off, as in rollback mode it would: the harder case.
    if (database.client === 'sqlite') await database.knex.raw('PRAGMA journal_mode = WAL');
    await database.knex.schema.dropTableIfExists('lines');
    await database.knex.schema.createTable('lines', (t) => {
      t.increments('id');
      t.string('body', 100).notNullable();
    });
    await database.knex('lines').insert([
      { id: 1, body: 'one' },
      { id: 2, body: 'two' },
    ]);
    await other?.destroy();
    other = await impatientConnection(database);
  });

  const otherWriterBlocked = () => writeHeldOff(other, database.client, (trx) => trx('lines').where('id', 1).update({ body: 'erased' }));

  it('holds the rows it read against another writer until the transaction ends', async () => {
    const dialect = dialectFor(database.client);
    let blocked: boolean | undefined;
    await database.knex.transaction(async (trx) => {
      const rows = await dialect.readForUpdate(trx, 'lines', ['id'], trx('lines').select('*').orderBy('id'));
      expect(rows.map((r) => r.body)).toEqual(['one', 'two']);
      blocked = await otherWriterBlocked();
    });
    expect(blocked).toBe(true);
    // Once it ended, the other writer goes through.
    expect(await otherWriterBlocked()).toBe(false);
    expect((await database.knex('lines').where('id', 1).first()).body).toBe('erased');
  });
});
