import { Command } from 'commander';
import { z } from 'zod';
import type { AuditFilter, AuditStore } from '../../audit/index.js';
import {
  auditTrailIntact,
  checkAuditTrail,
  exportAuditTrailToFile,
  openAuditTrail,
  parseAuditTime,
  writeAuditExport,
} from '../../core/audit-report.js';
import { ExitCode, LetheError, NothingMatchedError, UsageError } from '../../errors.js';
import { configPathOf, globalsOf, terminalFor, type CliContext } from '../context.js';
import { auditTrailCheckJson, formatAuditEntry, formatAuditList, formatAuditTrailCheck } from '../format/audit.js';
import { parseOptions } from '../parse-options.js';

/** Shown when stdout is a terminal and no --limit is given; a pipe gets every entry. */
const TERMINAL_LIMIT = 50;

const time = (bound: 'since' | 'until') =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const date = parseAuditTime(text, bound);
      if (!date) ctx.addIssue({ code: 'custom', message: `"${text}" is not a date: write YYYY-MM-DD or an ISO 8601 time such as 2026-03-01T09:30:00Z` });
      return date;
    });

const filterOptions = z.object({
  since: time('since'),
  until: time('until'),
  action: z.string().min(1).optional(),
  operator: z.string().min(1).optional(),
  command: z.string().min(1).optional(),
  request: z.string().min(1).optional(),
});

const listOptions = filterOptions.extend({
  limit: z.union([z.literal('all'), z.coerce.number().int().min(1)]).optional(),
});

const exportOptions = filterOptions.extend({
  format: z.enum(['csv', 'json']).default('csv'),
  out: z.string().min(1).default('-'),
  force: z.boolean().default(false),
});

const verifyOptions = z.object({
  anchor: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'give the 64 hex digits of a hash that audit verify printed earlier')
    .optional(),
});

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
  return withFilters(new Command('list'))
    .description('The entries of the audit trail, newest first.')
    .option('--limit <n>', `at most this many (default ${TERMINAL_LIMIT} on a terminal, all in a pipe; "all" for all)`)
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
      const globals = globalsOf(command);
      const options = parseOptions(listOptions, withOperatorFilter(raw, globals.operator));
      const terminal = terminalFor(context, globals);
      await withAuditTrail(context, command, (store) => {
        const filter = filterOf(options);
        const limit = options.limit === 'all' ? undefined : (options.limit ?? (context.streams.stdout.isTTY ? TERMINAL_LIMIT : undefined));
        const entries = store.list({ ...filter, order: 'desc', ...(limit !== undefined ? { limit } : {}) });
        if (globals.json) terminal.json(entries);
        else if (entries.length > 0) terminal.result(formatAuditList(entries, new Set(store.interruptedJobs().map((e) => e.id)), terminal.palette));
        if (entries.length === 0) {
          terminal.info('No audit entries match.');
          return;
        }
        const total = limit !== undefined && entries.length === limit ? store.count(filter) : entries.length;
        if (total > entries.length) {
          terminal.info(`The newest ${entries.length} of ${total} entries; --limit N or --limit all for more, or lethe audit export for a file.`);
        }
      });
    });
}

function showCommand(context: CliContext): Command {
  return new Command('show')
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
      if (!/^\d+$/.test(idText) || Number(idText) < 1 || !Number.isSafeInteger(Number(idText))) {
        throw new UsageError(`"${idText}" is not an audit entry number.`, 'Give the id that lethe audit list shows, e.g. lethe audit show 42.');
      }
      const id = Number(idText);
      const globals = globalsOf(command);
      const terminal = terminalFor(context, globals);
      await withAuditTrail(context, command, (store) => {
        const entry = store.get(id);
        if (!entry) {
          const count = store.count();
          throw new NothingMatchedError(`No audit entry ${id}: the trail has ${count} entr${count === 1 ? 'y' : 'ies'}.`, 'Run lethe audit list to see them; lethe audit verify checks that none is missing.');
        }
        if (globals.json) {
          terminal.json(entry);
          return;
        }
        const links = entry.phase === 'intent' ? { completedBy: store.outcomeOf(entry.id)?.id ?? null } : {};
        terminal.result(formatAuditEntry(entry, links, terminal.palette));
      });
    });
}

