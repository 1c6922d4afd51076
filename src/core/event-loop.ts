import { nextTurn } from '../turn.js';

export { nextTurn };

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
