/**
 * One measured run, in a child process of its own so that its peak RSS is its own:
 * `node measure.js '<job JSON>'` runs lethe's sweep (through the core API) or the
 * hand-written baseline, and sends the result to the parent over IPC.
 */
import { performance } from 'node:perf_hooks';
import { openSession } from '../src/core/session.js';
import { planSweep } from '../src/core/sweep-plan.js';
import { executeSweep } from '../src/core/sweep-run.js';
import { BASELINE_BATCH_SIZE, runBaseline } from './baselines.js';
import { answerParent, heapAfterGcMb, peakRssMb } from './child.js';
import type { BenchDialect } from './databases.js';
import { NEXT_NOW, NOW, type BenchCase } from './datasets.js';

export interface MeasureJob {
  runner: 'lethe' | 'baseline';
  dialect: BenchDialect;
  benchCase: BenchCase;
  connection: string;
  /** lethe: the data map. */
  configPath: string;
  /** Absent: lethe sizes its batches itself; the baseline's keyset loop takes BASELINE_BATCH_SIZE. */
  batchSize?: number;
}

export interface MeasureResult {
  seconds: number;
  /** Peak resident set size of the process, in MiB. */
  peakRssMb: number;
  /** lethe: the JS heap still in use after a full collection at the end of the run (MiB). */
  heapAfterGcMb?: number;
  /** lethe: of `seconds`, the part spent planning. */
  planSeconds?: number;
  /** lethe: of `seconds`, the part its task took (nightly: the next night's anonymize task). */
  taskSeconds?: number;
  /** lethe: rows the plan found due, rows changed, batches. */
  due?: number;
  changed?: number;
  batches?: number;
}

async function measure(job: MeasureJob): Promise<MeasureResult> {
  if (job.runner === 'baseline') {
    const seconds = await runBaseline(job.dialect, job.connection, job.benchCase, job.batchSize ?? BASELINE_BATCH_SIZE);
    return { seconds, peakRssMb: peakRssMb() };
  }
  const session = await openSession({ configPath: job.configPath, env: {}, operator: 'bench' });
  try {
    const sweep = async (now: Date) => {
      // As `lethe sweep --yes` spends it: a plan that does not count, then the batches.
      const started = performance.now();
      const plan = await planSweep(session, { now, count: false });
      const planned = performance.now();
      const summary = await executeSweep(session, plan, job.batchSize === undefined ? {} : { batchSize: job.batchSize });
      const seconds = (performance.now() - started) / 1000;
      if (summary.stopped || summary.tasks.some((t) => !t.complete)) throw new Error('The sweep stopped before the end.');
      return { seconds, planSeconds: (planned - started) / 1000, summary };
    };
    // nightly: the first sweep (untimed) leaves the watermark the next night starts from.
    if (job.benchCase === 'nightly') await sweep(NOW);
    const { seconds, planSeconds, summary } = await sweep(job.benchCase === 'nightly' ? NEXT_NOW : NOW);
    const peak = peakRssMb();
    const heap = heapAfterGcMb();
    return {
      seconds,
      planSeconds,
      taskSeconds: summary.tasks.reduce((n, t) => n + t.seconds, 0),
      peakRssMb: peak,
      ...(heap !== undefined ? { heapAfterGcMb: heap } : {}),
      // Without the up-front count, the rows due are the rows the batches looked at (redact changes fewer).
      due: summary.tasks.reduce((n, t) => n + t.done, 0),
      changed: summary.totals.changed,
      batches: summary.totals.batches,
    };
  } finally {
    await session.close();
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as MeasureJob;
answerParent(measure(job));
