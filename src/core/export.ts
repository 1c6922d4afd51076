import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Knex } from 'knex';
import type { AuditKey, AuditOutcome, AuditTableRecord, AuditTables } from '../audit/index.js';
import { InterruptedError, NothingMatchedError, UsageError } from '../errors.js';
import { checkExportFile, checkOutputDirectory, ExportDirectory, fileSink, PrivateFile, streamSink } from './export-files.js';
import { exportRecord, ownedRowPages, planExportTables, type ExportTable } from './export-tables.js';
import { CsvExportWriter, JsonExportWriter, type ExportHead, type ExportWriter } from './export-writers.js';
import type { Session } from './session.js';
import { keyName, keyOf } from '../db/row-key.js';
import { AmbiguousSubjectError, resolveSubject, type LookupOptions, type RowKey, type SubjectMatch } from './subject-lookup.js';
import type { Tombstone } from '../audit/tombstone-store.js';
import { erasedError } from './find.js';
import { tombstoneAmong, tombstoneForRow } from './tombstones.js';
import { nextTurn } from './event-loop.js';
import { errorCode } from './error-facts.js';
import { asOutputError } from './private-file.js';
import { referencesTo } from './references.js';

export type { ExportColumn, ExportRetention, ExportTable } from './export-tables.js';
export type { ExportHead } from './export-writers.js';

export type ExportFormat = 'json' | 'csv';

/**
 * Where an export goes. JSON: a stream the caller owns (standard output) or a file;
 * CSV: a directory, one file per table.
 */
export type ExportDestination = { kind: 'stream'; stream: NodeJS.WritableStream } | { kind: 'file'; path: string } | { kind: 'directory'; path: string };

export interface ExportOptions extends LookupOptions {
  format: ExportFormat;
  destination: ExportDestination;
  /** Replace an earlier export at the destination: a file, or a directory holding an earlier CSV export. Never a symbolic link. */
  replace?: boolean;
  /** Rows read per query (keyset page); default 2000. */
  pageSize?: number;
  /** Stops at the next page boundary; what was written is removed (files) and the export is audited as cancelled. */
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
  /** The export's time (tests). */
  now?: Date;
}

export interface ExportProgress {
  table: string;
  /** Rows of this table written so far. */
  rows: number;
  /** Rows of all tables written so far. */
  totalRows: number;
}

export interface ExportedTable {
  table: string;
  rows: number;
}

export interface ExportResult {
  requestId: string;
  exportedAt: string;
  format: ExportFormat;
  subject: { name: string; table: string; primaryKey: string | string[]; key: RowKey; matchedBy: string[] };
  tables: ExportedTable[];
  /** The files written, with their paths (none for a stream). */
  files: string[];
  /** The audit entry that records this export. */
  auditEntry: number;
  /** Set when a tombstone says this person was erased, yet their data is here again (e.g. after a restore). */
  erased?: Tombstone;
}

const DEFAULT_PAGE_SIZE = 2000;
const INTERRUPTED = 'Interrupted: the export stopped before it was complete; no file of it was kept.';
/** Up to this many primary keys are listed in the audit entry; beyond, their range and a digest. */
const AUDIT_KEY_LIST_LIMIT = 100;

/**
 * Writes everything held about one person, as `find` would show it, to a JSON document
 * or a directory of CSV files, reading each table in keyset pages and writing each page
 * before the next is read: memory stays flat however many rows the person has.
 *
 * The person is looked up and every table read inside one REPEATABLE READ transaction, so the
 * export is one consistent snapshot. Audited once, whatever the outcome: subject type and
 * key, rows read per table, the format; never values or the output path (which may hold
 * the person's name).
 */
