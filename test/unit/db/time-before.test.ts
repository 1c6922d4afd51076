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
    const rows: { label: string }[] = await knex(table)
      .where(dialect.timeBefore(knex, column, CUTOFF))
      .orderBy('label')
      .select('label');
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

/** A small seeded generator (mulberry32): the same cases on every run, a seed per property. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A stored value for a time near `around`: epoch milliseconds (integer or real), NULL, or the
 * time as date text in any form julianday() reads (space or T, several separators, date only,
 * seconds or not, fractions, Z or z, offsets up to ±14:59, the previous day's hour 24, the
 * previous month's day 29-31, trailing spaces), the same as a blob, or text of no time at all.
 */
function storedValue(next: () => number, around: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const instant = Math.round(around + (next() - 0.5) * 2 * pick([60_000, 3_600_000, 17 * 3_600_000, 86_400_000, 40 * 86_400_000]));
  const kind = next();
  if (kind < 0.12) return pick([instant, instant + 0.5]);
  if (kind < 0.16) return null;
  if (kind < 0.22) {
    // Text of no time (not a number: julianday() reads a number written as text as a Julian day).
    const alphabet = 'abcXYZ-:T .+0123456789é';
    return pick(['x', 'now?', 'T', 'é']) + Array.from({ length: int(0, 24) }, () => pick([...alphabet])).join('');
  }
  // The wall-clock time at an offset (extreme offsets often), then written out field by field.
  const limit = 14 * 60 + 59;
  const offset = next() < 0.5 ? pick([limit, -limit, 14 * 60, -14 * 60]) : int(-limit, limit);
  const zone = next() < 0.4 ? pick(['', 'Z', 'z', ' Z']) : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const wall = new Date(instant + (/\d/.test(zone) ? offset * 60_000 : 0));
  let [y, m, d, h] = [wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate(), wall.getUTCHours()];
  if (h === 0 && next() < 0.5) {
    // Hour 24 of the day before.
    const previous = new Date(Date.UTC(y, m - 1, d - 1));
    [y, m, d, h] = [previous.getUTCFullYear(), previous.getUTCMonth() + 1, previous.getUTCDate(), 24];
  }
  const daysBefore = new Date(Date.UTC(y, m - 1, 0)).getUTCDate();
  if (d + daysBefore <= 31 && next() < 0.7) {
    // Day 29, 30 or 31 of the month before.
    [y, m, d] = m === 1 ? [y - 1, 12, d + daysBefore] : [y, m - 1, d + daysBefore];
  }
  const day = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
  if (next() < 0.1) return day + pick(['', ' ']);
  let time = `${pad(h)}:${pad(wall.getUTCMinutes())}`;
  if (next() < 0.85) time += `:${pad(wall.getUTCSeconds())}`;
  if (next() < 0.4) time += `.${pad(wall.getUTCMilliseconds(), 3)}${'9'.repeat(int(0, 3))}`;
  const text = day + pick([' ', 'T', '  ', ' T', 't']) + time + zone + pick(['', '', ' ']);
  return next() < 0.08 ? Buffer.from(text) : text;
}

