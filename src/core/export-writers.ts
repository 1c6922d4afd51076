import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { stringify, type Stringifier } from 'csv-stringify';
import type { ExportDirectory, TextSink } from './export-files.js';
import { csvFileName } from './export-files.js';
import type { ExportColumn, ExportRetention, ExportTable } from './export-tables.js';
import type { RowKey } from './subject-lookup.js';
import { showKey } from '../db/row-key.js';

/** What the export says about itself, before the tables. */
export interface ExportHead {
  subject: { name: string; table: string; key: RowKey };
  exportedAt: string;
  requestId: string;
  /**
   * Rows that name the person through a reference (map `references`): how many, per table
   * and column. Not their contents: those rows are not the person's (other customers).
   */
  references: { table: string; column: string; rows: number }[];
}

/**
 * Receives an export as it is read, table by table and page by page, and writes it
 * straight out: nothing here holds more than one page.
 */
export interface ExportWriter {
  beginTable(table: ExportTable): Promise<void>;
  /** Records of exported columns only, values already portable (see exportRecord). */
  writeRows(table: ExportTable, records: Record<string, unknown>[]): Promise<void>;
  endTable(table: ExportTable, rows: number): Promise<void>;
  /** Completes the output; returns the names of the files written (none for a stream). */
  finish(): Promise<string[]>;
}

/** `{ "<column>": { category, personal } }`, as the document and the manifest describe a table. */
export function describeColumns(columns: ExportColumn[]): Record<string, { category: string | null; personal: boolean }> {
  return Object.fromEntries(columns.map((c) => [c.name, { category: c.category, personal: c.personal }]));
}

