import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ColumnMapping, DataMap, TableMapping } from '../config/data-map.js';
import { ensureFileQueue, forgetFiles, queueFiles, queuedFiles } from '../db/file-queue.js';
import { keyOf, showKey, type RowKey } from '../db/row-key.js';
import type { SchemaSnapshot } from '../db/schema-snapshot.js';
import { FileStores } from '../storage/file-store.js';
import { crashPoint } from './crash-point.js';
import { sameValue, strategyFor } from './column-masking.js';
import type { Session } from './session.js';
import type { Row } from './subject-lookup.js';

/** A file a row names in a `delete-file` column, before it is located in its root. */
export interface FileRef {
  storage: string;
  value: string;
  table: string;
  column: string;
  key: RowKey;
}

/** A value lethe refused to delete (outside its root): reported by row and column, never by name. */
export interface RefusedFile {
  table: string;
  column: string;
  key: string;
  reason: string;
}

/** What a dry run says of the files a job would delete. */
export interface FileCount {
  files: number;
  bytes: number;
  /** Named by a row, but not there (nothing to delete). */
  missing: number;
  refused: RefusedFile[];
}

/** What deleting a job's files did. */
export interface FilesDeleted {
  deleted: number;
  /** Already gone: counted as deleted, and said apart. */
  missing: number;
  /** Could not be deleted now (storage unreachable, permission): still listed; the next run tries again. */
  failed: number;
  refused: RefusedFile[];
}

const stores = new WeakMap<DataMap, FileStores>();

function storesOf(map: DataMap): FileStores {
  let found = stores.get(map);
  if (!found) stores.set(map, (found = new FileStores(map.storage)));
  return found;
}

/** The table's delete-file columns. */
export function fileColumns(table: TableMapping): ColumnMapping[] {
  return [...table.columns.values()].filter((c) => c.strategy !== 'keep' && c.strategy.kind === 'delete-file');
}

/** Whether any table of the map names files to delete. */
export function mapHasFiles(map: DataMap): boolean {
  return [...map.tables.values()].some((t) => fileColumns(t).length > 0);
}

/**
 * The files the rows name, as read before the change: every non-empty value of a
 * delete-file column, except a value the column would keep (its `then` writes the same: a
 * generic picture shared by many rows is never deleted).
 */
export function fileRefsOf(map: DataMap, schema: SchemaSnapshot, table: TableMapping, rows: Row[]): FileRef[] {
  const columns = fileColumns(table);
  if (columns.length === 0) return [];
  const live = schema.get(table.name)!;
  const refs: FileRef[] = [];
  for (const row of rows) {
    for (const column of columns) {
      const value = row[column.name];
      if (value === null || value === undefined || String(value).trim() === '') continue;
      const after = strategyFor(column).apply(value, {
        table: table.name,
        column: live.columns.get(column.name)!,
        row,
        ...(map.key ? { key: map.key } : {}),
        detection: map.detection,
      });
      if (sameValue(after, value)) continue;
      const spec = column.strategy as Extract<ColumnMapping['strategy'], { kind: 'delete-file' }>;
      refs.push({ storage: spec.storage, value: String(value), table: table.name, column: column.name, key: keyOf(table.keyColumns, row) });
    }
  }
  return refs;
}

/** Before a job's transaction: the list's table exists (DDL would end a MySQL transaction). */
export async function prepareFileQueue(session: Session): Promise<void> {
  if (mapHasFiles(session.map)) await ensureFileQueue(session.knex);
}

/** Inside the job's transaction: lists the files to delete once it commits; refuses those outside their root. */
export async function queueFileDeletions(trx: Knex.Transaction, map: DataMap, job: string, refs: FileRef[]): Promise<ListedFiles> {
  const refused: RefusedFile[] = [];
  const files: { storage: string; location: string }[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    const located = storesOf(map).get(ref.storage).locate(ref.value);
    if ('refused' in located) {
      refused.push({ table: ref.table, column: ref.column, key: showKey(ref.key), reason: located.refused });
      continue;
    }
    const id = `${ref.storage}\u0000${located.location}`;
    if (seen.has(id)) continue;
    seen.add(id);
    files.push({ storage: ref.storage, location: located.location });
  }
  if (files.length > 0) await queueFiles(trx, job, files);
  return { queued: files.length, refused };
}

