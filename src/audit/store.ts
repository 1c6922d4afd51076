/**
 * The local audit store: an append-only, hash-chained log in a SQLite file.
 *
 * The store records exactly what it is given. Callers must never pass personal data:
 * no identifier values (e-mails, phone numbers), no names, no free text, and no error
 * messages from the database (they quote the values that failed). Only table and column
 * names, row counts, primary keys, subject type names and codes belong here, because the
 * log outlives the erasures it records and is handed to auditors as it is.
 */
import { closeSync, existsSync, fchmodSync, fstatSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LetheError, UsageError } from '../errors.js';
import { ChainHasher, GENESIS_HASH, canonicalJson } from './chain.js';
import type { ChainMode } from './chain.js';
import {
  AUDIT_OUTCOMES,
  AUDIT_PHASES,
  AUDIT_TABLE_ACTIONS,
  type AuditDatabase,
  type AuditDetail,
  type AuditEntry,
  type AuditKey,
  type AuditOutcome,
  type AuditPhase,
  type AuditSubject,
  type AuditTables,
  type NewAuditEntry,
} from './entry.js';
import { cachedStatement } from './statements.js';
import { currentOwner, parseOwner, type JobOwner } from './job-owner.js';
import {
  TOMBSTONE_ACTION,
  TOMBSTONE_TABLE,
  checkTombstones,
  findTombstone,
  hasColumn,
  insertTombstones,
  lastTombstoneId,
  type Tombstone,
} from './tombstone-table.js';
import {
  SUPPRESSION_ACTION,
  SUPPRESSION_PRUNE_ACTION,
  SUPPRESSION_TABLE,
  checkSuppressions,
  deleteSuppressions,
  expiredSuppressions,
  insertSuppressions,
  lastSuppressionId,
  suppressedSubjects,
  type SuppressionPolicy,
} from './suppression-table.js';

export const AUDIT_SCHEMA_VERSION = 5;

/** Long enough for another lethe process to finish its append (or a sweep batch's pair of them). */
const BUSY_TIMEOUT_MS = 15_000;
/** Reads go page by page so no statement stays open across a yield (which would block appends). */
const PAGE_SIZE = 500;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit_entry (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    operator    TEXT    NOT NULL,
    command     TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    request_id  TEXT    NOT NULL,
    phase       TEXT    NOT NULL,
    intent_id   INTEGER,
    subject     TEXT,
    dry_run     INTEGER NOT NULL,
    outcome     TEXT,
    tables      TEXT    NOT NULL,
    detail      TEXT,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
  );
  CREATE INDEX IF NOT EXISTS audit_entry_at ON audit_entry (at);
  CREATE INDEX IF NOT EXISTS audit_entry_intent ON audit_entry (intent_id);
  CREATE INDEX IF NOT EXISTS audit_entry_subject
    ON audit_entry (json_extract(subject, '$.name'), json_extract(subject, '$.key'));
  -- Outcomes of batches of people (no subject of their own): by the subject they erased.
  CREATE INDEX IF NOT EXISTS audit_entry_batch_subject
    ON audit_entry (json_extract(detail, '$.subject')) WHERE subject IS NULL AND phase = 'outcome';
  -- How the chain is hashed, fixed by the first append: a store never mixes keyed and unkeyed entries.
  CREATE TABLE IF NOT EXISTS audit_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/**
 * Not part of the chain: what is known of an intent before its outcome exists. `owner` is a
 * JobOwner (JSON); `outcome` is the PendingOutcome to record once the change committed.
 */
const PENDING_TABLE = `
  CREATE TABLE IF NOT EXISTS pending_outcome (
    intent_id INTEGER PRIMARY KEY,
    owner     TEXT NOT NULL,
    outcome   TEXT
  );
`;

/**
 * Schema steps by the version they lead to; a store is brought up one step at a time.
 * 2: drops the BEFORE UPDATE/DELETE triggers of version 1. They only stopped honest tools
 * (anyone able to write the file can drop a trigger first), and they made tampering look
 * impossible when it is merely detected: the hash chain is what detects an edited, deleted
 * or reordered entry, and `lethe audit verify` is how it is checked.
 * 3: one trail per database. Entries and tombstones record the database they concern
 * (NULL on what was written before), and tombstones get a hash so that verify covers them.
 * The tombstone table, created by TombstoneStore until then, now belongs to the store.
 * 4: pending outcomes. Each intent has a row there until its outcome is written: which process
 * wrote it (to tell a job still running from one that died) and, once its change is about to
 * commit, the outcome and tombstones it will record, so that the next command can complete
 * an intent whose process died between the database's commit and the outcome entry.
 * 5: suppression lists: keyed hashes of the identifiers of people who opted out, kept when
 * they were anonymized, declared in the chain like tombstones (see suppression-table.ts).
 */
const MIGRATIONS: Record<number, string | ((db: Database.Database) => void)> = {
  1: SCHEMA,
  2: `DROP TRIGGER IF EXISTS audit_entry_no_update;
      DROP TRIGGER IF EXISTS audit_entry_no_delete;`,
  3: (db) => {
    addColumn(db, 'audit_entry', 'database_id', 'TEXT');
    addColumn(db, 'audit_entry', 'database_label', 'TEXT');
    db.exec('CREATE INDEX IF NOT EXISTS audit_entry_database ON audit_entry (database_id)');
    db.exec(TOMBSTONE_TABLE);
    addColumn(db, 'tombstone', 'database_id', 'TEXT');
    addColumn(db, 'tombstone', 'hash', 'TEXT');
  },
  4: PENDING_TABLE,
  5: SUPPRESSION_TABLE,
};

