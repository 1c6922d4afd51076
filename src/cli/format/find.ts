import type { Palette } from '../terminal/terminal.js';
import type { FindResult } from '../../core/find.js';
import type { ColumnScan } from '../../core/scan.js';
import { describeSkipped, type TextSearchResult } from '../../core/text-search.js';
import { displayValue, printable, renderGrid } from './grid.js';
import { describeRow } from '../../db/row-key.js';
import { showKey } from '../../db/row-key.js';

export function formatFindResult(result: FindResult, palette: Palette): string {
  const { subject } = result;
  const total = result.tables.reduce((n, t) => n + t.rows.length, 0);
  const out: string[] = [
    palette.bold(`${subject.name} ${describeRow(subject.table, [subject.primaryKey].flat(), subject.key)}`) +
      ` (matched by ${subject.matchedBy.join(', ')}): ${total} row${total === 1 ? '' : 's'} in ${result.tables.filter((t) => t.rows.length).length} tables`,
  ];
  if (result.erased) {
    out.push(
      palette.red(
        `Warning: this ${subject.name} was erased on ${result.erased.at.slice(0, 10)} (audit entry ${result.erased.auditEntry}), yet their data is here again (restored from a backup?). Run lethe reapply to erase it again.`,
      ),
    );
  }
  if (result.anonymized && !result.erased) {
    out.push(
      palette.yellow(`Anonymized on ${result.anonymized.at.slice(0, 10)} (audit entry ${result.anonymized.auditEntry}): what follows is what was left.`),
    );
  }
  out.push(palette.dim('Columns marked * hold personal data.'));
  for (const table of result.tables) {
    out.push('', palette.bold(`${table.table}`) + ` (${table.rows.length} row${table.rows.length === 1 ? '' : 's'})`);
    if (table.rows.length === 0) continue;
    const columns = Object.keys(table.rows[0]!);
    const personal = new Set(table.personalColumns);
    const headers = columns.map((c) => (personal.has(c) ? palette.cyan(`${c}*`) : c));
    out.push(
      renderGrid(
        headers,
        table.rows.map((row) => columns.map((c) => displayValue(row[c]))),
      ),
    );
  }
  if (result.mentions.length > 0) {
    out.push(
      '',
      palette.bold(`Mentioned in ${result.mentions.length} other row${result.mentions.length === 1 ? '' : 's'}`) +
        ' (free text of other people or tables; anonymize --mentions redacts them)',
      renderGrid(
        ['table', 'column', 'key', 'mentions'],
        result.mentions.map((m) => [m.table, m.column, showKey(m.key), m.kinds.join(', ')]),
      ),
    );
  }
  if (result.referencedBy.length > 0) {
    out.push(
      '',
      palette.bold('Referenced by') + ' (rows that name this person; they are not part of them, and an erasure leaves them as they are)',
      renderGrid(
        ['table', 'column', 'rows', 'keys'],
        result.referencedBy.map((r) => [r.table, r.column, String(r.keys.length), abbreviatedKeys(r.keys)]),
      ),
    );
  }
  return out.join('\n');
}

/** Up to ten keys, then how many more. */
function abbreviatedKeys(keys: unknown[]): string {
  return keys.length <= 10 ? keys.map(String).join(', ') : `${keys.slice(0, 10).map(String).join(', ')} and ${keys.length - 10} more`;
}

/** The --json document: `{ subject, tables: { table: [rows] } }` plus what the map says is personal. */
export function findResultJson(result: FindResult): unknown {
  return {
    subject: result.subject,
    requestId: result.requestId,
    anonymized: result.anonymized ?? null,
    erased: result.erased ?? null,
    mentions: result.mentions,
    referencedBy: result.referencedBy,
    tables: Object.fromEntries(result.tables.map((t) => [t.table, t.rows])),
    personalColumns: Object.fromEntries(result.tables.map((t) => [t.table, t.personalColumns])),
  };
}

/** The --scan report: per text column, what was found; never a value unless --show-values. */
export function formatScan(results: ColumnScan[], palette: Palette): string {
  const withData = results.filter((r) => Object.keys(r.found).length > 0);
  const flagged = results.filter((r) => r.flagged);
  const rows = withData.map((r) => [
    `${r.table}.${r.column}`,
    String(r.sampled),
    Object.entries(r.found)
      .sort((a, b) => b[1] - a[1])
      .map(([type, n]) => `${type} ${n}`)
      .join(', '),
    r.declared,
    r.flagged ? palette.red('UNDECLARED personal data') : 'personal data',
  ]);
  const out = [
    palette.bold(`Scanned ${results.length} text columns: personal data in ${withData.length}, ${flagged.length} not declared by the map.`),
    rows.length ? renderGrid(['column', 'sampled', 'found (rows)', 'map', 'flag'], rows, { maxCell: 80 }) : 'No personal data found in the sample.',
  ];
  const examples = withData.filter((r) => r.examples?.length);
  if (examples.length) out.push('', ...examples.flatMap((r) => [`${r.table}.${r.column}:`, ...r.examples!.map((e) => `  ${e}`)]));
  return out.join('\n');
}

/**
 * find --text: one line per record (table, key, time, column, context), then whether more
 * matched than were listed and which tables the filters left out.
 */
export function formatTextSearch(result: TextSearchResult, palette: Palette, options: { showValues?: boolean } = {}): string {
  const n = result.matches.length;
  const tables = new Set(result.matches.map((m) => m.table)).size;
  const words = result.words === 1 ? 'the word' : `all ${result.words} words`;
  const out = [
    palette.bold(
      `${result.more ? `The first ${n}` : n} record${n === 1 ? '' : 's'} in ${tables} table${tables === 1 ? '' : 's'} hold${n === 1 && !result.more ? 's' : ''} ${words}`,
    ) + (options.showValues ? '' : palette.dim(' (••• is a searched word; --show-values shows the text as it is)')),
    renderGrid(
      ['table', 'key', 'time', 'column', 'context'],
      result.matches.map((m) => [m.table, printable(showKey(m.key)), m.time ?? '-', m.column, printable(m.context)]),
      { maxCell: 120 },
    ),
  ];
  if (result.more) out.push(palette.yellow(`More records match: narrow the search with --table, --since, --until or --where, or raise --limit (now ${n}).`));
  if (result.skipped.length > 0) out.push(palette.dim(`Left out: ${result.skipped.map(describeSkipped).join('; ')}.`));
  return out.join('\n');
}

/** The --text document: `{ matches: [{ table, key, time, column, context }], more, skipped, searched }`. */
export function textSearchJson(result: TextSearchResult): unknown {
  return {
    requestId: result.requestId,
    words: result.words,
    matches: result.matches,
    more: result.more,
    skipped: result.skipped,
    searched: result.searched,
  };
}