/** Dry runs: how many files and bytes the rows name, how many are not there, which are refused. */
export async function countFiles(map: DataMap, refs: FileRef[]): Promise<FileCount> {
  const count: FileCount = { files: 0, bytes: 0, missing: 0, refused: [] };
  const seen = new Set<string>();
  for (const ref of refs) {
    const store = storesOf(map).get(ref.storage);
    const located = store.locate(ref.value);
    if ('refused' in located) {
      count.refused.push({ table: ref.table, column: ref.column, key: showKey(ref.key), reason: located.refused });
      continue;
    }
    const id = `${ref.storage}\u0000${located.location}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const size = await store.size(located.location);
    if (size === undefined) count.missing += 1;
    else {
      count.files += 1;
      count.bytes += size;
    }
  }
  return count;
}

/** What queueFileDeletions listed in a job's transaction. */
export interface ListedFiles {
  queued: number;
  refused: RefusedFile[];
}

/**
 * After the commit: deletes the files `listed` for `job` (or, with job undefined, every file a
 * job that died left listed), takes each off the list once gone, and records one audit event
 * with the counts and a digest of the names (never the names: a file name can be personal).
 * A job that listed nothing reads no list.
 */
export async function deleteQueuedFiles(session: Session, job: string | undefined, command: string, listed?: ListedFiles): Promise<FilesDeleted> {
  const refused = listed?.refused ?? [];
  const result: FilesDeleted = { deleted: 0, missing: 0, failed: 0, refused };
  if (!mapHasFiles(session.map) || (listed && listed.queued + refused.length === 0)) return result;
  if (job !== undefined) crashPoint('before-file-deletion');
  const digest = createHash('sha256');
  const failures = new Set<string>();
  let after = 0;
  const byJob = new Set<string>();
  while (!listed || listed.queued > 0) {
    const page = await queuedFiles(session.knex, job, after, 500);
    if (page.length === 0) break;
    after = page.at(-1)!.id;
    const done: number[] = [];
    for (const file of page) {
      byJob.add(file.job);
      if (!session.map.storage.has(file.storage)) {
        // The root left the map since: the file stays listed until it is declared again.
        result.failed += 1;
        failures.add('unknown-storage');
        continue;
      }
      try {
        const outcome = await storesOf(session.map).get(file.storage).remove(file.location);
        if (outcome === 'missing') result.missing += 1;
        else result.deleted += 1;
        digest.update(`${file.storage}:${file.location}\n`);
        done.push(file.id);
      } catch (error) {
        result.failed += 1;
        failures.add(errorCode(error));
      }
    }
    await forgetFiles(session.knex, done);
  }
  if (result.deleted + result.missing + result.failed + refused.length === 0) return result;
  session.audit.recordEvent({
    operator: session.operator,
    command,
    action: 'delete-files',
    requestId: job ?? randomUUID(),
    subject: null,
    dryRun: false,
    outcome: result.failed > 0 ? 'failed' : 'ok',
    tables: {},
    detail: {
      deleted: result.deleted,
      missing: result.missing,
      ...(result.failed > 0 ? { failed: result.failed, errors: [...failures] } : {}),
      ...(refused.length > 0 ? { refused: refused.length } : {}),
      ...(job === undefined ? { jobs: [...byJob] } : {}),
      namesDigest: digest.digest('hex'),
    },
  });
  return result;
}

/** A short, non-personal name for why a deletion failed (never the message: it may name the file). */
function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown };
  return typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'error';
}

/** Rows of `table` with these keys, as far as their files go: the key and delete-file columns. */
export async function rowsForFiles(trx: Knex.Transaction, table: TableMapping, select: (query: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<Row[]> {
  const columns = fileColumns(table);
  if (columns.length === 0) return [];
  // Whole rows: a `then` template may read other columns.
  return (await select(trx(table.name).select('*'))) as Row[];
}
