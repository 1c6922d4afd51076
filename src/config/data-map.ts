import type { ConfigProblem } from '../errors.js';
import { parseStrategySpec, templateFields } from '../masking/spec.js';
import type { StrategySpec } from '../masking/types.js';
import type { DatabaseClient, RawDataMap } from './schema.js';

export type OnErase = 'anonymize' | 'delete' | 'keep';
export type IdentifierType = 'id' | 'email' | 'phone' | 'text';

export interface ColumnMapping {
  name: string;
  category?: string;
  /** 'keep' for columns that hold nothing personal. */
  strategy: StrategySpec | 'keep';
  export: boolean;
}

export interface ParentLink {
  /** The parent table. */
  table: string;
  /** The column of this (child) table that holds the parent's primary key. */
  column: string;
}

export interface TableMapping {
  name: string;
  primaryKey: string;
  parents: ParentLink[];
  onErase: OnErase;
  columns: Map<string, ColumnMapping>;
}

export interface IdentifierMapping {
  name: string;
  column: string;
  type: IdentifierType;
}

export interface SubjectMapping {
  name: string;
  table: string;
  identifiers: IdentifierMapping[];
  nameColumns: string[];
}

/** The data map as a typed graph: every table, its links, and an order that puts parents before children. */
export interface DataMap {
  file: string;
  dir: string;
  database: { client: DatabaseClient; connection: string };
  auditPath: string;
  key?: string;
  subjects: Map<string, SubjectMapping>;
  tables: Map<string, TableMapping>;
  /** Table names, every parent before its children. */
  order: string[];
}

export function childrenOf(map: DataMap, table: string): TableMapping[] {
  return [...map.tables.values()].filter((t) => t.parents.some((p) => p.table === table));
}

export function personalColumns(table: TableMapping): ColumnMapping[] {
  return [...table.columns.values()].filter((c) => c.strategy !== 'keep');
}

