import { Command } from 'commander';
import { globalsOf, type CliContext } from '../context.js';
import { AUDIT_OPTIONS, type AuditSubcommand } from './audit-options.js';

export function auditCommand(context: CliContext): Command {
  return new Command('audit')
    .description('The audit trail, for the auditor: list, show, export as CSV or JSON, verify the hash chain. Reads only the audit store, never the database.')
    .addCommand(configured(context, listCommand(context)))
    .addCommand(configured(context, showCommand(context)))
    .addCommand(configured(context, exportCommand(context)))
    .addCommand(configured(context, verifyCommand(context)))
    .addHelpText(
      'after',
      `
Examples:
  $ lethe audit list --since 2026-01-01 --action anonymize
  $ lethe audit show 42
  $ lethe audit export --format csv --since 2026-01-01 --until 2026-12-31 --out erasures-2026.csv
  $ lethe audit verify

The audit commands need only audit.path and secrets.key from the data map: they work
without access to the database, and they never write to the audit store.`,
    );
}

function listCommand(context: CliContext): Command {
  return withOptions(new Command('list'), 'list')
    .description('The entries of the audit trail, newest first.')
    .addHelpText(
      'after',
      `
Examples:
  $ lethe audit list
  $ lethe audit list --since 2026-03-01 --operator dpo@example.com
  $ lethe audit list --action anonymize --json --limit all

--since and --until take a day (YYYY-MM-DD, UTC; --until includes that day) or an
ISO 8601 time (UTC unless it names a zone; --until is then exclusive).`,
    )
    .action(async (raw: unknown, command: Command) => {
      const { runAuditList } = await import('./audit-run.js');
      await runAuditList(context, raw as Record<string, unknown>, globalsOf(command));
    });
}

function showCommand(context: CliContext): Command {
  return withOptions(new Command('show'), 'show')
    .description('One audit entry whole: every field, the tables with their keys, ranges and digests, the hashes.')
    .argument('<id>', 'the entry number, as audit list shows it')
    .addHelpText(
      'after',
      `
Examples:
  $ lethe audit show 42
  $ lethe audit show 42 --json

Exit codes: 0 shown, 2 not an entry number, 4 no such entry.`,
    )
    .action(async (idText: string, _raw: unknown, command: Command) => {
      const { runAuditShow } = await import('./audit-run.js');
      await runAuditShow(context, idText, globalsOf(command));
    });
}

function exportCommand(context: CliContext): Command {
  return withOptions(new Command('export'), 'export')
    .description('The audit trail as CSV (one row per entry) or JSON lines, streamed, for the auditor.')
    .addHelpText(
      'after',
      `
Examples:
  $ lethe audit export --format csv --out audit.csv
  $ lethe audit export --format csv --since 2026-01-01 --until 2026-12-31 --action anonymize --out erasures-2026.csv
  $ lethe audit export --format json | jq 'select(.outcome == "failed")'

CSV columns (stable; new ones are only ever added at the end):
  id, at, operator, command, action, phase, outcome, dry_run, request_id, intent_id,
  subject_type, subject_key, tables, rows, keys, columns, detail, prev_hash, hash,
  database, database_id
A text cell that starts with = + - @ (or a tab or carriage return) gets a leading '
so that a spreadsheet does not run it as a formula. See the README, "Auditing".

--out writes under a temporary name and renames when complete; an existing file is
replaced only with --force, and a symbolic link never.

Exit codes: 0 exported, 1 the store cannot be read or the file written (nothing kept),
2 bad options or --out exists (without --force).`,
    )
    .action(async (raw: unknown, command: Command) => {
      const { runAuditExport } = await import('./audit-run.js');
      await runAuditExport(context, raw as Record<string, unknown>, globalsOf(command));
    });
}

function verifyCommand(context: CliContext): Command {
  return withOptions(new Command('verify'), 'verify')
    .description(
      'Walk the hash chain and check the tombstones: exit 0 when every entry and tombstone is intact and in place, 1 naming the first that is not. Lists jobs that never completed.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ lethe audit verify
  $ lethe audit verify --json
  $ lethe audit verify --anchor 3f5c…   # the last hash printed by an earlier verify

Exit codes: 0 intact (interrupted jobs are listed, and are not a failure), 1 an entry or a
tombstone was altered, removed, moved or added (or the anchor is not in the chain),
2 configuration error.`,
    )
    .action(async (raw: unknown, command: Command) => {
      const { runAuditVerify } = await import('./audit-run.js');
      await runAuditVerify(context, raw as Record<string, unknown>, globalsOf(command));
    });
}

/** The subcommand's options, from the one table that audit-line.ts parses too. */
function withOptions(command: Command, name: AuditSubcommand): Command {
  for (const spec of AUDIT_OPTIONS[name]) command.option(spec.flags, spec.help);
  return command;
}

/** Nested commands do not inherit the program's settings: errors must reach main's handler, output the context's streams. */
function configured(context: CliContext, command: Command): Command {
  return command
    .exitOverride()
    .configureOutput({
      writeOut: (s) => context.streams.stdout.write(s),
      writeErr: (s) => context.streams.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');
}
