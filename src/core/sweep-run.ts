import type { Knex } from 'knex';
import { digestKeys, type AuditKey, type AuditTableRecord, type AuditTables } from '../audit/index.js';
import { personalColumns, type DataMap, type TableMapping } from '../config/data-map.js';
import { LetheError } from '../errors.js';
import { executeAnonymization, finishChanges, planForMatch } from './anonymize.js';
import { codeSuffix, errorFacts } from './error-facts.js';
import { changesRow, maskedValues } from './column-masking.js';
import { prepareSweepState, writeProgress, writeWatermark } from '../db/sweep-state.js';
import type { Session } from './session.js';
import { chunks } from './subject-data.js';
import type { Row, RowKey } from './subject-lookup.js';
import { alreadyAnonymized, constantOf, dueRows, inactiveSubjects, type SweepPlan, type SweepTask } from './sweep-plan.js';

export interface SweepOptions {
  batchSize: number;
  signal?: AbortSignal;
  /** Wait this long between batches, to spare a busy database. */
  pauseMs?: number;
  /** Stop at the first batch boundary after this time. */
  deadline?: Date;
  vacuum?: boolean;
  onProgress?: (progress: TaskProgress) => void;
}

export interface TaskProgress {
  task: SweepTask;
  /** Rows (or people) looked at so far. */
  done: number;
  /** Rows changed or deleted (including rows deleted below a deleted parent). */
  changed: number;
  batches: number;
  seconds: number;
}

export interface TaskResult extends TaskProgress {
  complete: boolean;
  /** Rows deleted per table, for deletes (the task's table and the tables below it). */
  deleted?: Record<string, number>;
}

export interface SweepSummary {
  requestId: string;
  now: Date;
  tasks: TaskResult[];
  totals: { changed: number; batches: number; seconds: number };
  /** Why the sweep stopped before the end, if it did. */
  stopped?: 'interrupted' | 'max-duration';
  notes: string[];
}

export class SweepLockedError extends LetheError {}

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
      1,
      'Let it finish, or run this one later (a sweep holds its lock until it ends).',
    );
  }
  const started = Date.now();
  const base = { operator: session.operator, command: 'sweep', requestId: plan.requestId, subject: null, dryRun: false };
  const job = audit.append({ ...base, action: 'sweep', phase: 'intent', intentId: null, outcome: null, tables: plannedTables(plan), detail: { now: plan.now.toISOString() } });
  const results: TaskResult[] = [];
  let stopped: SweepSummary['stopped'];
  try {
    for (const task of plan.tasks) {
      const result = await runTask(session, plan, task, options);
      results.push(result);
      if (!result.complete) {
        stopped = options.signal?.aborted ? 'interrupted' : 'max-duration';
        break;
      }
    }
  } catch (error) {
    audit.append({ ...base, action: 'sweep', phase: 'outcome', intentId: job.id, outcome: 'failed', tables: resultTables(results), detail: errorFacts(error) });
    throw error;
  } finally {
    await lock.release();
  }
  const touched = [...new Set(results.flatMap((r) => (r.changed > 0 ? [r.task.table, ...Object.keys(r.deleted ?? {})] : [])))];
  const notes = await finishChanges(session, touched, options.vacuum);
  const totals = {
    changed: results.reduce((n, r) => n + r.changed, 0),
    batches: results.reduce((n, r) => n + r.batches, 0),
    seconds: (Date.now() - started) / 1000,
  };
  audit.append({
    ...base,
    action: 'sweep',
    phase: 'outcome',
    intentId: job.id,
    outcome: stopped ? 'cancelled' : 'ok',
    tables: resultTables(results),
    detail: { changed: totals.changed, batches: totals.batches, ...(stopped ? { stopped } : {}) },
  });
  return { requestId: plan.requestId, now: plan.now, tasks: results, totals, ...(stopped ? { stopped } : {}), notes };
}

