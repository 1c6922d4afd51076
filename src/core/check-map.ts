import type { ConfigProblem } from '../errors.js';
import type { DataMap } from '../config/data-map.js';
import type { ColumnInfo, SchemaSnapshot } from '../db/schema-snapshot.js';
import type { StrategySpec } from '../masking/types.js';

export interface MapCheck {
  problems: ConfigProblem[];
  /** Not fatal: columns the map does not mention (privacy by default asks for every column to be declared). */
  warnings: ConfigProblem[];
}

/** Checks the data map against the live schema; run before any read or write of personal data. */
export function checkMapAgainstSchema(map: DataMap, schema: SchemaSnapshot): MapCheck {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  for (const table of map.tables.values()) {
    const base = `tables.${table.name}`;
    const live = schema.get(table.name);
    if (!live) {
      problems.push({ path: base, message: `table "${table.name}" does not exist in the database` });
      continue;
    }
    if (!live.columns.has(table.primaryKey)) {
      problems.push({ path: `${base}.primaryKey`, message: `column "${table.primaryKey}" does not exist in table ${table.name}` });
    }
    for (const link of table.parents) {
      if (!live.columns.has(link.column)) {
        problems.push({ path: `${base}.belongsTo.${link.table}`, message: `column "${link.column}" does not exist in table ${table.name}` });
      }
    }
    for (const column of table.columns.values()) {
      const path = `${base}.columns.${column.name}`;
      const info = live.columns.get(column.name);
      if (!info) {
        problems.push({ path, message: `column "${column.name}" does not exist in table ${table.name}` });
        continue;
      }
      if (column.strategy === 'keep') continue;
      const kind = column.strategy.kind;
      if (kind === 'null' && !info.nullable) {
        problems.push({ path: `${path}.strategy`, message: `null on ${table.name}.${column.name}, which is NOT NULL; use empty, a template or a value` });
      }
      const mismatch = typeMismatch(column.strategy, info.type);
      if (mismatch) problems.push({ path: `${path}.strategy`, message: `${mismatch}, but ${table.name}.${column.name} is ${info.declaredType || info.type}` });
      if ((kind === 'value' || kind === 'empty') && info.unique) {
        problems.push({
          path: `${path}.strategy`,
          message: `a constant (${kind}) on ${table.name}.${column.name}, which is UNIQUE: the second anonymized row would fail; use a template with {${table.primaryKey}}, random or hash`,
        });
      }
    }
    const rule = table.retention;
    if (rule?.timestamp && !live.columns.has(rule.timestamp)) {
      problems.push({ path: `${base}.retention.timestamp`, message: `column "${rule.timestamp}" does not exist in table ${table.name}` });
    }
    rule?.activity.forEach((ref, i) => {
      const owner = schema.get(ref.table);
      if (owner && !owner.columns.has(ref.column)) {
        problems.push({ path: `${base}.retention.activity.${i}`, message: `column "${ref.column}" does not exist in table ${ref.table}` });
      }
    });
    for (const name of live.columns.keys()) {
      if (name !== table.primaryKey && !table.columns.has(name)) {
        warnings.push({
          path: `${base}.columns`,
          message: `column "${name}" of ${table.name} is not in the map; lethe leaves it untouched (declare it keep, or give it a strategy)`,
        });
      }
    }
  }
  return { problems, warnings };
}

const TEXT_ONLY = new Set(['empty', 'template', 'hash', 'mask', 'redact']);

/** Strategies that write text cannot go into numbers, dates or booleans (SQLite would take them; PostgreSQL and MySQL would not). */
function typeMismatch(strategy: StrategySpec, type: ColumnInfo['type']): string | undefined {
  const textual = type === 'text' || type === 'other';
  if (TEXT_ONLY.has(strategy.kind) && !textual) return `${strategy.kind} writes text`;
  if (strategy.kind === 'generalize' && (type === 'boolean' || type === 'binary')) return 'generalize works on dates and numbers';
  if (strategy.kind === 'value') {
    const fits =
      typeof strategy.value === 'number' ? ['integer', 'number', 'other', 'text'].includes(type)
      : typeof strategy.value === 'boolean' ? ['boolean', 'integer', 'other'].includes(type)
      : type === 'date' || type === 'datetime' ? !Number.isNaN(Date.parse(strategy.value))
      : type !== 'integer' && type !== 'number' && type !== 'boolean';
    if (!fits) return `the value ${JSON.stringify(strategy.value)} does not fit`;
  }
  return undefined;
}
