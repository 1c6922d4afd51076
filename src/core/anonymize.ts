import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { NOT_IDEMPOTENT, personalColumns, type OnErase, type SubjectMapping, type TableMapping } from '../config/data-map.js';
import { InterruptedError, LetheError } from '../errors.js';
import type { SubjectTraits } from '../masking/index.js';
import type { AuditDetail, AuditTables, IntentFields, PendingOutcome } from '../audit/index.js';
import { ensureCommitTable, forgetCommit, markCommitted } from '../db/commit-marker.js';
import { crashPoint } from './crash-point.js';
import { retryOnConflict } from './conflict-retry.js';
import { previousAnonymization } from './anonymization-record.js';
import { codeSuffix, errorFacts } from './error-facts.js';
import { rowDigests, tombstoneAmong } from './tombstones.js';
import { pendingSuppressions } from './suppression.js';
import { changesRow, constantValues, maskedValues, strategyFor } from './column-masking.js';
import { findMentionRows, scanMentions, type MentionRow } from './mentions.js';
import { redactMentions } from '../masking/mentions.js';
import type { Session } from './session.js';
import {
  countFiles,
  deleteQueuedFiles,
  fileRefsOf,
  prepareFileQueue,
  queueFileDeletions,
  type FileCount,
  type FileRef,
  type FilesDeleted,
  type ListedFiles,
} from './file-deletion.js';
import { chunks, collectSubjectData, KEYS_PER_STATEMENT, subjectTraits, type TableRows } from './subject-data.js';
import { compareKeys, keyColumnsOf, keyOf, showKey, whereKeyIn, whereValueIn, type KeyPart } from '../db/row-key.js';
import { resolveSubject, type LookupOptions, type Row, type RowKey, type SubjectMatch } from './subject-lookup.js';

export interface PlannedColumn {
  name: string;
  strategy: string;
  pseudonymous: boolean;
}

export interface PlannedTable {
  table: string;
  action: OnErase;
  rows: number;
  keys: RowKey[];
  /** The columns rewritten (empty for delete and keep). */
  columns: PlannedColumn[];
}

export interface AnonymizationPlan {
  requestId: string;
  subject: { name: string; table: string; key: RowKey; matchedBy: string[] };
  tables: PlannedTable[];
  /** `table.column` of columns whose strategy is pseudonymisation (hash), not anonymisation. */
  pseudonymousColumns: string[];
  /** Rows of other people or tables whose free text mentions the person (looked for when planned with mentions). */
  mentions: MentionRow[];
  /**
   * Rows the erasure would change or delete (planned with countChanges). 0 means the person
   * was anonymized already: every row of theirs holds what the strategies would write.
   */
  changes?: number;
  /** The files of delete-file columns the erasure would delete, counted with their bytes (when the rows name any). */
  files?: FileCount;
  readonly match: SubjectMatch;
}

export interface AnonymizationReceipt {
  requestId: string;
  auditEntry: number;
  subject: AnonymizationPlan['subject'];
  tables: PlannedTable[];
  /** Mentions of the person in other rows that were redacted (with --mentions). */
  mentionsRedacted: number;
  /** What the database may still hold elsewhere, or what was done to prevent it. */
  notes: string[];
  /** The files of delete-file columns: deleted after the commit (present when the person's rows named any). */
  files?: FilesDeleted;
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  /** The command recorded in the audit trail (a sweep anonymizes people too). */
  command?: string;
  /** Extra non-personal facts for the audit entry (e.g. the batch it belongs to). */
  auditDetail?: AuditDetail;
  /** Reclaim old row versions where the database keeps them (PostgreSQL VACUUM). */
  vacuum?: boolean;
  /** Also redact the person's mentions in other rows' free text (--mentions). */
  mentions?: boolean;
  /**
   * Run the database's after-change step (checkpoint, VACUUM, notes) now. A batch turns
   * this off and runs it once at the end over every table it touched.
   */
  finish?: boolean;
}

export interface PlanOptions {
  /** Look for the person's mentions in other rows (a scan of the free-text columns). */
  mentions?: boolean;
  /**
   * Count the rows the erasure would change (plan.changes), to tell a person already
   * anonymized: it runs every strategy over every row of theirs, so only the commands that
   * answer "already anonymized" ask for it, not the sweep's inactive pass or reapply.
   */
  countChanges?: boolean;
}

export async function planAnonymization(session: Session, value: string, options: LookupOptions & PlanOptions = {}): Promise<AnonymizationPlan> {
  const match = await resolveSubject(session.knex, session.dialect, session.map, session.schema, value, options);
  return planForMatch(session, match, options);
}