async function runTask(session: Session, plan: SweepPlan, task: SweepTask, options: SweepOptions): Promise<TaskResult> {
  const started = Date.now();
  const progress: TaskResult = { task, done: 0, changed: 0, batches: 0, seconds: 0, complete: false };
  const table = session.map.tables.get(task.table)!;
  const step =
    task.action === 'delete' ? deleteBatch : task.action === 'inactive' ? inactiveBatch : task.setBased ? anonymizeBatchInSql : anonymizeBatchInJs;
  // Each anonymize batch records how far the pass got, in its own transaction.
  if (task.action === 'anonymize') await prepareSweepState(session.knex);
  let after: RowKey | undefined;
  for (;;) {
    if (options.signal?.aborted || (options.deadline && Date.now() >= options.deadline.getTime())) break;
    const batch = await step(session, plan, table, task, after, options.batchSize);
    if (!batch) {
      progress.complete = true;
      break;
    }
    after = batch.last;
    progress.done += batch.looked;
    progress.changed += batch.changed;
    progress.batches += 1;
    if (batch.deleted) {
      progress.deleted ??= {};
      for (const [name, n] of Object.entries(batch.deleted)) progress.deleted[name] = (progress.deleted[name] ?? 0) + n;
    }
    progress.seconds = (Date.now() - started) / 1000;
    options.onProgress?.(progress);
    if (options.pauseMs) await pause(options.pauseMs, options.signal);
  }
  progress.seconds = (Date.now() - started) / 1000;
  if (progress.complete && task.action === 'anonymize') {
    // The watermark: rows before this cutoff are done, for as long as the strategies stay the same.
    await writeWatermark(session.knex, { table: table.name, action: 'anonymize', digest: task.digest!, cutoff: task.cutoff });
    session.audit.append({
      operator: session.operator,
      command: 'sweep',
      action: 'sweep-table',
      requestId: plan.requestId,
      phase: 'event',
      intentId: null,
      subject: null,
      dryRun: false,
      outcome: 'ok',
      tables: { [table.name]: { action: 'anonymize', rows: progress.changed } },
      detail: { table: table.name, action: 'anonymize', cutoff: task.cutoff.toISOString(), mapDigest: task.digest! },
    });
  }
  return progress;
}

interface BatchResult {
  /** The last primary key of the batch: the next batch starts after it. */
  last: RowKey;
  looked: number;
  changed: number;
  deleted?: Record<string, number>;
}

type BatchStep = (session: Session, plan: SweepPlan, table: TableMapping, task: SweepTask, after: RowKey | undefined, size: number) => Promise<BatchResult | undefined>;

/** Reads the batch, computes new values in JS (redact, template, ...), writes only rows that change. */
const anonymizeBatchInJs: BatchStep = async (session, plan, table, task, after, size) => {
  const { knex, dialect, schema } = session;
  const rows: Row[] = await page(dueRows(knex, dialect, table, task).select('*'), table, after, size);
  if (rows.length === 0) return undefined;
  const live = schema.get(table.name)!;
  const columns = personalColumns(table);
  const updates = rows.flatMap((row) => {
    const values = maskedValues(session.map, schema, table, row);
    return changesRow(values, row) ? [{ key: row[table.primaryKey] as RowKey, values }] : [];
  });
  const keys = rows.map((r) => r[table.primaryKey] as RowKey);
  await inAuditedBatch(
    session,
    plan,
    table.name,
    'anonymize',
    updates.map((u) => u.key),
    keys,
    (trx) => dialect.updateRowsByKey(trx, table.name, live.columns.get(table.primaryKey)!, columns.map((c) => live.columns.get(c.name)!), updates),
    (trx) => recordProgress(trx, table, task, keys.at(-1)!),
  );
  return { last: keys.at(-1)!, looked: rows.length, changed: updates.length };
};

/**
 * Constants only: one UPDATE over the batch's key range, which the dialect writes and reports
 * the changed keys of; the intent is recorded inside the batch's transaction, before it commits.
 */
const anonymizeBatchInSql: BatchStep = async (session, plan, table, task, after, size) => {
  const { dialect } = session;
  const values = Object.fromEntries(personalColumns(table).map((c) => [c.name, constantOf(c)]));
  const batch = await inAuditedTransaction(session, plan, table.name, 'anonymize', async (trx, intend) => {
    const written = await dialect.updateKeysetBatch(trx, { pending: () => dueRows(trx, dialect, table, task), primaryKey: table.primaryKey, after, limit: size, values });
    if (written && written.changed.length > 0) intend(written.changed, written.changed);
    if (written) await recordProgress(trx, table, task, written.last);
    return written;
  });
  if (!batch) return undefined;
  return { last: batch.last, looked: batch.changed.length, changed: batch.changed.length };
};

/** Deletes a batch of rows past their period, after every row linked below them. */
const deleteBatch: BatchStep = async (session, plan, table, task, after, size) => {
  const { knex, dialect, map } = session;
  const keys = (await dialect.readColumn(page(dueRows(knex, dialect, table, task).select(table.primaryKey), table, after, size))) as RowKey[];
  if (keys.length === 0) return undefined;
  const deleted: Record<string, number> = {};
  await inAuditedBatch(session, plan, table.name, 'delete', keys, keys, (trx) => deleteWithDescendants(trx, map, table, keys, deleted));
  const changed = Object.values(deleted).reduce((n, d) => n + d, 0);
  return { last: keys.at(-1)!, looked: keys.length, changed, deleted };
};

/** People inactive for their period: each is anonymized whole, in a transaction of their own, as `anonymize` would. */
const inactiveBatch: BatchStep = async (session, plan, table, task, after, size) => {
  const { knex, dialect, map } = session;
  const subject = [...map.subjects.values()].find((s) => s.table === table.name)!;
  const rows = await inactiveSubjects(knex, dialect, map, subject, task.cutoff, after, size);
  if (rows.length === 0) return undefined;
  let changed = 0;
  for (const row of rows.filter((r) => !alreadyAnonymized(session, table, r))) {
    const key = row[table.primaryKey] as RowKey;
    const anonymization = await planForMatch(session, { subject, key, row, matchedBy: ['inactivity'] });
    await executeAnonymization(session, anonymization, { command: 'sweep', finish: false, auditDetail: { sweep: plan.requestId } });
    changed += 1;
  }
  return { last: rows.at(-1)![table.primaryKey] as RowKey, looked: rows.length, changed };
};

