import type Database from 'better-sqlite3';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The statement for `sql` on `db`, prepared once per connection: an erasure of a batch of
 * people appends thousands of entries, and preparing each statement again cost more than
 * running it. Only for statements run with run/get/all, never iterated (an iterating
 * statement is busy until it ends).
 */
export function cachedStatement(db: Database.Database, sql: string): Database.Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
