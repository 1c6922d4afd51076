import type { ConfigProblem } from '../errors.js';
import type { DetectOptions } from '../detect/index.js';
import { approximateDays, parseDuration, type Duration } from './duration.js';
import { NOT_REPEATABLE } from '../masking/registry.js';
import { parseStrategySpec, templateFields } from '../masking/spec.js';
import type { StrategySpec } from '../masking/types.js';
import type { DatabaseClient, RawDataMap } from './schema.js';
import { readSuppressRule, type SuppressRule } from './suppress-rule.js';

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

/** A column of a table, as `table.column` in the map. */
export interface ColumnRef {
  table: string;
  column: string;
}

export interface RetentionRule {
  timestamp?: string;
  anonymizeAfter?: Duration;
  deleteAfter?: Duration;
  /** On a subject's table: anonymize the person after this long without activity. */
  inactiveFor?: Duration;
  activity: ColumnRef[];
  /** A column of the subject's own table that counts as activity for a person who has none. */
  activityFallback?: string;
}

export interface TableMapping {
  name: string;
  /** The primary key's column, or its columns in order for a key of several (see db/row-key.ts). */
  keyColumns: string[];
  /** belongsTo: the rows are part of the parent row's person. */
  parents: ParentLink[];
  /** references: foreign keys to a person's table that are not ownership; never followed by an erasure. */
  references: ParentLink[];
  /** Set when the table was reviewed as holding nothing personal: why. */
  impersonal?: string;
  onErase: OnErase;
  columns: Map<string, ColumnMapping>;
  retention?: RetentionRule;
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
  /** Keep tombstones of erased people (keyed hashes of their identifiers). */
  tombstones: boolean;
  /** Keep keyed hashes of the identifiers of people who opted out, when they are anonymized. */
  suppress?: SuppressRule;
}

/** A root files of `delete-file` columns live under: a folder, or a bucket (and a prefix in it). */
export type StorageRoot =
  | { name: string; kind: 'folder'; path: string }
  | {
      name: string;
      kind: 's3';
      bucket: string;
      prefix: string;
      region: string;
      endpoint?: string;
      forcePathStyle: boolean;
      credentials?: { accessKeyId: string; secretAccessKey: string };
    };

/** The data map as a typed graph: every table, its links, and an order that puts parents before children. */
export interface DataMap {
  file: string;
  dir: string;
  database: { client: DatabaseClient; connection: string };
  auditPath: string;
  key?: string;
  /** Detection settings from the map (allow/deny lists, threshold, phone regions). */
  detection: DetectOptions;
  /** Roots of the files that delete-file columns name. */
  storage: Map<string, StorageRoot>;
  subjects: Map<string, SubjectMapping>;
  tables: Map<string, TableMapping>;
  /** Table names, every parent before its children. */
  order: string[];
}

export function personalColumns(table: TableMapping): ColumnMapping[] {
  return [...table.columns.values()].filter((c) => c.strategy !== 'keep');
}

