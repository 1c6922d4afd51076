import { DatabaseError, ExitCode, LetheError, UsageError } from '../errors.js';

/** How long lethe waits for a server to accept a connection, unless the URL's connect_timeout says otherwise. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Knex's logger writes driver messages (e.g. "Acquire connection error: ...") to stdout,
 * where they would corrupt --json output and could quote the connection string. lethe
 * reports every failure itself, through connectionFailure and the CLI's error handler.
 */
export const quietKnexLog = { warn() {}, error() {}, deprecate() {}, debug() {} };

/**
 * Parses a server URL. The message never quotes the URL: it may hold a password.
 */
export function parseServerUrl(connection: string, protocols: string[], label: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(connection);
  } catch {
    url = undefined;
  }
  if (!url || !protocols.includes(url.protocol)) {
    throw new UsageError(
      `database.connection is not a valid ${label} URL.`,
      `Write it as ${protocols[0]}//user:password@host:port/database, with special characters in the password percent-encoded.`,
      { code: 'config' },
    );
  }
  return url;
}

/** connect_timeout in seconds, as libpq spells it, or lethe's default. */
export function connectTimeoutOf(url: URL): number {
  const seconds = Number(url.searchParams.get('connect_timeout'));
  return seconds > 0 ? seconds * 1000 : CONNECT_TIMEOUT_MS;
}

interface Cause {
  reason: string;
  hint: string;
}

const causes: Record<string, Cause> = {
  refused: { reason: 'the connection was refused', hint: 'Check that the server is running and that host and port in database.connection are right.' },
  unknownHost: { reason: 'the host name could not be resolved', hint: 'Check the host in database.connection.' },
  unreachable: { reason: 'the host could not be reached', hint: 'Check the host in database.connection and the network between here and the server.' },
  timedOut: { reason: 'the server did not answer in time', hint: 'Check host, port and firewall; connect_timeout=<seconds> in the URL sets how long to wait.' },
  authentication: {
    reason: 'the user name or password was not accepted',
    hint: 'Check the user and password in database.connection (or the environment variable it comes from).',
  },
  noDatabase: { reason: 'the database does not exist', hint: 'Check the database name in database.connection.' },
  accessDenied: { reason: 'this user may not use the database', hint: 'Grant the user access to the database, or use another user.' },
  poolTimeout: { reason: 'no connection became available in time', hint: 'Check that the server is reachable and accepts more connections.' },
  notSqlite: { reason: 'the file is not a SQLite database', hint: 'Check database.connection in the data map.' },
  cannotOpen: { reason: 'the file cannot be opened', hint: 'Check the path and its permissions.' },
};

const byCode: Record<string, Cause> = {
  ECONNREFUSED: causes.refused!,
  ENOTFOUND: causes.unknownHost!,
  EAI_AGAIN: causes.unknownHost!,
  EHOSTUNREACH: causes.unreachable!,
  ENETUNREACH: causes.unreachable!,
  ETIMEDOUT: causes.timedOut!,
  // PostgreSQL SQLSTATEs: invalid_password, invalid_authorization_specification (also "no pg_hba.conf entry"), invalid_catalog_name.
  '28P01': causes.authentication!,
  '28000': causes.authentication!,
  '3D000': causes.noDatabase!,
  ER_ACCESS_DENIED_ERROR: causes.authentication!,
  ER_BAD_DB_ERROR: causes.noDatabase!,
  ER_DBACCESS_DENIED_ERROR: causes.accessDenied!,
  SQLITE_NOTADB: causes.notSqlite!,
  SQLITE_CANTOPEN: causes.cannotOpen!,
};

/**
 * Turns a driver error raised while connecting into one sentence naming where lethe tried
 * to connect (`target` comes from Dialect.describeTarget: host, port and database). Driver
 * messages are not passed on: some quote the connection string.
 */
export function connectionFailure(error: unknown, target: string): LetheError {
  if (error instanceof LetheError) return error;
  const cause = causeOf(error);
  if (cause) return new DatabaseError(`Could not connect to ${target}: ${cause.reason}.`, ExitCode.failed, cause.hint, { cause: error, code: 'connection' });
  const code = codeOf(error);
  return new DatabaseError(
    `Could not read the database schema from ${target}${code ? ` (${code})` : ''}.`,
    ExitCode.failed,
    'Check database.connection in the data map and that the database is reachable.',
    { cause: error, code: 'connection' },
  );
}

function causeOf(error: unknown): Cause | undefined {
  const code = codeOf(error);
  if (code && byCode[code]) return byCode[code];
  if ((error as { name?: string } | null)?.name === 'KnexTimeoutError') return causes.poolTimeout;
  // pg's own connect timeout carries no code, only this message.
  const message = String((error as { message?: unknown } | null)?.message ?? '');
  if (/^timeout expired$|connection timeout/i.test(message)) return causes.timedOut;
  return undefined;
}

function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; errors?: unknown[] } | null;
  if (typeof e?.code === 'string') return e.code;
  // Node tries every address of a host name and reports an AggregateError when all fail.
  return Array.isArray(e?.errors) ? e.errors.map(codeOf).find(Boolean) : undefined;
}
