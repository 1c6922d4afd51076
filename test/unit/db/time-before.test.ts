import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialectFor, openDatabase } from '../../../src/db/connect.js';
import type { Dialect } from '../../../src/db/dialect.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

const CUTOFF = new Date('2024-01-01T10:00:00Z');

describeEachDatabase('timeBefore', (target) => {
  let database: TestDatabase;
  let dialect: Dialect;
  let knex: Knex;
  const timeZone = process.env.TZ;

  beforeAll(async () => {
    process.env.TZ = 'America/St_Johns'; // UTC-3:30: a shift through local time would show
    database = await target.create();
    dialect = dialectFor(target.client);
    if (target.client === 'postgres') {
      // A server whose default time zone is not UTC: lethe's own session setting must win.
      const [, name] = /\/([^/?]+)(\?|$)/.exec(new URL(database.connection).pathname)!;
      await database.knex.raw(`ALTER DATABASE "${name}" SET timezone = 'Asia/Kolkata'`);
      knex = openDatabase({ client: 'postgres', connection: database.connection });
    } else {
      knex = database.knex;
    }
  });
  afterAll(async () => {
    if (knex !== database?.knex) await knex?.destroy();
    await database?.drop();
    process.env.TZ = timeZone;
  });

  async function before(table: string, column: string): Promise<string[]> {
    const rows: { label: string }[] = await knex(table).where(dialect.timeBefore(knex, column, CUTOFF)).orderBy('label').select('label');
    return rows.map((r) => r.label);
  }

  it.runIf(target.client !== 'sqlite')('compares timestamp, timestamptz/TIMESTAMP and date columns with the cutoff as UTC', async () => {
    const zoned = target.client === 'postgres' ? 'timestamptz' : 'timestamp(3) NULL';
    const naive = target.client === 'postgres' ? 'timestamp(3)' : 'datetime(3)';
    await knex.raw(`CREATE TABLE events (label varchar(20) PRIMARY KEY, at ${naive}, zoned ${zoned}, day date)`);
    // Written as UTC text, as lethe's convention for zone-less columns has it.
    await knex('events').insert([
      { label: 'a-before', at: '2024-01-01 09:59:59.999', zoned: '2024-01-01 09:59:59.999', day: '2023-12-31' },
      { label: 'b-at', at: '2024-01-01 10:00:00', zoned: '2024-01-01 10:00:00', day: '2024-01-01' },
      { label: 'c-after', at: '2024-01-01 10:00:01', zoned: '2024-01-01 10:00:01', day: '2024-01-02' },
      { label: 'd-null', at: null, zoned: null, day: null },
    ]);
    expect(await before('events', 'at')).toEqual(['a-before']);
    expect(await before('events', 'events.at')).toEqual(['a-before']);
    expect(await before('events', 'zoned')).toEqual(['a-before']);
    // A date is the start of its day: 2024-01-01 00:00 is before 10:00 that day.
    expect(await before('events', 'day')).toEqual(['a-before', 'b-at']);
  });

  it.runIf(target.client === 'sqlite')('compares SQLite text in its usual forms, and epoch milliseconds', async () => {
    await knex.raw('CREATE TABLE events (label text PRIMARY KEY, at datetime)');
    await knex('events').insert([
      { label: 'a1', at: '2024-01-01 09:59:59' },
      { label: 'a2', at: '2024-01-01T09:59:59.500Z' },
      { label: 'a3', at: '2024-01-01T11:59:59+02:00' },
      { label: 'a4', at: Date.parse('2024-01-01T09:59:59Z') },
      { label: 'a5', at: '2023-12-31' },
      { label: 'b1', at: '2024-01-01 10:00:00' },
      { label: 'b2', at: '2024-01-01T10:00:00.001Z' },
      { label: 'b3', at: '2024-01-01T08:00:00-02:00' },
      { label: 'b4', at: Date.parse('2024-01-01T10:00:01Z') },
      { label: 'b5', at: null },
    ]);
    expect(await before('events', 'at')).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
  });
});
