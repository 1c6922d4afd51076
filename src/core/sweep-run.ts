import type { Knex } from 'knex';
import { digestKeys, type AuditKey, type AuditTableAction, type AuditTableRecord } from '../audit/index.js';
import { personalColumns, type TableMapping } from '../config/data-map.js';
import { JobLockedError, LetheError } from '../errors.js';
import { finishChanges } from './anonymize.js';
import { erasePeople } from './erase-people.js';
import { codeSuffix, errorFacts } from './error-facts.js';
import { stopRequested, type StopConditions, type StopReason } from './event-loop.js';
import { changesRow, maskedValues } from './column-masking.js';
import { prepareSweepState, writeProgress, writeWatermark } from '../db/sweep-state.js';
import { COMMIT_TABLE, ensureCommitTable, forgetCommit, markCommitted } from '../db/commit-marker.js';
import { CONFLICT_ATTEMPTS, isTransientConflict } from '../db/conflicts.js';
import { pauseBeforeRetry } from './conflict-retry.js';
import type { Session } from './session.js';
import { chunks, KEYS_PER_STATEMENT } from './subject-data.js';
import { fixedBatchSize, LARGEST_KEY_BATCH, LARGEST_ROW_BATCH, LARGEST_SPAN_BATCH, timedBatchSize } from './batch-size.js';
import { heapBound } from './heap-bound.js';
import type { Row, RowKey } from './subject-lookup.js';
import { keyColumnsOf, keyOf, orderByKey, whereKeyBeyond, whereKeyIn, whereValueIn, type KeyPart } from '../db/row-key.js';
import {
  deleteQueuedFiles,
  fileRefsOf,
  prepareFileQueue,
  queueFileDeletions,
  rowsForFiles,
  type FileRef,
  type FilesDeleted,
  type ListedFiles,
} from './file-deletion.js';
import { alreadyAnonymized, constantOf, dueRows, inactiveSubjects, type SweepPlan, type SweepTask } from './sweep-plan.js';

export interface SweepOptions extends StopConditions {
  /** Rows (or people) per batch; absent, batch sizes follow the time batches take (timedBatchSize). */
  batchSize?: number;
  /** Wait this long between batches, to spare a busy database. */
  pauseMs?: number;
  vacuum?: boolean;
  onProgress?: (progress: TaskProgress) => void;
}

export interface TaskProgress {
  task: SweepTask;
  /** Rows (or people) looked at so far. */
  done: number;
  /** Rows changed or deleted (including rows deleted below a deleted parent, and every row of the people anonymized for inactivity). */
  changed: number;
  /** inactive: people anonymized. */
  people?: number;
  batches: number;
  seconds: number;
}

export interface TaskResult extends TaskProgress {
  complete: boolean;
  /** What changed, per table, with the action taken there (for a delete: its table and the tables below it); the task's audit record. */
  tables: Record<string, { action: AuditTableAction; rows: number }>;
  /** Files of delete-file columns the task deleted after its batches committed (when its rows named any). */
  files?: FilesDeleted;
}

/** Why and where a sweep stopped before the end. */
export interface SweepStop {
  reason: StopReason;
  /** The task it stopped in (absent when it stopped before the first one). */
  table?: string;
  action?: SweepTask['action'];
}

export interface SweepSummary {
  requestId: string;
  now: Date;
  tasks: TaskResult[];
  totals: { changed: number; batches: number; seconds: number };
  /** Why the sweep stopped before the end, if it did. */
  stopped?: SweepStop;
  notes: string[];
}

/** Another sweep holds the job lock on this database: exit 5 (ExitCode.locked), nothing done. */
export class SweepLockedError extends JobLockedError {}

/**
 * Runs the plan in batches of bounded size, each its own transaction, in primary-key
 * order (keyset). Every batch writes an audit intent before it commits and an outcome
 * after; a task that finishes records its cutoff, which the next sweep starts from.
 */
