import { CONFLICT_ATTEMPTS, isTransientConflict } from '../db/conflicts.js';
import { InterruptedError } from '../errors.js';
import { nextTurn } from './event-loop.js';

/**
 * Runs `transaction` again when the database rolled it back for a conflict with another
 * transaction (see isTransientConflict), up to CONFLICT_ATTEMPTS times in all, with a short
 * growing pause between attempts; any other failure, or the last conflict, is thrown.
 * `onAttempt` is told the number of each attempt (1 for the first). A signal stops it
 * between attempts.
 */
export async function retryOnConflict<T>(onAttempt: (attempt: number) => void, signal: AbortSignal | undefined, transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    onAttempt(attempt);
    try {
      return await transaction();
    } catch (error) {
      if (!isTransientConflict(error) || attempt >= CONFLICT_ATTEMPTS) throw error;
    }
    await pauseBeforeRetry(attempt);
    await nextTurn();
    if (signal?.aborted) throw new InterruptedError('Interrupted before the change committed; nothing was changed.');
  }
}

/** A short pause that grows with each attempt, jittered so two jobs that collided do not collide again in step. */
export function pauseBeforeRetry(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.floor(Math.random() * 50)));
}
