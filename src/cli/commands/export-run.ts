import path from 'node:path';
import { z } from 'zod';
import { exportPerson, type ExportDestination } from '../../core/export.js';
import { UsageError } from '../../errors.js';
import { terminalFor, withSession, type CliContext, type GlobalOptions } from '../context.js';
import { exportResultJson, formatExportNotice, formatExportProgress, type ExportWhere } from '../format/export.js';
import { parseOptions } from '../parse-options.js';
import { withChosenSubject } from '../terminal/choose-subject.js';

const exportOptions = z.object({
  by: z.string().optional(),
  subject: z.string().optional(),
  format: z.enum(['json', 'csv']).default('json'),
  out: z.string().min(1).optional(),
  force: z.boolean().default(false),
});

/** `lethe export`, loaded when it runs (export.ts defines its options and help). */
export async function runExport(context: CliContext, value: string, raw: unknown, globals: GlobalOptions): Promise<void> {
  const options = parseOptions(exportOptions, raw);
  const terminal = terminalFor(context, globals);
  const { destination, where } = destinationOf(options.format, options.out, context);
  await withSession(context, globals, terminal, async (session) => {
    // A spinner would garble a document written to the same terminal.
    const spinner = where.kind === 'stdout' && context.streams.stdout.isTTY ? { update() {}, stop() {} } : terminal.spinner('Looking up…');
    try {
      const result = await withChosenSubject(
        terminal,
        options.subject,
        (subject) =>
          exportPerson(session, value, {
            format: options.format,
            destination,
            replace: options.force,
            signal: context.signal,
            onProgress: (p) => spinner.update(formatExportProgress(p)),
            ...(options.by ? { by: options.by } : {}),
            ...(subject ? { subject } : {}),
          }),
        () => spinner.stop(),
      );
      spinner.stop();
      if (result.erased) {
        terminal.warn(
          `this ${result.subject.name} was erased on ${result.erased.at.slice(0, 10)} (audit entry ${result.erased.auditEntry}), yet their data is here again (restored from a backup?); run lethe reapply.`,
        );
      }
      terminal.info(formatExportNotice(result, where, terminal.palette));
      // Under --json the summary goes to stdout, unless stdout holds the export itself.
      if (globals.json && where.kind !== 'stdout') terminal.json(exportResultJson(result));
    } finally {
      spinner.stop();
    }
  });
}

function destinationOf(format: 'json' | 'csv', out: string | undefined, context: CliContext): { destination: ExportDestination; where: ExportWhere } {
  if (format === 'csv') {
    if (out === undefined || out === '-') {
      throw new UsageError(
        '--out: a CSV export is several files (one per table), so it cannot go to standard output.',
        'Give a new or empty directory: --format csv --out DIR.',
      );
    }
    const dir = path.resolve(out);
    return { destination: { kind: 'directory', path: dir }, where: { kind: 'directory', path: dir } };
  }
  if (out === undefined || out === '-') return { destination: { kind: 'stream', stream: context.streams.stdout }, where: { kind: 'stdout' } };
  const file = path.resolve(out);
  return { destination: { kind: 'file', path: file }, where: { kind: 'file', path: file } };
}