export async function executeSweep(session: Session, plan: SweepPlan, options: SweepOptions): Promise<SweepSummary> {
  const { knex, dialect, map, audit } = session;
  const lock = await dialect.tryJobLock(knex, 'sweep', map.database.connection);
  if (!lock) {
    throw new SweepLockedError(
      `Another lethe sweep is running on ${dialect.describeTarget(map.database.connection)}; nothing was done.`,
      'Let it finish, or run this one later (a sweep holds its lock until it ends).',
    );
  }
  const started = Date.now();
  const base = { operator: session.operator, command: 'sweep', action: 'sweep', requestId: plan.requestId, subject: null, dryRun: false };
  // The job's entries carry totals; each table and action has an entry of its own (recordTask).
  await ensureCommitTable(knex);
  await prepareFileQueue(session);
  const job = audit.recordIntent({ ...base, tables: {}, detail: { now: plan.now.toISOString(), due: dueList(plan) } });
  const results: TaskResult[] = [];
  let stopped: SweepStop | undefined;
  try {
    for (const task of plan.tasks) {
      const { result, stop } = await runTask(session, plan, task, options);
      results.push(result);
      recordTask(session, plan, result);
      if (stop) {
        stopped = { reason: stop, table: task.table, action: task.action };
        break;
      }
    }
    // Nothing due at all: a signal or an exhausted budget still stops the job here.
    if (plan.tasks.length === 0) {
      const stop = await stopRequested(options);
      if (stop) stopped = { reason: stop };
    }
  } catch (error) {
    audit.recordOutcome(job, { outcome: 'failed', tables: {}, detail: { ...jobTotals(results), ...errorFacts(error) } });
    throw error;
  } finally {
    await forgetSettledMarkers(session, plan);
    await lock.release();
  }
  const touched = [...new Set(results.flatMap((r) => Object.entries(r.tables).flatMap(([name, t]) => (t.rows > 0 ? [name] : []))))];
  const notes = await finishChanges(session, touched, options.vacuum);
  const { changed, batches } = jobTotals(results);
  const totals = { changed, batches, seconds: (Date.now() - started) / 1000 };
  audit.recordOutcome(job, {
    outcome: stopped ? 'cancelled' : 'ok',
    tables: {},
    detail: { ...jobTotals(results), ...(stopped ? { stopped: stopped.reason } : {}) },
  });
  return { requestId: plan.requestId, now: plan.now, tasks: results, totals, ...(stopped ? { stopped } : {}), notes };
}

/** The job's totals for its audit outcome: rows changed (every task, the inactive pass included), by action. */
function jobTotals(results: TaskResult[]): { changed: number; anonymized: number; deleted: number; people: number; batches: number } {
  let anonymized = 0;
  let deleted = 0;
  for (const result of results) {
    for (const record of Object.values(result.tables)) {
      if (record.action === 'delete') deleted += record.rows;
      else if (record.action === 'anonymize') anonymized += record.rows;
    }
  }
  const people = results.reduce((n, r) => n + (r.people ?? 0), 0);
  return { changed: anonymized + deleted, anonymized, deleted, people, batches: results.reduce((n, r) => n + r.batches, 0) };
}

/** A dry run, or a night with nothing due: the audit trail still shows that the job ran and what it counted. */
export function recordSweepWithoutChanges(session: Session, plan: SweepPlan, dryRun: boolean): void {
  session.audit.recordEvent({
    operator: session.operator,
    command: 'sweep',
    action: 'sweep',
    requestId: plan.requestId,
    subject: null,
    dryRun,
    outcome: 'ok',
    tables: {},
    detail: { now: plan.now.toISOString(), due: dueList(plan) },
  });
}

/** The plan as non-personal text for the job's entries: `table action due` (`-` where a --yes run did not count). */
export function dueList(plan: SweepPlan): string[] {
  return plan.tasks.map((t) => `${t.table} ${t.action} ${t.due ?? '-'}`);
}

/** One entry per table and action of the sweep, with exactly what changed (written whether the task finished or stopped). */
function recordTask(session: Session, plan: SweepPlan, result: TaskResult): void {
  const { task } = result;
  session.audit.recordEvent({
    operator: session.operator,
    command: 'sweep',
    action: 'sweep-table',
    requestId: plan.requestId,
    subject: null,
    dryRun: false,
    outcome: result.complete ? 'ok' : 'cancelled',
    tables: result.tables,
    detail: {
      table: task.table,
      rule: task.action,
      cutoff: task.cutoff.toISOString(),
      complete: result.complete,
      batches: result.batches,
      ...(result.people !== undefined ? { people: result.people } : {}),
      ...(task.digest && result.complete ? { mapDigest: task.digest } : {}),
    },
  });
}

