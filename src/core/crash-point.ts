/**
 * A place where tests kill the process, to prove what survives a crash there: with
 * LETHE_TEST_CRASH set to the point's name, the process ends at once with SIGKILL, as a power
 * cut or the OOM killer would end it (no handler runs, nothing is flushed). Unset, it does nothing.
 */
/** before-file-deletion: a job's change (and its list of files) committed, no file deleted yet. */
export type CrashPoint = 'before-commit' | 'after-commit' | 'before-file-deletion';

export function crashPoint(name: CrashPoint): void {
  if (process.env.LETHE_TEST_CRASH === name) process.kill(process.pid, 'SIGKILL');
}
