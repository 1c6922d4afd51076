import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialectFor } from '../../../src/db/connect.js';
import { draftDataMap } from '../../../src/init/draft.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

describeEachDatabase('init: the key a table is mapped by', (target) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await target.create();
    const { knex } = database;
    await knex.schema.createTable('subscribers', (t) => {
      t.string('email', 100).primary();
      t.string('first_name', 60);
    });
    await knex.schema.createTable('members', (t) => {
      t.string('email', 100).primary();
      t.string('code', 20).notNullable().unique();
      t.string('full_name', 100).notNullable();
    });
    await knex.schema.createTable('web_sessions', (t) => {
      t.string('session_id', 64).primary();
      t.string('user_agent', 300);
    });
    // Keyed by e-mail with a stand-in, but referred to by the e-mail: not anonymizable in place.
    await knex.schema.createTable('accounts', (t) => {
      t.string('email', 100).primary();
      t.string('code', 20).notNullable().unique();
      t.string('full_name', 100).notNullable();
    });
    await knex.schema.createTable('purchases', (t) => {
      t.integer('id').primary();
      t.string('account_email', 100).notNullable().references('email').inTable('accounts');
    });
    const people = [['ann.lee@example.com', 'Ann Lee'], ['bob.ray@example.org', 'Bob Ray'], ['cy.lam@example.net', 'Cy Lam']];
    await knex('subscribers').insert(people.map(([email, name]) => ({ email, first_name: name!.split(' ')[0] })));
    await knex('accounts').insert(people.map(([email, name], i) => ({ email, code: `A-${i + 1}`, full_name: name })));
    await knex('purchases').insert(people.map(([email], i) => ({ id: i + 1, account_email: email })));
    await knex('members').insert(people.map(([email, name], i) => ({ email, code: `M-${i + 1}`, full_name: name })));
    await knex('web_sessions').insert(people.map((_, i) => ({ session_id: `s${i}f3a9c1d2e4b5a6978`, user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0' })));
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('never keys a table by personal data (keys go into the audit trail): another unique column stands in, or the table is left out', async () => {
    const { draft } = await draftDataMap(database.knex, dialectFor(target.client));
    expect(draft.skipped).toEqual([
      { name: 'accounts', reason: expect.stringContaining('its key email holds personal data (e-mail address), which lethe keeps out of the audit trail, and purchases.account_email refers to it') },
      { name: 'subscribers', reason: expect.stringContaining('its key email holds personal data (e-mail address)') },
    ]);
    const members = draft.tables.find((t) => t.name === 'members')!;
    expect(members.primaryKey).toBe('code');
    // The database's primary key is now a column like any other: anonymized, unique by the stand-in key.
    expect(members.columns.find((c) => c.name === 'email')).toMatchObject({ personal: true, strategy: { template: expect.stringContaining('{code}') } });
    // A session id is a pseudonym, as an id is: a key like any other.
    expect(draft.tables.find((t) => t.name === 'web_sessions')!.primaryKey).toBe('session_id');
  });
});
