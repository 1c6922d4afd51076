import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connect.js';
import { sqliteDialect } from '../../../src/db/sqlite.js';

/**
 * lethe's SQLite client keeps each connection's prepared statements and runs them again. The
 * same text is asked for in different shapes (rows as objects through knex, values through
 * readColumn, keys through writeReturning): each caller must get its own shape, every time,
 * and a statement run again must see what changed in between.
 */
describe('SQLite statements prepared once', () => {
  let dir: string;
  let knex: Knex;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lethe-statements-'));
    const file = path.join(dir, 'db.sqlite');
    writeFileSync(file, '');
    knex = openDatabase({ client: 'sqlite', connection: file });
    await knex.raw('CREATE TABLE people (id integer PRIMARY KEY, name text, team text)');
    await knex.raw('CREATE TABLE members (team text, id integer, note text, PRIMARY KEY (team, id))');
    await knex('people').insert([
      { id: 1, name: 'Ana', team: 'a' },
      { id: 2, name: 'Bo', team: 'b' },
      { id: 3, name: 'Cy', team: 'a' },
    ]);
    await knex('members').insert([
      { team: 'a', id: 1, note: 'x' },
      { team: 'a', id: 2, note: 'y' },
      { team: 'b', id: 1, note: 'z' },
    ]);
  });
  afterEach(async () => {
    await knex.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each caller its own shape of the same statement, and fresh results each run', async () => {
    const query = () => knex('people').select('id').orderBy('id');
    for (let round = 0; round < 3; round++) {
      expect(await query()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }].slice(0, 3 - round));
      expect(await sqliteDialect.readColumn(query())).toEqual([1, 2, 3].slice(0, 3 - round));
      expect(await query()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }].slice(0, 3 - round));
      // The same text again, after a change made through another statement.
      await knex('people')
        .where('id', 3 - round)
        .delete();
    }
    expect(await query()).toEqual([]);
  });

  it('returns the keys a write changed, one column as values and several as tuples', async () => {
    const updated = await sqliteDialect.writeReturning!(knex('people').where('team', 'a').update({ name: null }), ['id']);
    expect([...updated].sort()).toEqual([1, 3]);
    const again = await sqliteDialect.writeReturning!(knex('people').where('team', 'a').update({ name: null }), ['id']);
    expect([...again].sort()).toEqual([1, 3]);
    const deleted = await sqliteDialect.writeReturning!(knex('members').where('note', 'in', ['x', 'z']).delete(), ['team', 'id']);
    expect(deleted.map((key) => JSON.stringify(key)).sort()).toEqual(['["a",1]', '["b",1]']);
    // The same DELETE again finds nothing; a knex read of the rows still sees objects.
    expect(await sqliteDialect.writeReturning!(knex('members').where('note', 'in', ['x', 'z']).delete(), ['team', 'id'])).toEqual([]);
    expect(await knex('members').select('team', 'id')).toEqual([{ team: 'a', id: 2 }]);
    expect(await knex('people').whereNull('name').count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('keeps working past the statements it keeps, and after the schema changed', async () => {
    // More distinct statements than a connection keeps: the oldest are dropped and prepared again.
    for (let round = 0; round < 2; round++) {
      for (let id = 1; id <= 40; id++) {
        expect(await knex('people').select('name').where('id', '<=', id).orderBy('id').limit(1)).toEqual([{ name: 'Ana' }]);
      }
    }
    const read = () => knex('people').select('*').where('id', 1);
    expect(await read()).toEqual([{ id: 1, name: 'Ana', team: 'a' }]);
    await knex.raw('ALTER TABLE people ADD COLUMN city text');
    await knex('people').where('id', 1).update({ city: 'Oslo' });
    // `select *` prepared before the new column sees it now.
    expect(await read()).toEqual([{ id: 1, name: 'Ana', team: 'a', city: 'Oslo' }]);
  });
});
