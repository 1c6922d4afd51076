/**
 * The audit commands' options, once: audit.ts declares them to commander (help, errors) and
 * audit-line.ts parses the usual lines with them without loading commander.
 */
import type { OptionSpec } from '../command-line.js';

export const AUDIT_SUBCOMMANDS = ['list', 'show', 'export', 'verify'] as const;
export type AuditSubcommand = (typeof AUDIT_SUBCOMMANDS)[number];

/** Shown when stdout is a terminal and no --limit is given; a pipe gets every entry. */
export const TERMINAL_LIMIT = 50;

const FILTERS: readonly OptionSpec[] = [
  { flags: '--since <date>', help: 'from this day or time on (YYYY-MM-DD or ISO 8601, UTC)' },
  { flags: '--until <date>', help: 'up to and including this day, or before this time' },
  { flags: '--action <action>', help: 'only this action (find, anonymize, sweep, ...)' },
  { flags: '--operator <name>', help: 'only entries by this operator' },
  { flags: '--command <name>', help: 'only entries of this lethe command' },
  { flags: '--request <id>', help: 'only the entries of one job (its request id)' },
];

export const AUDIT_OPTIONS: Readonly<Record<AuditSubcommand, readonly OptionSpec[]>> = {
  list: [...FILTERS, { flags: '--limit <n>', help: `at most this many (default ${TERMINAL_LIMIT} on a terminal, all in a pipe; "all" for all)` }],
  show: [],
  export: [
    ...FILTERS,
    { flags: '--format <format>', help: 'csv or json (JSON lines: one entry per line, as stored) (default csv)' },
    { flags: '--out <path>', help: 'a file, created 0600 because it holds primary keys; - for standard output (default -)' },
    { flags: '--force', help: 'replace the --out file if it exists (never a symbolic link)' },
  ],
  verify: [{ flags: '--anchor <hash>', help: 'a last hash recorded earlier: it must still be in the chain (catches removed newest entries)' }],
};

/** How many arguments each subcommand takes (show: the entry number). */
export const AUDIT_ARGUMENTS: Readonly<Record<AuditSubcommand, number>> = { list: 0, show: 1, export: 0, verify: 0 };