export async function planForMatch(session: Session, match: SubjectMatch, options: PlanOptions = {}): Promise<AnonymizationPlan> {
  const collected = await collectSubjectData(session.knex, session.map, match);
  const tables = collected.map(plannedTable);
  const traits = subjectTraits(session.map, collected);
  const mentions = options.mentions ? await findMentionRows(session.knex, session.dialect, session.map, traits, collected) : [];
  return {
    requestId: randomUUID(),
    subject: { name: match.subject.name, table: match.subject.table, key: match.key, matchedBy: match.matchedBy },
    tables,
    pseudonymousColumns: tables.flatMap((t) => t.columns.filter((c) => c.pseudonymous).map((c) => `${t.table}.${c.name}`)),
    mentions,
    ...(options.countChanges
      ? { changes: pendingChanges(session, collected, traits, () => previousAnonymization(session.audit, match.subject, match.key) !== undefined) }
      : {}),
    ...(await plannedFiles(session, collected)),
    match,
  };
}

/** The files the collected rows name, counted in their storage (a stat or HEAD each). */
export async function plannedFiles(session: Session, collected: TableRows[]): Promise<{ files?: FileCount }> {
  const refs = collected.flatMap(({ table, rows }) => (table.onErase === 'keep' ? [] : fileRefsOf(session.map, session.schema, table, rows)));
  return refs.length > 0 ? { files: await countFiles(session.map, refs) } : {};
}

/**
 * Rows that an erasure (of a person, or of a record) would change or delete now. A row that
 * only a hash or random column would change counts only when `erasedBefore` says the trail of
 * this database records no earlier erasure: applied twice, those strategies still change the value.
 */
export function pendingChanges(session: Session, collected: TableRows[], traits: SubjectTraits, erasedBefore: () => boolean): number {
  let changes = 0;
  let unsure = 0;
  for (const { table, rows } of collected) {
    if (table.onErase === 'delete') changes += rows.length;
    if (table.onErase !== 'anonymize' || personalColumns(table).length === 0) continue;
    const steady = new Set(
      personalColumns(table)
        .filter((c) => c.strategy !== 'keep' && !NOT_IDEMPOTENT.has(c.strategy.kind))
        .map((c) => c.name),
    );
    for (const row of rows) {
      const values = maskedValues(session.map, session.schema, table, row, traits);
      if (changesRow(Object.fromEntries(Object.entries(values).filter(([c]) => steady.has(c))), row)) changes += 1;
      else if (changesRow(values, row)) unsure += 1;
    }
  }
  if (unsure > 0 && !erasedBefore()) changes += unsure;
  return changes;
}

/** Audits a dry run: what would have been done, with nothing written, under the command that ran. */
export function recordDryRun(session: Session, plan: AnonymizationPlan, command = 'anonymize'): number {
  return session.audit.recordEvent({
    operator: session.operator,
    command,
    action: 'anonymize',
    requestId: plan.requestId,
    subject: { name: plan.subject.name, key: plan.subject.key },
    dryRun: true,
    outcome: 'ok',
    tables: auditTables(plan.tables),
    detail: null,
  }).id;
}

/** What lethe knows of an earlier anonymization of a person it is asked to anonymize again. */
export interface EarlierAnonymization {
  subject: string;
  /** The person's key, when their row was found (by id, or by an identifier the map keeps). */
  key?: RowKey;
  /** When and by which audit entry, when the trail (or a tombstone) of this database says so. */
  at?: string;
  auditEntry?: number;
}

/**
 * What lethe knows of an earlier anonymization when there is nothing left to do: the plan
 * (counted with countChanges) changes nothing, and the trail may say when that happened.
 */
export function earlierAnonymizationOf(session: Session, plan: AnonymizationPlan): EarlierAnonymization | undefined {
  if (plan.changes !== 0 || plan.mentions.length > 0) return undefined;
  const previous = previousAnonymization(session.audit, plan.subject, plan.subject.key);
  return { subject: plan.subject.name, key: plan.subject.key, ...(previous ? { at: previous.at, auditEntry: previous.auditEntry } : {}) };
}

/** Nothing matched `value`, but a tombstone says whose it was: that person was erased, not missing. */
export function erasureOfValue(session: Session, value: string, options: LookupOptions = {}): EarlierAnonymization | undefined {
  const erased = tombstoneAmong(session, value, options);
  return erased ? { subject: erased.subject.name, at: erased.tombstone.at, auditEntry: erased.tombstone.auditEntry } : undefined;
}

