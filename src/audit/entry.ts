/**
 * The shape of an audit entry. Every field is non-personal by contract: table names,
 * counts, primary keys, codes. Never identifier values, names, free text or database
 * error messages (which quote the values that failed).
 */

/**
 * event: a one-shot record (a find, an export).
 * intent: written before a change commits, so a killed job still leaves a trace.
 * outcome: written after the change, pointing at its intent by intentId.
 */
export type AuditPhase = 'event' | 'intent' | 'outcome';

export type AuditOutcome = 'ok' | 'failed' | 'cancelled' | 'nothing-matched' | 'ambiguous' | 'refused';

export type AuditTableAction = 'read' | 'anonymize' | 'delete' | 'keep';

/** A row's primary key: a value, or a tuple of values for a key of several columns. */
export type AuditKey = string | number | (string | number)[];

export interface AuditTableRecord {
  action: AuditTableAction;
  rows: number;
  /** The primary keys touched, when few enough to list. */
  keys?: AuditKey[];
  /** For large batches: the first and last primary key, plus a digest of the full list (see digestKeys). */
  keyRange?: [AuditKey, AuditKey];
  keyDigest?: string;
  /** Column names changed (never their values). */
  columns?: string[];
}

/** The data subject type and its primary key: enough to find the row, nothing that identifies the person by itself. */
export interface AuditSubject {
  name: string;
  key: AuditKey;
}

/**
 * The database an entry concerns, so that one store can serve several databases and keep
 * them apart. `id` is the random id lethe keeps in that database (table lethe_instance), so
 * it follows the database through a backup and restore; `label` says where it is, as
 * messages do (`PostgreSQL at db.example.com:5432/crm`, `SQLite file /srv/app.db`), never
 * with a user name or password.
 */
export interface AuditDatabase {
  id: string;
  label: string;
}

/** The tables a job read or changed, by table name. */
export type AuditTables = Record<string, AuditTableRecord>;

export type AuditDetailScalar = string | number | boolean | null;

/**
 * Non-personal facts such as `{ errorCode: 'SQLITE_CONSTRAINT', matchedBy: ['email'] }`.
 * Flat on purpose: no room for error objects or rows.
 */
export type AuditDetail = Record<string, AuditDetailScalar | readonly AuditDetailScalar[]>;

/** What a caller passes to append; the store fills id, at, prevHash and hash. */
export interface NewAuditEntry {
  operator: string;
  command: string;
  action: string;
  /** A random UUID shared by the entries of one job. */
  requestId: string;
  phase: AuditPhase;
  /** Required on outcomes, absent otherwise. */
  intentId?: number | null;
  subject?: AuditSubject | null;
  dryRun: boolean;
  /** null on intents, required otherwise. */
  outcome: AuditOutcome | null;
  tables: AuditTables;
  detail?: AuditDetail | null;
}

export interface AuditEntry {
  id: number;
  /** ISO 8601 UTC with milliseconds. */
  at: string;
  operator: string;
  command: string;
  action: string;
  requestId: string;
  phase: AuditPhase;
  intentId: number | null;
  subject: AuditSubject | null;
  dryRun: boolean;
  outcome: AuditOutcome | null;
  tables: AuditTables;
  detail: AuditDetail | null;
  /**
   * Absent on entries written before lethe recorded it (schema 2 and older) and by a store
   * opened without a database (tests, tools): hashed only when present, so those entries
   * keep the hash they were written with.
   */
  database?: AuditDatabase;
  prevHash: string;
  hash: string;
}

export const AUDIT_PHASES: readonly AuditPhase[] = ['event', 'intent', 'outcome'];
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['ok', 'failed', 'cancelled', 'nothing-matched', 'ambiguous', 'refused'];
export const AUDIT_TABLE_ACTIONS: readonly AuditTableAction[] = ['read', 'anonymize', 'delete', 'keep'];
