import { afterAll, beforeAll, expect, it } from 'vitest';
import { whereKeyIn, whereValueIn } from '../../../src/db/row-key.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

/** Values an array literal must quote (PostgreSQL passes the list as one array parameter). */
const TRICKY = ['plain', 'a,b', '{braces}', '"quoted"', 'back\\slash', 'NULL', ' spaced ', "O'Brien", 'Zoë 日本', ''];

describeEachDatabase('rows whose column holds one of a list of values', (target) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await target.create();
    const { knex } = database;
    await knex.schema.dropTableIfExists('tokens');
    await knex.schema.createTable('tokens', (t) => {
      t.string('code', 40).primary();
      t.integer('n').notNullable();
      t.bigInteger('big').notNullable();
    });
    await knex('tokens').insert([...TRICKY, 'other', 'NULLX'].map((code, i) => ({ code, n: i + 1, big: String(9_007_199_254_740_993n + BigInt(i)) })));
  });
  afterAll(async () => {
    await database?.drop();
  });

  const codes = async (query: ReturnType<TestDatabase['knex']>) => ((await query.select('code').orderBy('n')) as { code: string }[]).map((r) => r.code);

  it('finds exactly the rows of the values, text with every kind of quoting among them', async () => {
    const { knex } = database;
    expect(await codes(whereValueIn(knex('tokens'), 'code', TRICKY))).toEqual(TRICKY);
    expect(await codes(whereValueIn(knex('tokens'), 'code', ['NULL', 'missing']))).toEqual(['NULL']);
    expect(await codes(whereValueIn(knex('tokens'), 'code', ['other']))).toEqual(['other']);
    expect(await codes(whereValueIn(knex('tokens'), 'code', []))).toEqual([]);
    expect(await codes(whereKeyIn(knex('tokens'), ['code'], ['a,b', '{braces}']))).toEqual(['a,b', '{braces}']);
  });

  it('compares numbers as numbers, bigint keys given as text included, and writes by the list', async () => {
    const { knex } = database;
    expect(await codes(whereValueIn(knex('tokens'), 'n', [2, 4, 100]))).toEqual([TRICKY[1], TRICKY[3]]);
    expect(await codes(whereValueIn(knex('tokens'), 'tokens.big', ['9007199254740993', '9007199254740995']))).toEqual([TRICKY[0], TRICKY[2]]);
    const changed = await whereValueIn(knex('tokens'), 'code', ['a,b', '"quoted"']).update({ n: 1000 });
    expect(Number(changed)).toBe(2);
    expect((await codes(knex('tokens').where('n', 1000))).sort()).toEqual(['"quoted"', 'a,b']);
  });
});