export interface AuditStoreOptions {
  /** secrets.key: when given, the chain is HMAC-SHA256 and cannot be recomputed without it. */
  key?: string;
  /**
   * For the audit commands: the file must exist and is never created, migrated or written,
   * so an auditor can check the store (or a copy they may only read) exactly as it is.
   */
  readOnly?: boolean;
  /**
   * The database this session works on. Every entry and tombstone written records it, and
   * the queries a job relies on (findCompleted, tombstones) see only entries of this
   * database. The audit commands open the store without one and see every entry.
   */
  database?: AuditDatabase;
}

export interface AuditFilter {
  /** Inclusive. */
  since?: Date;
  /** Exclusive, so `since 2026-01-01 until 2027-01-01` is exactly the year 2026. */
  until?: Date;
  action?: string;
  operator?: string;
  command?: string;
  requestId?: string;
}

export interface AuditListOptions extends AuditFilter {
  limit?: number;
  /** By id; 'desc' with a limit gives the latest entries. Default 'asc'. */
  order?: 'asc' | 'desc';
}

/**
 * lastHash: the newest entry's hash, to record elsewhere (a ticket, a mail) as an anchor.
 * firstBadId: the first entry that is altered, out of place or, for a deletion, missing.
 */
export type AuditVerification =
  | {
      ok: true;
      entries: number;
      lastHash: string;
      /** Tombstones checked against the entry that declares them. */
      tombstones: number;
      /** Tombstones written before schema 3: no entry declares them, so they are not vouched for. */
      legacyTombstones: number;
      /** Suppression hashes checked against the entry that declares them. */
      suppressions: number;
    }
  | {
      ok: false;
      entries: number;
      firstBadId: number;
      reason: string;
      /** When every entry is intact but a tombstone is not: its id (firstBadId is the entry that declares it). */
      tombstone?: number;
      /** Likewise for a suppression hash. */
      suppression?: number;
    };

export type IntentFields = Omit<NewAuditEntry, 'phase' | 'outcome' | 'intentId'>;
export type EventFields = Omit<NewAuditEntry, 'phase' | 'intentId'> & { outcome: AuditOutcome };
/**
 * What an intent's job will record once its change has committed: written inside the
 * change's transaction, just before the commit. Tombstones are the erased person's keyed
 * digests; they are written with the 'ok' outcome, by the job or by whoever completes it.
 */
export interface PendingOutcome {
  tables: AuditTables;
  detail: AuditDetail | null;
  tombstones?: { subject: string; digests: string[] };
  /** Suppression hashes of a person who opted out, written with the 'ok' outcome like tombstones. */
  suppressions?: PendingSuppressions;
}

export interface PendingSuppressions {
  subject: string;
  digests: string[];
  /** ISO time after which they are pruned (the subject's keepFor), or null. */
  expiresAt: string | null;
}

/** An intent without an outcome, with what its pending row says. */
export interface PendingIntent {
  intent: AuditEntry;
  /** Undefined for intents written before lethe recorded owners (schema 3 and older). */
  owner?: JobOwner;
  outcome?: PendingOutcome;
}

export interface OutcomeFields {
  outcome: AuditOutcome;
  /** What actually happened, which may differ from what the intent planned. */
  tables: AuditTables;
  detail?: AuditDetail | null;
}

interface AuditRow {
  id: number;
  at: string;
  operator: string;
  command: string;
  action: string;
  request_id: string;
  phase: string;
  intent_id: number | null;
  subject: string | null;
  dry_run: number;
  outcome: string | null;
  tables: string;
  detail: string | null;
  /** Absent when a store of schema 2 or older is read as it is. */
  database_id?: string | null;
  database_label?: string | null;
  prev_hash: string;
  hash: string;
}

