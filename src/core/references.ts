import type { Knex } from 'knex';
import type { DataMap } from '../config/data-map.js';
import type { RowKey } from './subject-lookup.js';
import { keyOf, orderByKey, type KeyPart } from '../db/row-key.js';

/** Rows that name the person through a reference (a customer whose support agent they are). */
export interface ReferencingRows {
  table: string;
  column: string;
  /** Primary keys of the referencing rows, in key order. */
  keys: RowKey[];
}

/**
 * The rows of every table whose `references` point at the person's row: shown by find and
 * counted by export, never followed by an erasure (they are other people's rows, or rows
 * that are not the person's). Only keys are read: the rows' contents belong to others.
 */
export async function referencesTo(knex: Knex, map: DataMap, subjectTable: string, key: RowKey): Promise<ReferencingRows[]> {
  const found: ReferencingRows[] = [];
  for (const table of map.tables.values()) {
    for (const reference of table.references.filter((r) => r.table === subjectTable)) {
      const rows = (await orderByKey(
        knex(table.name)
          .select(table.keyColumns)
          .where(reference.column, key as KeyPart),
        table.keyColumns,
      )) as Record<string, unknown>[];
      const keys = rows.map((row) => keyOf(table.keyColumns, row));
      if (keys.length > 0) found.push({ table: table.name, column: reference.column, keys });
    }
  }
  return found;
}
