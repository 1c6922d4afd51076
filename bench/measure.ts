/**
 * One measured run, in a child process of its own so that its peak RSS is its own:
 * `node measure.js '<job JSON>'` runs lethe's sweep (through the core API) or the
 * hand-written baseline, and sends the result to the parent over IPC.
 */
import { performance } from 'node:perf_hooks';
import { openSession } from '../src/core/session.js';
import { planSweep } from '../src/core/sweep-plan.js';
import { executeSweep } from '../src/core/sweep-run.js';
import { runBaseline } from './baselines.js';
import type { BenchDialect } from './databases.js';
import { NOW, type BenchCase } from './datasets.js';

export interface MeasureJob {
  runner: 'lethe' | 'baseline';
  dialect: BenchDialect;
  benchCase: BenchCase;
  connection: string;
  /** lethe: the data map. */
  configPath: string;
  batchSize: number;
}

export interface MeasureResult {
  seconds: number;
  /** Peak resident set size of the process, in MiB. */
  peakRssMb: number;
  /** lethe: of `seconds`, the part spent planning (counting what is due). */
  planSeconds?: number;
  /** lethe: rows the plan found due, rows changed, batches. */
  due?: number;
  changed?: number;
  batches?: number;
}

async function measure(job: MeasureJob): Promise<MeasureResult> {
  if (job.runner === 'baseline') {
    const seconds = await runBaseline(job.dialect, job.connection, job.benchCase, job.batchSize);
    return { seconds, peakRssMb: peakRssMb() };
  }
  const session = await openSession({ configPath: job.configPath, env: {}, operator: 'bench' });
  try {
    // Timed as `lethe sweep --yes` spends it: counting what is due, then the batches.
    const started = performance.now();
    const plan = await planSweep(session, { now: NOW });
    const planned = performance.now();
    const summary = await executeSweep(session, plan, { batchSize: job.batchSize });
    const seconds = (performance.now() - started) / 1000;
    if (summary.stopped || summary.tasks.some((t) => !t.complete)) throw new Error('The sweep stopped before the end.');
    return {
      seconds,
      planSeconds: (planned - started) / 1000,
      peakRssMb: peakRssMb(),
      due: plan.tasks.reduce((n, t) => n + t.due, 0),
      changed: summary.totals.changed,
      batches: summary.totals.batches,
    };
  } finally {
    await session.close();
  }
}

function peakRssMb(): number {
  // maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}

const job = JSON.parse(process.argv[2] ?? '{}') as MeasureJob;
measure(job).then(
  (result) => {
    process.send?.({ ok: true, result });
    process.disconnect?.();
  },
  (error: unknown) => {
    process.send?.({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    process.disconnect?.();
    process.exitCode = 1;
  },
);
