import { randomUUID } from 'node:crypto';
import { LetheError, NothingMatchedError, UsageError } from '../errors.js';
import { showKey } from '../db/row-key.js';
import { executeEach, type BatchEntry, type BatchExecuteOptions, type BatchOf, type BatchOutcome } from './anonymize-batch.js';
import {
  describeEarlierRecord,
  earlierRecordErasureOf,
  executeRecordAnonymization,
  parseRecordRef,
  planRecordAnonymization,
  recordKey,
  recordTable,
  type RecordPlan,
  type RecordReceipt,
  type RecordRef,
} from './anonymize-record.js';
import type { Session } from './session.js';

/** `anonymize --records FILE`: many records, one `table:key` a line; one plan and confirmation, one transaction each. */

export interface RecordRequest {
  line: number;
  ref: RecordRef;
}

export type RecordBatchStatus = 'anonymized' | 'already-anonymized' | 'not-found' | 'duplicate' | 'failed' | 'cancelled';

export type RecordBatchItem = BatchEntry<RecordPlan, RecordReceipt, RecordBatchStatus>;
export type RecordBatchPlan = BatchOf<RecordBatchItem>;
export type RecordBatchResult = BatchOutcome<RecordBatchItem>;

/**
 * One `table:key` a line (blank lines and # comments skipped). Every line is checked before
 * anything is read: a line that is no record lethe can erase (malformed, an unknown or
 * unmapped table, a person's table, a key of the wrong shape) refuses the whole list, naming
 * each such line, so a typo never leaves a batch half done.
 */
export function readRecordRequests(session: Session, text: string): RecordRequest[] {
  const requests: RecordRequest[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      const ref = parseRecordRef(line);
      recordKey(session, recordTable(session, ref.table), ref.key);
      requests.push({ line: i + 1, ref });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(`  line ${i + 1}: ${error.message}`);
    }
  });
  if (problems.length > 0) {
    throw new UsageError(
      `${problems.length} line${problems.length === 1 ? '' : 's'} of the list ${problems.length === 1 ? 'is' : 'are'} not a record lethe can anonymize; nothing was changed:\n${problems.join('\n')}`,
      'Write one table:key a line, e.g. conversations:42.',
    );
  }
  return requests;
}

/** Reads every record before anything is written, so the confirmation covers the whole list. */
export async function planRecordBatch(session: Session, requests: RecordRequest[]): Promise<RecordBatchPlan> {
  const items: RecordBatchItem[] = [];
  const seen = new Map<string, number>();
  for (const request of requests) {
    try {
      const plan = await planRecordAnonymization(session, request.ref);
      const identity = `${plan.record.table}:${showKey(plan.record.key)}`;
      const earlier = seen.get(identity);
      if (earlier !== undefined) {
        items.push({ line: request.line, status: 'duplicate', message: `the same record as line ${earlier}` });
        continue;
      }
      seen.set(identity, request.line);
      const done = earlierRecordErasureOf(session, plan);
      if (done) {
        items.push({ line: request.line, status: 'already-anonymized', message: describeEarlierRecord(done) });
        continue;
      }
      items.push({ line: request.line, status: 'planned', plan });
    } catch (error) {
      if (!(error instanceof LetheError)) throw error;
      items.push({ line: request.line, status: error instanceof NothingMatchedError ? 'not-found' : 'failed', message: error.message });
    }
  }
  return { batchId: randomUUID(), items };
}

/** One transaction per record; a failure is recorded and the batch goes on. */
export function executeRecordBatch(session: Session, batch: RecordBatchPlan, options: BatchExecuteOptions<RecordBatchItem> = {}): Promise<RecordBatchResult> {
  return executeEach(
    session,
    batch,
    (plan, auditDetail) => executeRecordAnonymization(session, plan, { ...(options.signal ? { signal: options.signal } : {}), auditDetail, finish: false }),
    options,
  );
}