export class AuditStore {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly hasher: ChainHasher,
    /** The database this store's writes and job queries are scoped to, if any. */
    readonly database?: AuditDatabase,
  ) {}

  static open(path: string, options: AuditStoreOptions = {}): AuditStore {
    if (options.readOnly) return AuditStore.openReadOnly(path, options);
    createPrivateFile(path);
    let db: Database.Database;
    try {
      db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new LetheError(`Cannot open the audit store at ${path}: ${sqliteReason(error)}.`, undefined, 'Check audit.path in the data map.');
    }
    try {
      // Default rollback journal; FULL makes a committed entry survive a power cut.
      db.pragma('synchronous = FULL');
      migrate(db, path);
    } catch (error) {
      db.close();
      if (error instanceof LetheError) throw error;
      throw new LetheError(
        `Cannot open the audit store at ${path}: ${sqliteReason(error)}.`,
        undefined,
        'Check that audit.path points to a lethe audit store.',
      );
    }
    return new AuditStore(db, path, new ChainHasher(options.key), options.database);
  }

  private static openReadOnly(path: string, options: AuditStoreOptions, recovered = false): AuditStore {
    if (!existsSync(path)) {
      throw new LetheError(
        `No audit store at ${path}.`,
        undefined,
        'Check audit.path in the data map. lethe creates the store on its first find, anonymize or sweep.',
      );
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
      let version: number;
      try {
        version = db.pragma('user_version', { simple: true }) as number;
      } catch (error) {
        // A process killed in the middle of an append left a hot journal, which only a writer may roll back.
        if ((error as { code?: unknown }).code !== 'SQLITE_READONLY_ROLLBACK' || recovered) throw error;
        db.close();
        db = undefined;
        rollBackHotJournal(path);
        return AuditStore.openReadOnly(path, options, true);
      }
      if (version > AUDIT_SCHEMA_VERSION) {
        throw new LetheError(
          `The audit store at ${path} was written by a newer lethe (schema ${version}; this one knows ${AUDIT_SCHEMA_VERSION}).`,
          undefined,
          'Upgrade lethe.',
        );
      }
      // Older versions lack only columns that read as absent (no database, tombstones without hashes).
      if (version === 0) throw new LetheError(`${path} is empty or not a lethe audit store.`, undefined, 'Check audit.path in the data map.');
      return new AuditStore(db, path, new ChainHasher(options.key), options.database);
    } catch (error) {
      db?.close();
      if (error instanceof LetheError) throw error;
      throw new LetheError(
        `Cannot read the audit store at ${path}: ${sqliteReason(error)}.`,
        undefined,
        'Check that audit.path points to a lethe audit store.',
      );
    }
  }

  /**
   * The database id last recorded for a database described as `label`, if the store at
   * `path` has one (see databaseIdentity: a database that lost its id). Reads only; a
   * missing or unreadable store knows none, and opening it for the job reports why.
   */
  static lastDatabaseIdAt(path: string, label: string): string | undefined {
    if (!existsSync(path)) return undefined;
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
      if (!hasColumn(db, 'audit_entry', 'database_label')) return undefined;
      const row = db.prepare('SELECT database_id FROM audit_entry WHERE database_label = ? AND database_id IS NOT NULL ORDER BY id DESC LIMIT 1').get(label) as
        | { database_id: string }
        | undefined;
      return row?.database_id;
    } catch {
      return undefined;
    } finally {
      db?.close();
    }
  }

  /** How the chain is hashed with the configured key (verify checks that the store agrees). */
  get chainMode(): ChainMode {
    return this.hasher.mode;
  }

  /** Appends one entry, chained to the last one. Atomic across processes. */
  append(input: NewAuditEntry): AuditEntry {
    validate(input);
    return this.write(() => this.appendInTransaction(input));
  }

  /**
   * Records an erasure's tombstones and, in the same transaction, a `tombstone` event that
   * declares them by id (same operator, command, request and subject as the erasure's
   * entry), so `verify` detects a tombstone edited, deleted or added afterwards. Returns
   * that event, or undefined when there were no digests.
   */
  recordTombstones(input: { subject: string; digests: readonly string[]; at: string; auditEntry: number }): AuditEntry | undefined {
    if (input.digests.length === 0) return undefined;
    return this.write(() => {
      const erasure = this.get(input.auditEntry);
      if (!erasure) throw new LetheError(`Tombstones refer to audit entry ${input.auditEntry}, which does not exist.`);
      return this.tombstonesInTransaction(erasure, input.subject, input.digests);
    });
  }

  /** The tombstones of `erasure` and the event declaring them; the caller holds the write transaction. */
  private tombstonesInTransaction(erasure: AuditEntry, subject: string, digests: readonly string[]): AuditEntry {
    const ids = insertTombstones(this.db, this.hasher, { subject, digests, at: erasure.at, auditEntry: erasure.id, databaseId: this.database?.id ?? null });
    return this.declareInTransaction(erasure, TOMBSTONE_ACTION, { tombstonesOf: erasure.id, tombstones: ids });
  }

  /** The event that declares what an erasure kept (tombstones, suppression hashes) by row id, in the caller's write transaction. */
  private declareInTransaction(erasure: AuditEntry, action: string, detail: AuditDetail): AuditEntry {
    const event: NewAuditEntry = {
      operator: erasure.operator,
      command: erasure.command,
      action,
      requestId: erasure.requestId,
      phase: 'event',
      intentId: null,
      subject: erasure.subject,
      dryRun: false,
      outcome: 'ok',
      tables: {},
      detail,
    };
    validate(event);
    return this.appendInTransaction(event);
  }

  /**
   * The suppression hashes an erasure kept, and the event declaring them (by id, with how many:
   * never a value), in the caller's write transaction.
   */
  private suppressionsInTransaction(erasure: AuditEntry, suppressions: PendingSuppressions): AuditEntry {
    const ids = insertSuppressions(this.db, this.hasher, {
      subject: suppressions.subject,
      digests: suppressions.digests,
      at: erasure.at,
      expiresAt: suppressions.expiresAt,
      auditEntry: erasure.id,
      databaseId: this.database?.id ?? null,
    });
    return this.declareInTransaction(erasure, SUPPRESSION_ACTION, { suppressionsOf: erasure.id, kept: ids.length, suppressions: ids });
  }

  /**
   * The subjects whose suppression list holds one of these digests at `now` (of every database
   * the store serves). Hashes prepared by an anonymization whose outcome is not written yet
   * (running, or killed after its commit and not yet reconciled) count too: answering "not
   * suppressed" for a person who opted out is the mistake to avoid.
   */
  suppressedSubjects(digests: readonly string[], now: Date, subject?: string): string[] {
    const found = new Set(suppressedSubjects(this.db, digests, now, subject));
    const wanted = new Set(digests);
    const pending = cachedStatement(this.db, 'SELECT outcome FROM pending_outcome WHERE outcome IS NOT NULL').all() as { outcome: string }[];
    for (const row of pending) {
      const prepared = (JSON.parse(row.outcome) as PendingOutcome).suppressions;
      if (!prepared || (subject !== undefined && prepared.subject !== subject)) continue;
      if (prepared.expiresAt !== null && prepared.expiresAt <= now.toISOString()) continue;
      if (prepared.digests.some((d) => wanted.has(d))) found.add(prepared.subject);
    }
    return [...found].sort();
  }

  /**
   * Deletes the suppression hashes past their keepFor, with an event naming how many and which
   * ids (so verify tells them from hashes deleted by hand), in one transaction. Returns how
   * many; nothing is written when none is due.
   */
  pruneSuppressions(input: { operator: string; command: string; requestId: string; now: Date; policies: readonly SuppressionPolicy[] }): number {
    // Read first, so that a store with nothing due takes no write lock.
    if (expiredSuppressions(this.db, input.now, input.policies).length === 0) return 0;
    return this.write(() => {
      const ids = expiredSuppressions(this.db, input.now, input.policies);
      if (ids.length === 0) return 0;
      deleteSuppressions(this.db, ids);
      const event: NewAuditEntry = {
        operator: input.operator,
        command: input.command,
        action: SUPPRESSION_PRUNE_ACTION,
        requestId: input.requestId,
        phase: 'event',
        intentId: null,
        subject: null,
        dryRun: false,
        outcome: 'ok',
        tables: {},
        detail: { pruned: ids.length, suppressions: ids },
      };
      validate(event);
      this.appendInTransaction(event);
      return ids.length;
    });
  }

  /**
   * The latest tombstone of these digests. In a store scoped to a database: that database's,
   * or one written before lethe recorded the database (it may be of any, and an erasure must
   * survive the upgrade).
   */
  findTombstone(subject: string, digests: readonly string[]): Tombstone | undefined {
    return findTombstone(this.db, subject, digests, this.database?.id);
  }

  /** Runs `work` in an IMMEDIATE transaction: the write lock is taken before the tail is read, so two processes cannot chain to the same entry. */
  private write<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      if (error instanceof LetheError) throw error;
      // SQLITE_BUSY after the timeout, SQLITE_FULL, I/O errors: about the audit file, never about personal data.
      throw new LetheError(
        `Cannot write to the audit store at ${this.path}: ${sqliteReason(error)}. Nothing was recorded.`,
        undefined,
        'If another lethe process is running, wait for it and try again.',
      );
    }
  }

  /** The append itself; the caller holds the write transaction. */
  private appendInTransaction(input: NewAuditEntry): AuditEntry {
    this.assertChainMode({ firstAppend: true });
    if (input.phase === 'outcome') {
      this.assertIntent(input);
      const done = this.outcomeOf(input.intentId!);
      if (done) return done;
    }
    const entry = this.appendRow(input);
    if (input.phase === 'intent') {
      cachedStatement(this.db, 'INSERT INTO pending_outcome (intent_id, owner) VALUES (?, ?)').run(entry.id, JSON.stringify(currentOwner()));
    }
    if (input.phase === 'outcome') {
      const pending = cachedStatement(this.db, 'SELECT outcome FROM pending_outcome WHERE intent_id = ?').get(input.intentId) as
        | { outcome: string | null }
        | undefined;
      const prepared = pending?.outcome ? (JSON.parse(pending.outcome) as PendingOutcome) : undefined;
      const tombstones = prepared?.tombstones;
      cachedStatement(this.db, 'DELETE FROM pending_outcome WHERE intent_id = ?').run(input.intentId);
      if (input.outcome === 'ok' && tombstones && tombstones.digests.length > 0) this.tombstonesInTransaction(entry, tombstones.subject, tombstones.digests);
      if (input.outcome === 'ok' && prepared?.suppressions && prepared.suppressions.digests.length > 0)
        this.suppressionsInTransaction(entry, prepared.suppressions);
    }
    return entry;
  }

  /** Chains and inserts one row; the caller holds the write transaction. */
  private appendRow(input: NewAuditEntry): AuditEntry {
    const last = cachedStatement(this.db, 'SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
    const row: Omit<AuditRow, 'hash'> = {
      id: (last?.id ?? 0) + 1,
      at: new Date().toISOString(),
      operator: input.operator,
      command: input.command,
      action: input.action,
      request_id: input.requestId,
      phase: input.phase,
      intent_id: input.intentId ?? null,
      subject: input.subject ? canonicalJson(input.subject) : null,
      dry_run: input.dryRun ? 1 : 0,
      outcome: input.outcome,
      tables: canonicalJson(input.tables),
      detail: input.detail ? canonicalJson(input.detail) : null,
      database_id: this.database?.id ?? null,
      database_label: this.database?.label ?? null,
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    // Hash what a later read will see, so verify recomputes exactly the same bytes.
    const entry = rowToEntry({ ...row, hash: '' });
    entry.hash = this.hasher.hash(entry);
    cachedStatement(
      this.db,
      `INSERT INTO audit_entry (id, at, operator, command, action, request_id, phase, intent_id, subject,
           dry_run, outcome, tables, detail, database_id, database_label, prev_hash, hash)
         VALUES (@id, @at, @operator, @command, @action, @request_id, @phase, @intent_id, @subject,
           @dry_run, @outcome, @tables, @detail, @database_id, @database_label, @prev_hash, @hash)`,
    ).run({ ...row, hash: entry.hash });
    return entry;
  }

  /**
   * Written before a change commits, so an interrupted job shows as interrupted. The intent's
   * pending row records this process as its owner, so that a later command can tell a job
   * still running from one that ended without its outcome.
   */
  recordIntent(fields: IntentFields): AuditEntry {
    return this.append({ ...fields, phase: 'intent', intentId: null, outcome: null });
  }

  /**
   * An intent written last before its change commits, with the outcome to record once it
   * has (see prepareOutcome), in one write transaction of the store: a batch of erasures
   * pays one durable write here instead of two.
   */
  recordPreparedIntent(fields: IntentFields, outcome: PendingOutcome): AuditEntry {
    const input: NewAuditEntry = { ...fields, phase: 'intent', intentId: null, outcome: null };
    validate(input);
    return this.write(() => {
      const entry = this.appendInTransaction(input);
      cachedStatement(this.db, 'UPDATE pending_outcome SET outcome = ? WHERE intent_id = ?').run(canonicalJson(outcome), entry.id);
      return entry;
    });
  }

  /**
   * Called inside the change's transaction, just before it commits: the outcome (and the
   * tombstones) to record once it has. A process that dies after the commit and before
   * recordOutcome leaves them here for the next command to complete (see pendingIntents).
   */
  prepareOutcome(intent: AuditEntry, outcome: PendingOutcome): void {
    this.write(() => {
      cachedStatement(this.db, 'UPDATE pending_outcome SET outcome = ? WHERE intent_id = ?').run(canonicalJson(outcome), intent.id);
    });
  }

  /**
   * Completes an intent; who, what, which subject and dry-run are taken from it. An 'ok'
   * outcome writes the tombstones prepared for it (prepareOutcome) in the same transaction.
   * Completing an intent that has its outcome already returns that outcome: a job and the
   * command that reconciled it meanwhile never record it twice.
   */
  recordOutcome(intent: AuditEntry, result: OutcomeFields): AuditEntry {
    const entry: NewAuditEntry = {
      operator: intent.operator,
      command: intent.command,
      action: intent.action,
      requestId: intent.requestId,
      subject: intent.subject,
      dryRun: intent.dryRun,
      phase: 'outcome',
      intentId: intent.id,
      outcome: result.outcome,
      tables: result.tables,
      detail: result.detail ?? null,
    };
    validate(entry);
    return this.write(() => this.appendInTransaction(entry));
  }

  /**
   * This database's intents that no outcome completes and that have a pending row: jobs
   * running now, and jobs whose process ended before their outcome was written.
   */
  pendingIntents(): PendingIntent[] {
    const scope = this.database ? ' AND intent.database_id = ?' : '';
    const rows = this.db
      .prepare(
        `SELECT intent.*, pending.owner AS pending_owner, pending.outcome AS pending_outcome FROM audit_entry AS intent
         JOIN pending_outcome AS pending ON pending.intent_id = intent.id
         WHERE intent.phase = 'intent'${scope}
           AND NOT EXISTS (SELECT 1 FROM audit_entry AS done WHERE done.intent_id = intent.id AND done.phase = 'outcome')
         ORDER BY intent.id`,
      )
      .all(...(this.database ? [this.database.id] : [])) as (AuditRow & { pending_owner: string; pending_outcome: string | null })[];
    return rows.map(({ pending_owner, pending_outcome, ...row }) => {
      const owner = parseOwner(pending_owner);
      return {
        intent: rowToEntry(row),
        ...(owner ? { owner } : {}),
        ...(pending_outcome ? { outcome: JSON.parse(pending_outcome) as PendingOutcome } : {}),
      };
    });
  }

  /** A one-shot record of something that changes nothing, such as a find or an export. */
  recordEvent(fields: EventFields): AuditEntry {
    return this.append({ ...fields, phase: 'event', intentId: null });
  }

  get(id: number): AuditEntry | undefined {
    const row = cachedStatement(this.db, 'SELECT * FROM audit_entry WHERE id = ?').get(id) as AuditRow | undefined;
    return row && rowToEntry(row);
  }

  list(options: AuditListOptions = {}): AuditEntry[] {
    const { sql, params } = whereClause(options);
    const order = options.order === 'desc' ? 'DESC' : 'ASC';
    let limit = '';
    if (options.limit !== undefined) {
      if (!Number.isInteger(options.limit) || options.limit < 1) throw new UsageError(`The limit must be a positive whole number, not ${options.limit}.`);
      limit = ` LIMIT ${options.limit}`;
    }
    const rows = cachedStatement(this.db, `SELECT * FROM audit_entry ${sql} ORDER BY id ${order}${limit}`).all(...params) as AuditRow[];
    return rows.map(rowToEntry);
  }

  count(filter: AuditFilter = {}): number {
    const { sql, params } = whereClause(filter);
    return (cachedStatement(this.db, `SELECT count(*) AS n FROM audit_entry ${sql}`).get(...params) as { n: number }).n;
  }

  /** Every matching entry in id order, read a page at a time, for exports of any size. */
  *iterate(filter: AuditFilter = {}): Generator<AuditEntry> {
    for (const row of this.rows(filter)) yield rowToEntry(row);
  }

  /**
   * The successful, real (not dry-run) outcomes of `action` for one subject, latest first.
   * In a store scoped to a database, only that database's: the same key in another database
   * is another person, and so is the key of an entry written before lethe recorded the
   * database (whose database is unknown).
   */
  findCompleted(query: { action: string; subjectName: string; subjectKey: AuditKey; subjectTable?: string }): AuditEntry[] {
    const scope = this.database ? ' AND database_id = ?' : '';
    const scopeParams = this.database ? [this.database.id] : [];
    // A key of several columns is stored as a JSON array, which json_extract returns as its text.
    const key = Array.isArray(query.subjectKey) ? JSON.stringify(query.subjectKey) : query.subjectKey;
    const own = cachedStatement(
      this.db,
      `SELECT * FROM audit_entry
         WHERE json_extract(subject, '$.name') = ? AND json_extract(subject, '$.key') = ?
           AND action = ? AND phase = 'outcome' AND outcome = 'ok' AND dry_run = 0${scope}
         ORDER BY id DESC`,
    ).all(query.subjectName, key, query.action, ...scopeParams) as AuditRow[];
    // A batch of people (the sweep's inactive pass): no subject of its own, the people's keys listed under their table.
    const batches = query.subjectTable
      ? (cachedStatement(
          this.db,
          `SELECT * FROM audit_entry
             WHERE subject IS NULL AND phase = 'outcome' AND json_extract(detail, '$.subject') = ?
               AND action = ? AND outcome = 'ok' AND dry_run = 0${scope}
               AND EXISTS (SELECT 1 FROM json_each(audit_entry.tables, ?) AS listed WHERE listed.value = ?)
             ORDER BY id DESC`,
        ).all(query.subjectName, query.action, ...scopeParams, `$.${JSON.stringify(query.subjectTable)}.keys`, key) as AuditRow[])
      : [];
    return [...own, ...batches].sort((a, b) => b.id - a.id).map(rowToEntry);
  }

  /** The outcome that completes an intent, if one was written. */
  outcomeOf(intentId: number): AuditEntry | undefined {
    const row = cachedStatement(this.db, "SELECT * FROM audit_entry WHERE intent_id = ? AND phase = 'outcome' ORDER BY id LIMIT 1").get(intentId) as
      | AuditRow
      | undefined;
    return row && rowToEntry(row);
  }

  /** The entry carrying this hash: a hash recorded elsewhere is still in the chain. */
  findByHash(hash: string): AuditEntry | undefined {
    const row = cachedStatement(this.db, 'SELECT * FROM audit_entry WHERE hash = ?').get(hash) as AuditRow | undefined;
    return row && rowToEntry(row);
  }

  /**
   * Intents that no outcome completes, in id order. A job still running in another
   * process shows here too until it writes its outcome.
   */
  interruptedJobs(): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_entry AS intent
         WHERE intent.phase = 'intent'
           AND NOT EXISTS (SELECT 1 FROM audit_entry AS done WHERE done.intent_id = intent.id AND done.phase = 'outcome')
         ORDER BY intent.id`,
      )
      .all() as AuditRow[];
    return rows.map(rowToEntry);
  }

  /**
   * Walks the chain from the first entry. Detects edits (content no longer matches its
   * hash), deletions (a gap in ids, or a previous hash that does not match) and reordering
   * (the id is hashed, so a moved entry no longer matches). Deleting the newest entries
   * leaves a valid shorter chain: compare lastHash with one recorded elsewhere to catch that.
   * Then checks every tombstone against the entry that declares it (see tombstone-table.ts).
   */
  verify(): AuditVerification {
    this.assertChainMode({ firstAppend: false });
    // Read first: a tombstone above this may belong to an entry appended while the chain is read.
    const tombstonesBefore = lastTombstoneId(this.db);
    const suppressionsBefore = lastSuppressionId(this.db);
    const keptSuppressions = new Map<number, number>();
    const prunedSuppressions = new Map<number, number>();
    const declared = new Map<number, number>();
    let expectedId = 1;
    let prevHash = GENESIS_HASH;
    const bad = (firstBadId: number, reason: string): Extract<AuditVerification, { ok: false }> => ({
      ok: false,
      entries: (cachedStatement(this.db, 'SELECT count(*) AS n FROM audit_entry').get() as { n: number }).n,
      firstBadId,
      reason,
    });
    for (const row of this.rows({})) {
      if (row.id !== expectedId) {
        return bad(
          expectedId,
          row.id > expectedId
            ? `entry ${expectedId} is missing: ${expectedId === 1 ? 'the log starts at' : `entry ${expectedId - 1} is followed by`} entry ${row.id}`
            : `entry ${row.id} is out of sequence where entry ${expectedId} was expected`,
        );
      }
      let entry: AuditEntry;
      try {
        entry = rowToEntry(row);
      } catch {
        return bad(row.id, `entry ${row.id} cannot be read: a field is not valid JSON, so it was altered`);
      }
      if (this.hasher.hash(entry) !== row.hash) {
        return bad(row.id, `entry ${row.id} does not match its hash: it was altered or moved`);
      }
      if (row.prev_hash !== prevHash) {
        return bad(
          row.id,
          expectedId === 1
            ? `entry 1 does not start the chain: earlier entries were removed`
            : `entry ${row.id} does not follow entry ${row.id - 1}: the chain between them was broken`,
        );
      }
      if (entry.action === TOMBSTONE_ACTION && Array.isArray(entry.detail?.tombstones)) {
        for (const id of entry.detail.tombstones) if (typeof id === 'number') declared.set(id, entry.id);
      }
      const suppressionIds = entry.detail?.suppressions;
      if ((entry.action === SUPPRESSION_ACTION || entry.action === SUPPRESSION_PRUNE_ACTION) && Array.isArray(suppressionIds)) {
        const into = entry.action === SUPPRESSION_ACTION ? keptSuppressions : prunedSuppressions;
        for (const id of suppressionIds) if (typeof id === 'number') into.set(id, entry.id);
      }
      prevHash = row.hash;
      expectedId += 1;
    }
    const tombstones = checkTombstones(this.db, this.hasher, declared, tombstonesBefore);
    if (!tombstones.ok) return { ...bad(tombstones.entry, tombstones.reason), tombstone: tombstones.tombstone };
    const suppressions = checkSuppressions(this.db, this.hasher, keptSuppressions, prunedSuppressions, suppressionsBefore);
    if (!suppressions.ok) return { ...bad(suppressions.entry, suppressions.reason), suppression: suppressions.suppression };
    return {
      ok: true,
      entries: expectedId - 1,
      lastHash: prevHash,
      tombstones: tombstones.covered,
      legacyTombstones: tombstones.legacy,
      suppressions: suppressions.covered,
    };
  }

  close(): void {
    this.db.close();
  }

  /** Matching rows in id order, one page per query. */
  private *rows(filter: AuditFilter): Generator<AuditRow> {
    const { sql, params } = whereClause(filter);
    const first = this.db.prepare(`SELECT * FROM audit_entry ${sql} ORDER BY id LIMIT ${PAGE_SIZE}`);
    const next = this.db.prepare(`SELECT * FROM audit_entry ${sql ? `${sql} AND` : 'WHERE'} id > ? ORDER BY id LIMIT ${PAGE_SIZE}`);
    let page = first.all(...params) as AuditRow[];
    for (;;) {
      yield* page;
      const last = page.at(-1);
      if (page.length < PAGE_SIZE || !last) return;
      page = next.all(...params, last.id) as AuditRow[];
    }
  }

  /**
   * The chain's hashing is fixed by the first append. Mixing modes, or verifying a keyed
   * store without its key, would otherwise report every entry as tampered with.
   */
  private assertChainMode({ firstAppend }: { firstAppend: boolean }): void {
    const meta = new Map(
      (cachedStatement(this.db, 'SELECT name, value FROM audit_meta').all() as { name: string; value: string }[]).map((m) => [m.name, m.value]),
    );
    const stored = meta.get('chain') as ChainMode | undefined;
    if (!stored) {
      const hasEntries = cachedStatement(this.db, 'SELECT 1 FROM audit_entry LIMIT 1').get() !== undefined;
      if (hasEntries) {
        throw new LetheError(`The audit store at ${this.path} has entries but no record of how they were hashed: it was altered.`);
      }
      if (firstAppend) {
        const insert = cachedStatement(this.db, 'INSERT INTO audit_meta (name, value) VALUES (?, ?)');
        insert.run('chain', this.hasher.mode);
        const check = this.hasher.keyCheck();
        if (check) insert.run('keyCheck', check);
      }
      return;
    }
    if (stored !== 'sha256' && stored !== 'hmac-sha256') {
      throw new LetheError(`The audit store at ${this.path} uses an unknown chain "${stored}": it was altered or written by a newer lethe.`);
    }
    if (stored === 'hmac-sha256' && this.hasher.mode !== stored) {
      throw new LetheError(
        `The audit store at ${this.path} is keyed, and no key is configured.`,
        undefined,
        'Set secrets.key in the data map to the key the store was created with.',
      );
    }
    if (stored === 'sha256' && this.hasher.mode !== stored) {
      throw new LetheError(
        `The audit store at ${this.path} was created without a key, but a key is configured.`,
        undefined,
        'If secrets.key was added after the store was created, move the store aside to start a keyed one; otherwise the store may have been rewritten.',
      );
    }
    if (stored === 'hmac-sha256' && meta.get('keyCheck') !== this.hasher.keyCheck()) {
      throw new LetheError(
        `The configured key is not the one the audit store at ${this.path} was created with.`,
        undefined,
        'Use the original secrets.key. If it is the original, the store was altered.',
      );
    }
  }

  private assertIntent(input: NewAuditEntry): void {
    const intent = cachedStatement(this.db, 'SELECT phase, request_id FROM audit_entry WHERE id = ?').get(input.intentId) as
      | { phase: string; request_id: string }
      | undefined;
    if (intent?.phase !== 'intent' || intent.request_id !== input.requestId) {
      throw new LetheError(`Audit outcome refers to entry ${input.intentId}, which is not an intent of request ${input.requestId}.`);
    }
  }
}

/**
 * Rolls back the append that a killed process left half done (its hot journal): SQLite does
 * so on the first read by a connection allowed to write. The chain is then as it was before
 * that append. A reader not allowed to write is told what to do.
 */
function rollBackHotJournal(path: string): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    throw new LetheError(
      `The audit store at ${path} was left in the middle of an append by a process that was killed, and this user may not write it to roll that append back (${sqliteReason(error)}).`,
      undefined,
      'Run lethe audit verify once as a user allowed to write the store (its owner); the half-written append is then rolled back and nothing else changes.',
    );
  } finally {
    db?.close();
  }
}

/** Creates the file 0600 (and its directories 0700) before SQLite does, so it is never world-readable. */
function createPrivateFile(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fd = openSync(path, 'a', 0o600);
    try {
      if ((fstatSync(fd).mode & 0o077) !== 0) fchmodSync(fd, 0o600);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new LetheError(
      `Cannot create the audit store at ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      undefined,
      'Check audit.path in the data map and the permissions of its directory.',
    );
  }
}

