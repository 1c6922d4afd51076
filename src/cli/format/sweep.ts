import type { Palette } from '../terminal/terminal.js';
import type { SweepPlan, SweepTask } from '../../core/sweep-plan.js';
import type { SweepSummary, TaskProgress } from '../../core/sweep-run.js';
import { renderGrid } from './grid.js';
import { formatFileCount, formatFilesDeleted } from './anonymize.js';

const verb = { anonymize: 'anonymize', delete: 'delete', inactive: 'anonymize people' } as const;

function describeRule(task: SweepTask): string {
  return task.action === 'inactive' ? `inactive for ${task.period}` : `older than ${task.period}`;
}

export function formatSweepPlan(plan: SweepPlan, palette: Palette): string {
  if (plan.tasks.length === 0) return 'The data map has no retention rules: nothing to sweep.';
  return [
    palette.bold(`Sweep plan (periods counted back from ${plan.now.toISOString()})`),
    renderGrid(
      ['table', 'action', 'rule', 'due', 'how'],
      plan.tasks.map((t) => [
        t.table,
        verb[t.action],
        describeRule(t),
        t.due === undefined ? 'not counted' : String(t.due),
        t.action === 'anonymize'
          ? `${t.columns.join(', ')} (${t.setBased ? 'SQL' : 'batched'})`
          : t.action === 'delete'
            ? 'with the rows below them'
            : 'as lethe anonymize',
      ]),
      { maxCell: 120 },
    ),
    ...plan.tasks
      .filter((t) => t.action === 'inactive' && (t.dueWithoutActivity ?? 0) > 0)
      .map((t) => `${t.table}: ${t.dueWithoutActivity} of the ${t.due} people due have no activity at all; they count from ${t.table}'s activityFallback.`),
    ...plan.tasks.flatMap((t) => (t.files ? formatFileCount(t.files, palette).map((line) => `${t.table} ${verb[t.action]}: ${line}`) : [])),
  ].join('\n');
}

export function formatSweepProgress(p: TaskProgress): string {
  const rate = p.seconds > 0 ? p.done / p.seconds : 0;
  // A --yes run did not count what is due: no bar, no ETA.
  if (p.task.due === undefined) return `${p.task.table} ${verb[p.task.action]} ${p.done} ${Math.round(rate)}/s`;
  const due = Math.max(p.task.due, p.done);
  const width = 20;
  const filled = due === 0 ? width : Math.round((p.done / due) * width);
  const eta = rate > 0 ? Math.max(0, (due - p.done) / rate) : 0;
  return `${p.task.table} ${verb[p.task.action]} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${due} ${Math.round(rate)}/s ETA ${Math.ceil(eta)}s`;
}

export function formatSweepSummary(plan: SweepPlan, summary: SweepSummary, palette: Palette): string {
  const rows = summary.tasks.map((r) => [
    r.task.table,
    verb[r.task.action],
    String(r.changed),
    String(r.batches),
    r.seconds.toFixed(1),
    r.task.action === 'delete'
      ? Object.entries(r.tables)
          .map(([t, d]) => `${t} ${d.rows}`)
          .join(', ')
      : '',
  ]);
  const left = leftOver(plan, summary);
  const head = summary.stopped
    ? palette.yellow(
        `Sweep stopped (${summary.stopped.reason === 'signal' ? 'interrupted' : '--max-duration reached'}) at a batch boundary; run it again to finish.`,
      )
    : palette.green(`Sweep done: ${summary.totals.changed} rows changed in ${summary.totals.batches} batches, ${summary.totals.seconds.toFixed(1)} s.`);
  return [
    head,
    renderGrid(['table', 'action', 'rows', 'batches', 'seconds', 'deleted'], rows),
    ...(left.length ? [`Left: ${left.map((l) => `${l.table} ${l.action} ${l.rows ?? '(not counted)'}`).join(', ')}.`] : []),
    ...summary.tasks.flatMap((r) => (r.files ? formatFilesDeleted(r.files, palette).map((line) => `${r.task.table} ${verb[r.task.action]}: ${line}`) : [])),
    ...summary.notes,
  ].join('\n');
}

/** What a stopped sweep did not reach: the rest of the task it stopped in, and the tasks after it (rows null: not counted). */
function leftOver(plan: SweepPlan, summary: SweepSummary): { table: string; action: string; rows: number | null }[] {
  return plan.tasks.flatMap((task, i): { table: string; action: string; rows: number | null }[] => {
    const result = summary.tasks[i];
    if (result?.complete) return [];
    if (task.due === undefined) return [{ table: task.table, action: task.action, rows: null }];
    const rows = Math.max(0, task.due - (result?.done ?? 0));
    return rows > 0 ? [{ table: task.table, action: task.action, rows }] : [];
  });
}

/** The --json document: one summary (or the plan, for a dry run). */
export function sweepJson(plan: SweepPlan, summary: SweepSummary | undefined, dryRun: boolean): unknown {
  return {
    dryRun,
    requestId: plan.requestId,
    now: plan.now.toISOString(),
    tasks: plan.tasks.map((task, i) => {
      const r = summary?.tasks[i];
      return {
        table: task.table,
        action: task.action,
        period: task.period,
        cutoff: task.cutoff.toISOString(),
        due: task.due ?? null,
        ...(task.dueWithoutActivity !== undefined ? { dueWithoutActivity: task.dueWithoutActivity } : {}),
        rows: r?.changed ?? 0,
        ...(r?.people !== undefined ? { people: r.people } : {}),
        looked: r?.done ?? 0,
        batches: r?.batches ?? 0,
        seconds: r ? Number(r.seconds.toFixed(3)) : 0,
        // Nothing due is nothing left to do: complete, though no batch ran.
        complete: r?.complete ?? (!dryRun && task.due === 0),
        ...(r && task.action === 'delete' ? { deleted: Object.fromEntries(Object.entries(r.tables).map(([t, d]) => [t, d.rows])) } : {}),
        ...(task.files ? { files: task.files } : {}),
        ...(r?.files ? { filesDeleted: r.files } : {}),
      };
    }),
    totals: {
      due: plan.tasks.some((t) => t.due === undefined) ? null : plan.tasks.reduce((n, t) => n + (t.due ?? 0), 0),
      rows: summary?.totals.changed ?? 0,
      batches: summary?.totals.batches ?? 0,
      seconds: summary ? Number(summary.totals.seconds.toFixed(3)) : 0,
    },
    left: summary ? leftOver(plan, summary) : [],
    stopped: summary?.stopped ?? null,
    notes: summary?.notes ?? [],
  };
}
