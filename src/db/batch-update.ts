import type { KeyedUpdate } from './dialect.js';
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
