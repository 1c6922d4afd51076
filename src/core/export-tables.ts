import type { Knex } from 'knex';
import type { DataMap, ParentLink, RetentionRule, SubjectMapping, TableMapping } from '../config/data-map.js';
import type { SchemaSnapshot } from '../db/schema-snapshot.js';
import type { Row, RowKey } from './subject-lookup.js';
import { keyOf, orderByKey, qualified, whereKey, whereKeyBeyond } from '../db/row-key.js';

/** A column as the person is told about it. */
export interface ExportColumn {
  name: string;
  /** The map's category (`contact.email`), or null when it gives none. */
  category: string | null;
  /** Anything the map does not declare `keep`; a column the map does not mention counts as personal. */
  personal: boolean;
}

/** The retention rule as written in the map: periods in the map's own words (`24 months`, `P2Y`). */
export interface ExportRetention {
  timestamp?: string;
  anonymizeAfter?: string;
  deleteAfter?: string;
  inactiveFor?: string;
  activity?: string[];
}

/** A table reached from the person's row through belongsTo links, and what of it is exported. */
export interface ExportTable {
  name: string;
  keyColumns: string[];
  /** The columns written, in the table's own order; `export: false` columns are left out. */
  columns: ExportColumn[];
  retention: ExportRetention | null;
  /** How its rows belong to the person: none for the subject's table, else links to parents reached before it. */
  links: ParentLink[];
  /** Columns the database declares as date-times (see portableTime). */
  timeColumns: Set<string>;
  /** How other typed columns are written, where drivers differ (see portableTyped). */
  valueKinds: Map<string, ValueKind>;
}

/**
 * Columns whose values the three drivers return differently: exact decimals (NUMERIC,
 * DECIMAL: a number from SQLite, text from PostgreSQL and MariaDB), integers (PostgreSQL's
 * BIGINT arrives as text), dates without a time (text from SQLite, a Date at local midnight
 * from the servers).
 */
export type ValueKind = { kind: 'decimal'; scale?: number } | { kind: 'integer' } | { kind: 'date' };

/**
 * The tables an export covers: the subject's table and every table linked below it,
 * parents before children (the map's order). Every reachable table is listed, with or
 * without rows, so the person sees the same structure whatever they hold.
 */
export function planExportTables(map: DataMap, schema: SchemaSnapshot, subject: SubjectMapping): ExportTable[] {
  const reached = new Set<string>([subject.table]);
  const tables: ExportTable[] = [];
  for (const name of map.order) {
    const table = map.tables.get(name)!;
    // A link of a table to itself (replies to messages) adds nothing: its rows are reached through the other links.
    const links = name === subject.table ? [] : table.parents.filter((p) => p.table !== name && reached.has(p.table));
    if (name !== subject.table && links.length === 0) continue;
    reached.add(name);
    const live = schema.get(name)?.columns;
    const timeColumns = new Set([...(live?.values() ?? [])].filter((c) => c.type === 'datetime').map((c) => c.name));
    const valueKinds = new Map(
      [...(live?.values() ?? [])].flatMap((c) => {
        const kind = valueKindOf(c.declaredType, c.type);
        return kind ? [[c.name, kind] as const] : [];
      }),
    );
    tables.push({
      name,
      keyColumns: table.keyColumns,
      columns: exportedColumns(table, schema),
      retention: retentionAsWritten(table.retention),
      links,
      timeColumns,
      valueKinds,
    });
  }
  return tables;
}

function exportedColumns(table: TableMapping, schema: SchemaSnapshot): ExportColumn[] {
  const live = schema.get(table.name);
  const names = live ? [...live.columns.keys()] : [...new Set([...table.keyColumns, ...table.columns.keys()])];
  const columns: ExportColumn[] = [];
  for (const name of names) {
    const mapping = table.columns.get(name);
    if (mapping && !mapping.export) continue;
    const personal = mapping ? mapping.strategy !== 'keep' : !table.keyColumns.includes(name);
    columns.push({ name, category: mapping?.category ?? null, personal });
  }
  return columns;
}

export function retentionAsWritten(rule: RetentionRule | undefined): ExportRetention | null {
  if (!rule) return null;
  const written: ExportRetention = {};
  if (rule.timestamp) written.timestamp = rule.timestamp;
  if (rule.anonymizeAfter) written.anonymizeAfter = rule.anonymizeAfter.text;
  if (rule.deleteAfter) written.deleteAfter = rule.deleteAfter.text;
  if (rule.inactiveFor) written.inactiveFor = rule.inactiveFor.text;
  if (rule.activity.length > 0) written.activity = rule.activity.map((ref) => `${ref.table}.${ref.column}`);
  return written;
}