/** "already anonymized on 2026-11-25, audit entry 42", or without the date when the trail does not say. */
export function describeEarlier(earlier: EarlierAnonymization): string {
  return `already anonymized${earlier.at ? ` on ${earlier.at.slice(0, 10)}, audit entry ${earlier.auditEntry}` : ''}`;
}

/**
 * The person needs nothing done: their rows hold what the strategies would write, or their
 * identifiers are gone and a tombstone says they were erased. Recorded as such, so that a
 * repeated request is visible in the trail without a second, empty anonymization.
 */
export function recordAlreadyAnonymized(session: Session, earlier: EarlierAnonymization, command = 'anonymize'): number {
  return session.audit.recordEvent({
    operator: session.operator,
    command,
    action: 'anonymize',
    requestId: randomUUID(),
    subject: earlier.key !== undefined ? { name: earlier.subject, key: earlier.key } : null,
    dryRun: false,
    outcome: 'ok',
    tables: {},
    detail: { alreadyAnonymized: true, ...(earlier.auditEntry !== undefined ? { anonymizedBy: earlier.auditEntry } : {}) },
  }).id;
}

/**
 * Applies the plan in one transaction. Rows are read again inside it, so what is
 * anonymized is what belongs to the person at commit time, not at planning time.
 * The audit intent is written before the transaction and its outcome after.
 */
export async function executeAnonymization(session: Session, plan: AnonymizationPlan, options: ExecuteOptions = {}): Promise<AnonymizationReceipt> {
  const command = options.command ?? 'anonymize';
  const intent = {
    operator: session.operator,
    command,
    action: 'anonymize',
    requestId: plan.requestId,
    subject: { name: plan.subject.name, key: plan.subject.key },
    dryRun: false,
    tables: auditTables(plan.tables),
    detail: options.auditDetail ?? null,
  };
  const done = await runErasure(session, intent, `${plan.subject.table} ${showKey(plan.subject.key)}`, options, async (trx, attempts) => {
    const applied = await applyInTransaction(trx, session, plan.match, options);
    return {
      value: applied.mentions,
      tables: applied.applied,
      files: applied.files,
      detail: outcomeDetail(options, applied.mentions, attempts),
      pending: { ...pendingTombstones(session, plan.match.subject, applied.before), ...pendingSuppressions(session, plan.match.subject, applied.before) },
    };
  });
  return {
    requestId: plan.requestId,
    auditEntry: done.auditEntry,
    subject: plan.subject,
    tables: done.tables,
    mentionsRedacted: done.value.length,
    notes: done.notes,
    ...(done.files ? { files: done.files } : {}),
  };
}

/** What one attempt of an erasure's transaction did, for its outcome. */
export interface ErasureAttempt<T> {
  value: T;
  tables: PlannedTable[];
  /** The files the changed and deleted rows named: listed in the transaction, deleted after it. */
  files: FileRef[];
  detail: AuditDetail | null;
  /** Tombstones and suppression hashes, written with the outcome. */
  pending?: Pick<PendingOutcome, 'tombstones' | 'suppressions'>;
}

/**
 * The one way an erasure (a person's, a record's) changes the database: the audit intent
 * before; `work` in one transaction that a conflict runs again from the start, reading
 * everything afresh; its files listed, the commit marker and the prepared outcome last in it
 * (a crash after the commit loses nothing: reconcileInterrupted completes the intent); the
 * outcome after, then the files deleted and the database's after-change step. A failure is
 * recorded and said as rolled back, naming the erasure by `label` (a table and a key).
 */
