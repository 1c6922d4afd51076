import type { AuditDetail } from '../audit/index.js';
import { LetheError } from '../errors.js';

/** Only codes go into the audit store and messages: driver messages can quote the values that failed. */
export function errorFacts(error: unknown): AuditDetail {
  const code = errorCode(error);
  return { error: error instanceof LetheError ? error.name : 'DatabaseError', ...(code ? { errorCode: code } : {}) };
}

/** The driver's error code (SQLITE_CONSTRAINT, 23505, ER_DUP_ENTRY...), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** ` (CODE)` for the end of a sentence, or nothing. */
export function codeSuffix(error: unknown): string {
  const code = errorCode(error);
  return code ? ` (${code})` : '';
}
