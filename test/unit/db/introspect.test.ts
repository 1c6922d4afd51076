import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialectFor } from '../../../src/db/connect.js';
import type { Dialect } from '../../../src/db/dialect.js';
import { hasIndexLeadingWith } from '../../../src/db/schema-snapshot.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

describeEachDatabase('introspect', (target) => {
  let database: TestDatabase;
  let dialect: Dialect;
  beforeAll(async () => {
    database = await target.create();
    dialect = dialectFor(target.client);
    const { knex } = database;
    await knex.schema.createTable('Customers', (t) => {
      t.increments('CustomerId');
      t.string('FullName', 100).notNullable();
      t.string('Email', 255).unique();
      t.date('BirthDate');
      t.datetime('CreatedAt', { useTz: false, precision: 3 })
        .notNullable()
        .defaultTo(target.client === 'sqlite' ? knex.fn.now() : knex.fn.now(3));
      t.boolean('Active').notNullable().defaultTo(true);
      t.decimal('Score', 10, 2);
      t.text('Notes');
    });
    await knex.schema.createTable('orders', (t) => {
      t.integer('id').primary();
      t.integer('CustomerId').unsigned().notNullable().references('CustomerId').inTable('Customers');
      t.string('shop', 20).notNullable();
      t.string('number', 20).notNullable();
      t.unique(['shop', 'number']); // two columns: neither is unique on its own
    });
    await knex.schema.createTable('order_lines', (t) => {
      t.integer('order_id').notNullable().references('id').inTable('orders').onDelete('CASCADE');
      t.integer('line').notNullable();
      t.primary(['order_id', 'line']);
    });
    await knex.schema.createTable('notes', (t) => {
      t.integer('id').primary();
      t.integer('order_id').references('id').inTable('orders').onDelete('SET NULL');
      t.string('author', 40);
      t.string('topic', 40);
      t.index(['author', 'topic']);
    });
    if (target.client === 'postgres') {
      await knex.raw('CREATE SCHEMA crm');
      await knex.raw('CREATE TABLE crm.users (id bigserial PRIMARY KEY, email varchar(80) NOT NULL UNIQUE)');
      await knex.raw('CREATE TABLE "Tickets" ("TicketId" serial PRIMARY KEY, user_id bigint REFERENCES crm.users (id))');
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('reads columns: declared and broad type, length, nullability, uniqueness, defaults', async () => {
    const schema = await dialect.introspect(database.knex, ['Customers', 'orders', 'order_lines']);
    const customers = schema.get('Customers')!;
    expect([...customers.columns.keys()]).toEqual(['CustomerId', 'FullName', 'Email', 'BirthDate', 'CreatedAt', 'Active', 'Score', 'Notes']);
    expect(customers.primaryKey).toEqual(['CustomerId']);
    const column = (name: string) => customers.columns.get(name)!;
    expect(column('CustomerId')).toMatchObject({ type: 'integer', nullable: false, unique: true, hasDefault: target.client !== 'sqlite' });
    // SQLite does not enforce a declared length: it is read as none.
    const length = (n: number) => (target.client === 'sqlite' ? undefined : n);
    expect(column('FullName')).toMatchObject({ type: 'text', nullable: false, unique: false, hasDefault: false });
    expect(column('FullName').maxLength).toBe(length(100));
    expect(column('FullName').declaredType).toBe({ sqlite: 'varchar(100)', postgres: 'character varying(100)', mysql: 'varchar(100)' }[target.client]);
    expect(column('Email')).toMatchObject({ type: 'text', nullable: true, unique: true });
    expect(column('Email').maxLength).toBe(length(255));
    expect(column('BirthDate')).toMatchObject({ type: 'date', nullable: true, unique: false });
    expect(column('CreatedAt')).toMatchObject({ type: 'datetime', nullable: false, hasDefault: true });
    expect(column('Active')).toMatchObject({ type: 'boolean', nullable: false, hasDefault: true });
    expect(column('Score')).toMatchObject({ type: 'number', nullable: true, hasDefault: false });
    expect(column('Notes')).toMatchObject({ type: 'text', nullable: true });
    expect(column('Notes').maxLength).toBeUndefined();
  });

  it('reads primary keys, composite ones in order, and foreign keys', async () => {
    const schema = await dialect.introspect(database.knex, ['orders', 'order_lines']);
    const orders = schema.get('orders')!;
    expect(orders.primaryKey).toEqual(['id']);
    expect(orders.foreignKeys).toEqual([
      {
        columns: ['CustomerId'],
        referencedTable: 'Customers',
        referencedColumns: ['CustomerId'],
        onDelete: target.client === 'mysql' ? 'restrict' : 'no action',
        onUpdate: target.client === 'mysql' ? 'restrict' : 'no action',
      },
    ]);
    expect(orders.columns.get('shop')!.unique).toBe(false);
    const lines = schema.get('order_lines')!;
    expect(lines.primaryKey).toEqual(['order_id', 'line']);
    expect(lines.columns.get('order_id')!.unique).toBe(false);
    expect(lines.foreignKeys).toEqual([
      {
        columns: ['order_id'],
        referencedTable: 'orders',
        referencedColumns: ['id'],
        onDelete: 'cascade',
        onUpdate: target.client === 'mysql' ? 'restrict' : 'no action',
      },
    ]);
  });

  it('reads indexes by their leading columns, and what deleting a referenced row does', async () => {
    const schema = await dialect.introspect(database.knex, ['orders', 'order_lines', 'notes']);
    const orders = schema.get('orders')!;
    expect(orders.indexes).toEqual(
      expect.arrayContaining([
        { columns: ['id'], unique: true },
        { columns: ['shop', 'number'], unique: true },
      ]),
    );
    expect(hasIndexLeadingWith(orders, 'shop')).toBe(true);
    expect(hasIndexLeadingWith(orders, 'number')).toBe(false);
    // MySQL's InnoDB indexes every foreign key column itself; SQLite and PostgreSQL do not.
    expect(hasIndexLeadingWith(orders, 'CustomerId')).toBe(target.client === 'mysql');
    expect(schema.get('order_lines')!.indexes).toEqual(expect.arrayContaining([{ columns: ['order_id', 'line'], unique: true }]));
    const notes = schema.get('notes')!;
    expect(notes.indexes).toEqual(expect.arrayContaining([{ columns: ['author', 'topic'], unique: false }]));
    expect(hasIndexLeadingWith(notes, 'topic')).toBe(false);
    expect(notes.foreignKeys).toEqual([
      {
        columns: ['order_id'],
        referencedTable: 'orders',
        referencedColumns: ['id'],
        onDelete: 'set null',
        onUpdate: target.client === 'mysql' ? 'restrict' : 'no action',
      },
    ]);
  });

  it('notes unique indexes that make equal values collide in a column that is not UNIQUE itself', async () => {
    const { knex } = database;
    if (target.client === 'mysql') {
      // MariaDB indexes an expression through a generated column.
      await knex.raw(`CREATE TABLE handles (id integer PRIMARY KEY, email varchar(100), email_lower varchar(100) AS (lower(email)) VIRTUAL,
        nick varchar(40), first varchar(40), last varchar(40), full_key varchar(80) AS (concat(lower(first), last)) VIRTUAL,
        UNIQUE KEY handles_email_lower (email_lower), UNIQUE KEY handles_full (full_key))`);
    } else {
      // A column named text: PostgreSQL prints the key as lower((email)::text).
      await knex.raw(
        'CREATE TABLE handles (id integer PRIMARY KEY, email varchar(100), nick varchar(40), first varchar(40), last varchar(40), deleted_at varchar(30), text varchar(10))',
      );
      await knex.raw('CREATE UNIQUE INDEX handles_email_lower ON handles (lower(email))');
      await knex.raw('CREATE UNIQUE INDEX handles_nick_live ON handles (nick) WHERE deleted_at IS NULL');
      await knex.raw('CREATE UNIQUE INDEX handles_full ON handles ((lower(first) || last))');
      if (target.client === 'postgres') {
        await knex.raw('ALTER TABLE handles ADD COLUMN handle varchar(40), ADD COLUMN handle_key text GENERATED ALWAYS AS (lower(handle)) STORED UNIQUE');
      }
    }
    const handles = (await dialect.introspect(knex, ['handles'])).get('handles')!;
    const column = (name: string) => handles.columns.get(name)!;
    expect(column('email')).toMatchObject({ unique: false, uniqueIndex: 'handles_email_lower' });
    // Two columns: neither is held to distinct values on its own.
    expect(column('first').uniqueIndex).toBeUndefined();
    expect(column('last').uniqueIndex).toBeUndefined();
    if (target.client === 'mysql') {
      expect(column('email_lower')).toMatchObject({ unique: true });
      expect(column('email_lower').uniqueIndex).toBeUndefined();
    } else {
      expect(column('nick')).toMatchObject({ unique: false, uniqueIndex: 'handles_nick_live' });
      if (target.client === 'postgres') expect(column('handle')).toMatchObject({ unique: false, uniqueIndex: expect.stringMatching(/handle_key/) });
      expect(column('deleted_at').uniqueIndex).toBeUndefined();
    }
  });

  it.runIf(target.client === 'sqlite')('reads the key of an expression index whatever the quoting of its names', async () => {
    await database.knex.raw('CREATE TABLE "we(ird" (id integer PRIMARY KEY, "Mail" text, note text)');
    await database.knex.raw(`CREATE UNIQUE INDEX "odd(idx)" ON "we(ird" (lower("Mail") || ')(' ) WHERE note <> 'x)'`);
    // SQLite's names are the same whatever their case, quoted or not; comments are no names.
    await database.knex.raw(`CREATE UNIQUE INDEX commented ON "we(ird" /* ( */ (lower("NOTE") -- note, "Mail"
      )`);
    const table = (await dialect.introspect(database.knex, ['we(ird'])).get('we(ird')!;
    expect(table.columns.get('Mail')).toMatchObject({ unique: false, uniqueIndex: 'odd(idx)' });
    expect(table.columns.get('note')).toMatchObject({ unique: false, uniqueIndex: 'commented' });
  });

  it.runIf(target.client === 'sqlite')('names the referenced table as SQLite stores it, whatever case the foreign key wrote', async () => {
    await database.knex.raw('CREATE TABLE shouting (id integer PRIMARY KEY, order_id integer REFERENCES ORDERS (id))');
    const schema = await dialect.introspect(database.knex, ['shouting']);
    expect(schema.get('shouting')!.foreignKeys[0]!.referencedTable).toBe('orders');
  });

  it('leaves out missing tables and looks names up case-exactly', async () => {
    const schema = await dialect.introspect(database.knex, ['Customers', 'nope', ...(target.client === 'mysql' ? [] : ['customers'])]);
    expect([...schema.keys()]).toEqual(['Customers']);
    expect(await dialect.introspect(database.knex, [])).toEqual(new Map());
  });

  it('lists the tables', async () => {
    const tables = await dialect.listTables(database.knex);
    expect(tables).toEqual(expect.arrayContaining(['Customers', 'orders', 'order_lines']));
    if (target.client === 'postgres') expect(tables).toEqual(expect.arrayContaining(['crm.users', 'Tickets']));
  });

  it.runIf(target.client === 'postgres')('reads a table in another PostgreSQL schema and foreign keys into it', async () => {
    const schema = await dialect.introspect(database.knex, ['crm.users', 'Tickets', 'users']);
    expect([...schema.keys()]).toEqual(['crm.users', 'Tickets']);
    const users = schema.get('crm.users')!;
    expect(users.name).toBe('crm.users');
    expect(users.primaryKey).toEqual(['id']);
    expect(users.columns.get('id')).toMatchObject({ declaredType: 'bigint', type: 'integer', hasDefault: true });
    expect(users.columns.get('email')).toMatchObject({ type: 'text', maxLength: 80, nullable: false, unique: true });
    expect(schema.get('Tickets')!.foreignKeys).toEqual([
      { columns: ['user_id'], referencedTable: 'crm.users', referencedColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' },
    ]);
  });

  it.runIf(target.client === 'mysql')('reads a table named with its database, as db.table', async () => {
    const [[row]] = (await database.knex.raw('SELECT DATABASE() AS db')) as [{ db: string }[]];
    const schema = await dialect.introspect(database.knex, [`${row!.db}.orders`]);
    expect(schema.get(`${row!.db}.orders`)!.primaryKey).toEqual(['id']);
  });

  it.runIf(target.client === 'sqlite')('reads a large schema in a few statements, exactly as table by table', async () => {
    const { knex } = database;
    for (let i = 0; i < 60; i += 1) {
      await knex.raw(
        `CREATE TABLE filler_${i} (id INTEGER PRIMARY KEY, code TEXT NOT NULL DEFAULT 'x', parent INTEGER REFERENCES orders (id) ON DELETE CASCADE)`,
      );
      await knex.raw(`CREATE UNIQUE INDEX filler_${i}_code ON filler_${i} (lower(code)) WHERE parent IS NOT NULL`);
    }
    const names = await dialect.listTables(knex);
    expect(names.length).toBeGreaterThan(60);
    const whole = await dialect.introspect(knex, names);
    for (const name of names) expect(whole.get(name), name).toEqual((await dialect.introspect(knex, [name])).get(name));
  });

  it('stops at once when it has been interrupted', async () => {
    const names = await dialect.listTables(database.knex);
    await expect(dialect.introspect(database.knex, names, AbortSignal.abort())).rejects.toThrow(/Interrupted while the database schema was read/);
  });
});
