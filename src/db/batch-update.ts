import type { Knex } from 'knex';
import { DatabaseError } from '../errors.js';
import type { KeyedUpdate, KeysetBatch, KeysetBatchResult, RowKeyValue } from './dialect.js';
import { keyOf, keyText, orderByKey, showKey, whereKeyBeyond } from './row-key.js';
import type { ColumnInfo } from './schema-snapshot.js';

/**
 * What the dialects' updateRowsByKey share; each dialect's statement is in its own file.
 *
 * Rows may carry different subsets of the columns: each subset becomes its own statement,
 * so a column a row does not mention is never overwritten.
 */
export function groupByColumns(columns: ColumnInfo[], updates: KeyedUpdate[]): { columns: ColumnInfo[]; updates: KeyedUpdate[] }[] {
  const groups = new Map<string, { columns: ColumnInfo[]; updates: KeyedUpdate[] }>();
  for (const update of updates) {
    const present = columns.filter((c) => update.values[c.name] !== undefined);
    if (present.length === 0) continue;
    const signature = present.map((c) => c.name).join('\u0000');
    const group = groups.get(signature) ?? { columns: present, updates: [] };
    group.updates.push(update);
    groups.set(signature, group);
  }
  return [...groups.values()];
}

/**
 * A Date as SQL text in UTC, shaped to the column: 'YYYY-MM-DD' for a date,
 * 'YYYY-MM-DD HH:MM:SS[.mmm]' otherwise (what SQLite's date functions and MySQL's DATETIME read).
 */
