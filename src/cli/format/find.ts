import type { ChalkInstance } from 'chalk';
import type { FindResult } from '../../core/find.js';
import type { ColumnScan } from '../../core/scan.js';
import { displayValue, renderGrid } from './grid.js';
import { describeRow } from '../../db/row-key.js';
import { showKey } from '../../db/row-key.js';

export function formatFindResult(result: FindResult, palette: ChalkInstance): string {
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
    out.push(palette.yellow(`Anonymized on ${result.anonymized.at.slice(0, 10)} (audit entry ${result.anonymized.auditEntry}): what follows is what was left.`));
  }
  out.push(palette.dim('Columns marked * hold personal data.'));
  for (const table of result.tables) {
    out.push('', palette.bold(`${table.table}`) + ` (${table.rows.length} row${table.rows.length === 1 ? '' : 's'})`);
    if (table.rows.length === 0) continue;
    const columns = Object.keys(table.rows[0]!);
    const personal = new Set(table.personalColumns);
    const headers = columns.map((c) => (personal.has(c) ? palette.cyan(`${c}*`) : c));
    out.push(renderGrid(headers, table.rows.map((row) => columns.map((c) => displayValue(row[c])))));
  }
  if (result.mentions.length > 0) {
    out.push(
      '',
      palette.bold(`Mentioned in ${result.mentions.length} other row${result.mentions.length === 1 ? '' : 's'}`) + ' (free text of other people or tables; anonymize --mentions redacts them)',
      renderGrid(['table', 'column', 'key', 'mentions'], result.mentions.map((m) => [m.table, m.column, showKey(m.key), m.kinds.join(', ')])),
    );
  }
  if (result.referencedBy.length > 0) {
    out.push(
      '',
      palette.bold('Referenced by') + ' (rows that name this person; they are not part of them, and an erasure leaves them as they are)',
      renderGrid(['table', 'column', 'rows', 'keys'], result.referencedBy.map((r) => [r.table, r.column, String(r.keys.length), abbreviatedKeys(r.keys)])),
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
export function formatScan(results: ColumnScan[], palette: ChalkInstance): string {
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
