import knexFactory, { type Knex } from 'knex';
import { UsageError } from '../errors.js';
import type { Dialect } from './dialect.js';
import { mysqlDialect } from './mysql.js';
import { postgresDialect } from './postgres.js';
import { sqliteDialect } from './sqlite.js';

const dialects: Partial<Record<string, Dialect>> = { sqlite: sqliteDialect, postgres: postgresDialect, mysql: mysqlDialect };

export function dialectFor(client: string): Dialect {
  const dialect = dialects[client];
  if (!dialect) {
    throw new UsageError(`lethe cannot connect to ${client} databases yet.`, 'Supported: sqlite, postgres, mysql.', { code: 'config' });
  }
  return dialect;
}

export interface DatabaseSettings {
  client: string;
  connection: string;
}

/** Opens a Knex instance for the data map's database. The caller destroys it. */
export function openDatabase(settings: DatabaseSettings): Knex {
  return knexFactory(dialectFor(settings.client).knexConfig(settings.connection));
}