/** Checks what can be checked without a database and builds the graph; problems are collected, not thrown. */
export function buildDataMap(raw: RawDataMap, location: { file: string; dir: string; resolvePath: (p: string) => string }, problems: ConfigProblem[]): DataMap {
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
      keyColumns: [...new Set([rawTable.primaryKey].flat())],
      parents: Object.entries(rawTable.belongsTo).map(([table, column]) => ({ table, column })),
      references: Object.entries(rawTable.references).map(([table, column]) => ({ table, column })),
      ...(rawTable.impersonal ? { impersonal: rawTable.impersonal } : {}),
      onErase: rawTable.onErase,
      columns,
      ...(rawTable.retention ? { retention: readRetention(tableName, rawTable.retention, problems) } : {}),
    });
  }

  for (const table of tables.values()) {
    const base = `tables.${table.name}`;
    // Knex reads `a.b` as table.column and `a as b` as an alias, in every query builder: such
    // a column name would reach the database as something else. Refused here, never a raw SQL error.
    for (const name of new Set([...table.columns.keys(), ...table.keyColumns, ...table.parents.map((p) => p.column)])) {
      if (name.includes('.') || /\sas\s/i.test(name)) {
        problems.push({
          path: `${base}.columns.${name}`,
          message: `lethe cannot address a column named "${name}" (a dot or " as " in the name); rename it, or map the table through a view whose columns have plain names`,
        });
      }
    }
    for (const link of table.parents) {
      if (!tables.has(link.table)) {
        problems.push({
          path: `${base}.belongsTo.${link.table}`,
          message: `links to table "${link.table}", which the map does not define under tables`,
        });
      }
    }
    for (const [kind, links] of [
      ['belongsTo', table.parents],
      ['references', table.references],
    ] as const) {
      for (const link of links) {
        const keys = tables.get(link.table)?.keyColumns ?? [];
        if (keys.length > 1) {
          problems.push({
            path: `${base}.${kind}.${link.table}`,
            message: `${link.table} is keyed by several columns (${keys.join(', ')}); a link is one column holding its parent's key, so ${link.table} can be linked to only through a key of one column (a UNIQUE NOT NULL id)`,
          });
        }
      }
    }
    for (const link of table.references) {
      if (!Object.values(raw.subjects).some((s) => s.table === link.table)) {
        problems.push({
          path: `${base}.references.${link.table}`,
          message: `references name a person's table; "${link.table}" is no subject's table (for rows that are part of a person, write belongsTo)`,
        });
      }
      if (table.parents.some((p) => p.table === link.table && p.column === link.column)) {
        problems.push({
          path: `${base}.references.${link.table}`,
          message: `${table.name}.${link.column} is declared both as belongsTo and as a reference; it is one or the other`,
        });
      }
    }
    if (table.impersonal !== undefined) {
      const personal = [...table.columns.values()].filter((c) => c.strategy !== 'keep').map((c) => c.name);
      if (personal.length > 0) {
        problems.push({
          path: `${base}.impersonal`,
          message: `the table is marked as holding nothing personal, yet ${personal.join(', ')} ${personal.length === 1 ? 'has a strategy' : 'have strategies'}; remove impersonal or write keep`,
        });
      }
      if (table.parents.length > 0) {
        problems.push({
          path: `${base}.impersonal`,
          message: 'the table is marked as holding nothing personal, yet belongsTo makes its rows part of a person; remove one of the two',
        });
      }
    } else if (table.columns.size === 0) {
      problems.push({
        path: `${base}.columns`,
        message: 'map the columns (keep for those that hold nothing personal), or mark the table impersonal: "why it holds nothing personal"',
      });
    }
    for (const column of table.columns.values()) {
      const path = `${base}.columns.${column.name}.strategy`;
      if (table.keyColumns.includes(column.name) && column.strategy !== 'keep') {
        problems.push({ path, message: 'the primary key must be kept: lethe finds rows by it (write keep)' });
      }
      if (column.strategy === 'keep') continue;
      if (column.strategy.kind === 'template') {
        for (const field of templateFields(column.strategy.template)) {
          const referenced = table.columns.get(field);
          if (!table.keyColumns.includes(field) && !referenced) {
            problems.push({ path, message: `template refers to {${field}}, which is not a column of ${table.name} in the map` });
          } else if (referenced && referenced.strategy !== 'keep') {
            problems.push({
              path,
              message: `template refers to {${field}}, a personal column: it would copy personal data into the new value`,
            });
          }
        }
      }
      if (column.strategy.kind === 'delete-file' && !(column.strategy.storage in raw.storage)) {
        const known = Object.keys(raw.storage);
        problems.push({
          path,
          message: `delete-file names the storage root "${column.strategy.storage}", which is not declared under storage${known.length ? ` (declared: ${known.join(', ')})` : '; declare it, e.g. storage: { attachments: { path: ./files } }'}`,
        });
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
        if (!table.keyColumns.includes(id.column) && !table.columns.has(id.column)) {
          problems.push({ path: `${base}.identifiers.${id.name}.column`, message: `"${id.column}" is not a column of ${table.name} in the map` });
        }
        if (table.keyColumns.includes(id.column) && (id.type === 'email' || id.type === 'phone')) {
          problems.push({
            path: `tables.${table.name}.primaryKey`,
            message: `${table.name}.${id.column} is both the primary key and the ${id.type} a person is found by: lethe writes primary keys into the audit trail, which must hold no personal data; set primaryKey to a column that is not personal (a UNIQUE NOT NULL id; add one if the table has none)`,
          });
        }
      }
      for (const column of nameColumns) {
        if (!table.columns.has(column)) {
          problems.push({ path: `${base}.name`, message: `"${column}" is not a column of ${table.name} in the map` });
        }
      }
    }
    if (rawSubject.tombstones && !raw.secrets.key) {
      problems.push({ path: `${base}.tombstones`, message: 'tombstones are keyed hashes and need secrets.key; set it, e.g. key: ${LETHE_KEY}' });
    }
    const suppress = rawSubject.suppress && readSuppressRule(base, rawSubject.suppress, { table, identifiers, hasKey: Boolean(raw.secrets.key) }, problems);
    subjects.set(subjectName, {
      name: subjectName,
      table: rawSubject.table,
      identifiers,
      nameColumns,
      tombstones: rawSubject.tombstones,
      ...(suppress ? { suppress } : {}),
    });
  }

  const order = parentsFirst(tables, problems);
  checkPeopleUnderPeople(tables, subjects, problems);
  checkRetention(tables, subjects, problems);
  if (raw.secrets.key !== undefined) checkKey(raw.secrets.key, problems);
  return {
    file: location.file,
    dir: location.dir,
    database: {
      client: raw.database.client,
      connection: raw.database.client === 'sqlite' ? location.resolvePath(raw.database.connection) : raw.database.connection,
    },
    auditPath: location.resolvePath(raw.audit.path),
    storage: storageRoots(raw, location.resolvePath, problems),
    ...(raw.secrets.key ? { key: raw.secrets.key } : {}),
    detection: Object.fromEntries(Object.entries(raw.detection).filter(([, v]) => v !== undefined)) as DetectOptions,
    subjects,
    tables,
    order,
  };
}

