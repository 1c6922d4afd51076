import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialectFor, openDatabase } from '../../../src/db/connect.js';
import type { Dialect } from '../../../src/db/dialect.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

describeEachDatabase('tryJobLock', (target) => {
  let database: TestDatabase;
  let dialect: Dialect;
  let other: Knex;

  beforeAll(async () => {
    database = await target.create();
    dialect = dialectFor(target.client);
    // A second client of the same database, as another lethe process would be.
    other = target.client === 'sqlite' ? database.knex : openDatabase({ client: target.client, connection: database.connection });
  });
  afterAll(async () => {
    if (other !== database?.knex) await other?.destroy();
    await database?.drop();
  });

  it('refuses a held lock without waiting and grants it again after release', async () => {
    const first = await dialect.tryJobLock(database.knex, 'sweep', database.connection);
    expect(first).toBeDefined();
    try {
      const started = performance.now();
      expect(await dialect.tryJobLock(database.knex, 'sweep', database.connection)).toBeUndefined();
      expect(await dialect.tryJobLock(other, 'sweep', database.connection)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(2_000);
      // Another job name is another lock.
      const unrelated = await dialect.tryJobLock(other, 'export', database.connection);
      expect(unrelated).toBeDefined();
      await unrelated!.release();
    } finally {
      await first!.release();
    }
    await first!.release(); // twice is harmless
    const second = await dialect.tryJobLock(other, 'sweep', database.connection);
    expect(second).toBeDefined();
    await second!.release();
  });

  it('takes a lock with a name too long for GET_LOCK', async () => {
    const name = `anonymize-${'x'.repeat(100)}`;
    const lock = await dialect.tryJobLock(database.knex, name, database.connection);
    expect(lock).toBeDefined();
    expect(await dialect.tryJobLock(other, name, database.connection)).toBeUndefined();
    await lock!.release();
  });

  it('leaves the pool usable: queries run while a lock is held, and the lock connection comes back', async () => {
    const locks = await Promise.all(['a', 'b', 'c'].map((name) => dialect.tryJobLock(database.knex, name, database.connection)));
    expect(locks.every(Boolean)).toBe(true);
    expect(await dialect.listTables(database.knex)).toEqual(expect.any(Array));
    await Promise.all(locks.map((lock) => lock!.release()));
  });

  it.runIf(target.client === 'sqlite')('keeps a lock file beside the database, and takes over one whose process is gone', async () => {
    const file = `${database.connection}.sweep.lethe-lock`;
    const lock = await dialect.tryJobLock(database.knex, 'sweep', database.connection);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    await lock!.release();
    expect(existsSync(file)).toBe(false);

    const gone = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited
    writeFileSync(file, JSON.stringify({ pid: gone, host: os.hostname(), since: '2020-01-01T00:00:00.000Z' }));
    const takenOver = await dialect.tryJobLock(database.knex, 'sweep', database.connection);
    expect(takenOver).toBeDefined();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    await takenOver!.release();

    // A live process (the parent of this one) holds it: not stale.
    writeFileSync(file, JSON.stringify({ pid: process.ppid, host: os.hostname(), since: new Date().toISOString() }));
    expect(await dialect.tryJobLock(database.knex, 'sweep', database.connection)).toBeUndefined();
    // So does a process on another host, which cannot be checked from here.
    writeFileSync(file, JSON.stringify({ pid: gone, host: `not-${os.hostname()}`, since: new Date().toISOString() }));
    expect(await dialect.tryJobLock(database.knex, 'sweep', database.connection)).toBeUndefined();
  });
});