async function runTask(session: Session, plan: SweepPlan, task: SweepTask, options: SweepOptions): Promise<{ result: TaskResult; stop?: StopReason }> {
  const started = Date.now();
  const progress: TaskResult = {
    task,
    done: 0,
    changed: 0,
    batches: 0,
    seconds: 0,
    complete: false,
    tables: {},
    ...(task.action === 'inactive' ? { people: 0 } : {}),
  };
  const table = session.map.tables.get(task.table)!;
  const step = task.action === 'delete' ? deleteBatch : task.action === 'inactive' ? inactiveBatch : task.setBased ? anonymizeBatchInSql : anonymizeBatchInJs;
  const sizer = options.batchSize !== undefined ? fixedBatchSize(options.batchSize) : timedBatchSize(largestBatch(task, step));
  // Each anonymize batch records how far the pass got, in its own transaction.
  if (task.action !== 'delete') await prepareSweepState(session.knex);
  let after: RowKey | undefined;
  let stop: StopReason | undefined;
  // What a batch leaves behind is collected every few batches, not when V8 gets to it (see heapBound).
  const boundHeap = heapBound();
  for (;;) {
    // A batch boundary: let a pending signal or timer run (SQLite never yields otherwise).
    stop = await stopRequested(options);
    if (stop) break;
    const size = sizer.size;
    const batchStarted = performance.now();
    const batch = await step(session, plan, table, task, after, size, options);
    if (batch) sizer.observe(batch.spanned ?? batch.looked, performance.now() - batchStarted);
    boundHeap();
    if (!batch) {
      progress.complete = true;
      break;
    }
    after = batch.last;
    progress.done += batch.looked;
    progress.changed += Object.values(batch.tables).reduce((n, t) => n + t.rows, 0);
    if (batch.people !== undefined) progress.people = (progress.people ?? 0) + batch.people;
    progress.batches += 1;
    if (batch.files) progress.files = sumFiles(progress.files, batch.files);
    for (const [name, record] of Object.entries(batch.tables)) {
      const before = progress.tables[name];
      progress.tables[name] = { action: record.action, rows: (before?.rows ?? 0) + record.rows };
    }
    progress.seconds = (Date.now() - started) / 1000;
    options.onProgress?.(progress);
    if (batch.stopped) {
      stop = batch.stopped;
      break;
    }
    if (batch.final) {
      progress.complete = true;
      break;
    }
    if (options.pauseMs) await pause(options.pauseMs, options.signal);
  }
  progress.seconds = (Date.now() - started) / 1000;
  // A task that changed nothing still says so for its own table.
  if (!progress.tables[table.name]) progress.tables[table.name] = { action: task.action === 'delete' ? 'delete' : 'anonymize', rows: 0 };
  if (progress.complete && task.action !== 'delete') {
    // The watermark: rows before this cutoff are done, for as long as the strategies stay the
    // same; for the inactive pass it ends the progress record (people are read afresh each night).
    await writeWatermark(session.knex, { table: table.name, action: task.action, digest: task.digest!, cutoff: task.cutoff });
  }
  return { result: progress, ...(stop ? { stop } : {}) };
}

interface BatchResult {
  /** The last primary key of the batch: the next batch starts after it. */
  last: RowKey;
  looked: number;
  /** A batch that spanned rows of the table rather than due rows: how many (what its size counts). */
  spanned?: number;
  /** Nothing is left after this batch (it spanned the table's last rows). */
  final?: boolean;
  /** Rows changed or deleted, per table, with the action. */
  tables: Record<string, { action: AuditTableAction; rows: number }>;
  /** inactive: people anonymized. */
  people?: number;
  /** Set when the step stopped inside the batch, at a boundary of its own (between two people). */
  stopped?: StopReason;
  files?: FilesDeleted;
}

type BatchStep = (
  session: Session,
  plan: SweepPlan,
  table: TableMapping,
  task: SweepTask,
  after: RowKey | undefined,
  size: number,
  stop: StopConditions,
) => Promise<BatchResult | undefined>;

/**
 * Reads the batch, computes new values in JS (redact, template, ...), writes only rows that
 * change. The rows are read inside the batch's transaction and locked for it, so a value
 * that another job (an erasure) writes meanwhile is never overwritten with one computed
 * from what was there before: the erasure waits for the batch, or the batch reads the erasure's result.
 */
