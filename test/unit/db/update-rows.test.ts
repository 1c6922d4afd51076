import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { dialectFor } from '../../../src/db/connect.js';
import type { Dialect, KeyedUpdate } from '../../../src/db/dialect.js';
import type { TableInfo } from '../../../src/db/schema-snapshot.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

type Row = Record<string, unknown>;

const QUIRKY = `O'Brien "the ; --quoted" \\ back\\slash — Zoë Ünal 日本語 🚀`;

/** Values as the drivers return them, in one shape: dates and times as ISO text, booleans as booleans. */
function normalized(row: Row): Row {
  const time = (v: unknown) => (v === null ? null : v instanceof Date ? v.toISOString() : new Date(`${String(v).replace(' ', 'T')}Z`).toISOString());
  return {
    id: Number(row.id),
    Nick: row.Nick,
    note: row.note,
    born: row.born,
    seen_at: time(row.seen_at),
    score: row.score === null ? null : Number(row.score),
    active: row.active === null ? null : row.active === true || Number(row.active) === 1,
  };
}

describeEachDatabase('updateRowsByKey', (target) => {
  let database: TestDatabase;
  let dialect: Dialect;
  let table: TableInfo;
  const timeZone = process.env.TZ;

  beforeAll(async () => {
    // Far from UTC, so a value that goes through a local-time Date on the way shifts visibly.
    process.env.TZ = 'Pacific/Kiritimati';
    database = await target.create();
    dialect = dialectFor(target.client);
  });
  afterAll(async () => {
    await database?.drop();
    process.env.TZ = timeZone;
  });

  async function createPeople(rows: number): Promise<void> {
    const { knex } = database;
    await knex.schema.dropTableIfExists('People');
    await knex.schema.createTable('People', (t) => {
      t.integer('id').primary();
      t.string('Nick', 200).notNullable();
      t.text('note');
      t.date('born');
      t.datetime('seen_at', { useTz: false, precision: 3 });
      t.decimal('score', 10, 2);
      t.boolean('active');
    });
    const seed = Array.from({ length: rows }, (_, i) => ({
      id: i + 1,
      Nick: `nick ${i + 1}`,
      note: 'old',
      born: '1980-06-15',
      seen_at: '2020-01-01 00:00:00',
      score: 1,
      active: false,
    }));
    await knex.batchInsert('People', seed, 500);
    table = (await dialect.introspect(knex, ['People'])).get('People')!;
  }

  async function update(updates: KeyedUpdate[], columns = ['Nick', 'note', 'born', 'seen_at', 'score', 'active']): Promise<void> {
    await database.knex.transaction((trx) =>
      dialect.updateRowsByKey(
        trx,
        'People',
        [table.columns.get('id')!],
        columns.map((c) => table.columns.get(c)!),
        updates,
      ),
    );
  }

  async function rows(): Promise<Row[]> {
    return (await database.knex('People').orderBy('id')).map(normalized);
  }

  beforeEach(async () => {
    await createPeople(3);
  });

  it('round-trips NULL, quotes, unicode, dates, times, numbers and booleans', async () => {
    await update([
      { key: 1, values: { Nick: QUIRKY, note: null, born: '2001-02-03', seen_at: new Date('2024-03-31T23:59:58.123Z'), score: 12.5, active: true } },
      { key: 2, values: { Nick: '', note: 'x'.repeat(5000), born: null, seen_at: null, score: null, active: null } },
      {
        key: 3,
        values: {
          Nick: 'Robert"); DROP TABLE People;--',
          note: '?? ? $1 :name',
          born: new Date('1999-12-31T00:00:00Z'),
          seen_at: '2024-01-01 00:00:00',
          score: -0.01,
          active: false,
        },
      },
    ]);
    expect(await rows()).toEqual([
      { id: 1, Nick: QUIRKY, note: null, born: '2001-02-03', seen_at: '2024-03-31T23:59:58.123Z', score: 12.5, active: true },
      { id: 2, Nick: '', note: 'x'.repeat(5000), born: null, seen_at: null, score: null, active: null },
      {
        id: 3,
        Nick: 'Robert"); DROP TABLE People;--',
        note: '?? ? $1 :name',
        born: '1999-12-31',
        seen_at: '2024-01-01T00:00:00.000Z',
        score: -0.01,
        active: false,
      },
    ]);
  });

  it('leaves columns a row does not mention, and rows not named, as they were', async () => {
    await update([
      { key: 2, values: { Nick: 'only nick' } },
      { key: 3, values: { note: 'only note' } },
    ]);
    const [one, two, three] = await rows();
    expect(one).toMatchObject({ Nick: 'nick 1', note: 'old' });
    expect(two).toMatchObject({ Nick: 'only nick', note: 'old', born: '1980-06-15', active: false });
    expect(three).toMatchObject({ Nick: 'nick 3', note: 'only note' });
  });

  it('leaves every row unchanged when the transaction rolls back', async () => {
    const before = await rows();
    const failure = database.knex.transaction(async (trx) => {
      await dialect.updateRowsByKey(
        trx,
        'People',
        [table.columns.get('id')!],
        [table.columns.get('Nick')!],
        [1, 2, 3].map((key) => ({ key, values: { Nick: 'changed' } })),
      );
      throw new Error('abort');
    });
    await expect(failure).rejects.toThrow('abort');
    expect(await rows()).toEqual(before);
  });

  it('fails, changing nothing, when a value does not fit the column', async () => {
    const before = await rows();
    if (target.client === 'sqlite') return; // SQLite does not enforce VARCHAR lengths
    await expect(
      update(
        [
          { key: 1, values: { Nick: 'ok' } },
          { key: 2, values: { Nick: 'y'.repeat(201) } },
        ],
        ['Nick'],
      ),
    ).rejects.toThrow();
    expect(await rows()).toEqual(before);
  });

  it('updates 12,000 rows across statement chunks', async () => {
    const count = 12_000;
    await createPeople(count);
    const updates = Array.from({ length: count }, (_, i) => ({
      key: i + 1,
      values: {
        Nick: `User #${i + 1} ${QUIRKY}`,
        note: i % 2 ? null : `n${i}`,
        born: '1990-01-01',
        seen_at: new Date(Date.UTC(2024, 0, 1, 0, 0, 0, i % 1000)),
        score: i / 100,
        active: i % 3 === 0,
      },
    }));
    const started = performance.now();
    await update(updates);
    const seconds = (performance.now() - started) / 1000;
    console.log(`[lethe bench] ${target.label}: updateRowsByKey ${count} rows x 6 columns in ${seconds.toFixed(2)} s (${Math.round(count / seconds)} rows/s)`);
    const after = await rows();
    expect(after).toHaveLength(count);
    for (const i of [0, 1, 4680, 9361, 9362, 9363, 11_999]) {
      expect(after[i]).toEqual({
        id: i + 1,
        Nick: `User #${i + 1} ${QUIRKY}`,
        note: i % 2 ? null : `n${i}`,
        born: '1990-01-01',
        seen_at: new Date(Date.UTC(2024, 0, 1, 0, 0, 0, i % 1000)).toISOString(),
        score: i / 100,
        active: i % 3 === 0,
      });
    }
    expect(after.filter((r) => String(r.Nick).startsWith('User #'))).toHaveLength(count);
  });

  it('writes through mixed-case and text primary keys', async () => {
    const { knex } = database;
    await knex.schema.dropTableIfExists('Accounts');
    await knex.schema.createTable('Accounts', (t) => {
      t.string('AccountRef', 40).primary();
      t.string('OwnerName', 100);
    });
    await knex('Accounts').insert([
      { AccountRef: 'A-1', OwnerName: 'Ann' },
      { AccountRef: "B'2", OwnerName: 'Bob' },
    ]);
    const accounts = (await dialect.introspect(knex, ['Accounts'])).get('Accounts')!;
    await knex.transaction((trx) =>
      dialect.updateRowsByKey(
        trx,
        'Accounts',
        [accounts.columns.get('AccountRef')!],
        [accounts.columns.get('OwnerName')!],
        [
          { key: 'A-1', values: { OwnerName: 'User A' } },
          { key: "B'2", values: { OwnerName: 'User B' } },
        ],
      ),
    );
    expect(await knex('Accounts').orderBy('AccountRef')).toEqual([
      { AccountRef: 'A-1', OwnerName: 'User A' },
      { AccountRef: "B'2", OwnerName: 'User B' },
    ]);
  });
});