export async function runErasure<T>(
  session: Session,
  intentFields: IntentFields,
  label: string,
  options: Pick<ExecuteOptions, 'signal' | 'finish' | 'vacuum'>,
  work: (trx: Knex.Transaction, attempts: number) => Promise<ErasureAttempt<T>>,
): Promise<{ value: T; tables: PlannedTable[]; auditEntry: number; notes: string[]; files?: FilesDeleted }> {
  const audit = session.audit;
  await ensureCommitTable(session.knex);
  await prepareFileQueue(session);
  const intent = audit.recordIntent(intentFields);
  let done: ErasureAttempt<T>;
  let files: ListedFiles = { queued: 0, refused: [] };
  let attempts = 0;
  try {
    done = await retryOnConflict(
      (attempt) => (attempts = attempt),
      options.signal,
      () =>
        session.knex.transaction(async (trx) => {
          const attempt = await work(trx, attempts);
          if (options.signal?.aborted) throw new InterruptedError('Interrupted before the anonymization committed; nothing was changed.');
          // Listed in the transaction, deleted after it: a rollback keeps every file, a crash leaves the list.
          files = await queueFileDeletions(trx, session.map, intentFields.requestId, attempt.files);
          await markCommitted(trx, intent.hash);
          audit.prepareOutcome(intent, { tables: auditTables(attempt.tables), detail: attempt.detail, ...attempt.pending });
          crashPoint('before-commit');
          return attempt;
        }),
    );
  } catch (error) {
    const interrupted = error instanceof InterruptedError;
    audit.recordOutcome(intent, { outcome: interrupted ? 'cancelled' : 'failed', tables: {}, detail: { ...intentFields.detail, ...errorFacts(error) } });
    if (error instanceof LetheError) throw error;
    throw new LetheError(`Anonymization of ${label} failed and was rolled back${codeSuffix(error)}; nothing was changed.`, 1, undefined, { cause: error });
  }
  crashPoint('after-commit');
  const outcome = audit.recordOutcome(intent, { outcome: 'ok', tables: auditTables(done.tables), detail: done.detail });
  await forgetCommit(session.knex, intent.hash);
  const deleted = await deleteQueuedFiles(session, intentFields.requestId, intentFields.command, files);
  const notes = options.finish === false ? [] : await finishChanges(session, touchedTables(done.tables), options.vacuum);
  return { value: done.value, tables: done.tables, auditEntry: outcome.id, notes, ...(files.queued + files.refused.length > 0 ? { files: deleted } : {}) };
}

function outcomeDetail(options: ExecuteOptions, mentions: string[], attempts: number): AuditDetail | null {
  const detail = { ...options.auditDetail, ...(mentions.length > 0 ? { mentions } : {}), ...(attempts > 1 ? { attempts } : {}) };
  return Object.keys(detail).length ? detail : null;
}

/** The person's tombstones, to be written with the outcome: the identifiers of their row as it was. */
export function pendingTombstones(session: Session, subject: SubjectMapping, before: Row | undefined): Pick<PendingOutcome, 'tombstones'> {
  if (!subject.tombstones || !session.tombstones || !before) return {};
  return { tombstones: { subject: subject.name, digests: rowDigests(session, session.tombstones, subject, before) } };
}

export function touchedTables(tables: PlannedTable[]): string[] {
  return tables.filter((t) => t.action !== 'keep' && t.rows > 0 && (t.action === 'delete' || t.columns.length > 0)).map((t) => t.table);
}

/** After personal data changed: make sure old values do not live on in the database's files, or say where they do. */
export function finishChanges(session: Session, tables: string[], vacuum = false): Promise<string[]> {
  return tables.length === 0 ? Promise.resolve([]) : session.dialect.afterPersonalDataChange(session.knex, tables, { vacuum });
}

/** Applies the anonymization; returns what was done and the person's row as it was before. */
async function applyInTransaction(
  trx: Knex.Transaction,
  session: Session,
  match: SubjectMatch,
  options: ExecuteOptions,
): Promise<{ applied: PlannedTable[]; before: Row | undefined; mentions: string[]; files: FileRef[] }> {
  const { map } = session;
  const signal = options.signal;
  // Locked as read: what others add below the person's rows meanwhile waits for this commit.
  const collected = await collectSubjectData(trx, map, match, { trx, dialect: session.dialect });
  const traits = subjectTraits(map, collected);
  const files = await eraseCollectedRows(trx, session, collected, traits, signal);
  // `traits` were read before anything changed, so they still hold the person's e-mail and name.
  const mentions = options.mentions ? await redactMentionRows(trx, session, traits, collected) : [];
  if (signal?.aborted) throw new InterruptedError('Interrupted before the anonymization committed; nothing was changed.');
  return { applied: collected.map(plannedTable), before: collected[0]?.rows[0], mentions, files };
}

/**
 * The write step of an erasure, inside its transaction: each collected row is rewritten or
 * deleted as its table's onErase says, with `traits` for redact. A person's erasure and a
 * record's (`anonymize --record`) share it.
 */