/**
 * The rows of one table that belong to the person, page by page in primary-key order
 * (keyset: `pk > last`, never OFFSET). Which rows belong is a nested IN (SELECT ...)
 * up the belongsTo links to the person's key, so the database does the semi-join and no
 * list of parent keys is ever held here, however many rows a parent table has.
 */
export async function* ownedRowPages(
  knex: Knex,
  tables: Map<string, ExportTable>,
  table: ExportTable,
  subjectKey: RowKey,
  pageSize: number,
): AsyncGenerator<Row[]> {
  const selected = [...new Set([...table.keyColumns, ...table.columns.map((c) => c.name)])];
  const key = qualified(table.keyColumns, table.name);
  let after: RowKey | undefined;
  for (;;) {
    const query = knex(table.name).select(selected.map((c) => `${table.name}.${c}`));
    whereOwned(query, knex, tables, table, subjectKey);
    if (after !== undefined) whereKeyBeyond(query, key, after, '>');
    const page: Row[] = await orderByKey(query, key).limit(pageSize);
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    after = keyOf(table.keyColumns, page[page.length - 1]!);
  }
}

function whereOwned(query: Knex.QueryBuilder, knex: Knex, tables: Map<string, ExportTable>, table: ExportTable, subjectKey: RowKey): void {
  if (table.links.length === 0) {
    whereKey(query, qualified(table.keyColumns, table.name), subjectKey);
    return;
  }
  query.where((any) => {
    for (const link of table.links) any.orWhereIn(`${table.name}.${link.column}`, ownedKeys(knex, tables, tables.get(link.table)!, subjectKey));
  });
}

function ownedKeys(knex: Knex, tables: Map<string, ExportTable>, table: ExportTable, subjectKey: RowKey): Knex.QueryBuilder {
  // A link holds its parent's key, of one column (the map checks).
  const query = knex(table.name).select(`${table.name}.${table.keyColumns[0]}`);
  whereOwned(query, knex, tables, table, subjectKey);
  return query;
}

/** A JSON-safe value: Dates as ISO 8601, binary as base64, big integers as decimal strings. */
export function portableValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint') return value.toString();
  return value;
}

const SQL_TIME = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)$/;

/**
 * A date-time stored as text without a zone (SQLite has no time type) in ISO 8601 UTC,
 * as lethe reads such times everywhere, so the same data exports the same on every
 * database. Anything else is left as stored.
 */
export function portableTime(value: unknown): unknown {
  if (typeof value !== 'string') return portableValue(value);
  const match = SQL_TIME.exec(value);
  if (!match) return value;
  const date = new Date(`${match[1]}T${match[2]}Z`);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** The exported columns of a row, in order, as portable values. */
export function exportRecord(table: ExportTable, row: Row): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const column of table.columns) {
    const value = row[column.name];
    const kind = table.valueKinds.get(column.name);
    record[column.name] = table.timeColumns.has(column.name) ? portableTime(value) : kind ? portableTyped(value, kind) : portableValue(value);
  }
  return record;
}

export function valueKindOf(declaredType: string, broad: string): ValueKind | undefined {
  const declared = declaredType.toLowerCase();
  if (/^(numeric|decimal|dec|money)\b/.test(declared)) {
    const scale = /\(\s*\d+\s*,\s*(\d+)\s*\)/.exec(declared)?.[1];
    return scale === undefined ? { kind: 'decimal' } : { kind: 'decimal', scale: Number(scale) };
  }
  if (broad === 'integer') return { kind: 'integer' };
  if (broad === 'date') return { kind: 'date' };
  return undefined;
}

/**
 * The same JSON on every database. Exact decimals are JSON strings, with the column's scale
 * ("3.90"): a JSON number would lose what a money column promises. Integers are JSON numbers
 * while they fit one exactly (up to 2^53), strings beyond. Dates are "YYYY-MM-DD".
 */
export function portableTyped(value: unknown, kind: ValueKind): unknown {
  if (value === null || value === undefined) return null;
  switch (kind.kind) {
    case 'decimal':
      if (typeof value === 'number') return kind.scale === undefined ? String(value) : value.toFixed(kind.scale);
      if (typeof value === 'bigint') return value.toString();
      return value;
    case 'integer': {
      const text = typeof value === 'bigint' ? value.toString() : typeof value === 'string' && /^-?\d+$/.test(value) ? value : undefined;
      if (text === undefined) return portableValue(value);
      return Number.isSafeInteger(Number(text)) ? Number(text) : text;
    }
    case 'date':
      // The servers' drivers make a DATE a Date at local midnight: its local calendar day is the stored one.
      if (value instanceof Date)
        return Number.isNaN(value.getTime())
          ? null
          : `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`;
      if (typeof value === 'string' && /^\d{4}-\d\d-\d\d/.test(value)) return value.slice(0, 10);
      return portableValue(value);
  }
}