/** Audit intent, the batch's transaction, audit outcome: a killed sweep leaves each batch whole or absent. */
async function inAuditedBatch(
  session: Session,
  plan: SweepPlan,
  table: string,
  action: 'anonymize' | 'delete',
  changedKeys: RowKey[],
  batchKeys: RowKey[],
  work: (trx: Knex.Transaction) => Promise<void>,
  progress?: (trx: Knex.Transaction) => Promise<void>,
): Promise<void> {
  const audit = batchAudit(session, plan, table, action);
  audit.intend(changedKeys, batchKeys);
  try {
    if (changedKeys.length > 0 || progress) {
      await session.knex.transaction(async (trx) => {
        if (changedKeys.length > 0) await work(trx);
        await progress?.(trx);
      });
    }
  } catch (error) {
    throw audit.failed(error);
  }
  audit.succeeded();
}

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
  const audit = batchAudit(session, plan, table, action);
  let result: T;
  try {
    result = await session.knex.transaction((trx) => work(trx, audit.intend));
  } catch (error) {
    throw audit.intended() ? audit.failed(error) : error;
  }
  if (audit.intended()) audit.succeeded();
  return result;
}

/** A batch's pair of audit entries: intent (rows, key range, key digest), then outcome. */
function batchAudit(session: Session, plan: SweepPlan, table: string, action: 'anonymize' | 'delete') {
  const base = { operator: session.operator, command: 'sweep', action: 'sweep-batch', requestId: plan.requestId, subject: null, dryRun: false };
  let intent: { id: number } | undefined;
  let record: AuditTableRecord | undefined;
  return {
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
        'Earlier batches stay applied; run the sweep again (with --debug for the database error).',
        { cause: error },
      );
    },
  };
}

async function deleteWithDescendants(trx: Knex.Transaction, map: DataMap, table: TableMapping, keys: RowKey[], deleted: Record<string, number>): Promise<void> {
  for (const child of map.tables.values()) {
    for (const link of child.parents.filter((p) => p.table === table.name)) {
      for (const chunk of chunks(keys, 1000)) {
        const childKeys = (await trx(child.name).select(child.primaryKey).whereIn(link.column, chunk)).map((r: Row) => r[child.primaryKey] as RowKey);
        if (childKeys.length > 0) await deleteWithDescendants(trx, map, child, childKeys, deleted);
      }
    }
  }
  for (const chunk of chunks(keys, 1000)) {
    deleted[table.name] = (deleted[table.name] ?? 0) + (await trx(table.name).whereIn(table.primaryKey, chunk).delete());
  }
}

/** How far the task's pass got, inside the batch's transaction: a stopped sweep resumes after it. */
function recordProgress(trx: Knex.Transaction, table: TableMapping, task: SweepTask, last: RowKey): Promise<void> {
  return writeProgress(trx, { table: table.name, action: 'anonymize', digest: task.digest!, cutoff: task.cutoff, lastKey: last, ...(task.notBefore ? { from: task.notBefore } : {}) });
}

/** The next keyset page of `query`: up to `size` rows after `after`, in primary-key order. */
function page(query: Knex.QueryBuilder, table: TableMapping, after: RowKey | undefined, size: number): Knex.QueryBuilder {
  if (after !== undefined) query.where(table.primaryKey, '>', after);
  return query.orderBy(table.primaryKey).limit(size);
}

function plannedTables(plan: SweepPlan): AuditTables {
  return sweepAuditTables(plan.tasks.map((t) => ({ table: t.table, action: t.action, rows: t.due })));
}

function resultTables(results: TaskResult[]): AuditTables {
  return sweepAuditTables(
    results.flatMap((r) =>
      r.deleted ? Object.entries(r.deleted).map(([table, rows]) => ({ table, action: 'delete' as const, rows })) : [{ table: r.task.table, action: r.task.action, rows: r.changed }],
    ),
  );
}

/**
 * A job's tables for the audit trail: rows per table, and the strongest action taken on
 * it (a table both anonymized and deleted from counts as delete). People anonymized for
 * inactivity have entries of their own.
 */
export function sweepAuditTables(counts: { table: string; action: SweepTask['action']; rows: number }[]): AuditTables {
  const tables: AuditTables = {};
  for (const { table, action, rows } of counts) {
    if (action === 'inactive') continue;
    const before = tables[table];
    tables[table] = { action: before?.action === 'delete' || action === 'delete' ? 'delete' : 'anonymize', rows: (before?.rows ?? 0) + rows };
  }
  return tables;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
