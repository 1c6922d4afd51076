import { DatabaseError, LetheError } from '../errors.js';

/**
 * Turns a driver error raised while connecting into one sentence naming where lethe tried
 * to connect. Driver messages are not passed on: some quote the connection string.
 */
export function connectionFailure(error: unknown, target: string): LetheError {
  if (error instanceof LetheError) return error;
  const code = (error as { code?: string }).code;
  const reason = code ? ` (${code})` : '';
  return new DatabaseError(
    `Could not read the database schema from ${target}${reason}.`,
    undefined,
    'Check database.connection in the data map and that the database is reachable.',
  );
}