const anonymizeBatchInJs: BatchStep = async (session, plan, table, task, after, size) => {
  const { dialect, schema } = session;
  const live = schema.get(table.name)!;
  const columns = personalColumns(table);
  let listed: ListedFiles = { queued: 0, refused: [] };
  const batch = await inAuditedTransaction(session, plan, table.name, 'anonymize', async (trx, intend) => {
    // Each attempt lists afresh: a rolled-back attempt listed nothing.
    listed = { queued: 0, refused: [] };
    const rows: Row[] = await dialect.readForUpdate(
      trx,
      table.name,
      table.keyColumns,
      page(dueRows(trx, dialect, table, task).select('*'), table, after, size),
    );
    if (rows.length === 0) return undefined;
    const changing: Row[] = [];
    const updates = rows.flatMap((row) => {
      const values = maskedValues(session.map, schema, table, row);
      if (!changesRow(values, row)) return [];
      changing.push(row);
      return [{ key: keyOf(table.keyColumns, row), values }];
    });
    const keys = rows.map((r) => keyOf(table.keyColumns, r));
    if (updates.length > 0) {
      intend(
        updates.map((u) => u.key),
        keys,
      );
      await dialect.updateRowsByKey(
        trx,
        table.name,
        keyColumnsOf(live, table),
        columns.map((c) => live.columns.get(c.name)!),
        updates,
      );
      // The files these rows name go once the batch commits; a rollback keeps them all.
      listed = await queueFileDeletions(trx, session.map, plan.requestId, fileRefsOf(session.map, schema, table, changing));
    }
    await recordProgress(trx, table, task, keys.at(-1)!);
    return { last: keys.at(-1)!, looked: rows.length, changed: updates.length };
  });
  if (!batch) return undefined;
  const files = await deleteQueuedFiles(session, plan.requestId, 'sweep', listed);
  return { last: batch.last, looked: batch.looked, tables: { [table.name]: { action: 'anonymize', rows: batch.changed } }, ...withFiles(files) };
};

function sumFiles(sum: FilesDeleted | undefined, more: FilesDeleted): FilesDeleted {
  if (!sum) return more;
  return {
    deleted: sum.deleted + more.deleted,
    missing: sum.missing + more.missing,
    failed: sum.failed + more.failed,
    refused: [...sum.refused, ...more.refused],
  };
}

/** A batch's file counts, when it had any files to delete. */
function withFiles(files: FilesDeleted): { files?: FilesDeleted } {
  return files.deleted + files.missing + files.failed + files.refused.length > 0 ? { files } : {};
}

/**
 * Constants only: one UPDATE over the batch's key range, which the dialect writes and reports
 * the changed keys of; the intent is recorded inside the batch's transaction, before it commits.
 */
const anonymizeBatchInSql: BatchStep = async (session, plan, table, task, after, size) => {
  const { dialect } = session;
  const values = Object.fromEntries(personalColumns(table).map((c) => [c.name, constantOf(c)]));
  const batch = await inAuditedTransaction(session, plan, table.name, 'anonymize', async (trx, intend) => {
    const written = await dialect.updateKeysetBatch(trx, {
      table: table.name,
      pending: () => dueRows(trx, dialect, table, task),
      rows: () => trx(table.name),
      keyColumns: table.keyColumns,
      after,
      limit: size,
      values,
      spanRows: task.spansRows === true,
    });
    // A span with nothing due writes nothing, not even its progress: its commit costs nothing,
    // and a stopped sweep reads such spans again rather than the rows it changed.
    if (written && written.changed.length > 0) {
      intend(written.changed, written.changed);
      await recordProgress(trx, table, task, written.last);
    }
    return written;
  });
  if (!batch) return undefined;
  return {
    last: batch.last,
    looked: batch.changed.length,
    ...(batch.spanned !== undefined ? { spanned: batch.spanned } : {}),
    ...(batch.final ? { final: true } : {}),
    tables: { [table.name]: { action: 'anonymize', rows: batch.changed.length } },
  };
};

/** The most a batch of `step` takes: only keys are held by a batch of constants or deletes, rows by the others. */
function largestBatch(task: SweepTask, step: BatchStep): number {
  if (step === anonymizeBatchInSql) return task.spansRows ? LARGEST_SPAN_BATCH : LARGEST_KEY_BATCH;
  return step === deleteBatch ? LARGEST_KEY_BATCH : LARGEST_ROW_BATCH;
}