export async function eraseCollectedRows(
  trx: Knex.Transaction,
  session: Session,
  collected: TableRows[],
  traits: SubjectTraits | ((table: TableMapping, row: Row) => SubjectTraits),
  signal?: AbortSignal,
): Promise<FileRef[]> {
  const traitsOf = typeof traits === 'function' ? traits : () => traits;
  const { map, schema } = session;
  // The files the rows name, as read before they change: deleted once the transaction commits (queueFileDeletions).
  const files = collected.flatMap(({ table, rows }) => (table.onErase === 'keep' ? [] : fileRefsOf(map, schema, table, rows)));
  for (const tableRows of collected) {
    const { table, rows } = tableRows;
    if (signal?.aborted) throw new InterruptedError('Interrupted before the anonymization committed; nothing was changed.');
    if (table.onErase !== 'anonymize') continue;
    if (tableRows.unread) {
      await writeByLinks(trx, session, tableRows, (query) => query.update(constantValues(table)!));
      continue;
    }
    if (rows.length === 0) continue;
    const columns = personalColumns(table);
    if (columns.length === 0) continue;
    const constants = constantValues(table);
    if (constants) {
      // The same values for every row: one UPDATE per list of keys.
      await writeByKeys(trx, tableRows, (query) => query.update(constants));
      continue;
    }
    const updates = rows.map((row) => ({ key: keyOf(table.keyColumns, row), values: maskedValues(map, schema, table, row, traitsOf(table, row)) }));
    const live = schema.get(table.name)!;
    await session.dialect.updateRowsByKey(
      trx,
      table.name,
      keyColumnsOf(live, table),
      columns.map((c) => live.columns.get(c.name)!),
      updates,
    );
  }
  // Children before parents, so no foreign key ever points at a deleted row.
  for (const tableRows of [...collected].reverse()) {
    const { table } = tableRows;
    if (table.onErase !== 'delete') continue;
    if (signal?.aborted) throw new InterruptedError('Interrupted before the anonymization committed; nothing was changed.');
    if (tableRows.unread) {
      await writeByLinks(trx, session, tableRows, (query) => query.delete());
      continue;
    }
    await writeByKeys(trx, tableRows, (query) => query.delete());
  }
  return files;
}

/** Runs `write` (an UPDATE or DELETE) on the rows that were read, by their keys, one statement per list of keys. */
async function writeByKeys(trx: Knex.Transaction, { table, rows }: TableRows, write: (query: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<void> {
  for (const chunk of chunks(
    rows.map((r) => keyOf(table.keyColumns, r)),
    KEYS_PER_STATEMENT,
  ))
    await write(whereKeyIn(trx(table.name), table.keyColumns, chunk));
}

/**
 * Writes the rows of a table that was not read (TableRows.unread) by its link, each statement
 * returning the keys it wrote, and sets `written` to those keys, in key order.
 */
async function writeByLinks(
  trx: Knex.Transaction,
  session: Session,
  tableRows: TableRows,
  write: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<void> {
  const { table } = tableRows;
  const link = tableRows.unread!;
  const keys: RowKey[] = [];
  for (const chunk of chunks(link.keys, KEYS_PER_STATEMENT)) {
    const statement = write(whereValueIn(trx(table.name), link.column, chunk as KeyPart[]));
    for (const key of await session.dialect.writeReturning!(statement, table.keyColumns)) keys.push(key);
  }
  tableRows.written = keys.sort(compareKeys);
  delete tableRows.unread;
}

/** Rewrites the person's mentions in other rows' free text; returns `table.column:key` of each row (no values). */
async function redactMentionRows(trx: Knex.Transaction, session: Session, traits: SubjectTraits, own: TableRows[]): Promise<string[]> {
  const rows = await scanMentions(trx, session.dialect, session.map, traits, own);
  const byColumn = new Map<string, typeof rows>();
  for (const row of rows) byColumn.set(`${row.table}\u0000${row.column}`, [...(byColumn.get(`${row.table}\u0000${row.column}`) ?? []), row]);
  for (const group of byColumn.values()) {
    const { table, column } = group[0]!;
    const live = session.schema.get(table)!;
    const updates = group.map((r) => ({ key: r.key, values: { [column]: redactMentions(r.text, traits) } }));
    await session.dialect.updateRowsByKey(trx, table, keyColumnsOf(live, session.map.tables.get(table)!), [live.columns.get(column)!], updates);
  }
  return rows.map((r) => `${r.table}.${r.column}:${showKey(r.key)}`);
}

export function plannedTable({ table, rows, written }: TableRows): PlannedTable {
  const columns =
    table.onErase === 'anonymize'
      ? personalColumns(table).map((c) => {
          const strategy = strategyFor(c);
          return { name: c.name, strategy: strategy.describe(), pseudonymous: strategy.pseudonymous };
        })
      : [];
  const keys = written ?? rows.map((r) => keyOf(table.keyColumns, r));
  return { table: table.name, action: table.onErase, rows: keys.length, keys, columns };
}

export function auditTables(tables: PlannedTable[]): AuditTables {
  return Object.fromEntries(
    tables.map((t) => [t.table, { action: t.action, rows: t.rows, keys: t.keys, ...(t.columns.length ? { columns: t.columns.map((c) => c.name) } : {}) }]),
  );
}
