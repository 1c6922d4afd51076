import type { Knex } from 'knex';
import { openDatabase } from '../../src/db/connect.js';
import type { TestDatabase } from './databases.js';

/**
 * A second connection to a test database, as another process would hold, that never waits
 * long for a lock: SQLite's busy timeout is 0 (better-sqlite3 would otherwise block this whole
 * process while it waits), and writeHeldOff sets a short lock timeout on the servers.
 */
export async function impatientConnection(database: TestDatabase): Promise<Knex> {
  const knex = openDatabase({ client: database.client, connection: database.connection });
  if (database.client === 'sqlite') await knex.raw('PRAGMA busy_timeout = 0');
  return knex;
}

/** Runs `write` in a transaction of `other`: true when a lock held it off, false when it went through. */
export async function writeHeldOff(other: Knex, client: TestDatabase['client'], write: (trx: Knex.Transaction) => Promise<unknown>): Promise<boolean> {
  try {
    await other.transaction(async (trx) => {
      if (client === 'postgres') await trx.raw("SET LOCAL lock_timeout = '300ms'");
      if (client === 'mysql') await trx.raw('SET SESSION innodb_lock_wait_timeout = 1');
      await write(trx);
    });
    return false;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === '55P03' || code === 'ER_LOCK_WAIT_TIMEOUT') return true;
    throw error;
  }
}
