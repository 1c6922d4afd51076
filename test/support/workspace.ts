import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { openSession, type Session } from '../../src/core/session.js';
import type { DatabaseTarget, TestDatabase } from './databases.js';
import { runMain, type InProcessRun } from './streams.js';

/**
 * A temporary directory holding a data map and an audit store, for a test database of
 * any dialect. Tests talk to the database through `knex` and to lethe through
 * `session()` or the CLI.
 */
export interface Workspace {
  dir: string;
  configPath: string;
  auditPath: string;
  database: TestDatabase;
  knex: Knex;
  session(options?: { operator?: string; env?: NodeJS.ProcessEnv }): Promise<Session>;
  writeMap(yaml: string): Promise<void>;
  /** Removes the directory; the database belongs to the caller. */
  cleanup(): Promise<void>;
}

export async function createWorkspace(database: TestDatabase, mapBody: string): Promise<Workspace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-test-'));
  const configPath = path.join(dir, 'lethe.yml');
  const workspace: Workspace = {
    dir,
    configPath,
    auditPath: path.join(dir, '.lethe', 'audit.db'),
    database,
    knex: database.knex,
    session: (options = {}) => openSession({ configPath, operator: options.operator ?? 'tester', env: options.env ?? {} }),
    writeMap: (yaml) =>
      writeFile(
        configPath,
        `database: { client: ${database.client}, connection: ${JSON.stringify(database.connection)} }\naudit: { path: ./.lethe/audit.db }\n${yaml}`,
      ),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  await workspace.writeMap(mapBody);
  return workspace;
}

/**
 * For the tests of one describe block: a database of the target's dialect for the block,
 * and for every test a freshly built shop schema, a workspace and an open session.
 */
export function useShopSession(target: DatabaseTarget, map = shopMap) {
  const current = {} as { database: TestDatabase; workspace: Workspace; session: Session };
  beforeAll(async () => {
    current.database = await target.create();
  });
  afterAll(async () => {
    await current.database?.drop();
  });
  beforeEach(async () => {
    await buildShopSchema(current.database.knex);
    current.workspace = await createWorkspace(current.database, map);
    current.session = await current.workspace.session();
  });
  afterEach(async () => {
    await current.session?.close();
    await current.workspace?.cleanup();
  });
  return current;
}