export async function exportPerson(session: Session, value: string, options: ExportOptions): Promise<ExportResult> {
  const requestId = randomUUID();
  const exportedAt = (options.now ?? new Date()).toISOString();
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  await checkDestination(options.format, options.destination, Boolean(options.replace));

  const tallies = new Map<string, KeyTally>();
  let match: SubjectMatch | undefined;
  const audit = (outcome: AuditOutcome, errorCode?: string) =>
    session.audit.append({
      operator: session.operator,
      command: 'export',
      action: 'export',
      requestId,
      phase: 'event',
      intentId: null,
      dryRun: false,
      outcome,
      subject: match ? { name: match.subject.name, key: match.key } : null,
      tables: Object.fromEntries([...tallies].map(([table, tally]) => [table, tally.record()])) as AuditTables,
      detail: { format: options.format, ...(errorCode ? { errorCode } : {}) },
    });

  let output: ExportOutput | undefined;
  let auditFailed = false;
  try {
    const files = await session.knex.transaction(
      async (trx) => {
        match = await resolveSubject(trx, session.dialect, session.map, session.schema, value, options);
        const subjectTable = session.map.tables.get(match.subject.table)!;
        const tables = planExportTables(session.map, session.schema, match.subject);
        const references = (await referencesTo(trx, session.map, match.subject.table, match.key)).map((r) => ({
          table: r.table,
          column: r.column,
          rows: r.keys.length,
        }));
        const head: ExportHead = { subject: { name: match.subject.name, table: subjectTable.name, key: match.key }, exportedAt, requestId, references };
        output = await openOutput(options.destination, head, Boolean(options.replace));
        await writeTables(trx, tables, match.key, output.writer, { pageSize, tallies, ...pick(options) });
        return output.writer.finish();
      },
      // Not readOnly: knex writes MySQL's `SET TRANSACTION` without the comma MariaDB requires.
      { isolationLevel: 'repeatable read' },
    );
    // Every byte on disk and the output in place before it is recorded as done; an export the
    // audit trail does not show is removed again.
    await output!.commit();
    let entry;
    try {
      entry = audit('ok');
    } catch (error) {
      auditFailed = true;
      await output!.withdraw();
      throw error;
    }
    const subjectTable = session.map.tables.get(match!.subject.table)!;
    const erased = tombstoneForRow(session, match!.subject, match!.row);
    return {
      requestId,
      exportedAt,
      format: options.format,
      subject: {
        name: match!.subject.name,
        table: subjectTable.name,
        primaryKey: keyName(subjectTable.keyColumns),
        key: match!.key,
        matchedBy: match!.matchedBy,
      },
      tables: [...tallies].map(([table, tally]) => ({ table, rows: tally.rows })),
      files: output!.paths(files),
      auditEntry: entry.id,
      ...(erased ? { erased } : {}),
    };
  } catch (thrown) {
    if (!auditFailed) await output?.discard();
    const error = destinationPath(options.destination) === undefined ? thrown : asOutputError(destinationPath(options.destination)!, thrown);
    // When the 'ok' entry itself could not be appended, trying again would fail the same way.
    if (!auditFailed) {
      const outcome: AuditOutcome =
        error instanceof NothingMatchedError
          ? 'nothing-matched'
          : error instanceof AmbiguousSubjectError
            ? 'ambiguous'
            : error instanceof InterruptedError
              ? 'cancelled'
              : 'failed';
      const code = errorCode(error);
      audit(outcome, code !== undefined && /^[A-Z0-9_]+$/.test(code) ? code : undefined);
    }
    if (error instanceof NothingMatchedError) {
      const erased = tombstoneAmong(session, value, options);
      if (erased) throw erasedError(erased.subject.name, erased.tombstone);
    }
    throw error;
  }
}

/** The file or directory an export writes to, or undefined for a stream. */
function destinationPath(destination: ExportDestination): string | undefined {
  return destination.kind === 'stream' ? undefined : destination.path;
}