it('SQLite timeWindow holds every row in the window, whatever the stored form (property)', async () => {
  const knex = openDatabase({ client: 'sqlite', connection: ':memory:' });
  const dialect = dialectFor('sqlite');
  try {
    for (const type of ['datetime', 'text', '']) {
      await knex.raw(`CREATE TABLE "t_${type || 'none'}" (id integer PRIMARY KEY, at ${type})`);
      await knex.raw(`CREATE INDEX "t_${type || 'none'}_at" ON "t_${type || 'none'}" (at)`);
    }
    let due = 0;
    for (let seed = 1; seed <= 150; seed += 1) {
      const next = random(seed);
      // Cutoffs anywhere, often in the first days of a month (where a day 31 text is next month).
      const month = Date.UTC(2000 + Math.floor(next() * 40), Math.floor(next() * 12), 1);
      const before = new Date(Math.round(month + (next() < 0.5 ? next() * 6 : next() * 31) * 86_400_000));
      const notBefore = next() < 0.3 ? undefined : new Date(before.getTime() - next() * pickSpan(next));
      const table = `t_${['datetime', 'text', 'none'][seed % 3]}`;
      await knex(table).delete();
      const values = Array.from({ length: 400 }, (_, i) => ({ id: i + 1, at: storedValue(next, i % 2 ? before.getTime() : (notBefore ?? before).getTime()) }));
      for (let i = 0; i < values.length; i += 100) await knex(table).insert(values.slice(i, i + 100));
      const exact = knex(table).where(dialect.timeBefore(knex, 'at', before));
      if (notBefore) exact.whereNot(dialect.timeBefore(knex, 'at', notBefore));
      const window = dialect.timeWindow!(knex, 'at', { before, ...(notBefore ? { notBefore } : {}) })!;
      const inWindow = (await exact.clone().select('id')).length;
      const missed: { id: number; at: unknown }[] = await exact.clone().whereNot(window).select('id', 'at');
      expect(missed, `seed ${seed}: before ${before.toISOString()}, notBefore ${notBefore?.toISOString()}`).toEqual([]);
      // The narrowed query is the exact one, row for row.
      const narrowed = (await exact.clone().where(window).select('id')).length;
      expect(narrowed).toBe(inWindow);
      due += inWindow;
    }
    // The values do fall on both sides of the bounds.
    expect(due).toBeGreaterThan(5000);
    // The extremes, by hand: the latest wall-clock times for a cutoff, the earliest for a notBefore.
    const extremes: [string, string | undefined, unknown][] = [
      ['2023-03-04T15:30:00Z', '2023-03-04T15:20:00Z', '2023-02-31 24:30-14:59'],
      ['2023-03-04T15:30:00Z', '2023-03-04T15:20:00Z', Buffer.from('2023-02-31T24:30:00.000-14:59')],
      ['2024-01-01T15:02:00Z', '2024-01-01T15:00:00Z', '2023-12-31 24:01:00.999-14:59'],
      ['2024-01-01T09:02:00Z', undefined, '2024-01-01 23:59:59.999+14:59'],
      ['2024-01-31T09:01:30Z', undefined, '2024-01-31T24:00+14:59'],
      ['2024-05-10T16:00:00Z', '2024-05-10T15:55:00Z', '2024-05-09 24:59:59.999-14:59'],
    ];
    for (const [cutoff, from, value] of extremes) {
      await knex('t_none').delete();
      await knex('t_none').insert({ id: 1, at: value });
      const before = new Date(cutoff);
      const notBefore = from ? new Date(from) : undefined;
      const exact = knex('t_none').where(dialect.timeBefore(knex, 'at', before));
      if (notBefore) exact.whereNot(dialect.timeBefore(knex, 'at', notBefore));
      const window = dialect.timeWindow!(knex, 'at', { before, ...(notBefore ? { notBefore } : {}) })!;
      expect((await exact.clone().select('id')).length, String(value)).toBe(1);
      expect((await exact.clone().where(window).select('id')).length, String(value)).toBe(1);
    }
  } finally {
    await knex.destroy();
  }
});

function pickSpan(next: () => number): number {
  return [3_600_000, 86_400_000, 3 * 86_400_000, 60 * 86_400_000][Math.floor(next() * 4)]!;
}

it('SQLite timeWindow is a range the timestamp index serves', async () => {
  const knex = openDatabase({ client: 'sqlite', connection: ':memory:' });
  const dialect = dialectFor('sqlite');
  try {
    await knex.raw('CREATE TABLE t (id integer PRIMARY KEY, at datetime)');
    await knex.raw('CREATE INDEX t_at ON t (at)');
    const before = new Date('2024-03-02T00:00:00Z');
    const window = dialect.timeWindow!(knex, 'at', { before, notBefore: new Date('2024-03-01T00:00:00Z') })!;
    const query = knex('t')
      .where(window)
      .where(dialect.timeBefore(knex, 'at', before))
      .count({ n: '*' })
      .toSQL()
      .toNative();
    const plan: { detail: string }[] = await knex.raw(`EXPLAIN QUERY PLAN ${query.sql}`, query.bindings as Knex.RawBinding[]);
    expect(plan.map((p) => p.detail).join(' | ')).toMatch(/USING (COVERING )?INDEX t_at/);
  } finally {
    await knex.destroy();
  }
});