/** Deletes a batch of rows past their period, after every row linked below them. */
const deleteBatch: BatchStep = async (session, plan, table, task, after, size) => {
  const { dialect, map } = session;
  const deleted: Record<string, number> = {};
  let listed: ListedFiles = { queued: 0, refused: [] };
  const keys = await inAuditedTransaction(session, plan, table.name, 'delete', async (trx, intend) => {
    // Counted afresh by each attempt: a rolled-back attempt deleted nothing.
    for (const name of Object.keys(deleted)) delete deleted[name];
    listed = { queued: 0, refused: [] };
    // Read inside the transaction and locked, afresh by each attempt: a row whose time changed
    // since it was found due (or that is no longer there) is not deleted, nor are the rows below it.
    const rows = await dialect.readForUpdate(
      trx,
      table.name,
      table.keyColumns,
      page(dueRows(trx, dialect, table, task).select(table.keyColumns), table, after, size),
    );
    const keys = rows.map((row) => keyOf(table.keyColumns, row));
    if (keys.length === 0) return keys;
    intend(keys, keys);
    const files: FileRef[] = [];
    await deleteWithDescendants(trx, session, table, keys, deleted, files);
    listed = await queueFileDeletions(trx, map, plan.requestId, files);
    return keys;
  });
  if (keys.length === 0) return undefined;
  const files = await deleteQueuedFiles(session, plan.requestId, 'sweep', listed);
  return {
    last: keys.at(-1)!,
    looked: keys.length,
    tables: Object.fromEntries(Object.entries(deleted).map(([name, rows]) => [name, { action: 'delete' as const, rows }])),
    ...withFiles(files),
  };
};

/**
 * People inactive for their period, a batch of them at a time: each batch is one transaction
 * that reads who is due (a person active since, or anonymized meanwhile, is not), erases every
 * one of them whole, as `anonymize` would (see erasePeople), and records how far the pass
 * got, so a stopped sweep does not read those people again.
 */
const inactiveBatch: BatchStep = async (session, plan, table, task, after, size) => {
  const { dialect, map } = session;
  const subject = [...map.subjects.values()].find((s) => s.table === table.name)!;
  let looked = 0;
  let last: RowKey | undefined;
  const done = await erasePeople(
    session,
    subject,
    async (trx) => {
      // Locked as read (on SQLite, the write lock first): nobody changes them before the commit.
      const query = inactiveSubjects(trx, dialect, map, subject, task.cutoff, after, size, {
        schema: session.schema,
        ...(task.resume ? { resume: task.resume } : {}),
      });
      const rows = (await dialect.readForUpdate(trx, table.name, table.keyColumns, query)) as Row[];
      looked = rows.length;
      last = rows.length > 0 ? keyOf(table.keyColumns, rows.at(-1)!) : undefined;
      return rows.filter((row) => !alreadyAnonymized(session, table, row));
    },
    {
      command: 'sweep',
      job: plan.requestId,
      auditDetail: { sweep: plan.requestId },
      settled: settledMarkers(plan),
      beforeCommit: (trx) => writeProgress(trx, { table: table.name, action: 'inactive', digest: task.digest!, cutoff: task.cutoff, lastKey: last! }),
    },
  );
  if (last === undefined) return undefined;
  return { last, looked, tables: done.tables, people: done.people, ...(done.files ? withFiles(done.files) : {}) };
};

/**
 * The batch's transaction, with the audit intent written inside it once `work` knows the keys
 * (`intend`), so still before the commit, and the outcome after. A batch that changes
 * nothing writes no entries.
 */
async function inAuditedTransaction<T>(
  session: Session,
  plan: SweepPlan,
  table: string,
  action: 'anonymize' | 'delete',
  work: (trx: Knex.Transaction, intend: (changedKeys: RowKey[], batchKeys: RowKey[]) => void) => Promise<T>,
): Promise<T> {
  const settled = settledMarkers(plan);
  // A conflict with another transaction (a busy write lock, a deadlock) rolled the batch back
  // whole: its intent is completed as failed, and the batch runs again, read afresh.
  for (let attempt = 1; ; attempt += 1) {
    const audit = batchAudit(session, plan, table, action);
    let result: T;
    try {
      result = await session.knex.transaction(async (trx) => {
        // Markers of earlier batches whose outcomes are recorded go with this commit: no transaction of their own.
        if (settled.length > 0) await trx(COMMIT_TABLE).whereIn('intent', settled).delete();
        const value = await work(trx, audit.intend);
        // Last in the transaction: it committed exactly when this row did (see reconcileInterrupted).
        if (audit.intended()) await markCommitted(trx, audit.intentHash());
        return value;
      });
    } catch (error) {
      const failure = audit.intended() ? audit.failed(error) : error;
      if (!isTransientConflict(error) || attempt >= CONFLICT_ATTEMPTS) throw failure;
      await pauseBeforeRetry(attempt);
      continue;
    }
    settled.length = 0;
    if (audit.intended()) {
      audit.succeeded();
      settled.push(audit.intentHash());
    }
    return result;
  }
}