/** A trigger that makes every UPDATE of `table` fail (optionally only rows of user_id = onlyUser). */
export async function failUpdatesOf(knex: Knex, client: string, table: string, onlyUser?: number): Promise<void> {
  if (client === 'sqlite') {
    await knex.raw(
      `CREATE TRIGGER fail_${table} BEFORE UPDATE ON ${table} ${onlyUser ? `WHEN OLD.user_id = ${onlyUser}` : ''} BEGIN SELECT RAISE(ABORT, 'frozen'); END`,
    );
  } else if (client === 'postgres') {
    await knex.raw(
      `CREATE OR REPLACE FUNCTION fail_${table}() RETURNS trigger AS $$ BEGIN IF ${onlyUser ? `OLD.user_id = ${onlyUser}` : 'true'} THEN RAISE EXCEPTION 'frozen'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await knex.raw(`CREATE TRIGGER fail_${table} BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION fail_${table}()`);
  } else {
    await knex.raw(
      `CREATE TRIGGER fail_${table} BEFORE UPDATE ON ${table} FOR EACH ROW BEGIN IF ${onlyUser ? `OLD.user_id = ${onlyUser}` : 'TRUE'} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'frozen'; END IF; END`,
    );
  }
}

/** A small shop: customers, their notes and tickets (deleted on erasure) with events, and orders kept for accounting. */
export async function buildShopSchema(knex: Knex): Promise<void> {
  for (const table of ['ticket_events', 'tickets', 'orders', 'notes', 'users']) await knex.schema.dropTableIfExists(table);
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('email', 255).notNullable().unique();
    t.string('full_name', 200).notNullable();
    t.string('phone', 32).nullable();
    t.date('birth_date').nullable();
    t.string('country', 2).notNullable();
    t.string('created_at').notNullable();
  });
  await knex.schema.createTable('notes', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('users.id');
    t.index(['user_id']);
    t.text('body').notNullable();
    t.string('created_at').notNullable();
  });
  await knex.schema.createTable('tickets', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('users.id');
    t.index(['user_id']);
    t.string('subject', 100).notNullable();
  });
  await knex.schema.createTable('ticket_events', (t) => {
    t.increments('id');
    t.integer('ticket_id').unsigned().notNullable().references('tickets.id');
    t.index(['ticket_id']);
    t.string('kind', 20).notNullable();
  });
  await knex.schema.createTable('orders', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('users.id');
    t.index(['user_id']);
    t.integer('total_cents').notNullable();
    t.string('shipping_name', 200).nullable();
    t.string('card_number', 20).nullable();
  });
  await knex('users').insert([
    {
      id: 1,
      email: 'Jane.Doe@Example.com ',
      full_name: 'Jane Doe',
      phone: '+44 20 7946 0958',
      birth_date: '1987-06-15',
      country: 'GB',
      created_at: '2020-01-02 10:00:00',
    },
    { id: 2, email: 'max@example.org', full_name: 'Max Mustermann', phone: '030 1234567', birth_date: null, country: 'DE', created_at: '2021-05-06 11:00:00' },
    {
      id: 3,
      email: 'twin-a@example.net',
      full_name: 'Alex Twin',
      phone: '+1 202 555 0143',
      birth_date: null,
      country: 'US',
      created_at: '2022-01-01 00:00:00',
    },
    { id: 4, email: 'twin-b@example.net', full_name: 'Sam Twin', phone: '(202) 555-0143', birth_date: null, country: 'US', created_at: '2022-01-01 00:00:00' },
  ]);
  await knex('notes').insert([
    {
      id: 1,
      user_id: 1,
      body: 'Call Jane Doe back on 020 7946 0958 or write to jane.doe@example.com about ORD-2024-001234 (£49.99).',
      created_at: '2024-03-15 09:00:00',
    },
    { id: 2, user_id: 1, body: 'Customer happy, closed.', created_at: '2024-03-16 09:00:00' },
    { id: 3, user_id: 2, body: 'Max asked about shipping.', created_at: '2024-04-01 09:00:00' },
  ]);
  await knex('tickets').insert([
    { id: 1, user_id: 1, subject: 'Refund' },
    { id: 2, user_id: 2, subject: 'Delivery' },
  ]);
  await knex('ticket_events').insert([
    { id: 1, ticket_id: 1, kind: 'opened' },
    { id: 2, ticket_id: 1, kind: 'closed' },
    { id: 3, ticket_id: 2, kind: 'opened' },
  ]);
  await knex('orders').insert([
    { id: 1, user_id: 1, total_cents: 4999, shipping_name: 'Jane Doe', card_number: '4111111111111111' },
    { id: 2, user_id: 1, total_cents: 1250, shipping_name: 'J. Doe', card_number: '5500000000000004' },
    { id: 3, user_id: 2, total_cents: 999, shipping_name: 'Max Mustermann', card_number: null },
  ]);
}

export const shopMap = `
secrets: { key: test-key-0123456789abcdef0123456789 }
subjects:
  customer:
    table: users
    identifiers:
      id: { column: id, type: id }
      email: { column: email, type: email }
      phone: { column: phone, type: phone }
    name: full_name
tables:
  users:
    columns:
      email: { category: contact.email, strategy: { template: "user-{id}@anonymized.invalid" } }
      full_name: { category: name, strategy: { template: "User #{id}" } }
      phone: { category: contact.phone, strategy: null }
      birth_date: { category: demographic, strategy: { generalize: year } }
      country: keep
      created_at: keep
  notes:
    belongsTo: { users: user_id }
    columns:
      user_id: keep
      body: { category: content, strategy: redact }
      created_at: keep
  tickets:
    belongsTo: { users: user_id }
    onErase: delete
    columns:
      user_id: keep
      subject: keep
  ticket_events:
    belongsTo: { tickets: ticket_id }
    onErase: delete
    columns:
      ticket_id: keep
      kind: keep
  orders:
    belongsTo: { users: user_id }
    columns:
      user_id: keep
      total_cents: keep
      shipping_name: { category: name, strategy: hash }
      card_number: { category: financial, strategy: { mask: { keepLast: 4 } } }
`;

/** A test's database, workspace and session (useSessionPerTest). */
export interface SessionPerTest {
  database: TestDatabase;
  workspace: Workspace;
  session: Session;
}

/**
 * For a describe block: one database of the target's dialect; before each test, `build` run on
 * it (tables and rows afresh), a workspace with `mapBody` and a session on it, handed to
 * `opened`; after each test, the session closed and the workspace removed.
 */
export function useSessionPerTest(
  target: DatabaseTarget,
  mapBody: string,
  build: (knex: Knex) => Promise<unknown>,
  opened: (current: SessionPerTest) => void,
): void {
  let database: TestDatabase | undefined;
  let current: Partial<SessionPerTest> = {};
  beforeAll(async () => {
    database = await target.create();
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    current = { database: database! };
    await build(database!.knex);
    current.workspace = await createWorkspace(database!, mapBody);
    current.session = await current.workspace.session();
    opened(current as SessionPerTest);
  });
  afterEach(async () => {
    await current.session?.close();
    await current.workspace?.cleanup();
  });
}

/** A data map of its own on a test database, and lethe run in-process against it. */
export interface MapWorkspace {
  database: TestDatabase;
  dir: string;
  /** The map file: `database` (DATABASE_URL for a server), `audit: { path: ./audit.db }`, then the body. */
  config: string;
  /** DATABASE_URL for a server, and what `extraEnv` adds. */
  env(): NodeJS.ProcessEnv;
  lethe(...args: string[]): Promise<InProcessRun>;
  /** `lethe ... --json`, which must exit 0; its document. */
  json(...args: string[]): Promise<any>;
}

/**
 * For a describe block: a database of the target's dialect, a directory with a map whose body
 * (subjects, tables, storage...) is `mapBody`, and lethe to run against it, in-process.
 */
export function useMapWorkspace(target: DatabaseTarget, mapBody: string, extraEnv: () => NodeJS.ProcessEnv = () => ({})): MapWorkspace {
  const workspace = {
    env: () => ({ ...(workspace.database.client === 'sqlite' ? {} : { DATABASE_URL: workspace.database.connection }), ...extraEnv() }),
    lethe: (...args: string[]) => runMain(['--config', workspace.config, ...args], { env: workspace.env() }),
    async json(...args: string[]) {
      const run = await workspace.lethe(...args, '--json');
      expect(run.code, run.stderr + run.stdout).toBe(0);
      return JSON.parse(run.stdout);
    },
  } as MapWorkspace;
  beforeAll(async () => {
    workspace.database = await target.create();
    workspace.dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-map-'));
    workspace.config = path.join(workspace.dir, 'lethe.yml');
    const connection = workspace.database.client === 'sqlite' ? JSON.stringify(workspace.database.connection) : '${DATABASE_URL}';
    await writeFile(workspace.config, `database:\n  client: ${workspace.database.client}\n  connection: ${connection}\naudit:\n  path: ./audit.db\n${mapBody}`);
  });
  afterAll(async () => {
    if (workspace.dir) await rm(workspace.dir, { recursive: true, force: true });
    await workspace.database?.drop();
  });
  return workspace;
}
