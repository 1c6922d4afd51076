import path from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { exportPerson, type ExportDestination } from '../../core/export.js';
import { UsageError } from '../../errors.js';
import { globalsOf, terminalFor, withSession, type CliContext } from '../context.js';
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

export function exportCommand(context: CliContext): Command {
  return new Command('export')
    .description("Export everything held about a person, for their right of access and portability: JSON or CSV, with each column's category and each table's retention period.")
    .argument('<value>', 'an identifier of the person: e-mail, phone, id, ...')
    .option('--by <name>', 'compare the value with this identifier only (e.g. email, phone, id)')
    .option('--subject <name>', 'the kind of person, when the map defines several')
    .option('--format <format>', 'json (one document) or csv (a directory, one file per table)', 'json')
    .option('--out <path>', 'json: a file, or - for standard output (the default); csv: a new or empty directory')
    .option('--force', 'replace what --out names: a file, or a directory holding an earlier CSV export (never a symbolic link)')
    .addHelpText(
      'after',
      `
Examples:
  $ lethe export jane.doe@example.com --out jane-doe.json
  $ lethe export jane.doe@example.com --format csv --out ./export-jane-doe
  $ lethe export 1 --by id > export.json
  $ lethe export "+44 20 7946 0958" --out - | gzip > export.json.gz

Files are created readable by you only (0600; a directory 0700), under a temporary name,
and put in place only when complete: a failed export leaves nothing. An existing file, or a
directory that is not empty, is refused unless --force is given (and a directory is then
replaced only if it holds an earlier lethe CSV export); a symbolic link is always refused.
Columns marked export: false in the data map are left out. Every export is recorded in the
audit trail (subject key, tables, row counts; never values or the path).

Exit codes: 0 exported, 1 failed (nothing kept), 2 bad options, --out exists (without --force)
or several people match (use --by), 4 nothing matched, 130 interrupted (nothing kept).`,
    )
    .action(async (value: string, raw: unknown, command: Command) => {
      const options = parseOptions(exportOptions, raw);
      const globals = globalsOf(command);
      const terminal = terminalFor(context, globals);
      const { destination, where } = destinationOf(options.format, options.out, context);
      await withSession(context, globals, terminal, async (session) => {
        // A spinner would garble a document written to the same terminal.
        const spinner = where.kind === 'stdout' && context.streams.stdout.isTTY ? { update() {}, stop() {} } : terminal.spinner('Looking up…');
        try {
          const result = await withChosenSubject(terminal, options.subject, (subject) =>
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
            terminal.warn(`this ${result.subject.name} was erased on ${result.erased.at.slice(0, 10)} (audit entry ${result.erased.auditEntry}), yet their data is here again (restored from a backup?); run lethe reapply.`);
          }
          terminal.info(formatExportNotice(result, where, terminal.palette));
          // Under --json the summary goes to stdout, unless stdout holds the export itself.
          if (globals.json && where.kind !== 'stdout') terminal.json(exportResultJson(result));
        } finally {
          spinner.stop();
        }
      });
    });
}

function destinationOf(format: 'json' | 'csv', out: string | undefined, context: CliContext): { destination: ExportDestination; where: ExportWhere } {
  if (format === 'csv') {
    if (out === undefined || out === '-') {
      throw new UsageError('--out: a CSV export is several files (one per table), so it cannot go to standard output.', 'Give a new or empty directory: --format csv --out DIR.');
    }
    const dir = path.resolve(out);
    return { destination: { kind: 'directory', path: dir }, where: { kind: 'directory', path: dir } };
  }
  if (out === undefined || out === '-') return { destination: { kind: 'stream', stream: context.streams.stdout }, where: { kind: 'stdout' } };
  const file = path.resolve(out);
  return { destination: { kind: 'file', path: file }, where: { kind: 'file', path: file } };
}
