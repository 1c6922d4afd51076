import type { Knex } from 'knex';
import type { SchemaSnapshot } from './schema-snapshot.js';

/** Everything that differs between the databases lethe speaks to lives behind this interface. */
export interface Dialect {
  client: 'sqlite' | 'postgres' | 'mysql';
  /** Knex configuration for a connection string (a file path for SQLite). Throws DatabaseError when it cannot work. */
  knexConfig(connection: string): Knex.Config;
  /** Where the data lives, for messages: never includes a password. */
  describeTarget(connection: string): string;
  listTables(knex: Knex): Promise<string[]>;
  /** The live schema of the named tables; missing tables are simply absent from the result. */
  introspect(knex: Knex, tables: string[]): Promise<SchemaSnapshot>;
  /**
   * Runs after personal data was overwritten or deleted, so that old values do not survive
   * in database files. Returns notes for the receipt (what could not be done here).
   */
  afterPersonalDataChange(knex: Knex, tables: string[]): Promise<string[]>;
}