function readColumn(name: string, raw: RawDataMap['tables'][string]['columns'][string], path: string, problems: ConfigProblem[]): ColumnMapping | undefined {
  if (raw === null) {
    problems.push({
      path,
      message:
        'no strategy given (an empty or bare null value is taken as a mistake): write keep, "null" in quotes, or a strategy such as redact or { template: ... }',
    });
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
  // Linear in tables and links (and a sort per level): each table waits for a count of parents,
  // and each placed table releases its children. Level by level, in map order within a level.
  const position = new Map([...tables.keys()].map((name, i) => [name, i]));
  const waiting = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const table of tables.values()) {
    const parents = new Set(table.parents.map((p) => p.table).filter((p) => tables.has(p) && p !== table.name));
    waiting.set(table.name, parents.size);
    for (const parent of parents) {
      const list = children.get(parent);
      if (list) list.push(table.name);
      else children.set(parent, [table.name]);
    }
  }
  const order: string[] = [];
  let level = [...waiting].filter(([, count]) => count === 0).map(([name]) => name);
  while (level.length > 0) {
    order.push(...level);
    const next: string[] = [];
    for (const name of level) {
      for (const child of children.get(name) ?? []) {
        const left = waiting.get(child)! - 1;
        waiting.set(child, left);
        if (left === 0) next.push(child);
      }
    }
    level = next.sort((a, b) => position.get(a)! - position.get(b)!);
  }
  if (order.length < tables.size) {
    const placed = new Set(order);
    const cycle = [...tables.keys()].filter((name) => !placed.has(name));
    problems.push({ path: 'tables', message: `belongsTo links form a cycle among ${cycle.join(', ')}` });
    order.push(...cycle);
  }
  return order;
}

function readRetention(table: string, raw: NonNullable<RawDataMap['tables'][string]['retention']>, problems: ConfigProblem[]): RetentionRule {
  const base = `tables.${table}.retention`;
  const duration = (key: 'anonymizeAfter' | 'deleteAfter' | 'inactiveFor'): Duration | undefined => {
    const text = raw[key];
    if (text === undefined) return undefined;
    const parsed = parseDuration(text);
    if (!parsed) problems.push({ path: `${base}.${key}`, message: `"${text}" is not a period: write e.g. 30 days, 24 months, 5 years or P2Y` });
    return parsed;
  };
  const rule: RetentionRule = {
    ...(raw.timestamp ? { timestamp: raw.timestamp } : {}),
    activity: (raw.activity ?? []).map((ref, i) => {
      const dot = ref.lastIndexOf('.');
      if (dot <= 0) problems.push({ path: `${base}.activity.${i}`, message: `"${ref}" is not table.column` });
      return { table: ref.slice(0, Math.max(dot, 0)), column: ref.slice(dot + 1) };
    }),
    ...(raw.activityFallback ? { activityFallback: raw.activityFallback } : {}),
  };
  const anonymizeAfter = duration('anonymizeAfter');
  const deleteAfter = duration('deleteAfter');
  const inactiveFor = duration('inactiveFor');
  if (anonymizeAfter) rule.anonymizeAfter = anonymizeAfter;
  if (deleteAfter) rule.deleteAfter = deleteAfter;
  if (inactiveFor) rule.inactiveFor = inactiveFor;
  if ((raw.anonymizeAfter || raw.deleteAfter) && !raw.timestamp) {
    problems.push({ path: `${base}.timestamp`, message: 'anonymizeAfter and deleteAfter count from a timestamp column: name it' });
  }
  if (anonymizeAfter && deleteAfter && approximateDays(anonymizeAfter) >= approximateDays(deleteAfter)) {
    problems.push({
      path: `${base}.anonymizeAfter`,
      message: `anonymizeAfter (${anonymizeAfter.text}) must be shorter than deleteAfter (${deleteAfter.text})`,
    });
  }
  if (raw.inactiveFor && rule.activity.length === 0) {
    problems.push({ path: `${base}.activity`, message: 'inactiveFor needs the activity columns whose latest value counts, e.g. [users.last_seen_at]' });
  }
  return rule;
}