function exportCommand(context: CliContext): Command {
  return withFilters(new Command('export'))
    .description('The audit trail as CSV (one row per entry) or JSON lines, streamed, for the auditor.')
    .option('--format <format>', 'csv or json (JSON lines: one entry per line, as stored) (default csv)')
    .option('--out <path>', 'a file, created 0600 because it holds primary keys; - for standard output (default -)')
    .option('--force', 'replace the --out file if it exists (never a symbolic link)')
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
      const globals = globalsOf(command);
      const options = parseOptions(exportOptions, withOperatorFilter(raw, globals.operator));
      const terminal = terminalFor(context, globals);
      await withAuditTrail(context, command, async (store) => {
        const request = { format: options.format, filter: filterOf(options) };
        if (options.out === '-') {
          const count = await writeToStdout(store, context, request);
          if (count !== undefined) terminal.info(`${count} audit entr${count === 1 ? 'y' : 'ies'} exported.`);
          return;
        }
        const count = await exportAuditTrailToFile(store, options.out, { ...request, replace: options.force });
        if (globals.json) terminal.json({ entries: count, format: options.format, out: options.out });
        terminal.info(`${count} audit entr${count === 1 ? 'y' : 'ies'} written to ${options.out} (mode 0600: it holds primary keys).`);
      });
    });
}

function verifyCommand(context: CliContext): Command {
  return new Command('verify')
    .description('Walk the hash chain and check the tombstones: exit 0 when every entry and tombstone is intact and in place, 1 naming the first that is not. Lists jobs that never completed.')
    .option('--anchor <hash>', 'a last hash recorded earlier: it must still be in the chain (catches removed newest entries)')
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
      const options = parseOptions(verifyOptions, raw);
      const globals = globalsOf(command);
      const terminal = terminalFor(context, globals);
      await withAuditTrail(context, command, (store) => {
        const check = checkAuditTrail(store, options.anchor ? { anchor: options.anchor } : {});
        // Under --json a broken trail is one document: the report, with the error in it.
        const report = auditTrailCheckJson(check);
        const failure = { code: 'audit-not-intact', result: report } as const;
        const { verification } = check;
        if (!verification.ok) {
          throw new LetheError(
            `The audit trail at ${check.path} is not intact: ${verification.reason}.`,
            ExitCode.failed,
            verification.tombstone !== undefined
              ? `Every audit entry is intact. Compare tombstone ${verification.tombstone} (table tombstone) with a backup or copy of the audit file.`
              : verification.firstBadId > 1
                ? `Entries 1 to ${verification.firstBadId - 1} are intact. Compare entry ${verification.firstBadId} with a backup or copy of the audit file.`
                : 'Compare with a backup or copy of the audit file.',
            failure,
          );
        }
        if (!auditTrailIntact(check)) {
          throw new LetheError(
            `The audit trail at ${check.path} holds ${verification.entries} intact entries, but none has the anchor hash ${check.anchor!.hash}: entries were removed from its end, or it was rewritten.`,
            ExitCode.failed,
            'Compare with a backup or copy of the audit file.',
            failure,
          );
        }
        if (check.chain === 'sha256') {
          terminal.warn('The chain is not keyed (no secrets.key): whoever can write the file can recompute it after an edit. Set secrets.key to key new stores.');
        }
        if (globals.json) terminal.json(report);
        else terminal.result(formatAuditTrailCheck(check, terminal.palette));
      });
    });
}

function withFilters(command: Command): Command {
  return command
    .option('--since <date>', 'from this day or time on (YYYY-MM-DD or ISO 8601, UTC)')
    .option('--until <date>', 'up to and including this day, or before this time')
    .option('--action <action>', 'only this action (find, anonymize, sweep, ...)')
    .option('--operator <name>', 'only entries by this operator')
    .option('--command <name>', 'only entries of this lethe command')
    .option('--request <id>', 'only the entries of one job (its request id)');
}

/**
 * The program takes --operator wherever it appears on the line (it names who acts, for the
 * other commands), so here it arrives as a global: for list and export it is the filter.
 */
function withOperatorFilter(raw: unknown, operator: string | undefined): unknown {
  return operator === undefined ? raw : { ...(raw as object), operator };
}

function filterOf(options: z.infer<typeof filterOptions>): AuditFilter {
  return {
    ...(options.since ? { since: options.since } : {}),
    ...(options.until ? { until: options.until } : {}),
    ...(options.action ? { action: options.action } : {}),
    ...(options.operator ? { operator: options.operator } : {}),
    ...(options.command ? { command: options.command } : {}),
    ...(options.request ? { requestId: options.request } : {}),
  };
}

/** Opens the store read-only from the map's audit.path and secrets.key, and always closes it. */
async function withAuditTrail<T>(context: CliContext, command: Command, job: (store: AuditStore) => T | Promise<T>): Promise<T> {
  const store = await openAuditTrail(configPathOf(globalsOf(command), context.env), context.env);
  try {
    return await job(store);
  } finally {
    store.close();
  }
}

/** A reader that closes the pipe early (`| head`) has all it wants: that is not a failure. Undefined then. */
async function writeToStdout(store: AuditStore, context: CliContext, options: Parameters<typeof writeAuditExport>[2]): Promise<number | undefined> {
  try {
    return await writeAuditExport(store, context.streams.stdout, { ...options, end: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return undefined;
    throw error;
  }
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
