import { Command } from 'commander';
import { type CliContext, globalsOf } from '../context.js';

export function exportCommand(context: CliContext): Command {
  return new Command('export')
    .description(
      "Export everything held about a person, for their right of access and portability: JSON or CSV, with each column's category and each table's retention period.",
    )
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
      const { runExport } = await import('./export-run.js');
      await runExport(context, value, raw, globalsOf(command));
    });
}
