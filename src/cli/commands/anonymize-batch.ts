import { failedItems, type BatchEntry, type BatchOf, type BatchOutcome } from '../../core/anonymize-batch.js';
import type { Session } from '../../core/session.js';
import { ExitCode } from '../../errors.js';
import { confirmJob } from '../confirm-job.js';
import type { CliContext } from '../context.js';
import type { Palette, Terminal } from '../terminal/terminal.js';

/**
 * What `anonymize --from` (people) and `--records` share once the list is planned: the dry
 * run, the plan shown, one confirmation for all, the run with its progress, the result and
 * the exit code.
 */

type Item<Plan> = BatchEntry<Plan, { auditEntry: number; requestId: string }, string>;

export interface AnonymizationBatch<Plan, I extends Item<Plan>> {
  batch: BatchOf<I>;
  /** What the list holds, as the question and the audit detail count them. */
  noun: 'people' | 'records';
  /** The audit action of the confirmation. */
  action: string;
  /** The fields of an item's plan in the JSON output. */
  planJson(plan: Plan): Record<string, unknown>;
  recordDryRun(item: I & { plan: Plan }): void;
  formatPlan(batch: BatchOf<I>, palette: Palette): string;
  formatResult(result: BatchOutcome<I>, palette: Palette): string;
  execute(onItem: (item: I, done: number, total: number) => void): Promise<BatchOutcome<I>>;
}

export async function runAnonymizationBatch<Plan, I extends Item<Plan>>(
  session: Session,
  job: AnonymizationBatch<Plan, I>,
  options: { dryRun: boolean; yes: boolean },
  terminal: Terminal,
  context: CliContext,
): Promise<void> {
  const { batch } = job;
  const itemJson = (item: I) => ({
    line: item.line,
    status: item.status,
    ...(item.message ? { message: item.message } : {}),
    ...(item.plan ? job.planJson(item.plan) : {}),
    ...(item.receipt ? { auditEntry: item.receipt.auditEntry, requestId: item.receipt.requestId } : {}),
  });
  const plannedCount = batch.items.filter((i) => i.plan).length;
  if (options.dryRun) {
    for (const item of batch.items) if (item.plan) job.recordDryRun(item as I & { plan: Plan });
    if (terminal.options.json) terminal.json({ dryRun: true, batchId: batch.batchId, items: batch.items.map(itemJson) });
    else terminal.result(`${job.formatPlan(batch, terminal.palette)}\nDry run: nothing was changed.`);
    return;
  }
  terminal.info(job.formatPlan(batch, terminal.palette));
  if (plannedCount === 0) {
    // Nothing to confirm or do: fine when every line was done already, else nothing matched or it failed; the per-line outcome is the result.
    const problems = failedItems(batch.items);
    if (problems.length > 0)
      context.setExitCode(
        problems.every((i) => i.status === 'not-found') && problems.length === batch.items.length ? ExitCode.nothingMatched : ExitCode.failed,
      );
    if (terminal.options.json)
      terminal.json({ dryRun: false, batchId: batch.batchId, anonymized: 0, failed: problems.length, notes: [], items: batch.items.map(itemJson) });
    return;
  }
  const confirmed = await confirmJob(context, terminal, session, {
    question: `Anonymize these ${plannedCount} ${job.noun}? This cannot be undone.`,
    yes: options.yes,
    verb: 'anonymize',
    command: 'anonymize',
    action: job.action,
    requestId: batch.batchId,
    tables: {},
    detail: { [job.noun]: plannedCount },
  });
  if (!confirmed) return;
  const result: BatchOutcome<I> = await terminal.underSpinner(`Anonymizing 0/${plannedCount}…`, (spinner) =>
    job.execute((_item, done, total) => spinner.update(`Anonymizing ${done}/${total}…`)),
  );
  if (terminal.options.json) {
    terminal.json({
      dryRun: false,
      batchId: result.batchId,
      anonymized: result.anonymized,
      failed: result.failed,
      notes: result.notes,
      items: result.items.map(itemJson),
    });
  } else terminal.result(job.formatResult(result, terminal.palette));
  if (context.signal.aborted) context.setExitCode(ExitCode.interrupted);
  else if (result.failed > 0) context.setExitCode(result.anonymized > 0 ? ExitCode.partial : ExitCode.failed);
}
