import type { Knex } from 'knex';
import type { DataMap, TableMapping } from '../config/data-map.js';
import type { Dialect } from '../db/dialect.js';
import type { SubjectTraits } from '../masking/types.js';
import { compareKeys, keyOf, keyText, orderByKey, whereKeyIn, whereValueIn, type KeyPart } from '../db/row-key.js';
import type { Row, RowKey, SubjectMatch } from './subject-lookup.js';

/** Rows of one table that belong to the person, through the belongsTo links. */
export interface TableRows {
  table: TableMapping;
  rows: Row[];
  /**
   * Rows not read (CollectShape.writtenByLinks): those whose link column holds one of the
   * keys. eraseCollectedRows writes them by that link and sets `written`.
   */
  unread?: { column: string; keys: RowKey[] };
  /** The keys of the rows written by their link (`unread`), in key order; `rows` stays empty. */
  written?: RowKey[];
}

/** Keys per IN list: one statement per table for a batch of 1,000, far below every database's limit on parameters. */
export const KEYS_PER_STATEMENT = 1000;

/**
 * Follows belongsTo links down from the person's row to every related row, parents before
 * children (the map's order), so a table linked to several parents gets the union.
 */
export function collectSubjectData(knex: Knex, map: DataMap, match: SubjectMatch, lock?: RowLock): Promise<TableRows[]> {
  return collectOwnedRows(knex, map, map.tables.get(match.subject.table)!, match.key, lock);
}

/**
 * The same walk from any mapped table's row (`anonymize --record`): the row first, then every
 * row that belongs to it. The row's own parents are not followed.
 */
export function collectOwnedRows(knex: Knex, map: DataMap, root: TableMapping, key: RowKey, lock?: RowLock): Promise<TableRows[]> {
  return collectRowsOfMany(knex, map, root, [key], lock);
}

/**
 * The same walk from many rows of one table at once (a batch of people): one query per table
 * and chunk of keys rather than per person. The rows are not told apart by owner here; see
 * erase-people.ts.
 */
export async function collectRowsOfMany(
  knex: Knex,
  map: DataMap,
  root: TableMapping,
  keys: RowKey[],
  lock?: RowLock,
  shape: CollectShape = {},
): Promise<TableRows[]> {
  const subjectTable = root;
  const read = (table: TableMapping, query: Knex.QueryBuilder): Promise<Row[]> =>
    lock ? (lock.dialect.readForUpdate(lock.trx, table.name, table.keyColumns, query) as Promise<Row[]>) : query;
  const subjectRows = shape.ownRows ?? (await rowsByKeys(knex, subjectTable, keys, read));
  const keysByTable = new Map<string, RowKey[]>([[subjectTable.name, keys]]);
  const collected: TableRows[] = [{ table: subjectTable, rows: subjectRows }];

  for (const name of map.order) {
    if (name === subjectTable.name) continue;
    const table = map.tables.get(name)!;
    const links = table.parents.filter((p) => (keysByTable.get(p.table)?.length ?? 0) > 0);
    if (links.length === 0) continue;
    // Of one link only: a row that two links find would be written twice (its triggers firing twice).
    if (links.length === 1 && shape.writtenByLinks?.(table) && !hasChildren(map, table)) {
      const link = links[0]!;
      collected.push({ table, rows: [], unread: { column: link.column, keys: keysByTable.get(link.table)! } });
      continue;
    }
    const columns = shape.columnsOf?.(table) ?? '*';
    const rows = new Map<string, Row>();
    for (const link of links) {
      for (const chunk of chunks(keysByTable.get(link.table)!, KEYS_PER_STATEMENT)) {
        const found: Row[] = await read(table, orderByKey(whereValueIn(knex(table.name).select(columns), link.column, chunk as KeyPart[]), table.keyColumns));
        for (const row of found) rows.set(keyText(keyOf(table.keyColumns, row)), row);
      }
    }
    const ordered = [...rows.values()].sort((a, b) => compareKeys(keyOf(table.keyColumns, a), keyOf(table.keyColumns, b)));
    // The keys children link to: a link holds its parent's key, which is of one column (the map checks).
    keysByTable.set(
      name,
      ordered.map((r) => keyOf(table.keyColumns, r)),
    );
    collected.push({ table, rows: ordered });
  }
  return collected;
}

/** What a batch's walk reads: the people's own rows when the caller holds them already, and fewer columns where whole rows are not needed. */
export interface CollectShape {
  /** The root's rows for `keys`, read (and locked) by the caller: not read again. */
  ownRows?: Row[];
  /** The columns to read of a table below the root (its key and links at least), or undefined for every column. */
  columnsOf?: (table: TableMapping) => string[] | undefined;
  /** Tables not read at all, where no table links below them and one link leads to the batch: written by it (TableRows.unread). */
  writtenByLinks?: (table: TableMapping) => boolean;
}

/** Whether any table of the map links to this one (its rows are then needed to find theirs). */
function hasChildren(map: DataMap, table: TableMapping): boolean {
  let parents = parentTables.get(map);
  if (!parents) {
    parents = new Set([...map.tables.values()].flatMap((t) => t.parents.map((p) => p.table)));
    parentTables.set(map, parents);
  }
  return parents.has(table.name);
}

/** Per map, the tables some table links to: worked out once, not per table of every batch (maps of 50,000 tables). */
const parentTables = new WeakMap<DataMap, Set<string>>();

/** A table's key and the columns that link it to its parents: what a walk through it and the audit of its rows need. */
export function keyAndLinkColumns(table: TableMapping): string[] {
  return [...new Set([...table.keyColumns, ...table.parents.map((p) => p.column)])];
}

export async function rowsByKeys(
  knex: Knex,
  table: TableMapping,
  keys: RowKey[],
  read: (table: TableMapping, query: Knex.QueryBuilder) => Promise<Row[]> = (_table, query) => query,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const chunk of chunks(keys, KEYS_PER_STATEMENT)) {
    rows.push(...(await read(table, orderByKey(whereKeyIn(knex(table.name).select('*'), table.keyColumns, chunk), table.keyColumns))));
  }
  return rows;
}

/**
 * Inside an erasure's transaction: lock every row read, parents before children, so that
 * rows another process adds below them meanwhile wait for the commit (a foreign key check
 * needs the parent row) instead of slipping past the erasure; on SQLite, the write lock.
 */
export interface RowLock {
  /** The erasure's transaction: `knex` itself, which the locks last as long as. */
  trx: Knex.Transaction;
  dialect: Dialect;
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What redaction must remove from free text: the person's identifier values and name, read before anything changes. */
export function subjectTraits(map: DataMap, collected: TableRows[]): SubjectTraits {
  const subject = [...map.subjects.values()].find((s) => s.table === collected[0]?.table.name);
  const rows = collected[0]?.rows ?? [];
  const valuesOf = (columns: string[]) =>
    rows
      .flatMap((row) => columns.map((c) => row[c]))
      .filter((v) => v !== null && v !== undefined && String(v).trim() !== '')
      .map(String);
  return {
    identifiers: valuesOf(subject?.identifiers.map((i) => i.column) ?? []),
    names: valuesOf(subject?.nameColumns ?? []),
  };
}
