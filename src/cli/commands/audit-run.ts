import type { AuditFilter, AuditStore } from '../../audit/index.js';
import { auditTrailIntact, checkAuditTrail, exportAuditTrailToFile, openAuditTrail, parseAuditTime, writeAuditExport } from '../../core/audit-report.js';
import { ExitCode, LetheError, NothingMatchedError, UsageError } from '../../errors.js';
import { configPathOf, terminalFor, type CliContext, type GlobalOptions } from '../context.js';
import { auditTrailCheckJson, formatAuditEntry, formatAuditList, formatAuditTrailCheck } from '../format/audit.js';
import { TERMINAL_LIMIT } from './audit-options.js';

/**
 * The audit commands' options, checked by hand rather than with zod: an auditor's `audit
 * list` then starts in a fraction of the time (zod alone was a third of its start-up).
 */
interface FilterOptions {
  since?: Date;
  until?: Date;
  action?: string;
  operator?: string;
  command?: string;
  request?: string;
}

const SEE_HELP = 'See --help for the options.';

function filterOptions(raw: Record<string, unknown>): FilterOptions {
  const options: FilterOptions = {};
  for (const bound of ['since', 'until'] as const) {
    const text = raw[bound];
    if (text === undefined) continue;
    const date = typeof text === 'string' ? parseAuditTime(text, bound) : undefined;
    if (!date) throw new UsageError(`--${bound}: "${String(text)}" is not a date: write YYYY-MM-DD or an ISO 8601 time such as 2026-03-01T09:30:00Z`, SEE_HELP);
    options[bound] = date;
  }
  for (const name of ['action', 'operator', 'command', 'request'] as const) {
    const value = raw[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw new UsageError(`--${name}: give a value.`, SEE_HELP);
    options[name] = value;
  }
  return options;
}

/** --limit N (a whole number from 1) or --limit all. */
function limitOption(value: unknown): number | 'all' | undefined {
  if (value === undefined || value === 'all') return value;
  const text = String(value).trim();
  const n = Number(text);
  if (text === '' || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--limit: give a whole number from 1, or all (not "${text}").`, SEE_HELP);
  return n;
}

function exportOptions(raw: Record<string, unknown>): FilterOptions & { format: 'csv' | 'json'; out: string; force: boolean } {
  const format = raw.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format: csv or json (not "${String(format)}").`, SEE_HELP);
  const out = raw.out ?? '-';
  if (typeof out !== 'string' || out === '') throw new UsageError('--out: give a file, or - for stdout.', SEE_HELP);
  return { ...filterOptions(raw), format, out, force: raw.force === true };
}

function verifyOptions(raw: Record<string, unknown>): { anchor?: string } {
  const anchor = raw.anchor;
  if (anchor === undefined) return {};
  if (typeof anchor !== 'string' || !/^[0-9a-fA-F]{64}$/.test(anchor))
    throw new UsageError('--anchor: give the 64 hex digits of a hash that audit verify printed earlier', SEE_HELP);
  return { anchor };
}

/**
 * `lethe audit list`, `show`, `export` and `verify`, loaded when they run, given the parsed
 * options (by commander's names) and the program's options; audit-options.ts lists them.
 */
export async function runAuditList(context: CliContext, raw: Record<string, unknown>, globals: GlobalOptions): Promise<void> {
  const given = withOperatorFilter(raw, globals.operator);
  const options = { ...filterOptions(given), limit: limitOption(given.limit) };
  const terminal = terminalFor(context, globals);
  await withAuditTrail(context, globals, (store) => {
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
}

export async function runAuditShow(context: CliContext, idText: string, globals: GlobalOptions): Promise<void> {
  if (!/^\d+$/.test(idText) || Number(idText) < 1 || !Number.isSafeInteger(Number(idText))) {
    throw new UsageError(`"${idText}" is not an audit entry number.`, 'Give the id that lethe audit list shows, e.g. lethe audit show 42.');
  }
  const id = Number(idText);
  const terminal = terminalFor(context, globals);
  await withAuditTrail(context, globals, (store) => {
    const entry = store.get(id);
    if (!entry) {
      const count = store.count();
      throw new NothingMatchedError(
        `No audit entry ${id}: the trail has ${count} entr${count === 1 ? 'y' : 'ies'}.`,
        'Run lethe audit list to see them; lethe audit verify checks that none is missing.',
      );
    }
    if (globals.json) {
      terminal.json(entry);
      return;
    }
    const links = entry.phase === 'intent' ? { completedBy: store.outcomeOf(entry.id)?.id ?? null } : {};
    terminal.result(formatAuditEntry(entry, links, terminal.palette));
  });
}

export async function runAuditExport(context: CliContext, raw: Record<string, unknown>, globals: GlobalOptions): Promise<void> {
  const options = exportOptions(withOperatorFilter(raw, globals.operator));
  const terminal = terminalFor(context, globals);
  await withAuditTrail(context, globals, async (store) => {
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
}

export async function runAuditVerify(context: CliContext, raw: Record<string, unknown>, globals: GlobalOptions): Promise<void> {
  const options = verifyOptions(raw);
  const terminal = terminalFor(context, globals);
  await withAuditTrail(context, globals, (store) => {
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
}

/**
 * The program takes --operator wherever it appears on the line (it names who acts, for the
 * other commands), so here it arrives as a global: for list and export it is the filter.
 */
function withOperatorFilter(raw: Record<string, unknown>, operator: string | undefined): Record<string, unknown> {
  return operator === undefined ? raw : { ...raw, operator };
}

function filterOf(options: FilterOptions): AuditFilter {
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
async function withAuditTrail<T>(context: CliContext, globals: GlobalOptions, job: (store: AuditStore) => T | Promise<T>): Promise<T> {
  const store = await openAuditTrail(configPathOf(globals, context.env), context.env);
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
