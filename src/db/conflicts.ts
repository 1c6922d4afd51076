/**
 * Failures of a transaction that say nothing about the data: another transaction held what
 * this one needed, and the database rolled this one back whole (SQLite: the write lock
 * stayed busy past the busy timeout; PostgreSQL: deadlock or serialization failure;
 * MariaDB/MySQL: deadlock, or a lock wait timeout, after which knex rolls the transaction
 * back). Running the same transaction again is safe and is what an application does.
 */
const CONFLICT_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', '40P01', '40001', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

export function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONFLICT_CODES.has(code);
}

/** Attempts of one transaction, the first included, before a conflict is reported as a failure. */
export const CONFLICT_ATTEMPTS = 3;