export function utcDateText(date: Date, column: ColumnInfo): string {
  const iso = date.toISOString();
  if (column.type === 'date') return iso.slice(0, 10);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${date.getUTCMilliseconds() === 0 ? '' : iso.slice(19, 23)}`;
}

/** The first `limit` rows of the batch's pending rows after `after`, in primary-key order. */
export function keysetWindow(batch: KeysetBatch): Knex.QueryBuilder {
  const query = orderByKey(batch.pending().select(batch.keyColumns), batch.keyColumns).limit(batch.limit);
  if (batch.after !== undefined) whereKeyBeyond(query, batch.keyColumns, batch.after, '>');
  return query;
}

/** The batch's pending rows in (after, last]. */
export function keyRange(batch: KeysetBatch, last: RowKeyValue): Knex.QueryBuilder {
  const query = whereKeyBeyond(batch.pending(), batch.keyColumns, last, '<=');
  if (batch.after !== undefined) whereKeyBeyond(query, batch.keyColumns, batch.after, '>');
  return query;
}

/**
 * updateKeysetBatch for databases where nothing can change between a transaction's read and
 * its write (SQLite's single writer; MySQL with a locking read): the batch's keys are read
 * (with a locking read where `lock`), then one UPDATE over their range writes exactly those rows. Should the count
 * differ all the same, the batch fails (and is rolled back) rather than be recorded wrongly.
 */
export async function readThenUpdateRange(
  batch: KeysetBatch,
  readColumn: (query: Knex.QueryBuilder) => Promise<unknown[]>,
  options: { lock?: boolean } = {},
): Promise<KeysetBatchResult | undefined> {
  const window = keysetWindow(batch);
  if (options.lock) window.forUpdate();
  const keys = await readKeys(window, batch.keyColumns, readColumn);
  const last = keys.at(-1);
  if (last === undefined) return undefined;
  const count = Number(await keyRange(batch, last).update(batch.values));
  checkWritten(keys, count);
  return { last, changed: keys };
}

/** The write must have changed exactly the rows whose keys the batch records; else it fails (and is rolled back). */
export function checkWritten(keys: RowKeyValue[], count: number): void {
  if (count === keys.length) return;
  const range = keys.length > 0 ? `between keys ${showKey(keys[0]!)} and ${showKey(keys.at(-1)!)}` : 'of the batch';
  throw new DatabaseError(`Rows ${range} changed while the sweep wrote them (${count} rows written, ${keys.length} keys).`, undefined, 'Run the sweep again.');
}

/** Where a span ends: see spanEnd. */
export interface SpanEnd {
  last: RowKeyValue;
  /** Rows of the table the span holds: the batch's limit, or 0 for the table's last rows (a span that sizes nothing). */
  spanned: number;
  /** The table's last rows: the span has no upper bound, and is the task's last. */
  tail: boolean;
}

/**
 * Where a batch spanning rows of the table ends (spanRows): the key of the `limit`-th row
 * after `after`, read from the primary key alone (no row is tested for being due), or, when
 * fewer rows are left, the table's last rows, which the span takes whole; undefined when no
 * row is left.
 */
export async function spanEnd(batch: KeysetBatch, readColumn: (query: Knex.QueryBuilder) => Promise<unknown[]>): Promise<SpanEnd | undefined> {
  const keys = batch.keyColumns;
  if (batch.after === undefined) await refuseDueWithoutKey(batch);
  const next = (direction: 'asc' | 'desc') => {
    const query = orderByKey(batch.rows().select(keys), keys, direction);
    // A row whose key is NULL is in no key range (refuseDueWithoutKey: none of them is due).
    for (const column of keys) query.whereNotNull(column);
    if (batch.after !== undefined) whereKeyBeyond(query, keys, batch.after, '>');
    return query;
  };
  const [bound] = await readKeys(
    next('asc')
      .offset(batch.limit - 1)
      .limit(1),
    keys,
    readColumn,
  );
  if (bound !== undefined) {
    // A key that does not come back as stored (a timestamp's microseconds, an integer past
    // 2^53) would start the next span at this same row again.
    if (batch.after !== undefined && keyText(bound) === keyText(batch.after)) {
      throw new DatabaseError(
        `The key of ${batch.table} (${keys.join(', ')}) does not read back as stored (${showKey(bound)}): the sweep cannot page through it.`,
        undefined,
        'Sweep with a larger --batch-size, or map a key that reads back exactly (an integer or text column).',
      );
    }
    return { last: bound, spanned: batch.limit, tail: false };
  }
  const [last] = await readKeys(next('desc').limit(1), keys, readColumn);
  return last === undefined ? undefined : { last, spanned: 0, tail: true };
}

/**
 * SQLite lets a key other than an INTEGER PRIMARY KEY hold NULL. Such a row is in no key
 * range, so no batch would ever reach it: a due one stops the sweep rather than be left behind.
 */
async function refuseDueWithoutKey(batch: KeysetBatch): Promise<void> {
  const [row] = (await batch
    .pending()
    .select(batch.keyColumns)
    .where((q) => {
      for (const column of batch.keyColumns) q.orWhereNull(column);
    })
    .limit(1)) as unknown[];
  if (row === undefined) return;
  throw new DatabaseError(
    `Rows of ${batch.table} past their period have no key (NULL in ${batch.keyColumns.join(', ')}): the sweep finds rows by their key.`,
    undefined,
    'Give those rows a key, or map a key column that is never NULL.',
  );
}

/** The span's due rows: those in (after, last], or every one after `after` for the table's last rows. */
export function spanRange(batch: KeysetBatch, end: SpanEnd): Knex.QueryBuilder {
  if (!end.tail) return keyRange(batch, end.last);
  const query = batch.pending();
  if (batch.after !== undefined) whereKeyBeyond(query, batch.keyColumns, batch.after, '>');
  return query;
}

/**
 * A batch spanning rows of the table, where the write cannot report its keys: the due keys in
 * the span are read (in key order), then the same range is written, as readThenUpdateRange does
 * (SQLite, where no other connection writes in between).
 */
export async function readThenUpdateSpan(
  batch: KeysetBatch,
  end: SpanEnd,
  readColumn: (query: Knex.QueryBuilder) => Promise<unknown[]>,
): Promise<KeysetBatchResult> {
  const keys = await readKeys(orderByKey(spanRange(batch, end).select(batch.keyColumns), batch.keyColumns), batch.keyColumns, readColumn);
  if (keys.length > 0) checkWritten(keys, Number(await spanRange(batch, end).update(batch.values)));
  return spanResult(end, keys);
}

/** What a spanning batch returns: where it ended, its keys, and whether it was the table's last rows. */
export function spanResult(end: SpanEnd, changed: RowKeyValue[]): KeysetBatchResult {
  return { last: end.last, changed, spanned: end.spanned, ...(end.tail ? { final: true } : {}) };
}

/**
 * The keys `query` selects (it selects the key columns, in order): through `readColumn` (no
 * object per row) for a key of one column, as tuples for a key of several.
 */
export async function readKeys(
  query: Knex.QueryBuilder,
  keyColumns: string[],
  readColumn: (query: Knex.QueryBuilder) => Promise<unknown[]>,
): Promise<RowKeyValue[]> {
  if (keyColumns.length === 1) return (await readColumn(query)) as RowKeyValue[];
  return ((await query) as Record<string, unknown>[]).map((row) => keyOf(keyColumns, row));
}