const markersOf = new WeakMap<SweepPlan, string[]>();

/** Commit markers of this sweep's batches whose outcomes are recorded, not yet removed. */
function settledMarkers(plan: SweepPlan): string[] {
  let list = markersOf.get(plan);
  if (!list) markersOf.set(plan, (list = []));
  return list;
}

/** At the end of a sweep: the last batch's marker, which no later batch removed. */
async function forgetSettledMarkers(session: Session, plan: SweepPlan): Promise<void> {
  for (const hash of settledMarkers(plan).splice(0)) await forgetCommit(session.knex, hash);
}

/** A batch's pair of audit entries: intent (rows, key range, key digest), then outcome. */
function batchAudit(session: Session, plan: SweepPlan, table: string, action: 'anonymize' | 'delete') {
  const base = { operator: session.operator, command: 'sweep', action: 'sweep-batch', requestId: plan.requestId, subject: null, dryRun: false };
  let intent: { id: number; hash: string } | undefined;
  let record: AuditTableRecord | undefined;
  return {
    intentHash: (): string => intent!.hash,
    intend(changedKeys: RowKey[], batchKeys: RowKey[]): void {
      record = { action, rows: changedKeys.length, keyRange: [batchKeys[0]!, batchKeys.at(-1)!] as [AuditKey, AuditKey], keyDigest: digestKeys(changedKeys) };
      intent = session.audit.append({ ...base, phase: 'intent', intentId: null, outcome: null, tables: { [table]: record }, detail: null });
    },
    intended: (): boolean => intent !== undefined,
    succeeded(): void {
      session.audit.append({ ...base, phase: 'outcome', intentId: intent!.id, outcome: 'ok', tables: { [table]: record! }, detail: null });
    },
    failed(error: unknown): LetheError {
      session.audit.append({ ...base, phase: 'outcome', intentId: intent!.id, outcome: 'failed', tables: {}, detail: errorFacts(error) });
      const [first, last] = record!.keyRange!;
      return new LetheError(
        `The sweep of ${table} failed in the batch of keys ${String(first)} to ${String(last)}, which was rolled back${codeSuffix(error)}.`,
        1,
        'Earlier batches stay applied; run the sweep again.',
        { cause: error },
      );
    },
  };
}

async function deleteWithDescendants(
  trx: Knex.Transaction,
  session: Session,
  table: TableMapping,
  keys: RowKey[],
  deleted: Record<string, number>,
  files: FileRef[],
): Promise<void> {
  const { map } = session;
  for (const child of map.tables.values()) {
    for (const link of child.parents.filter((p) => p.table === table.name)) {
      for (const chunk of chunks(keys, KEYS_PER_STATEMENT)) {
        // A link holds its parent's key, of one column (the map checks).
        const childKeys = ((await whereValueIn(trx(child.name).select(child.keyColumns), link.column, chunk as KeyPart[])) as Row[]).map((r) =>
          keyOf(child.keyColumns, r),
        );
        if (childKeys.length > 0) await deleteWithDescendants(trx, session, child, childKeys, deleted, files);
      }
    }
  }
  for (const chunk of chunks(keys, KEYS_PER_STATEMENT)) {
    // The files the rows name, read before they go.
    files.push(...fileRefsOf(map, session.schema, table, await rowsForFiles(trx, table, (query) => whereKeyIn(query, table.keyColumns, chunk))));
    deleted[table.name] = (deleted[table.name] ?? 0) + (await whereKeyIn(trx(table.name), table.keyColumns, chunk).delete());
  }
}

/** How far the task's pass got, inside the batch's transaction: a stopped sweep resumes after it. */
function recordProgress(trx: Knex.Transaction, table: TableMapping, task: SweepTask, last: RowKey): Promise<void> {
  return writeProgress(trx, {
    table: table.name,
    action: 'anonymize',
    digest: task.digest!,
    cutoff: task.cutoff,
    lastKey: last,
    ...(task.notBefore ? { from: task.notBefore } : {}),
  });
}

/** The next keyset page of `query`: up to `size` rows after `after`, in primary-key order. */
function page(query: Knex.QueryBuilder, table: TableMapping, after: RowKey | undefined, size: number): Knex.QueryBuilder {
  if (after !== undefined) whereKeyBeyond(query, table.keyColumns, after, '>');
  return orderByKey(query, table.keyColumns).limit(size);
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
