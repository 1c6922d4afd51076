import { z } from 'zod';
import { findPeople } from '../../core/find.js';
import { terminalFor, withSession, type CliContext, type GlobalOptions } from '../context.js';
import { findResultJson, formatFindResult, formatScan, formatTextSearch, textSearchJson } from '../format/find.js';
import { scanDatabase } from '../../core/scan.js';
import { parseAuditTime } from '../../core/audit-report.js';
import { describeSkipped, searchText, type KeptColumnFilter } from '../../core/text-search.js';
import { ExitCode, LetheError, UsageError } from '../../errors.js';
import { parseOptions } from '../parse-options.js';

const findOptions = z.object({
  by: z.string().optional(),
  subject: z.string().optional(),
  scan: z.boolean().default(false),
  sample: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  showValues: z.boolean().default(false),
  text: z.string().optional(),
  table: z.string().min(1).optional(),
  since: time('since'),
  until: time('until'),
  where: z
    .array(z.string())
    .default([])
    .transform((filters, ctx) =>
      filters.flatMap((filter): KeptColumnFilter[] => {
        const at = filter.indexOf('=');
        if (at > 0) return [{ column: filter.slice(0, at).trim(), value: filter.slice(at + 1) }];
        ctx.addIssue({ code: 'custom', message: `"${filter}" is not column=value (e.g. --where agent_name=Sam)` });
        return [];
      }),
    ),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** --since and --until: a day (YYYY-MM-DD, UTC; --until includes it) or an ISO 8601 time, as the audit commands read them. */
function time(bound: 'since' | 'until') {
  return z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const date = parseAuditTime(text, bound);
      if (!date) ctx.addIssue({ code: 'custom', message: `"${text}" is not a date: write YYYY-MM-DD or an ISO 8601 time such as 2026-03-01T09:30:00Z` });
      return date;
    });
}

/** Options that only --text takes. */
const SEARCH_ONLY = [
  ['table', '--table'],
  ['since', '--since'],
  ['until', '--until'],
  ['limit', '--limit'],
] as const;

/** `lethe find`, loaded when it runs (find.ts defines its options and help). */
export async function runFind(context: CliContext, value: string | undefined, raw: unknown, globals: GlobalOptions): Promise<void> {
  const options = parseOptions(findOptions, raw);
  const terminal = terminalFor(context, globals);
  const searchOnly = [...SEARCH_ONLY.filter(([name]) => options[name] !== undefined).map(([, flag]) => flag), ...(options.where.length > 0 ? ['--where'] : [])];
  if (options.text !== undefined) {
    if (value !== undefined)
      throw new UsageError(
        '--text searches free text across records; give no value with it (find <value> looks up one person by an identifier).',
        'Quote several words as one argument: --text "ORD-10042 refund".',
      );
    const other = [...(options.scan ? ['--scan'] : []), ...(options.by ? ['--by'] : []), ...(options.subject ? ['--subject'] : [])];
    if (other.length > 0) throw new UsageError(`--text cannot be combined with ${other.join(', ')}.`);
    await withSession(context, globals, terminal, async (session) => {
      const result = await terminal.underSpinner('Searching…', (spinner) =>
        searchText(session, {
          text: options.text!,
          ...(options.table !== undefined ? { table: options.table } : {}),
          ...(options.since ? { since: options.since } : {}),
          ...(options.until ? { until: options.until } : {}),
          where: options.where,
          ...(options.limit !== undefined ? { limit: options.limit } : {}),
          showValues: options.showValues,
          signal: context.signal,
          onProgress: ({ table, matched }) => spinner.update(`Searching… ${table} done, ${matched} found`),
        }),
      );
      if (result.matches.length === 0) {
        const tables = result.searched.map((t) => t.table);
        throw new LetheError(
          `No record holds ${result.words === 1 ? 'the word' : `all ${result.words} words`} in the ${tables.length} table${tables.length === 1 ? '' : 's'} searched (${tables.join(', ')}).`,
          ExitCode.nothingMatched,
          result.skipped.length > 0
            ? `Left out: ${result.skipped.map(describeSkipped).join('; ')}.`
            : 'Try fewer words, or part of a word (the search finds words inside longer ones).',
          { result: textSearchJson(result) as Record<string, unknown> },
        );
      }
      if (globals.json) terminal.json(textSearchJson(result));
      else terminal.result(formatTextSearch(result, terminal.palette, { showValues: options.showValues }));
    });
    return;
  }
  if (searchOnly.length > 0)
    throw new UsageError(
      `${searchOnly.join(', ')} only work${searchOnly.length === 1 ? 's' : ''} with --text.`,
      'e.g. lethe find --text "ORD-10042" --since 2026-01-01',
    );
  if (options.scan) {
    if (value !== undefined) throw new UsageError('--scan looks at the whole database, not at one person: give no value with it.');
    await withSession(context, globals, terminal, async (session) => {
      const results = await terminal.underSpinner('Scanning text columns…', () =>
        scanDatabase(session, { sample: options.sample, showValues: options.showValues }),
      );
      if (globals.json) terminal.json({ sample: options.sample, columns: results });
      else terminal.result(formatScan(results, terminal.palette));
    });
    return;
  }
  if (value === undefined) throw new UsageError('Say who to look for: a value (e-mail, phone, id...), or --scan for the whole database.');
  await withSession(context, globals, terminal, async (session) => {
    const results = await terminal.underSpinner('Looking up…', () =>
      findPeople(session, value, { ...(options.by ? { by: options.by } : {}), ...(options.subject ? { subject: options.subject } : {}) }),
    );
    // One person: the result itself, as always; several kinds of person: each, labelled by its subject.
    if (globals.json) terminal.json(results.length === 1 ? findResultJson(results[0]!) : { matches: results.map(findResultJson) });
    else
      terminal.result(
        results
          .map(
            (result) => `${results.length > 1 ? `${terminal.palette.bold(`As ${result.subject.name}:`)}\n` : ''}${formatFindResult(result, terminal.palette)}`,
          )
          .join('\n\n'),
      );
  });
}