/** Checks what can be checked without a database and builds the graph; problems are collected, not thrown. */
export function buildDataMap(
  raw: RawDataMap,
  location: { file: string; dir: string; resolvePath: (p: string) => string },
  problems: ConfigProblem[],
): DataMap {
  const tables = new Map<string, TableMapping>();
  for (const [tableName, rawTable] of Object.entries(raw.tables)) {
    const columns = new Map<string, ColumnMapping>();
    for (const [columnName, rawColumn] of Object.entries(rawTable.columns)) {
      const path = `tables.${tableName}.columns.${columnName}`;
      const column = readColumn(columnName, rawColumn, path, problems);
      if (column) columns.set(columnName, column);
    }
    tables.set(tableName, {
      name: tableName,
      primaryKey: rawTable.primaryKey,
      parents: Object.entries(rawTable.belongsTo).map(([table, column]) => ({ table, column })),
      onErase: rawTable.onErase,
      columns,
    });
  }

  for (const table of tables.values()) {
    const base = `tables.${table.name}`;
    for (const link of table.parents) {
      if (!tables.has(link.table)) {
        problems.push({
          path: `${base}.belongsTo.${link.table}`,
          message: `links to table "${link.table}", which the map does not define under tables`,
        });
      }
    }
    for (const column of table.columns.values()) {
      const path = `${base}.columns.${column.name}.strategy`;
      if (column.name === table.primaryKey && column.strategy !== 'keep') {
        problems.push({ path, message: 'the primary key must be kept: lethe finds rows by it (write keep)' });
      }
      if (column.strategy === 'keep') continue;
      if (column.strategy.kind === 'template') {
        for (const field of templateFields(column.strategy.template)) {
          const referenced = table.columns.get(field);
          if (field !== table.primaryKey && !referenced) {
            problems.push({ path, message: `template refers to {${field}}, which is not a column of ${table.name} in the map` });
          } else if (referenced && referenced.strategy !== 'keep') {
            problems.push({
              path,
              message: `template refers to {${field}}, a personal column: it would copy personal data into the new value`,
            });
          }
        }
      }
      if (column.strategy.kind === 'hash' && !raw.secrets.key) {
        problems.push({ path, message: 'the hash strategy needs secrets.key (a keyed hash); set it, e.g. key: ${LETHE_KEY}' });
      }
    }
    if (table.onErase === 'delete') {
      for (const child of tables.values()) {
        if (child.parents.some((p) => p.table === table.name) && child.onErase !== 'delete') {
          problems.push({
            path: `${base}.onErase`,
            message: `deleting ${table.name} rows would orphan rows of ${child.name} (onErase: ${child.onErase}); delete those too or keep ${table.name}`,
          });
        }
      }
    }
  }

  const subjects = new Map<string, SubjectMapping>();
  for (const [subjectName, rawSubject] of Object.entries(raw.subjects)) {
    const base = `subjects.${subjectName}`;
    const table = tables.get(rawSubject.table);
    if (!table) {
      problems.push({ path: `${base}.table`, message: `table "${rawSubject.table}" is not defined under tables` });
    }
    const identifiers = Object.entries(rawSubject.identifiers).map(([name, id]) => ({ name, column: id.column, type: id.type }));
    const nameColumns = rawSubject.name === undefined ? [] : [rawSubject.name].flat();
    if (table) {
      for (const id of identifiers) {
        if (id.column !== table.primaryKey && !table.columns.has(id.column)) {
          problems.push({ path: `${base}.identifiers.${id.name}.column`, message: `"${id.column}" is not a column of ${table.name} in the map` });
        }
      }
      for (const column of nameColumns) {
        if (!table.columns.has(column)) {
          problems.push({ path: `${base}.name`, message: `"${column}" is not a column of ${table.name} in the map` });
        }
      }
    }
    subjects.set(subjectName, { name: subjectName, table: rawSubject.table, identifiers, nameColumns });
  }

  const order = parentsFirst(tables, problems);
  return {
    file: location.file,
    dir: location.dir,
    database: {
      client: raw.database.client,
      connection: raw.database.client === 'sqlite' ? location.resolvePath(raw.database.connection) : raw.database.connection,
    },
    auditPath: location.resolvePath(raw.audit.path),
    ...(raw.secrets.key ? { key: raw.secrets.key } : {}),
    subjects,
    tables,
    order,
  };
}

function readColumn(name: string, raw: RawDataMap['tables'][string]['columns'][string], path: string, problems: ConfigProblem[]): ColumnMapping | undefined {
  if (raw === null) {
    problems.push({ path, message: 'no strategy given: write keep, or a strategy such as null, redact or { template: ... }' });
    return undefined;
  }
  const body = typeof raw === 'string' ? { strategy: raw } : raw;
  if (!('strategy' in body) || body.strategy === undefined) {
    problems.push({ path: `${path}.strategy`, message: 'no strategy given: write keep, or a strategy such as null, redact or { template: ... }' });
    return undefined;
  }
  const common = { name, export: body.export ?? true, ...(body.category ? { category: body.category } : {}) };
  if (body.strategy === 'keep') return { ...common, strategy: 'keep' };
  const parsed = parseStrategySpec(body.strategy);
  if ('problem' in parsed) {
    problems.push({ path: typeof raw === 'string' ? path : `${path}.strategy`, message: parsed.problem });
    return undefined;
  }
  return { ...common, strategy: parsed.spec };
}

/** Kahn's algorithm over belongsTo links; a cycle is a config problem (erasure would have no safe order). */
function parentsFirst(tables: Map<string, TableMapping>, problems: ConfigProblem[]): string[] {
  const pending = new Map([...tables.values()].map((t) => [t.name, new Set(t.parents.map((p) => p.table).filter((p) => tables.has(p) && p !== t.name))]));
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, parents]) => parents.size === 0).map(([name]) => name);
    if (ready.length === 0) {
      problems.push({ path: 'tables', message: `belongsTo links form a cycle among ${[...pending.keys()].join(', ')}` });
      order.push(...pending.keys());
      break;
    }
    for (const name of ready) {
      order.push(name);
      pending.delete(name);
      for (const parents of pending.values()) parents.delete(name);
    }
  }
  return order;
}