function pick(options: ExportOptions): Pick<ExportOptions, 'signal' | 'onProgress'> {
  return { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
}

async function checkDestination(format: ExportFormat, destination: ExportDestination, replace: boolean): Promise<void> {
  if (format === 'csv' && destination.kind !== 'directory') {
    throw new UsageError('A CSV export is one file per table: it needs a directory.');
  }
  if (format === 'json' && destination.kind === 'directory') {
    throw new UsageError('A JSON export is one document: it needs a file or a stream.');
  }
  if (destination.kind === 'file') await checkExportFile(destination.path, replace);
  if (destination.kind === 'directory') await checkOutputDirectory(destination.path, replace);
}

/** A writer and what makes its output final, or removes it. */
interface ExportOutput {
  writer: ExportWriter;
  /** Flushes everything to disk and puts the output in place; on failure nothing of it is left. */
  commit(): Promise<void>;
  /** Removes what was written before commit. */
  discard(): Promise<void>;
  /** Removes the output after commit. */
  withdraw(): Promise<void>;
  paths(files: string[]): string[];
}

async function openOutput(destination: ExportDestination, head: ExportHead, replace: boolean): Promise<ExportOutput> {
  switch (destination.kind) {
    case 'stream': {
      const sink = streamSink(destination.stream);
      const writer = new JsonExportWriter(sink, head);
      await writer.begin();
      return { writer, commit: async () => sink.release(), discard: async () => sink.release(), withdraw: async () => undefined, paths: () => [] };
    }
    case 'file': {
      const pending = await PrivateFile.create(destination.path, { replace });
      const writer = new JsonExportWriter(fileSink(pending.handle), head);
      await writer.begin();
      return { writer, commit: () => pending.commit(), discard: () => pending.discard(), withdraw: () => pending.withdraw(), paths: () => [destination.path] };
    }
    case 'directory': {
      const directory = await ExportDirectory.open(destination.path, replace);
      const writer = new CsvExportWriter(directory, head);
      return {
        writer,
        commit: () => directory.commit(),
        withdraw: () => directory.withdraw(),
        discard: async () => {
          writer.abort();
          await directory.discard();
        },
        paths: (files) => files.map((f) => path.join(destination.path, f)),
      };
    }
  }
}

async function writeTables(
  trx: Knex.Transaction,
  tables: ExportTable[],
  subjectKey: RowKey,
  writer: ExportWriter,
  context: { pageSize: number; tallies: Map<string, KeyTally>; signal?: AbortSignal; onProgress?: (p: ExportProgress) => void },
): Promise<void> {
  const byName = new Map(tables.map((t) => [t.name, t]));
  let totalRows = 0;
  for (const table of tables) {
    const tally = new KeyTally();
    context.tallies.set(table.name, tally);
    await writer.beginTable(table);
    for await (const page of ownedRowPages(trx, byName, table, subjectKey, context.pageSize)) {
      // A page is a boundary: let a pending signal be seen (SQLite never yields otherwise).
      await nextTurn();
      if (context.signal?.aborted) throw new InterruptedError(INTERRUPTED);
      for (const row of page) tally.add(keyOf(table.keyColumns, row));
      await writer.writeRows(
        table,
        page.map((row) => exportRecord(table, row)),
      );
      totalRows += page.length;
      context.onProgress?.({ table: table.name, rows: tally.rows, totalRows });
    }
    await writer.endTable(table, tally.rows);
  }
  if (context.signal?.aborted) throw new InterruptedError(INTERRUPTED);
}

/**
 * The primary keys read from one table, for the audit entry, in constant memory: listed
 * when few; otherwise the first and last and a digest equal to digestKeys(all keys in
 * the order read), computed as they stream past.
 */
export class KeyTally {
  rows = 0;
  private keys: AuditKey[] | undefined = [];
  private first: AuditKey | undefined;
  private last: AuditKey | undefined;
  private readonly digest = createHash('sha256').update('[');

  add(raw: unknown): void {
    const part = (value: unknown): string | number => (typeof value === 'number' || typeof value === 'string' ? value : String(value));
    const key: AuditKey = Array.isArray(raw) ? raw.map(part) : part(raw);
    this.digest.update(`${this.rows === 0 ? '' : ','}${JSON.stringify(key)}`);
    this.first ??= key;
    this.last = key;
    this.rows += 1;
    if (this.keys && this.keys.length < AUDIT_KEY_LIST_LIMIT) this.keys.push(key);
    else this.keys = undefined;
  }

  record(): AuditTableRecord {
    if (this.keys) return { action: 'read', rows: this.rows, keys: this.keys };
    return { action: 'read', rows: this.rows, keyRange: [this.first!, this.last!], keyDigest: this.digest.copy().update(']').digest('hex') };
  }
}
