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
    const people = [
      ['ann.lee@example.com', 'Ann Lee'],
      ['bob.ray@example.org', 'Bob Ray'],
      ['cy.lam@example.net', 'Cy Lam'],
    ];
    await knex('subscribers').insert(people.map(([email, name]) => ({ email, first_name: name!.split(' ')[0] })));
    await knex('accounts').insert(people.map(([email, name], i) => ({ email, code: `A-${i + 1}`, full_name: name })));
    await knex('purchases').insert(people.map(([email], i) => ({ id: i + 1, account_email: email })));
    await knex('members').insert(people.map(([email, name], i) => ({ email, code: `M-${i + 1}`, full_name: name })));
    await knex('web_sessions').insert(
      people.map((_, i) => ({ session_id: `s${i}f3a9c1d2e4b5a6978`, user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0' })),
    );
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('never keys a table by personal data (keys go into the audit trail): another unique column stands in, or the table is left out', async () => {
    const { draft } = await draftDataMap(database.knex, dialectFor(target.client));
    expect(draft.skipped).toEqual([
      {
        name: 'accounts',
        reason: expect.stringContaining(
          'its key email holds personal data (e-mail address), which lethe keeps out of the audit trail, and purchases.account_email refers to it',
        ),
      },
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

describeEachDatabase('init: people, what belongs to them, and what holds nothing personal', (target) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await target.create();
    const { knex } = database;
    await knex.schema.createTable('users', (t) => {
      t.integer('id').primary();
      t.string('email', 100).notNullable();
      t.string('full_name', 100);
      t.string('phone', 30);
      t.datetime('created_at').notNullable();
      t.datetime('last_seen_at');
    });
    // One row per user: the same people, so the rows belong to theirs.
    await knex.schema.createTable('user_profiles', (t) => {
      t.integer('id').primary();
      t.integer('user_id').notNullable().unique().references('id').inTable('users');
      t.string('first_name', 50);
      t.string('last_name', 50);
      t.string('mobile', 30);
    });
    await knex.schema.createTable('agents', (t) => {
      t.integer('id').primary();
      t.string('agent_name', 100);
      t.string('email', 100);
    });
    // The agent's key comes first: the user who opened the ticket still owns it.
    await knex.schema.createTable('tickets', (t) => {
      t.integer('id').primary();
      t.integer('agent_id').references('id').inTable('agents');
      t.integer('user_id').notNullable().references('id').inTable('users');
      t.string('topic', 100);
    });
    // Someone else's name and phone on a user's order: the order is the user's.
    await knex.schema.createTable('orders', (t) => {
      t.integer('id').primary();
      t.integer('user_id').notNullable().references('id').inTable('users');
      t.string('shipping_name', 100);
      t.string('shipping_phone', 30);
    });
    // A name and an e-mail address on rows that point at their owner: the owner's data, not a table of people of its own.
    await knex.schema.createTable('carts', (t) => {
      t.integer('id').primary();
      t.integer('user_id').notNullable().references('id').inTable('users');
      t.string('name', 100);
      t.string('email', 100);
    });
    // People that point at other people by a role: a doctor does not own their patients.
    await knex.schema.createTable('doctors', (t) => {
      t.integer('id').primary();
      t.string('full_name', 100);
      t.string('email', 100);
    });
    await knex.schema.createTable('patients', (t) => {
      t.integer('id').primary();
      t.integer('doctor_id').references('id').inTable('doctors');
      t.string('first_name', 50);
      t.string('last_name', 50);
      t.string('email', 100);
    });
    await knex.schema.createTable('roles', (t) => {
      t.integer('id').primary();
      t.string('label', 50);
    });
    await knex.schema.createTable('user_roles', (t) => {
      t.integer('user_id').notNullable().references('id').inTable('users');
      t.integer('role_id').notNullable().references('id').inTable('roles');
      t.primary(['user_id', 'role_id']);
    });
    await knex.schema.createTable('settings', (t) => {
      t.string('setting_key', 50);
      t.string('setting_value', 200);
    });
    const people = [
      ['Ann Lee', 'ann.lee@example.com', '+44 20 7946 0101'],
      ['Bob Ray', 'bob.ray@example.org', '+44 20 7946 0102'],
      ['Cy Lam', 'cy.lam@example.net', '+44 20 7946 0103'],
    ] as const;
    const at = new Date('2025-01-02T03:04:05Z');
    await knex('users').insert(people.map(([name, email, phone], i) => ({ id: i + 1, email, full_name: name, phone, created_at: at, last_seen_at: at })));
    await knex('user_profiles').insert(
      people.map(([name, , phone], i) => ({ id: i + 1, user_id: i + 1, first_name: name.split(' ')[0], last_name: name.split(' ')[1], mobile: phone })),
    );
    await knex('agents').insert([{ id: 1, agent_name: 'Dee Fox', email: 'dee.fox@example.com' }]);
    await knex('tickets').insert(people.map((_, i) => ({ id: i + 1, agent_id: 1, user_id: i + 1, topic: 'Delivery' })));
    await knex('orders').insert(people.map(([name, , phone], i) => ({ id: i + 1, user_id: i + 1, shipping_name: name, shipping_phone: phone })));
    await knex('carts').insert(people.map(([name, email], i) => ({ id: i + 1, user_id: i + 1, name, email })));
    await knex('doctors').insert([{ id: 1, full_name: 'Eve Hart', email: 'eve.hart@example.org' }]);
    await knex('patients').insert(
      people.map(([name, email], i) => ({ id: i + 1, doctor_id: 1, first_name: name.split(' ')[0], last_name: name.split(' ')[1], email })),
    );
    await knex('roles').insert([
      { id: 1, label: 'admin' },
      { id: 2, label: 'reader' },
    ]);
    await knex('user_roles').insert(people.map((_, i) => ({ user_id: i + 1, role_id: 1 + (i % 2) })));
    await knex('settings').insert([{ setting_key: 'theme', setting_value: 'dark' }]);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('makes a subject of each table of people, links what belongs to them, and refers to a second kind of person', async () => {
    const { draft } = await draftDataMap(database.knex, dialectFor(target.client));
    const table = (name: string) => draft.tables.find((t) => t.name === name)!;
    expect(draft.subjects.map((s) => s.table)).toEqual(['users', 'agents', 'doctors', 'patients']);
    expect(draft.subjects[1]!.nameColumns).toEqual(['agent_name']);
    expect(table('carts')).toMatchObject({ belongsTo: [{ parent: 'users', column: 'user_id' }], references: [] });
    expect(table('patients')).toMatchObject({ belongsTo: [], references: [{ parent: 'doctors', column: 'doctor_id' }] });
    expect(table('user_profiles')).toMatchObject({ belongsTo: [{ parent: 'users', column: 'user_id' }], references: [] });
    expect(table('orders')).toMatchObject({ belongsTo: [{ parent: 'users', column: 'user_id' }], references: [] });
    expect(table('tickets')).toMatchObject({ belongsTo: [{ parent: 'users', column: 'user_id' }], references: [{ parent: 'agents', column: 'agent_id' }] });
    // Someone with no activity yet counts from when they signed up.
    expect(table('users').retentionHint).toMatch(/inactiveFor: 24 months, activity: \[users\.last_seen_at\], activityFallback: created_at/);
  });

  it('marks what holds nothing personal impersonal, with or without a key, and maps a composite-key table a person owns by its key', async () => {
    const { draft } = await draftDataMap(database.knex, dialectFor(target.client));
    const impersonal = Object.fromEntries(draft.tables.filter((t) => t.impersonal !== undefined).map((t) => [t.name, t.impersonal]));
    expect(impersonal).toEqual({
      roles: 'no column holds personal data and no person owns its rows',
      settings: 'no column holds personal data and no person owns its rows',
    });
    expect(draft.skipped).toEqual([]);
    expect(draft.tables.find((t) => t.name === 'user_roles')).toMatchObject({
      primaryKey: ['user_id', 'role_id'],
      belongsTo: [{ parent: 'users', column: 'user_id' }],
      columns: [
        { name: 'user_id', strategy: 'keep', comment: 'part of the primary key' },
        { name: 'role_id', strategy: 'keep', comment: 'part of the primary key' },
      ],
    });
  });
});
