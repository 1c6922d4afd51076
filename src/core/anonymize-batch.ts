import { InterruptedError, LetheError } from '../errors.js';
import { finishChanges, touchedTables, type PlannedTable } from './anonymize.js';
import { nextTurn } from './event-loop.js';
import type { Session } from './session.js';

/**
 * What a batch of people (`anonymize --from`) and a batch of records (`--records`) share: a
 * line of the list each, one transaction each, a failure recorded while the batch goes on,
 * and the database's after-change step once, at the end.
 */

/** How running an item ends. */
export type ExecutedStatus = 'anonymized' | 'cancelled' | 'failed';

export interface BatchEntry<Plan, Receipt, Status extends string> {
  line: number;
  status: Status | ExecutedStatus | 'planned';
  /** Names tables, keys and identifiers, never values of the rows. */
  message?: string;
  plan?: Plan;
  receipt?: Receipt;
}

export interface BatchOf<Item> {
  batchId: string;
  items: Item[];
}

export interface BatchOutcome<Item> {
  batchId: string;
  items: Item[];
  anonymized: number;
  failed: number;
  /** From the database's after-change step, run once for the whole batch. */
  notes: string[];
}

export interface BatchExecuteOptions<Item> {
  signal?: AbortSignal;
  vacuum?: boolean;
  onItem?: (item: Item, done: number, total: number) => void;
}

/** What counts as failed: all but done, done before, and repeated lines. */
export function failedItems<Item extends { status: string }>(items: Item[]): Item[] {
  return items.filter((i) => i.status !== 'anonymized' && i.status !== 'already-anonymized' && i.status !== 'duplicate');
}

/**
 * Runs `execute` for each planned item, in its own transaction (the audit entry names the
 * batch and the line); an item that fails is recorded and the batch goes on; once interrupted,
 * the items not started are cancelled.
 */
export async function executeEach<Plan, Receipt extends { tables: PlannedTable[] }, Status extends string>(
  session: Session,
  batch: BatchOf<BatchEntry<Plan, Receipt, Status>>,
  execute: (plan: Plan, auditDetail: { batchId: string; line: number }) => Promise<Receipt>,
  options: BatchExecuteOptions<BatchEntry<Plan, Receipt, Status>> = {},
): Promise<BatchOutcome<BatchEntry<Plan, Receipt, Status>>> {
  type Item = BatchEntry<Plan, Receipt, Status>;
  const total = batch.items.filter((i) => i.plan).length;
  let done = 0;
  const items: Item[] = [];
  for (const item of batch.items) {
    if (!item.plan) {
      items.push(item);
      continue;
    }
    let result: Item;
    // Each item is a boundary: let a pending signal be seen (SQLite never yields otherwise).
    await nextTurn();
    if (options.signal?.aborted) {
      result = { line: item.line, status: 'cancelled', message: 'not started: the batch was interrupted' };
    } else {
      try {
        const receipt = await execute(item.plan, { batchId: batch.batchId, line: item.line });
        result = { line: item.line, status: 'anonymized', plan: item.plan, receipt };
      } catch (error) {
        if (!(error instanceof LetheError)) throw error;
        result = { line: item.line, status: error instanceof InterruptedError ? 'cancelled' : 'failed', message: error.message };
      }
    }
    items.push(result);
    options.onItem?.(result, ++done, total);
  }
  const anonymized = items.filter((i) => i.status === 'anonymized').length;
  const touched = [...new Set(items.flatMap((i) => (i.receipt ? touchedTables(i.receipt.tables) : [])))];
  const notes = await finishChanges(session, touched, options.vacuum);
  return { batchId: batch.batchId, items, anonymized, failed: failedItems(items).length, notes };
}
