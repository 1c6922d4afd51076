import type { Palette } from '../terminal/terminal.js';
import type { ExportProgress, ExportResult } from '../../core/export.js';
import { describeRow } from '../../db/row-key.js';

/** Where the export went, as the notice names it. */
export type ExportWhere = { kind: 'stdout' } | { kind: 'file'; path: string } | { kind: 'directory'; path: string };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatExportProgress(p: ExportProgress): string {
  return `Exporting ${p.table}: ${p.rows} rows (${p.totalRows} in all)`;
}

/**
 * The stderr notice after an export: what was written, where, and that it is personal
 * data. Names the person only by subject type and key.
 */
export function formatExportNotice(result: ExportResult, where: ExportWhere, palette: Palette): string {
  const rows = result.tables.reduce((n, t) => n + t.rows, 0);
  const withRows = result.tables.filter((t) => t.rows > 0).length;
  const what = `${plural(rows, 'row')} from ${plural(withRows, 'table')} about ${result.subject.name} ${describeRow(result.subject.table, [result.subject.primaryKey].flat(), result.subject.key)} (request ${result.requestId})`;
  const warning = palette.yellow('This is personal data.');
  switch (where.kind) {
    case 'stdout':
      return `Exported ${what} as JSON on standard output.\n${warning} Store and send it as such, and delete your copies once it is handed over.`;
    case 'file':
      return `Exported ${what} to ${where.path}.\n${warning} The file is readable by you only (0600); send it securely and delete it once it is handed over.`;
    case 'directory':
      return (
        `Exported ${what} to ${where.path}: ${plural(result.tables.length, 'CSV file')}, manifest.json and README.txt.\n` +
        `${warning} The files are readable by you only (0600); send them securely and delete them once they are handed over.`
      );
  }
}

/** The --json summary when the export itself went to files: counts and paths, no values. */
export function exportResultJson(result: ExportResult): unknown {
  return {
    requestId: result.requestId,
    exportedAt: result.exportedAt,
    format: result.format,
    subject: result.subject,
    tables: Object.fromEntries(result.tables.map((t) => [t.table, t.rows])),
    files: result.files,
    auditEntry: result.auditEntry,
  };
}