/**
 * One subject's table placed under another's through belongsTo: erasing a person of the one
 * would erase people of the other (an agent's erasure taking every customer they served). A
 * link from a person to a person is a reference.
 */
function checkPeopleUnderPeople(tables: Map<string, TableMapping>, subjects: Map<string, SubjectMapping>, problems: ConfigProblem[]): void {
  for (const subject of subjects.values()) {
    const table = tables.get(subject.table);
    if (!table) continue;
    for (const other of subjects.values()) {
      if (other.table === subject.table || !tables.has(other.table) || !descendsFrom(tables, table.name, other.table)) continue;
      const link = table.parents.find((p) => p.table === other.table);
      problems.push({
        path: `tables.${table.name}.belongsTo`,
        message: `belongsTo puts ${subject.name} (${table.name}) under ${other.name} (${other.table}): erasing one ${other.name} would erase the ${subject.name}s linked to them; a link between two people is a reference, e.g. references: { ${other.table}: ${link?.column ?? 'its_column'} }`,
      });
    }
  }
}

/** Strategies whose result a later sweep cannot recognise as already done, so it would rewrite rows every night (their definitions say so). */
export const NOT_IDEMPOTENT: ReadonlySet<string> = NOT_REPEATABLE;

const KEY_STRENGTH_HINT = 'generate one with `openssl rand -hex 32`';

/**
 * A problem with the key's strength rather than its presence. The audit commands only read
 * a trail, which must stay verifiable with the key it was written with, so they skip these.
 */
export function isKeyStrengthProblem(problem: ConfigProblem): boolean {
  return problem.path === 'secrets.key' && problem.message.includes(KEY_STRENGTH_HINT);
}

/** The fewest bytes a key may have: HMAC-SHA256 keys shorter than its 32-byte output are guessable sooner. */
export const MIN_KEY_BYTES = 32;

/**
 * secrets.key keys the audit chain, the hash strategy and the tombstones: a key anyone
 * reading the map knows (blank, short, or a variable that was never expanded, such as
 * `$LETHE_KEY` or `${LETHE_KEY }`) would key them all with a public string.
 */
