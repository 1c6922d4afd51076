import knexFactory, { type Knex } from 'knex';
import { UsageError } from '../errors.js';
import { DATABASE_CLIENTS, isDatabaseClient, type DatabaseClient } from '../database-clients.js';
import { connectionFailure } from './connection-errors.js';
import type { Dialect } from './dialect.js';
import { mysqlDialect } from './mysql.js';
import { postgresDialect } from './postgres.js';
import { sqliteDialect } from './sqlite.js';

const dialects: Record<DatabaseClient, Dialect> = { sqlite: sqliteDialect, postgres: postgresDialect, mysql: mysqlDialect };

export function dialectFor(client: string): Dialect {
  if (!isDatabaseClient(client)) {
    throw new UsageError(`lethe cannot connect to ${client} databases yet.`, `Supported: ${DATABASE_CLIENTS.join(', ')}.`, { code: 'config' });
  }
  return dialects[client];
}

export interface DatabaseSettings {
  client: string;
  connection: string;
}

/** Opens a Knex instance for the data map's database. The caller destroys it. */
export function openDatabase(settings: DatabaseSettings): Knex {
  return knexFactory(dialectFor(settings.client).knexConfig(settings.connection));
}

/** A database lethe has reached. */
export interface ConnectedDatabase {
  knex: Knex;
  dialect: Dialect;
  /** Where it is, for messages (Dialect.describeTarget: never a password). */
  target: string;
  close(): Promise<void>;
}

/**
 * Opens the database and runs `reach`, the first queries (reading the schema): a connection is
 * made only then, so a failure there is reported as one (connectionFailure names the cause and
 * the target; lethe's own errors, an interruption, pass as they are) and closes the database.
 * Otherwise the database stays open, and the caller closes it.
 */
export async function connectDatabase<T>(
  settings: DatabaseSettings,
  reach: (database: ConnectedDatabase) => Promise<T>,
): Promise<{ database: ConnectedDatabase; reached: T }> {
  const dialect = dialectFor(settings.client);
  const knex = openDatabase(settings);
  const database: ConnectedDatabase = { knex, dialect, target: dialect.describeTarget(settings.connection), close: () => knex.destroy() };
  try {
    return { database, reached: await reach(database) };
  } catch (error) {
    await database.close();
    throw connectionFailure(error, database.target);
  }
}
