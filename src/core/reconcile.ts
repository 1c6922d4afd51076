import type { Knex } from 'knex';
import { ownerEnded, type AuditStore, type PendingIntent } from '../audit/index.js';
import { forgetCommit, wasCommitted } from '../db/commit-marker.js';

export interface Reconciled {
  /** Intents completed as applied: their change had committed (with their tombstones). */
  applied: number[];
  /** Intents completed as not applied: their process ended before the change committed. */
  notApplied: number[];
}

/**
 * Completes the intents of this database whose job ended without writing its outcome (killed
 * between the database's commit and the outcome entry, or before the commit). Whether the
 * change was applied is read from the database itself (lethe_commit, written in the change's
 * transaction), never guessed: applied, the outcome prepared before the commit is recorded
 * with its tombstones; not applied, and its process certainly gone, the intent is completed
 * as failed. An intent whose process may still run (this host cannot tell) is left alone.
 */
export async function reconcileInterrupted(knex: Knex, audit: AuditStore): Promise<Reconciled> {
  const done: Reconciled = { applied: [], notApplied: [] };
  for (const pending of audit.pendingIntents()) {
    const committed = await wasCommitted(knex, pending.intent.hash);
    if (committed) {
      completeAsApplied(audit, pending);
      await forgetCommit(knex, pending.intent.hash);
      done.applied.push(pending.intent.id);
    } else if (pending.owner && ownerEnded(pending.owner)) {
      audit.recordOutcome(pending.intent, { outcome: 'failed', tables: {}, detail: { reconciled: true, applied: false, error: 'ProcessEnded' } });
      done.notApplied.push(pending.intent.id);
    }
  }
  return done;
}

function completeAsApplied(audit: AuditStore, { intent, outcome }: PendingIntent): void {
  audit.recordOutcome(intent, { outcome: 'ok', tables: outcome?.tables ?? intent.tables, detail: { ...outcome?.detail, reconciled: true } });
}
