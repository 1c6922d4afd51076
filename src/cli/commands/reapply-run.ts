import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { executeReapply, planReapply } from '../../core/reapply.js';
import { recordDryRun } from '../../core/anonymize.js';
import { ExitCode } from '../../errors.js';
import { terminalFor, withSession, type CliContext, type GlobalOptions } from '../context.js';
import { renderGrid } from '../format/grid.js';
import { parseOptions } from '../parse-options.js';
import { confirmJob } from '../confirm-job.js';
import { showKey } from '../../db/row-key.js';

const reapplyOptions = z.object({
  dryRun: z.boolean().default(false),
  yes: z.boolean().default(false),
  subject: z.string().optional(),
  vacuum: z.boolean().default(false),
});

/** `lethe reapply`, loaded when it runs (reapply.ts defines its options and help). */
export async function runReapply(context: CliContext, raw: unknown, globals: GlobalOptions): Promise<void> {
  const options = parseOptions(reapplyOptions, raw);
  const terminal = terminalFor(context, globals);
  await withSession(context, globals, terminal, async (session) => {
    const comeBacks = await planReapply(session, options.subject ? { subject: options.subject } : {});
    const listing = renderGrid(
      ['subject', 'key', 'erased on', 'audit entry', 'rows'],
      comeBacks.map((c) => [
        c.plan.subject.name,
        String(c.plan.subject.key),
        c.tombstone.at.slice(0, 10),
        String(c.tombstone.auditEntry),
        String(c.plan.tables.reduce((n, t) => n + t.rows, 0)),
      ]),
    );
    const summary =
      comeBacks.length === 0
        ? 'Nobody whose erasure lethe recorded is back in the database.'
        : `${comeBacks.length} erased ${comeBacks.length === 1 ? 'person is' : 'people are'} back in the database:\n${listing}`;
    const json = (done: boolean, extra: object = {}) =>
      terminal.json({
        dryRun: !done,
        people: comeBacks.map((c) => ({
          subject: c.plan.subject,
          erasedOn: c.tombstone.at,
          erasedBy: c.tombstone.auditEntry,
          tables: c.plan.tables.map((t) => ({ table: t.table, action: t.action, rows: t.rows })),
        })),
        ...extra,
      });
    if (options.dryRun || comeBacks.length === 0) {
      for (const c of comeBacks) recordDryRun(session, c.plan, 'reapply');
      if (globals.json) json(false);
      else terminal.result(options.dryRun ? `${summary}\nDry run: nothing was changed.` : summary);
      return;
    }
    terminal.info(summary);
    const confirmed = await confirmJob(context, terminal, session, {
      question: `Erase ${comeBacks.length === 1 ? 'this person' : `these ${comeBacks.length} people`} again? This cannot be undone.`,
      yes: options.yes,
      verb: 'reapply erasures',
      command: 'reapply',
      action: 'reapply',
      requestId: randomUUID(),
      tables: {},
      detail: { people: comeBacks.length },
    });
    if (!confirmed) return;
    const result = await executeReapply(session, comeBacks, { signal: context.signal, vacuum: options.vacuum });
    if (globals.json) json(true, { anonymized: result.anonymized.length, failed: result.failed.length, notes: result.notes });
    else {
      terminal.result(
        [
          `Erased again: ${result.anonymized.length}; failed: ${result.failed.length}.`,
          ...result.anonymized.map((a) => `  ${a.receipt.subject.table} ${showKey(a.receipt.subject.key)}: audit entry ${a.receipt.auditEntry}`),
          ...result.failed.map((f) => `  ${f.comeBack.plan.subject.table} ${showKey(f.comeBack.plan.subject.key)}: ${f.message}`),
          ...result.notes,
        ].join('\n'),
      );
    }
    if (context.signal.aborted) context.setExitCode(ExitCode.interrupted);
    else if (result.failed.length > 0) context.setExitCode(result.anonymized.length > 0 ? ExitCode.partial : ExitCode.failed);
  });
}
