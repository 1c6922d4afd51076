import type { AuditDetail } from '../audit/index.js';
import { LetheError } from '../errors.js';

/** Only codes go into the audit store and messages: driver messages can quote the values that failed. */
export function errorFacts(error: unknown): AuditDetail {
  const code = errorCode(error);
  return { error: error instanceof LetheError ? error.name : 'DatabaseError', ...(code ? { errorCode: code } : {}) };
}

/**
 * The driver's or system's error code (SQLITE_CONSTRAINT, 23505, ER_DUP_ENTRY, EPIPE...), if
 * it has one. A LetheError's own code is lethe's ('locked', 'usage'): the driver's is its cause's.
 */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof LetheError) return error.cause === undefined ? undefined : errorCode(error.cause);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** ` (CODE)` for the end of a sentence, or nothing. */
export function codeSuffix(error: unknown): string {
  const code = errorCode(error);
  return code ? ` (${code})` : '';
}
