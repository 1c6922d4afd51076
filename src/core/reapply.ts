import type { Tombstone } from '../audit/tombstone-store.js';
import { LetheError, UsageError } from '../errors.js';
import { executeAnonymization, finishChanges, planForMatch, touchedTables, type AnonymizationPlan, type AnonymizationReceipt } from './anonymize.js';
import { nextTurn } from './event-loop.js';
import type { Session } from './session.js';
import type { Row, RowKey } from './subject-lookup.js';
import { tombstoneForRow } from './tombstones.js';
import { keyOf, orderByKey, whereKeyBeyond } from '../db/row-key.js';

/** A person erased before whose identifiers are in the database again. */
export interface ComeBack {
  plan: AnonymizationPlan;
  tombstone: Tombstone;
}

export interface ReapplyResult {
  anonymized: { comeBack: ComeBack; receipt: AnonymizationReceipt }[];
  failed: { comeBack: ComeBack; message: string }[];
  notes: string[];
}

const PAGE = 1000;

/**
 * Finds the people whose tombstone matches a row of their subject table again, as after a
 * backup restore. Reads the subject tables in keyset pages; identifiers are compared as
 * keyed hashes, never in clear.
 */
export async function planReapply(session: Session, options: { subject?: string } = {}): Promise<ComeBack[]> {
  const subjects = [...session.map.subjects.values()].filter((s) => s.tombstones && (!options.subject || s.name === options.subject));
  if (subjects.length === 0) {
    throw new UsageError(
      options.subject ? `Subject "${options.subject}" keeps no tombstones.` : 'No subject in the data map keeps tombstones, so there is nothing to reapply.',
      'Enable them with tombstones: true under the subject (it needs secrets.key).',
    );
  }
  const found: ComeBack[] = [];
  for (const subject of subjects) {
    const table = session.map.tables.get(subject.table)!;
    let after: RowKey | undefined;
    for (;;) {
      const query = orderByKey(session.knex(table.name).select('*'), table.keyColumns).limit(PAGE);
      if (after !== undefined) whereKeyBeyond(query, table.keyColumns, after, '>');
      const rows: Row[] = await query;
      if (rows.length === 0) break;
      after = keyOf(table.keyColumns, rows.at(-1)!);
      for (const row of rows) {
        const tombstone = tombstoneForRow(session, subject, row);
        if (!tombstone) continue;
        const key = keyOf(table.keyColumns, row);
        found.push({ tombstone, plan: await planForMatch(session, { subject, key, row, matchedBy: ['tombstone'] }) });
      }
    }
  }
  return found;
}

/** Anonymizes each person again, one transaction each, audited as a reapply of their erasure. */
export async function executeReapply(
  session: Session,
  comeBacks: ComeBack[],
  options: { signal?: AbortSignal; vacuum?: boolean } = {},
): Promise<ReapplyResult> {
  const result: ReapplyResult = { anonymized: [], failed: [], notes: [] };
  for (const comeBack of comeBacks) {
    // Each person is a boundary: let a pending signal be seen (SQLite never yields otherwise).
    await nextTurn();
    if (options.signal?.aborted) break;
    try {
      const receipt = await executeAnonymization(session, comeBack.plan, {
        command: 'reapply',
        finish: false,
        ...(options.signal ? { signal: options.signal } : {}),
        auditDetail: { reappliedErasure: comeBack.tombstone.auditEntry },
      });
      result.anonymized.push({ comeBack, receipt });
    } catch (error) {
      if (!(error instanceof LetheError)) throw error;
      result.failed.push({ comeBack, message: error.message });
    }
  }
  const touched = [...new Set(result.anonymized.flatMap((a) => touchedTables(a.receipt.tables)))];
  result.notes = await finishChanges(session, touched, options.vacuum);
  return result;
}
