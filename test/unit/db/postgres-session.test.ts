import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connect.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

/**
 * What lethe sets on each PostgreSQL connection: UTC (a `timestamp` holds UTC by lethe's
 * convention) and no JIT (its statements are a batch's; compiling each batch's due query
 * cost more than it saved).
 */
describeEachDatabase('PostgreSQL session settings', (target) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await target.create();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it.runIf(target.client === 'postgres')('every connection of the pool runs in UTC, without JIT', async () => {
    const knex = openDatabase({ client: 'postgres', connection: database.connection });
    try {
      // Two transactions open at once, each waiting for the other to have read: two connections of the pool.
      let arrived = 0;
      let bothRead: () => void = () => {};
      const together = new Promise<void>((resolve) => (bothRead = resolve));
      const settings = await Promise.all(
        [0, 1].map(() =>
          knex.transaction(async (trx) => {
            const { rows: zone } = (await trx.raw('SHOW TIME ZONE')) as { rows: { TimeZone: string }[] };
            const { rows: jit } = (await trx.raw('SHOW jit')) as { rows: { jit: string }[] };
            const { rows: backend } = (await trx.raw('SELECT pg_backend_pid() AS pid')) as { rows: { pid: number }[] };
            if (++arrived === 2) bothRead();
            await together;
            return [zone[0]!.TimeZone, jit[0]!.jit, backend[0]!.pid] as const;
          }),
        ),
      );
      expect(settings[0]![2]).not.toBe(settings[1]![2]);
      expect(settings.map(([zone, jit]) => [zone, jit])).toEqual([
        ['UTC', 'off'],
        ['UTC', 'off'],
      ]);
    } finally {
      await knex.destroy();
    }
  });
});