/** JSON.stringify(value, null, 2), its lines after the first indented by `depth` spaces, to sit inside a larger document. */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${' '.repeat(depth)}`);
}

/** One line per column: `"email": {"category":"contact.email","personal":true}`. */
function columnsJson(columns: ExportColumn[]): string {
  if (columns.length === 0) return '{}';
  const lines = Object.entries(describeColumns(columns)).map(([name, description]) => `        ${JSON.stringify(name)}: ${JSON.stringify(description)}`);
  return `{\n${lines.join(',\n')}\n      }`;
}

/**
 * One JSON document, written piece by piece:
 * `{ subject, exportedAt, requestId, tables: { <table>: { retention, columns, rows: [...] } } }`.
 * Metadata is indented for a reader; each row is one line.
 */
export class JsonExportWriter implements ExportWriter {
  private tablesWritten = 0;
  private rowsInTable = 0;

  constructor(
    private readonly sink: TextSink,
    private readonly head: ExportHead,
  ) {}

  async begin(): Promise<void> {
    const { subject, exportedAt, requestId, references } = this.head;
    await this.sink.write(
      `{\n  "subject": ${nested(subject, 2)},\n  "exportedAt": ${JSON.stringify(exportedAt)},\n  "requestId": ${JSON.stringify(requestId)},\n  "references": ${nested(references, 2)},\n  "tables": {`,
    );
  }

  async beginTable(table: ExportTable): Promise<void> {
    this.rowsInTable = 0;
    await this.sink.write(
      `${this.tablesWritten++ === 0 ? '' : ','}\n    ${JSON.stringify(table.name)}: {\n` +
        `      "retention": ${nested(table.retention, 6)},\n` +
        `      "columns": ${columnsJson(table.columns)},\n` +
        `      "rows": [`,
    );
  }

  async writeRows(_table: ExportTable, records: Record<string, unknown>[]): Promise<void> {
    for (const record of records) {
      await this.sink.write(`${this.rowsInTable++ === 0 ? '' : ','}\n        ${JSON.stringify(record)}`);
    }
  }

  async endTable(): Promise<void> {
    await this.sink.write(this.rowsInTable === 0 ? ']\n    }' : '\n      ]\n    }');
  }

  async finish(): Promise<string[]> {
    await this.sink.write(`${this.tablesWritten === 0 ? '' : '\n  '}}\n}\n`);
    await this.sink.flush();
    return [];
  }
}

/** Per table, what the manifest records. */
export interface CsvTableFile {
  table: string;
  file: string;
  rows: number;
  columns: ExportColumn[];
  retention: ExportRetention | null;
}

/**
 * A directory of RFC 4180 files (UTF-8, comma-separated, CRLF, a header row), one per
 * table, streamed through csv-stringify; then manifest.json and README.txt describe them.
 */
export class CsvExportWriter implements ExportWriter {
  private readonly names = new Set<string>();
  private readonly written: CsvTableFile[] = [];
  private current: { stringifier: Stringifier; done: Promise<void>; file: string } | undefined;

  constructor(
    private readonly directory: ExportDirectory,
    private readonly head: ExportHead,
  ) {}

  async beginTable(table: ExportTable): Promise<void> {
    const file = csvFileName(table.name, this.names);
    const stringifier = stringify({
      header: true,
      columns: table.columns.map((c) => c.name),
      record_delimiter: '\r\n',
      cast: {
        boolean: (value) => (value ? 'true' : 'false'),
        // JSON columns (PostgreSQL json/jsonb, arrays) as JSON text.
        object: (value) => JSON.stringify(value),
      },
    });
    const done = pipeline(stringifier, this.directory.createStream(file));
    // Awaited in endTable; a failure before then also surfaces through the next write.
    done.catch(() => undefined);
    this.current = { stringifier, done, file };
  }

  async writeRows(table: ExportTable, records: Record<string, unknown>[]): Promise<void> {
    const { stringifier, done } = this.current!;
    for (const record of records) {
      if (!stringifier.write(table.columns.map((c) => record[c.name]))) {
        await Promise.race([once(stringifier, 'drain'), done]);
      }
    }
  }

  async endTable(table: ExportTable, rows: number): Promise<void> {
    const { stringifier, done, file } = this.current!;
    stringifier.end();
    await done;
    this.current = undefined;
    this.written.push({ table: table.name, file, rows, columns: table.columns, retention: table.retention });
  }

  async finish(): Promise<string[]> {
    await this.directory.writeFile('manifest.json', `${JSON.stringify(csvManifest(this.head, this.written), null, 2)}\n`);
    await this.directory.writeFile('README.txt', csvReadme(this.head, this.written));
    return this.directory.files;
  }

  /** Stops the file being written, after a failure. */
  abort(): void {
    this.current?.stringifier.destroy();
  }
}

export function csvManifest(head: ExportHead, files: CsvTableFile[]): unknown {
  return {
    ...head,
    format: 'csv',
    tables: Object.fromEntries(files.map((f) => [f.table, { file: f.file, rows: f.rows, retention: f.retention, columns: describeColumns(f.columns) }])),
  };
}

function describeRetention(retention: ExportRetention | null): string {
  const parts: string[] = [];
  if (retention?.anonymizeAfter) parts.push(`anonymized after ${retention.anonymizeAfter}`);
  if (retention?.deleteAfter) parts.push(`deleted after ${retention.deleteAfter}`);
  if (parts.length > 0 && retention?.timestamp) parts.push(`counted from ${retention.timestamp}`);
  if (retention?.inactiveFor) parts.unshift(`anonymized after ${retention.inactiveFor} without activity`);
  return parts.length > 0 ? parts.join(', ') : 'no retention period in the data map';
}

export function csvReadme(head: ExportHead, files: CsvTableFile[]): string {
  const lines = [
    'Personal data export',
    '====================',
    '',
    `Subject:     ${head.subject.name} (${head.subject.table} ${showKey(head.subject.key)})`,
    `Exported at: ${head.exportedAt}`,
    `Request id:  ${head.requestId}`,
    ...head.references.map((r) => `Named in:    ${r.rows} row${r.rows === 1 ? '' : 's'} of ${r.table} (column ${r.column}), which are not part of this export`),
    '',
    'This directory holds one CSV file per table of data held about the subject. Each file',
    'follows RFC 4180: UTF-8, comma-separated, CRLF line ends, the column names in the first',
    'row. Times are ISO 8601 (UTC), binary values base64, an empty field is an empty or',
    'missing value. manifest.json says the same as this file, for programs.',
    '',
    'Columns marked * hold personal data; the category, where given, says what kind.',
    '',
  ];
  for (const f of files) {
    lines.push(`${f.file}: ${f.rows} row${f.rows === 1 ? '' : 's'} of ${f.table}; ${describeRetention(f.retention)}.`);
    for (const c of f.columns) lines.push(`  ${c.name}${c.personal ? '*' : ''}${c.category ? `  (${c.category})` : ''}`);
    lines.push('');
  }
  return lines.join('\n');
}