function migrate(db: Database.Database, path: string): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() > AUDIT_SCHEMA_VERSION) {
    throw new LetheError(
      `The audit store at ${path} was written by a newer lethe (schema ${version()}; this one knows ${AUDIT_SCHEMA_VERSION}).`,
      undefined,
      'Upgrade lethe.',
    );
  }
  if (version() === AUDIT_SCHEMA_VERSION) return;
  // IMMEDIATE: two processes opening a store at once must not both migrate it.
  db.transaction(() => {
    for (let next = version() + 1; next <= AUDIT_SCHEMA_VERSION; next++) {
      const step = MIGRATIONS[next]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
    }
    db.pragma(`user_version = ${AUDIT_SCHEMA_VERSION}`);
  }).immediate();
}

/** ALTER TABLE ADD COLUMN, unless the column is there already. */
function addColumn(db: Database.Database, table: string, column: string, type: string): void {
  if (!hasColumn(db, table, column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
}

function whereClause(filter: AuditFilter): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    conditions.push(condition);
    params.push(value);
  };
  // `at` is always toISOString() output, so text order is time order.
  if (filter.since) add('at >= ?', isoDate(filter.since, 'since'));
  if (filter.until) add('at < ?', isoDate(filter.until, 'until'));
  if (filter.action !== undefined) add('action = ?', filter.action);
  if (filter.operator !== undefined) add('operator = ?', filter.operator);
  if (filter.command !== undefined) add('command = ?', filter.command);
  if (filter.requestId !== undefined) add('request_id = ?', filter.requestId);
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

function isoDate(date: Date, name: string): string {
  if (Number.isNaN(date.getTime())) throw new UsageError(`The ${name} date is not a valid date.`);
  return date.toISOString();
}

/** A field that is not JSON was edited outside lethe; say which entry instead of failing on a parse error. */
function rowToEntry(row: AuditRow): AuditEntry {
  try {
    return parseRow(row);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new LetheError(
      `Audit entry ${row.id} cannot be read: a field is not valid JSON, so it was altered.`,
      undefined,
      'Run lethe audit verify to check the whole trail.',
    );
  }
}

function parseRow(row: AuditRow): AuditEntry {
  // Either column set makes the entry scoped, so clearing one of them breaks its hash.
  const database = row.database_id != null || row.database_label != null ? { id: row.database_id ?? '', label: row.database_label ?? '' } : undefined;
  return {
    id: row.id,
    at: row.at,
    operator: row.operator,
    command: row.command,
    action: row.action,
    requestId: row.request_id,
    phase: row.phase as AuditPhase,
    intentId: row.intent_id,
    subject: row.subject === null ? null : (JSON.parse(row.subject) as AuditSubject),
    dryRun: row.dry_run === 1,
    outcome: row.outcome as AuditOutcome | null,
    tables: JSON.parse(row.tables) as AuditTables,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as AuditDetail),
    ...(database ? { database } : {}),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Catches caller bugs before they become permanent: the log cannot be corrected afterwards. */
function validate(entry: NewAuditEntry): void {
  const problems: string[] = [];
  for (const field of ['operator', 'command', 'action', 'requestId'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') problems.push(`${field} must be a non-empty string`);
  }
  if (!AUDIT_PHASES.includes(entry.phase)) problems.push(`phase "${entry.phase}" is not one of ${AUDIT_PHASES.join(', ')}`);
  if (entry.phase === 'intent' && entry.outcome !== null) problems.push('an intent has no outcome yet');
  if (entry.phase !== 'intent' && (entry.outcome === null || !AUDIT_OUTCOMES.includes(entry.outcome))) {
    problems.push(`outcome must be one of ${AUDIT_OUTCOMES.join(', ')}`);
  }
  if (entry.phase === 'outcome' && !Number.isInteger(entry.intentId)) problems.push('an outcome needs the intentId of its intent');
  if (entry.phase !== 'outcome' && entry.intentId != null) problems.push('only an outcome refers to an intent');
  if (entry.subject && (typeof entry.subject.name !== 'string' || !isKey(entry.subject.key))) {
    problems.push('subject must be { name: string, key: string | number | a list of them }');
  }
  if (typeof entry.tables !== 'object' || entry.tables === null) problems.push('tables must be an object');
  for (const [table, record] of Object.entries(entry.tables ?? {})) {
    if (!AUDIT_TABLE_ACTIONS.includes(record.action)) problems.push(`tables.${table}.action "${record.action}" is not valid`);
    if (!Number.isInteger(record.rows) || record.rows < 0) problems.push(`tables.${table}.rows must be a whole number >= 0`);
    if (record.keys && !record.keys.every(isKey)) problems.push(`tables.${table}.keys must be strings, numbers or lists of them`);
  }
  if (problems.length) throw new LetheError(`Invalid audit entry: ${problems.join('; ')}.`);
}

function isKey(value: unknown): value is AuditKey {
  const part = (v: unknown) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
  // A key of several columns is the tuple of their values.
  return part(value) || (Array.isArray(value) && value.length > 1 && value.every(part));
}

/** The SQLite code and message about the audit file itself (never about personal data). */
function sqliteReason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return [code, message].filter(Boolean).join(': ') || String(error);
}
