/**
 * Each measured run of the benchmark is a child process of its own, so that its peak RSS is
 * its own: the parent forks a script with the job as JSON; the script measures and answers
 * over IPC.
 */
import { fork } from 'node:child_process';

type Answer<R> = { ok: true; result: R } | { ok: false; error: string };

/** Forks `script` with `job` as its argument and resolves with what it answers; its output goes to our stderr. */
export function runInChild<J, R>(script: string, args: string[], job: J, what: string): Promise<R> {
  return new Promise((resolve, reject) => {
    // --expose-gc: after its run, a child can tell garbage not yet collected from memory it holds (heapAfterGcMb).
    const child = fork(script, [...args, JSON.stringify(job)], { stdio: ['ignore', 2, 2, 'ipc'], execArgv: [...process.execArgv, '--expose-gc'] });
    let answer: Answer<R> | undefined;
    child.on('message', (message) => {
      answer = message as Answer<R>;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer?.ok) resolve(answer.result);
      else reject(new Error(`${what} failed: ${answer?.ok === false ? answer.error : `exit ${code ?? signal}`}`));
    });
  });
}

/** In the child: runs the measurement and answers the parent, then lets the process end. */
export function answerParent<R>(measurement: Promise<R>): void {
  measurement.then(
    (result) => {
      process.send?.({ ok: true, result } satisfies Answer<R>);
      process.disconnect?.();
    },
    (error: unknown) => {
      process.send?.({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies Answer<R>);
      process.disconnect?.();
      process.exitCode = 1;
    },
  );
}

/** The process's peak resident set size, in MiB (maxRSS is in kilobytes). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * The JS heap in use after a full collection, in MiB: what the run still holds. Peak RSS also
 * counts garbage V8 had not collected yet, and V8 lets its heap grow with the allocation rate.
 */
export function heapAfterGcMb(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  gc();
  return process.memoryUsage().heapUsed / 1048576;
}
