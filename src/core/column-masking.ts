import { personalColumns, type ColumnMapping, type DataMap, type TableMapping } from '../config/data-map.js';
import type { SchemaSnapshot } from '../db/schema-snapshot.js';
import { constantOf, createStrategy, type MaskingStrategy, type SubjectTraits } from '../masking/index.js';
import type { Row } from './subject-lookup.js';

const strategies = new WeakMap<ColumnMapping, MaskingStrategy>();

/** One strategy object per mapped personal column. */
export function strategyFor(column: ColumnMapping): MaskingStrategy {
  let strategy = strategies.get(column);
  if (!strategy) {
    if (column.strategy === 'keep') throw new Error(`column ${column.name} is kept; it has no strategy`);
    strategy = createStrategy(column.strategy);
    strategies.set(column, strategy);
  }
  return strategy;
}

/**
 * The new values of a row's personal columns under the map's strategies: the one place
 * that builds the masking context (key, detection settings, the person for redact), for
 * `anonymize`, the sweep and the "already anonymized" test alike.
 */
export function maskedValues(map: DataMap, schema: SchemaSnapshot, table: TableMapping, row: Row, subject?: SubjectTraits): Row {
  const live = schema.get(table.name)!;
  const values: Row = {};
  for (const column of personalColumns(table)) {
    values[column.name] = strategyFor(column).apply(row[column.name], {
      table: table.name,
      column: live.columns.get(column.name)!,
      row,
      ...(map.key ? { key: map.key } : {}),
      detection: map.detection,
      ...(subject ? { subject } : {}),
    });
  }
  return values;
}

/**
 * The one value each personal column of the table is written with whatever its row held (null,
 * '', a `value`), or undefined when a strategy computes a value per row: such a table's rows
 * are written with one UPDATE per list of keys, and read without their values.
 */
export function constantValues(table: TableMapping): Row | undefined {
  const values: Row = {};
  for (const column of personalColumns(table)) {
    const value = column.strategy === 'keep' ? undefined : constantOf(column.strategy);
    if (value === undefined) return undefined;
    values[column.name] = value;
  }
  return values;
}

/** True when any of `values` differs from what the row holds. */
export function changesRow(values: Row, row: Row): boolean {
  return Object.entries(values).some(([column, value]) => !sameValue(value, row[column]));
}

/** Database values and strategy results compare by value (a Date by time, a number and its text alike). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined || typeof a === 'object' || typeof b === 'object') return false;
  return String(a) === String(b);
}
