import { Command } from 'commander';
import type { SweepPlan } from '../../core/sweep-plan.js';
import type { SweepSummary } from '../../core/sweep-run.js';
import type { Session } from '../../core/session.js';
import { ExitCode, UsageError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { parseOptions } from '../parse-options.js';

export function sweepCommand(context: CliContext): Command {
  return new Command('sweep')
    .description('The retention job: anonymize, then delete, what is past its period in the data map.')
    .option('--dry-run', 'count what is due, per table and action, and change nothing')
    .option('-y, --yes', 'confirm without asking (required where stdin is not a terminal, e.g. cron)')
    .option('--table <name>', 'only this table')
    .option('--batch-size <n>', 'rows (or people) per batch; each batch is one transaction (default: from 1000, sized so a batch takes about 250 ms)')
    .option('--pause <ms>', 'wait between batches, to spare a busy database (default 0)')
    .option('--max-duration <time>', 'stop at a batch boundary after this long (e.g. 30m, 2h), exit 3 and say what is left')
    .option('--full', 'ignore what earlier sweeps finished and re-check every row past its period (e.g. after a restore)')
    .option('--vacuum', 'afterwards, reclaim old row versions (PostgreSQL VACUUM)')
    .option('--now <time>', 'count periods back from this time instead of now (ISO 8601)')
    .addHelpText(
      'after',
      `
Examples:
  $ lethe sweep --dry-run
  $ lethe sweep --yes --json                         # from cron
  $ lethe sweep --yes --max-duration 30m --pause 50  # spare a busy database
  $ lethe sweep --table messages --batch-size 5000

Exit codes: 0 done, 1 failed (that batch rolled back; earlier batches stay applied), 2 refused
or bad options (nothing changed), 3 stopped by --max-duration (run again to finish), 5 another
sweep holds the lock (nothing done), 130 interrupted at a batch boundary. With --json, a
failure is one document on stdout: {"error": {"code", "message", "hint"}}.`,
    )
    .action(async (raw: unknown, command: Command) => {
      // The time budget counts from the start: connecting, checking and planning use it too.
      const started = Date.now();
      // The sweep's code loads when it runs, not for --help or another command.
      const { sweepOptions } = await import('./sweep-options.js');
      const { globalsOf, terminalFor, withSession } = await import('../context.js');
      const { planSweep } = await import('../../core/sweep-plan.js');
      const { dueList, executeSweep, recordSweepWithoutChanges } = await import('../../core/sweep-run.js');
      const { formatSweepPlan, formatSweepProgress, formatSweepSummary, sweepJson } = await import('../format/sweep.js');
      const { confirmJob } = await import('../confirm-job.js');
      const options = parseOptions(sweepOptions, raw);
      if (options.now && options.now.getTime() > started && !options.dryRun) {
        throw new UsageError(
          `--now ${options.now.toISOString()} is in the future: a sweep would anonymize and delete data before its period is over. Nothing was changed.`,
          'Use --now with --dry-run to preview a later night; without --dry-run it may only move back in time.',
        );
      }
      const globals = globalsOf(command);
      const terminal = terminalFor(context, globals);
      const deadline = options.maxDuration !== undefined ? new Date(started + options.maxDuration) : undefined;
      await withSession(context, globals, terminal, async (session: Session) => {
        // Nobody reads a --yes run's plan before it runs: it skips the up-front count (the summary says what was done).
        const count = options.dryRun || !options.yes;
        const spinner = terminal.spinner(count ? 'Counting what is due…' : 'Planning the sweep…');
        let plan: SweepPlan;
        try {
          plan = await planSweep(session, {
            ...(options.now ? { now: options.now } : {}),
            ...(options.table ? { table: options.table } : {}),
            full: options.full,
            countFiles: options.dryRun,
            count,
          });
        } finally {
          spinner.stop();
        }
        const due = plan.tasks.some((t) => t.due === undefined) ? undefined : plan.tasks.reduce((n, t) => n + (t.due ?? 0), 0);
        if (options.dryRun || due === 0) recordSweepWithoutChanges(session, plan, options.dryRun);
        if (options.dryRun) {
          if (globals.json) terminal.json(sweepJson(plan, undefined, true));
          else terminal.result(`${formatSweepPlan(plan, terminal.palette)}\nDry run: nothing was changed.`);
          return;
        }
        terminal.info(formatSweepPlan(plan, terminal.palette));
        if (due === 0) {
          if (globals.json) terminal.json(sweepJson(plan, undefined, false));
          else terminal.result('Nothing is due.');
          return;
        }
        // Stopped while connecting or planning: no question, nothing changed (the sweep records the stop).
        const stoppedEarly = context.signal.aborted;
        if (!stoppedEarly) {
          const confirmed = await confirmJob(context, terminal, session, {
            question: `Apply the retention rules to ${due === undefined ? 'the rows due' : `these ${due} rows`}? This cannot be undone.`,
            yes: options.yes,
            verb: 'sweep',
            command: 'sweep',
            action: 'sweep',
            requestId: plan.requestId,
            tables: {},
            detail: { now: plan.now.toISOString(), due: dueList(plan) },
          });
          if (!confirmed) return;
        }
        const progress = terminal.spinner('Sweeping…');
        let summary: SweepSummary;
        try {
          summary = await executeSweep(session, plan, {
            ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
            signal: context.signal,
            pauseMs: options.pause,
            vacuum: options.vacuum,
            ...(deadline ? { deadline } : {}),
            onProgress: (p) => progress.update(formatSweepProgress(p)),
          });
        } finally {
          progress.stop();
        }
        if (globals.json) terminal.json(sweepJson(plan, summary, false));
        else terminal.result(formatSweepSummary(plan, summary, terminal.palette));
        if (summary.stopped?.reason === 'signal') context.setExitCode(ExitCode.interrupted);
        else if (summary.stopped?.reason === 'max-duration') context.setExitCode(ExitCode.partial);
      });
    });
}
