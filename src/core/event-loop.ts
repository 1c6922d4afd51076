/**
 * better-sqlite3 runs every statement synchronously and knex resolves its promises as
 * microtasks, so a loop of SQLite batches never gives the event loop a turn: signal
 * handlers, timers (--max-duration, a spinner's frames) and stream writes all wait until
 * the loop ends. Jobs call this at every batch boundary.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Why a job stops early: an operator's signal, or its time budget. */
export type StopReason = 'signal' | 'max-duration';

export interface StopConditions {
  signal?: AbortSignal;
  /** Stop at the first batch boundary after this time. */
  deadline?: Date;
}

/** Gives the event loop a turn (so a pending signal is seen), then says whether to stop here. */
export async function stopRequested(conditions: StopConditions): Promise<StopReason | undefined> {
  await nextTurn();
  if (conditions.signal?.aborted) return 'signal';
  if (conditions.deadline && Date.now() >= conditions.deadline.getTime()) return 'max-duration';
  return undefined;
}
