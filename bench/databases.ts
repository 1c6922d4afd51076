/**
 * Where the benchmark runs: a temporary SQLite file, and a database of its own on each
 * server whose URL is set, created for the run and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { openDatabase } from '../src/db/connect.js';

export type BenchDialect = 'sqlite' | 'postgres' | 'mysql';
export const BENCH_DIALECTS: readonly BenchDialect[] = ['sqlite', 'postgres', 'mysql'];

export const DIALECT_LABELS: Record<BenchDialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB' };

/** The server URL for a dialect: the benchmark's own variable first, then the test suite's. */
export function serverUrl(dialect: Exclude<BenchDialect, 'sqlite'>, env: NodeJS.ProcessEnv): string | undefined {
  return dialect === 'postgres' ? env.LETHE_BENCH_PG_URL || env.LETHE_TEST_PG_URL : env.LETHE_BENCH_MYSQL_URL || env.LETHE_TEST_MYSQL_URL;
}

export interface BenchDatabase {
  dialect: BenchDialect;
  /** database.connection in the data map: a file path for SQLite, a URL otherwise. */
  connection: string;
  /** A scratch directory for data maps and audit stores, removed by drop(). */
  dir: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(dialect: BenchDialect, env: NodeJS.ProcessEnv): Promise<BenchDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-bench-'));
  if (dialect === 'sqlite') {
    const connection = path.join(dir, 'bench.db');
    await writeFile(connection, '', { mode: 0o600 });
    return { dialect, connection, dir, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const adminUrl = serverUrl(dialect, env);
  if (!adminUrl) throw new Error(`No server URL for ${DIALECT_LABELS[dialect]}.`);
  const name = `lethe_bench_${randomBytes(5).toString('hex')}`;
  const admin: Knex = knexFactory({ client: dialect === 'postgres' ? 'pg' : 'mysql2', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(dialect === 'postgres' ? `CREATE DATABASE "${name}"` : `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  } catch (error) {
    await admin.destroy();
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      `Cannot create a database on ${DIALECT_LABELS[dialect]} (${(error as { code?: string }).code ?? (error as Error).message}); is the server running?`,
    );
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    connection: url.toString(),
    dir,
    async drop() {
      try {
        await admin.raw(dialect === 'postgres' ? `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)` : `DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await admin.destroy();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A measured run's own SQLite file in the scratch directory (empty, 0600), and how to drop it. */
export async function scratchSqlite(db: BenchDatabase, name: string): Promise<{ connection: string; knex: Knex; close(): Promise<void> }> {
  const connection = path.join(db.dir, `${name}.db`);
  await rm(connection, { force: true });
  await writeFile(connection, '', { mode: 0o600 });
  const knex = openDatabase({ client: 'sqlite', connection });
  return {
    connection,
    knex,
    async close() {
      await knex.destroy();
      await rm(connection, { force: true });
    },
  };
}
