import { InterruptedError } from './errors.js';

/**
 * better-sqlite3 runs every statement synchronously and knex resolves its promises as
 * microtasks, so a loop of SQLite statements, like a long synchronous parse, never gives the
 * event loop a turn: signal handlers, timers (--max-duration, a spinner's frames) and stream
 * writes all wait until it ends. Long work calls this at its boundaries.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A turn of the event loop, so a pending SIGINT or SIGTERM is seen; then stops the work if it was. */
export async function interruptible(signal: AbortSignal | undefined, message: string): Promise<void> {
  if (!signal) return;
  await nextTurn();
  if (signal.aborted) throw new InterruptedError(message);
}
