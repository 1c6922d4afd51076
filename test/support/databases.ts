import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { describe } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';

export type DatabaseClient = 'sqlite' | 'postgres' | 'mysql';

/** A database of its own for one test file: created empty, dropped at the end. */
export interface TestDatabase {
  client: DatabaseClient;
  /** The data map's database.connection: a file path for SQLite, a URL otherwise. */
  connection: string;
  /** Connected through lethe's own dialect configuration. */
  knex: Knex;
  drop(): Promise<void>;
}

export interface DatabaseTarget {
  client: DatabaseClient;
  label: string;
  /** Why it is skipped, when it is. */
  skip?: string;
  create(): Promise<TestDatabase>;
}

const servers: { client: Exclude<DatabaseClient, 'sqlite'>; label: string; variable: string }[] = [
  { client: 'postgres', label: 'PostgreSQL', variable: 'LETHE_TEST_PG_URL' },
  { client: 'mysql', label: 'MySQL/MariaDB', variable: 'LETHE_TEST_MYSQL_URL' },
];

/**
 * The databases this vitest project tests on (LETHE_TEST_DATABASES, set per project in
 * vitest.config.ts: the fast project SQLite only, the servers project the servers), all by default.
 */
const inProject = (client: DatabaseClient): boolean => {
  const wanted = process.env.LETHE_TEST_DATABASES;
  return wanted === undefined || wanted === '' || wanted.split(',').includes(client);
};

/**
 * SQLite always; PostgreSQL and MySQL when their URL is set. Under CI=true a missing URL
 * is an error, not a skip: CI must prove all three.
 */
export const databaseTargets: DatabaseTarget[] = [
  { client: 'sqlite', label: 'SQLite', create: createSqliteDatabase },
  ...servers.map(({ client, label, variable }): DatabaseTarget => {
    const url = process.env[variable];
    if (!inProject(client))
      return { client, label, skip: 'tested by another project', create: () => Promise.reject(new Error(`${label} is tested by another project`)) };
    if (!url) {
      if (process.env.CI === 'true') {
        throw new Error(`${variable} is not set: under CI=true the ${label} tests must run (.ci/run sets it for the server on this machine).`);
      }
      return { client, label, skip: `${variable} is not set`, create: () => Promise.reject(new Error(`${variable} is not set`)) };
    }
    return { client, label, create: () => createServerDatabase(client, url) };
  }),
];

const announced = new Set<string>();

/** describe() once per database; a skipped database says why on the console, once. */
export function describeEachDatabase(title: string, body: (target: DatabaseTarget) => void): void {
  for (const target of databaseTargets) {
    // Another vitest project runs this file on this database (see vitest.config.ts).
    if (!inProject(target.client)) continue;
    if (target.skip && !announced.has(target.client)) {
      announced.add(target.client);
      console.warn(`[lethe tests] skipping ${target.label}: ${target.skip}`);
    }
    describe.skipIf(Boolean(target.skip))(`${title} [${target.label}]`, () => body(target));
  }
}

async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-db-'));
  const file = path.join(dir, 'app.db');
  await writeFile(file, '', { mode: 0o600 });
  const knex = openDatabase({ client: 'sqlite', connection: file });
  return {
    client: 'sqlite',
    connection: file,
    knex,
    async drop() {
      await knex.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function createServerDatabase(client: 'postgres' | 'mysql', adminUrl: string): Promise<TestDatabase> {
  const name = `lethe_test_${randomBytes(5).toString('hex')}`;
  const admin = knexFactory({ client: client === 'postgres' ? 'pg' : 'mysql2', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(client === 'postgres' ? `CREATE DATABASE "${name}"` : `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  } catch (error) {
    await admin.destroy();
    throw new Error(`Cannot create a test database on ${client} (${(error as { code?: string }).code ?? (error as Error).message}); is the server running?`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const connection = url.toString();
  const knex = openDatabase({ client, connection });
  return {
    client,
    connection,
    knex,
    async drop() {
      await knex.destroy();
      try {
        await admin.raw(client === 'postgres' ? `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)` : `DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await admin.destroy();
      }
    },
  };
}
