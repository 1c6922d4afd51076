import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { SubjectMapping } from '../config/data-map.js';
import { LetheError, NothingMatchedError, UsageError } from '../errors.js';
import {
  describeEarlier,
  earlierAnonymizationOf,
  erasureOfValue,
  executeAnonymization,
  planForMatch,
  type AnonymizationPlan,
  type AnonymizationReceipt,
  type PlanOptions,
} from './anonymize.js';
import { executeEach, type BatchEntry, type BatchExecuteOptions, type BatchOf, type BatchOutcome } from './anonymize-batch.js';
import type { Session } from './session.js';
import { pickSubject, resolveSubject, type LookupOptions } from './subject-lookup.js';
import { showKey } from '../db/row-key.js';

/** One requested person: the line it came from (never the value in messages) and how to look it up. */
export interface BatchRequest {
  line: number;
  value: string;
  by?: string;
}

export type BatchStatus = 'anonymized' | 'already-anonymized' | 'not-found' | 'ambiguous' | 'duplicate' | 'failed' | 'cancelled';

/** A line of the list: errors in its message name keys and identifiers, never values. */
export type BatchItem = BatchEntry<AnonymizationPlan, AnonymizationReceipt, BatchStatus>;
export type BatchPlan = BatchOf<BatchItem>;
export type BatchResult = BatchOutcome<BatchItem>;

/**
 * Reads one value per line, or a CSV whose header names an identifier (`email`, `phone`...).
 * Blank lines and lines starting with # are skipped.
 */
export function readBatchRequests(text: string, subject: SubjectMapping, by?: string): BatchRequest[] {
  const lines = text.split(/\r?\n/);
  const firstIndex = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (firstIndex < 0) return [];
  const identifierNames = new Set(subject.identifiers.map((i) => i.name.toLowerCase()));
  const header = parseCsvLine(lines[firstIndex]!).map((h) => h.trim().toLowerCase());
  const isCsv = header.some((h) => identifierNames.has(h));
  if (!isCsv) {
    return lines
      .map((line, i) => ({ line: i + 1, value: line.trim() }))
      .filter((r) => r.value !== '' && !r.value.startsWith('#'))
      .map((r) => (by ? { ...r, by } : r));
  }
  const wanted = by?.toLowerCase() ?? header.find((h) => identifierNames.has(h))!;
  const index = header.indexOf(wanted);
  if (index < 0) throw new UsageError(`The CSV header has no column "${by}".`, `Its columns: ${header.join(', ')}.`);
  const identifier = subject.identifiers.find((i) => i.name.toLowerCase() === wanted)!;
  const requests: BatchRequest[] = [];
  lines.forEach((line, i) => {
    if (i <= firstIndex || line.trim() === '' || line.trim().startsWith('#')) return;
    const value = parseCsvLine(line)[index]?.trim();
    if (value) requests.push({ line: i + 1, value, by: identifier.name });
  });
  return requests;
}

function parseCsvLine(line: string): string[] {
  try {
    return (parse(line, { relax_quotes: true }) as string[][])[0] ?? [];
  } catch {
    return [line];
  }
}

/** Resolves every request before anything is written, so the confirmation covers the whole batch. */
export async function planBatch(session: Session, requests: BatchRequest[], options: Pick<LookupOptions, 'subject'> & PlanOptions = {}): Promise<BatchPlan> {
  pickSubject(session.map, options.subject);
  const items: BatchItem[] = [];
  const seen = new Map<string, number>();
  const lookupOf = (request: BatchRequest): LookupOptions => ({
    ...(options.subject ? { subject: options.subject } : {}),
    ...(request.by ? { by: request.by } : {}),
  });
  for (const request of requests) {
    try {
      const match = await resolveSubject(session.knex, session.dialect, session.map, session.schema, request.value, lookupOf(request));
      const identity = `${match.subject.name}:${showKey(match.key)}`;
      const earlier = seen.get(identity);
      if (earlier !== undefined) {
        items.push({ line: request.line, status: 'duplicate', message: `the same person as line ${earlier}` });
        continue;
      }
      seen.set(identity, request.line);
      const plan = await planForMatch(session, match, { ...options, countChanges: true });
      const done = earlierAnonymizationOf(session, plan);
      if (done) {
        items.push({ line: request.line, status: 'already-anonymized', message: describeEarlier(done) });
        continue;
      }
      items.push({ line: request.line, status: 'planned', plan });
    } catch (error) {
      if (!(error instanceof LetheError)) throw error;
      const erased = error instanceof NothingMatchedError ? erasureOfValue(session, request.value, lookupOf(request)) : undefined;
      if (erased) {
        items.push({ line: request.line, status: 'already-anonymized', message: describeEarlier(erased) });
        continue;
      }
      const status: BatchStatus = error.exitCode === 4 ? 'not-found' : error.name === 'AmbiguousSubjectError' ? 'ambiguous' : 'failed';
      items.push({ line: request.line, status, message: error.message });
    }
  }
  return { batchId: randomUUID(), items };
}

/** One transaction per person; a failure is recorded and the batch goes on. */
export function executeBatch(session: Session, batch: BatchPlan, options: BatchExecuteOptions<BatchItem> & { mentions?: boolean } = {}): Promise<BatchResult> {
  return executeEach(
    session,
    batch,
    (plan, auditDetail) =>
      executeAnonymization(session, plan, {
        ...(options.signal ? { signal: options.signal } : {}),
        auditDetail,
        finish: false,
        ...(options.mentions ? { mentions: true } : {}),
      }),
    options,
  );
}