function checkKey(key: string, problems: ConfigProblem[]): void {
  const hint = `${KEY_STRENGTH_HINT}, keep it in your secret store, and write key: \${LETHE_KEY}`;
  if (key.trim() === '') problems.push({ path: 'secrets.key', message: `the key is blank; ${hint}` });
  else if (/\$\{|\$[A-Za-z_]|\$\(/.test(key)) {
    problems.push({
      path: 'secrets.key',
      message: `the key looks like an environment variable that was not expanded (lethe expands \${NAME} and \${NAME:-default} only); ${hint}`,
    });
  } else if (Buffer.byteLength(key, 'utf8') < MIN_KEY_BYTES) {
    problems.push({ path: 'secrets.key', message: `the key has ${Buffer.byteLength(key, 'utf8')} bytes, fewer than ${MIN_KEY_BYTES}; ${hint}` });
  }
}

function checkRetention(tables: Map<string, TableMapping>, subjects: Map<string, SubjectMapping>, problems: ConfigProblem[]): void {
  for (const table of tables.values()) {
    const rule = table.retention;
    if (!rule) continue;
    const base = `tables.${table.name}.retention`;
    if (rule.anonymizeAfter || rule.inactiveFor) {
      for (const column of personalColumns(table)) {
        if (column.strategy !== 'keep' && NOT_IDEMPOTENT.has(column.strategy.kind)) {
          problems.push({
            path: `${base}.${rule.anonymizeAfter ? 'anonymizeAfter' : 'inactiveFor'}`,
            message: `${table.name}.${column.name} uses ${column.strategy.kind}, whose result a later sweep cannot tell from an original value; sweep needs strategies that give the same result twice (template, null, empty, value, mask, generalize, redact)`,
          });
        }
      }
    }
    if (rule.inactiveFor) {
      const subject = [...subjects.values()].find((s) => s.table === table.name);
      if (!subject) problems.push({ path: `${base}.inactiveFor`, message: `inactiveFor belongs on a subject's table; ${table.name} is none` });
      rule.activity.forEach((ref, i) => {
        const owner = tables.get(ref.table);
        if (!owner) problems.push({ path: `${base}.activity.${i}`, message: `table "${ref.table}" is not defined under tables` });
        else if (!descendsFrom(tables, ref.table, table.name)) {
          problems.push({ path: `${base}.activity.${i}`, message: `${ref.table} is not linked to ${table.name} through belongsTo` });
        }
      });
      if (rule.activityFallback !== undefined && !table.keyColumns.includes(rule.activityFallback) && !table.columns.has(rule.activityFallback)) {
        problems.push({ path: `${base}.activityFallback`, message: `"${rule.activityFallback}" is not a column of ${table.name} in the map` });
      }
      // Without a time of the person's own, someone with no activity at all would be due at once.
      if (rule.activityFallback === undefined && !rule.activity.some((ref) => ref.table === table.name)) {
        problems.push({
          path: `${base}.activityFallback`,
          message: `a person with no activity yet (no row in ${[...new Set(rule.activity.map((r) => r.table))].join(', ') || 'the activity tables'}) has nothing to count from: name a column of ${table.name} that does, e.g. activityFallback: created_at, or add one of ${table.name}'s own times to activity`,
        });
      }
    }
    if (rule.deleteAfter) {
      for (const child of tables.values()) {
        if (!child.parents.some((p) => p.table === table.name)) continue;
        const kept = child.retention?.deleteAfter;
        if (!kept || approximateDays(kept) > approximateDays(rule.deleteAfter)) {
          problems.push({
            path: `${base}.deleteAfter`,
            message: `deleting ${table.name} rows after ${rule.deleteAfter.text} would delete rows of ${child.name}, which the map keeps ${kept ? `for ${kept.text}` : 'without a deleteAfter'}; give ${child.name} a deleteAfter no longer than ${rule.deleteAfter.text}`,
          });
        }
      }
    }
  }
}

/** True when `table` is `ancestor` or below it through belongsTo links. */
export function descendsFrom(tables: Map<string, TableMapping>, table: string, ancestor: string, seen = new Set<string>()): boolean {
  if (table === ancestor) return true;
  if (seen.has(table)) return false;
  seen.add(table);
  return (tables.get(table)?.parents ?? []).some((p) => descendsFrom(tables, p.table, ancestor, seen));
}

function storageRoots(raw: RawDataMap, resolvePath: (p: string) => string, problems: ConfigProblem[]): Map<string, StorageRoot> {
  const roots = new Map<string, StorageRoot>();
  for (const [name, root] of Object.entries(raw.storage)) {
    if ('path' in root) {
      roots.set(name, { name, kind: 'folder', path: resolvePath(root.path) });
      continue;
    }
    const { bucket, prefix, region, endpoint, forcePathStyle, accessKeyId, secretAccessKey } = root.s3;
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      problems.push({
        path: `storage.${name}.s3`,
        message:
          "give accessKeyId and secretAccessKey together (from the environment, e.g. ${S3_SECRET_ACCESS_KEY}), or neither to use the SDK's own credentials",
      });
    }
    if (prefix !== undefined && (prefix.startsWith('/') || prefix.split('/').includes('..'))) {
      problems.push({ path: `storage.${name}.s3.prefix`, message: 'a prefix is a plain key prefix such as attachments/: no leading / and no .. segment' });
    }
    roots.set(name, {
      name,
      kind: 's3',
      bucket,
      prefix: prefix ?? '',
      region,
      ...(endpoint ? { endpoint } : {}),
      forcePathStyle,
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    });
  }
  return roots;
}
