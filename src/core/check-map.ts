import type { ConfigProblem } from '../errors.js';
import { descendsFrom, type DataMap, type TableMapping } from '../config/data-map.js';
import {
  foreignKeysTo,
  hasIndexLeadingWith,
  referencesTo,
  strictTextType,
  type ColumnInfo,
  type SchemaSnapshot,
  type TableInfo,
} from '../db/schema-snapshot.js';
import { DEFAULT_HASH_LENGTH } from '../masking/hash.js';
import { templateFields } from '../masking/spec.js';
import { PERSONAL_KEY_KINDS, article, readColumnName } from '../config/column-names.js';
import type { StrategySpec } from '../masking/types.js';

export interface MapCheck {
  /** The map cannot run safely as written (exit 2 before anything is read or written). */
  problems: ConfigProblem[];
  /** Worth fixing, not fatal; `lethe check --strict` treats them as problems (CI after migrations). */
  warnings: ConfigProblem[];
  /** Facts a reviewer should know, never a failure (e.g. hash is pseudonymisation). */
  notes: ConfigProblem[];
}

/**
 * Hex characters under which a keyed hash in a UNIQUE column is refused: with n characters
 * (4n bits) two people collide with even odds from about 2^(2n) rows (the birthday bound).
 */
export const MIN_UNIQUE_HASH_LENGTH = 16;
/** Characters a `{column}` of unbounded or non-text type is counted as in a template. */
const UNBOUNDED_FIELD_LENGTH = 20;

/**
 * Checks the data map against the live schema without writing anything: `lethe check`, and
 * every command before it reads or writes personal data. `schema` holds the mapped tables and
 * should hold every other table of the database too (foreign keys into mapped tables from
 * tables the map does not know are found that way).
 */
export function checkMapAgainstSchema(map: DataMap, schema: SchemaSnapshot): MapCheck {
  const check: MapCheck = { problems: [], warnings: [], notes: [] };
  for (const table of map.tables.values()) {
    const live = schema.get(table.name);
    if (!live) {
      check.problems.push({ path: `tables.${table.name}`, message: `table "${table.name}" does not exist in the database` });
      continue;
    }
    // Reviewed as holding nothing personal: no job reads it, so its keys and columns do not matter.
    if (table.impersonal !== undefined) continue;
    checkReferences(check, table, live);
    checkKeysAndLinks(check, map, table, live, schema);
    checkUnfollowedKeys(check, map, table, live);
    checkColumns(check, table, live);
    checkReferencedColumns(check, table, schema);
    checkRetention(check, map, table, live, schema);
  }
  checkReachability(check, map);
  return check;
}

function checkKeysAndLinks(check: MapCheck, map: DataMap, table: TableMapping, live: TableInfo, schema: SchemaSnapshot): void {
  const base = `tables.${table.name}`;
  const personal = personalKey(map, table);
  const missing = table.keyColumns.filter((name) => !live.columns.has(name));
  const key = table.keyColumns.join(', ');
  const several = table.keyColumns.length > 1;
  if (missing.length > 0) {
    for (const name of missing) check.problems.push({ path: `${base}.primaryKey`, message: `column "${name}" does not exist in table ${table.name}` });
  } else if (personal) {
    check.problems.push({
      path: `${base}.primaryKey`,
      message: `${table.name}.${personal.column} reads as ${article(personal.label)}: lethe writes primary keys into the audit trail, which must hold no personal data; set primaryKey to a column that is not personal (a UNIQUE NOT NULL id; add one if the table has none)`,
    });
  } else {
    const nullable = table.keyColumns.filter((name) => live.columns.get(name)!.nullable);
    const unique = several ? live.indexes.some((i) => i.unique && sameColumns(i.columns, table.keyColumns)) : live.columns.get(key)!.unique;
    if (nullable.length > 0 && unique) {
      check.problems.push({
        path: `${base}.primaryKey`,
        message: `${table.name}.${nullable.join(', ')} can be NULL: rows without a key cannot be addressed; use the primary key or UNIQUE NOT NULL columns`,
      });
    } else if (!unique) {
      check.problems.push({
        path: `${base}.primaryKey`,
        message: several
          ? `(${key}) is not unique in ${table.name} (no primary key or unique index on exactly these columns): lethe would change every row sharing a key`
          : `${table.name}.${key} is not unique in the database (no primary key or unique index on it alone): lethe would change every row sharing a value`,
      });
    }
  }
  for (const link of table.parents) {
    const path = `${base}.belongsTo.${link.table}`;
    if (!live.columns.has(link.column)) {
      check.problems.push({ path, message: `column "${link.column}" does not exist in table ${table.name}` });
      continue;
    }
    const parent = map.tables.get(link.table);
    const backing = live.foreignKeys.filter((fk) => fk.columns.length === 1 && fk.columns[0] === link.column && fk.referencedTable === link.table);
    const foreignKey = backing.length > 0;
    const elsewhere = parent ? backing.find((fk) => !isKeyOf(parent, fk.referencedColumns[0]!)) : undefined;
    if (elsewhere && parent) {
      check.problems.push({
        path,
        message: `${table.name}.${link.column} references ${link.table}.${elsewhere.referencedColumns[0]}, not its primaryKey ${parent.keyColumns.join(', ')}: lethe follows belongsTo by the parent's key and would find none of these rows`,
      });
      continue;
    }
    const mismatch = parent ? linkTypeMismatch(live, link.column, schema.get(parent.name), parent.keyColumns) : undefined;
    if (mismatch) {
      check.warnings.push({
        path,
        message: `${table.name}.${link.column} is ${mismatch.link} and ${link.table}.${parent!.keyColumns[0]} is ${mismatch.key}: the database converts one to compare them (MySQL as numbers, so '12abc' matches 12), and PostgreSQL refuses to in the sweep's activity test; give both the same type`,
      });
    }
    if (!hasIndexLeadingWith(live, link.column)) {
      check.warnings.push({
        path,
        message: `no index on ${table.name}.${link.column}${foreignKey ? '' : ' and no foreign key'}: finding a person's ${table.name} rows scans the whole table; add one: CREATE INDEX ${indexName(table.name, link.column)} ON ${sqlName(table.name)} (${sqlName(link.column)})`,
      });
    } else if (!foreignKey && parent && schema.has(parent.name)) {
      check.notes.push({
        path,
        message: `no foreign key backs ${table.name}.${link.column} -> ${link.table}: the database does not stop rows pointing at nobody`,
      });
    }
  }
}

/** A link of text to a key of integers, or the other way round: the broad types of each side, else undefined. */
function linkTypeMismatch(live: TableInfo, column: string, parent: TableInfo | undefined, keyColumns: string[]): { link: string; key: string } | undefined {
  const link = live.columns.get(column)?.type;
  const key = keyColumns.length === 1 ? parent?.columns.get(keyColumns[0]!)?.type : undefined;
  const pair = new Set([link, key]);
  return pair.size === 2 && pair.has('integer') && pair.has('text') ? { link: link!, key: key! } : undefined;
}

/** A reference's column exists, and points at the person's table when a foreign key says where it points. */
function checkReferences(check: MapCheck, table: TableMapping, live: TableInfo): void {
  for (const reference of table.references) {
    const path = `tables.${table.name}.references.${reference.table}`;
    if (!live.columns.has(reference.column)) {
      check.problems.push({ path, message: `column "${reference.column}" does not exist in table ${table.name}` });
      continue;
    }
    const fk = live.foreignKeys.find((k) => k.columns.length === 1 && k.columns[0] === reference.column);
    if (fk && fk.referencedTable !== reference.table) {
      check.problems.push({ path, message: `${table.name}.${reference.column} is a foreign key to ${fk.referencedTable}, not to ${reference.table}` });
    }
  }
}

/**
 * Foreign keys to people's tables that no belongsTo follows: a row that reaches a person only
 * through one is not found, exported or erased with them. A warning where a belongsTo would
 * fix it; a note where it cannot, since belongsTo follows one column per parent (the
 * recipient of a message whose link is its sender). Keys to another column than the
 * parent's primaryKey, and links that would close a cycle, lethe cannot follow: not reported.
 */
function checkUnfollowedKeys(check: MapCheck, map: DataMap, table: TableMapping, live: TableInfo): void {
  for (const fk of live.foreignKeys) {
    if (fk.columns.length !== 1) continue;
    const column = fk.columns[0]!;
    const parent = map.tables.get(fk.referencedTable);
    if (!parent || parent.name === table.name || !isKeyOf(parent, fk.referencedColumns[0]!) || !reachesSubject(map, parent)) continue;
    if (descendsFrom(map.tables, parent.name, table.name)) continue;
    const linked = table.parents.find((p) => p.table === parent.name);
    if (linked?.column === column) continue;
    // Declared a reference to a person: seen, and deliberately not followed.
    if (table.references.some((r) => r.table === parent.name && r.column === column)) continue;
    const path = `tables.${table.name}.belongsTo`;
    if (linked) {
      check.notes.push({
        path,
        message: `${table.name}.${column} also references ${parent.name}, but belongsTo follows ${table.name}.${linked.column} (one column per parent): rows that reach a person only through ${column} are not found, exported or erased with them`,
      });
    } else {
      check.warnings.push({
        path,
        message: `${table.name}.${column} references ${parent.name}, but no belongsTo follows it: rows that reach a person only through it are not found, exported or erased with them; add belongsTo: { ${parent.name}: ${column} }`,
      });
    }
  }
}

/**
 * A column lethe rewrites that a foreign key references (a natural key such as an e-mail):
 * unless the key is ON UPDATE CASCADE the database refuses the change, and every batch or
 * erasure with such a row fails; SET NULL or SET DEFAULT unlink the referencing rows.
 */
function checkReferencedColumns(check: MapCheck, table: TableMapping, schema: SchemaSnapshot): void {
  for (const column of table.columns.values()) {
    if (column.strategy === 'keep') continue;
    for (const { from, foreignKey: fk } of foreignKeysTo(schema, table.name, column.name)) {
      if (fk.onUpdate === 'cascade') continue;
      const path = `tables.${table.name}.columns.${column.name}.strategy`;
      if (fk.onUpdate === 'set null' || fk.onUpdate === 'set default') {
        check.warnings.push({
          path,
          message: `${from} references ${table.name}.${column.name} (ON UPDATE ${fk.onUpdate.toUpperCase()}): anonymizing it unlinks those rows`,
        });
      } else {
        check.problems.push({
          path,
          message: `${from} references ${table.name}.${column.name}, so the database refuses to change it (ON UPDATE ${fk.onUpdate.toUpperCase()}): every row with a reference would fail; keep the column, or make that foreign key ON UPDATE CASCADE`,
        });
      }
    }
  }
}

function checkColumns(check: MapCheck, table: TableMapping, live: TableInfo): void {
  const base = `tables.${table.name}`;
  for (const column of table.columns.values()) {
    const path = `${base}.columns.${column.name}`;
    const info = live.columns.get(column.name);
    if (!info) {
      check.problems.push({ path, message: `column "${column.name}" does not exist in table ${table.name}` });
      continue;
    }
    if (column.strategy === 'keep') continue;
    const strategyPath = `${path}.strategy`;
    const label = `${table.name}.${column.name}`;
    if (column.strategy.kind === 'delete-file' && info.type !== 'text' && info.type !== 'other') {
      check.problems.push({
        path: strategyPath,
        message: `delete-file reads a file's path or key from ${label}, which is ${info.declaredType || info.type}, not text`,
      });
    }
    // A delete-file column then holds what `then` writes: checked as that strategy.
    const strategy = column.strategy.kind === 'delete-file' ? column.strategy.then : column.strategy;
    const kind = strategy.kind;
    if (kind === 'null' && !info.nullable) {
      check.problems.push({ path: strategyPath, message: `null on ${label}, which is NOT NULL; use empty, a template or a value` });
    }
    const mismatch = typeMismatch(strategy, info.type, info.declaredType);
    if (mismatch) check.problems.push({ path: strategyPath, message: `${mismatch}, but ${label} is ${info.declaredType || info.type}` });
    if ((kind === 'value' || kind === 'empty') && collidesOn(info)) {
      check.problems.push({
        path: strategyPath,
        message: `a constant (${kind}) on ${label}, ${uniqueness(info)}: the second anonymized row would fail; use a template with ${keyFields(table)}, random or hash`,
      });
    }
    checkUnique(check, strategyPath, label, strategy, info, table, live);
    checkLength(check, strategyPath, label, strategy, info, live);
    if (kind === 'hash') {
      check.notes.push({
        path: strategyPath,
        message: `hash on ${label} is pseudonymisation, not anonymisation: whoever holds secrets.key can link the rows to a person, so GDPR still treats them as personal data`,
      });
    }
  }
  for (const name of live.columns.keys()) {
    if (!table.keyColumns.includes(name) && !table.columns.has(name)) {
      check.warnings.push({
        path: `${base}.columns`,
        message: `column "${name}" of ${table.name} is not in the map; lethe leaves it untouched (declare it keep, or give it a strategy)`,
      });
    }
  }
}

/** Strategies that would give two rows the same value in a UNIQUE column (the second write fails, and the batch with it). */
function checkUnique(check: MapCheck, path: string, label: string, strategy: StrategySpec, info: ColumnInfo, table: TableMapping, live: TableInfo): void {
  if (!collidesOn(info)) return;
  const fields = strategy.kind === 'template' ? templateFields(strategy.template) : [];
  if (
    strategy.kind === 'template' &&
    !fields.some((f) => live.columns.get(f)?.unique) &&
    !(table.keyColumns.length > 1 && table.keyColumns.every((k) => fields.includes(k)))
  ) {
    check.problems.push({
      path,
      message: `the template on ${label}, ${uniqueness(info)}, reads no unique column: two anonymized rows would get the same value; include ${keyFields(table)}`,
    });
  }
  if (strategy.kind === 'hash') {
    const length = Math.min(strategy.length ?? DEFAULT_HASH_LENGTH, info.type === 'text' && info.maxLength !== undefined ? info.maxLength : Infinity);
    if (length < MIN_UNIQUE_HASH_LENGTH) {
      check.problems.push({
        path,
        message: `a ${length}-character hash in ${label}, ${uniqueness(info)}: two people collide with even odds from about ${collisionRows(length)} rows; use at least ${MIN_UNIQUE_HASH_LENGTH} characters (and a column that holds them)`,
      });
    }
  }
  const collides: Partial<Record<StrategySpec['kind'], string>> = {
    mask: 'mask keeps only a few characters, so values alike at both ends become equal',
    generalize: 'generalize maps many values to one',
    redact: 'redact turns values that are all personal data into the same placeholder',
  };
  const why = collides[strategy.kind];
  if (why)
    check.problems.push({ path, message: `${strategy.kind} on ${label}, ${uniqueness(info)}: ${why}; use a template with ${keyFields(table)} or random` });
}

/** Equal values written into the column collide: it is UNIQUE, or a unique index reads it (partial, on an expression). */
function collidesOn(info: ColumnInfo): boolean {
  return info.unique || info.uniqueIndex !== undefined;
}

function uniqueness(info: ColumnInfo): string {
  return info.unique ? 'which is UNIQUE' : `which the unique index ${info.uniqueIndex} reads`;
}

/** Values longer than the column: cut (template, hash) or refused by the database (value, redact). */
function checkLength(check: MapCheck, path: string, label: string, strategy: StrategySpec, info: ColumnInfo, live: TableInfo): void {
  const max = info.type === 'text' ? info.maxLength : undefined;
  if (max === undefined) return;
  if (strategy.kind === 'value' && typeof strategy.value === 'string' && [...strategy.value].length > max) {
    check.problems.push({ path, message: `the value is ${[...strategy.value].length} characters, longer than ${label} (${info.declaredType})` });
  }
  if (strategy.kind === 'template') {
    const fields = templateFields(strategy.template);
    const literal = [...strategy.template.replace(/\{[^{}]*\}/g, '')].length;
    const longest = literal + fields.reduce((n, field) => n + fieldLength(live.columns.get(field)), 0);
    if (literal > max || (collidesOn(info) && fields.length > 0 && longest > max)) {
      check.problems.push({
        path,
        message: `the template can be ${longest} characters, longer than ${label} (${info.declaredType}); lethe would cut it${collidesOn(info) ? `, and cut values could collide in ${label}, ${uniqueness(info)}` : ''}: shorten it`,
      });
    } else if (longest > max) {
      check.warnings.push({
        path,
        message: `the template can be ${longest} characters, longer than ${label} (${info.declaredType}): long values are cut to fit`,
      });
    }
  }
  if (strategy.kind === 'hash' && !collidesOn(info) && (strategy.length ?? DEFAULT_HASH_LENGTH) > max) {
    check.warnings.push({ path, message: `the hash is ${strategy.length ?? DEFAULT_HASH_LENGTH} characters, cut to ${max} to fit ${label}` });
  }
  if (strategy.kind === 'redact') {
    check.notes.push({
      path,
      message: `redact on ${label} (${info.declaredType}): a placeholder can be longer than what it replaces ([NAME] for "Al"), so a value near ${max} characters may no longer fit and its batch fails`,
    });
  }
}

/** Foreign keys into a table whose rows the sweep or an erasure deletes, from tables the map does not link. */
function checkRetention(check: MapCheck, map: DataMap, table: TableMapping, live: TableInfo, schema: SchemaSnapshot): void {
  const base = `tables.${table.name}`;
  const rule = table.retention;
  if (rule?.timestamp && !live.columns.has(rule.timestamp)) {
    check.problems.push({ path: `${base}.retention.timestamp`, message: `column "${rule.timestamp}" does not exist in table ${table.name}` });
  }
  rule?.activity.forEach((ref, i) => {
    const owner = schema.get(ref.table);
    if (owner && !owner.columns.has(ref.column)) {
      check.problems.push({ path: `${base}.retention.activity.${i}`, message: `column "${ref.column}" does not exist in table ${ref.table}` });
    }
  });
  if (rule?.activityFallback !== undefined && !live.columns.has(rule.activityFallback)) {
    check.problems.push({ path: `${base}.retention.activityFallback`, message: `column "${rule.activityFallback}" does not exist in table ${table.name}` });
  }
  checkRetentionIndexes(check, map, table, live, schema);
  // PostgreSQL has no comparison of text with a time (42883): the sweep would fail on its first query.
  if (map.database.client === 'postgres' && rule) {
    const times: [string, string, string][] = [
      ...(rule.timestamp ? [[`${base}.retention.timestamp`, table.name, rule.timestamp] as [string, string, string]] : []),
      ...rule.activity.map((ref, i) => [`${base}.retention.activity.${i}`, ref.table, ref.column] as [string, string, string]),
      ...(rule.activityFallback ? [[`${base}.retention.activityFallback`, table.name, rule.activityFallback] as [string, string, string]] : []),
    ];
    for (const [path, owner, column] of times) {
      const info = schema.get(owner)?.columns.get(column);
      if (info && info.type !== 'datetime' && info.type !== 'date') {
        // A warning, not a refusal: find, export and anonymize never compare it; only the sweep does, and fails.
        check.warnings.push({
          path,
          message: `${owner}.${column} is ${info.declaredType}, not a date or time: PostgreSQL cannot compare it with the sweep's cutoff, so lethe sweep fails on it (42883); make it timestamptz (ALTER TABLE ... TYPE timestamptz USING ${column}::timestamptz) or name a time column`,
        });
      }
    }
  }
  const deletes = rule?.deleteAfter !== undefined ? 'retention.deleteAfter' : table.onErase === 'delete' ? 'onErase' : undefined;
  if (!deletes) return;
  const verb = deletes === 'onErase' ? 'an erasure deletes' : 'the sweep deletes';
  // Foreign keys name their table as the map does (schema-qualified only outside the search path).
  for (const { table: other, foreignKey: fk } of referencesTo(schema, table.name)) {
    const name = other.name;
    const mapped = map.tables.get(name);
    const linked = mapped?.parents.some((p) => p.table === table.name && fk.columns.length === 1 && p.column === fk.columns[0]);
    if (linked) continue;
    const where = `${name}.${fk.columns.join(', ')}`;
    const fix = deletionFix(table.name, name, mapped, fk.columns, deletes === 'onErase' ? 'onErase: delete' : 'deleteAfter');
    const path = `${base}.${deletes}`;
    if (fk.onDelete === 'cascade') {
      check.problems.push({
        path,
        message: `${verb} ${table.name} rows, and the database would cascade the deletion to ${name} (foreign key ${where}, ON DELETE CASCADE), which the map does not cover; ${fix}`,
      });
    } else if (fk.onDelete === 'set null' || fk.onDelete === 'set default') {
      check.warnings.push({
        path,
        message: `${verb} ${table.name} rows; the database then sets ${where} to ${fk.onDelete === 'set null' ? 'NULL' : 'its default'} (ON DELETE ${fk.onDelete.toUpperCase()}), unaudited; ${fix}`,
      });
    } else {
      check.problems.push({
        path,
        message: `${verb} ${table.name} rows, but ${where} references them (foreign key, ON DELETE ${fk.onDelete.toUpperCase()}): the deletes would fail; ${fix}`,
      });
    }
  }
}

/** What to do about a foreign key from `child` into a table whose rows lethe deletes (`rule` says why). */
function deletionFix(table: string, child: string, mapped: TableMapping | undefined, columns: string[], rule: string): string {
  if (child === table) return `a table that references itself cannot be deleted from by age safely (a young row can hang under an old one); drop ${rule} here`;
  if (columns.length !== 1) return `the foreign key has ${columns.length} columns, which belongsTo cannot follow; remove ${rule} or the foreign key`;
  if (mapped?.parents.some((p) => p.table === table)) {
    return `${child} already belongs to ${table} through another column, and lethe follows one link per parent; remove ${rule} or make ${child}.${columns[0]} ON DELETE SET NULL`;
  }
  const link = `belongsTo: { ${table}: ${columns[0]} }`;
  return mapped
    ? `link it: ${link} in tables.${child} (lethe then deletes those rows first)`
    : `map ${child} with ${link} (lethe then deletes those rows first)`;
}

/** Tables no subject reaches through belongsTo are invisible to find, anonymize and export. */
function checkReachability(check: MapCheck, map: DataMap): void {
  for (const table of map.tables.values()) {
    const personal = [...table.columns.values()].some((c) => c.strategy !== 'keep');
    if (!personal || reachesSubject(map, table)) continue;
    check.warnings.push({
      path: `tables.${table.name}`,
      message: `no subject reaches ${table.name} through belongsTo: find, anonymize and export never see its personal columns${table.retention ? ' (only the sweep does)' : ''}; add belongsTo to a table that leads to a subject`,
    });
  }
}

/**
 * The primary key's name says it holds what identifies a person (email, username, iban...).
 * A key that is a subject's e-mail or phone identifier is refused with the map's own checks.
 */
function personalKey(map: DataMap, table: TableMapping): { label: string; column: string } | undefined {
  const subjects = [...map.subjects.values()].filter((s) => s.table === table.name);
  for (const column of table.keyColumns) {
    if (subjects.some((s) => s.identifiers.some((i) => i.column === column && (i.type === 'email' || i.type === 'phone')))) continue;
    const match = readColumnName(column, table.name).match;
    if (match && !match.weak && PERSONAL_KEY_KINDS.has(match.kind)) return { label: match.label, column };
  }
  return undefined;
}

/** Whether `column` is the whole of the table's key: links hold a key of one column. */
function isKeyOf(table: TableMapping, column: string): boolean {
  return table.keyColumns.length === 1 && table.keyColumns[0] === column;
}

/** The key's fields for a template: `{id}`, or `{playlist_id}-{track_id}`. */
function keyFields(table: TableMapping): string {
  return table.keyColumns.map((c) => `{${c}}`).join('-');
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

/** A subject's table, or a table whose belongsTo links lead to one: its rows belong to people. */
function reachesSubject(map: DataMap, table: TableMapping): boolean {
  return [...map.subjects.values()].some((subject) => descendsFrom(map.tables, table.name, subject.table));
}

function fieldLength(column: ColumnInfo | undefined): number {
  return column?.type === 'text' && column.maxLength !== undefined ? column.maxLength : UNBOUNDED_FIELD_LENGTH;
}

function collisionRows(hexLength: number): string {
  return Math.round(2 ** (2 * hexLength)).toLocaleString('en');
}

/** An identifier as SQL needs it: plain when lower-case letters, digits and _, else double-quoted (PostgreSQL, SQLite; MySQL in ANSI_QUOTES). */
/**
 * A sweep finds what is due by the retention timestamp, and people's inactivity by their
 * activity columns: without an index each nightly run reads the whole table, however little
 * is due. A warning with the CREATE INDEX, as for belongsTo.
 */
function checkRetentionIndexes(check: MapCheck, map: DataMap, table: TableMapping, live: TableInfo, schema: SchemaSnapshot): void {
  const rule = table.retention;
  if (!rule) return;
  const base = `tables.${table.name}.retention`;
  const warn = (path: string, owner: string, column: string, what: string, columns = [column]) =>
    check.warnings.push({
      path,
      message: `no index on ${owner}.${column}, ${what}: every sweep reads the whole table to find what is due; add one: CREATE INDEX ${indexName(owner, columns.join('_'))} ON ${sqlName(owner)} (${columns.map(sqlName).join(', ')})`,
    });
  if (rule.timestamp && live.columns.has(rule.timestamp) && !hasIndexLeadingWith(live, rule.timestamp)) {
    warn(`${base}.timestamp`, table.name, rule.timestamp, 'the retention timestamp');
  }
  if (!rule.inactiveFor) return;
  rule.activity.forEach((ref, i) => {
    const owner = schema.get(ref.table);
    if (!owner?.columns.has(ref.column)) return;
    if (ref.table === table.name) {
      if (!hasIndexLeadingWith(owner, ref.column)) warn(`${base}.activity.${i}`, ref.table, ref.column, 'an activity column');
      return;
    }
    // Below the person, the sweep asks for their newest activity: an index on the column, or on the link then the column.
    const link = map.tables.get(ref.table)?.parents[0]?.column;
    const covered = owner.indexes.some(
      (index) => index.columns[0] === ref.column || (link !== undefined && index.columns[0] === link && index.columns[1] === ref.column),
    );
    if (!covered) warn(`${base}.activity.${i}`, ref.table, ref.column, 'an activity column', link ? [link, ref.column] : [ref.column]);
  });
}

function sqlName(name: string): string {
  return name
    .split('.')
    .map((part) => (/^[a-z_][a-z0-9_]*$/.test(part) ? part : `"${part.replaceAll('"', '""')}"`))
    .join('.');
}

function indexName(table: string, column: string): string {
  return `${table.replace(/\W/g, '_')}_${column.replace(/\W/g, '_')}_idx`;
}

const TEXT_ONLY = new Set(['empty', 'template', 'hash', 'mask', 'redact']);

/** Strategies that write text cannot go into numbers, dates or booleans (SQLite would take them; PostgreSQL and MySQL would not). */
function typeMismatch(strategy: StrategySpec, type: ColumnInfo['type'], declared = ''): string | undefined {
  // Types that read like text but only take their own syntax (PostgreSQL's uuid, inet, json...).
  const strict = strictTextType(declared);
  const allowed = strategy.kind === 'null' || strategy.kind === 'value' || (strategy.kind === 'random' && strict === 'uuid');
  if (strict && !allowed) return `${strategy.kind} writes text that a ${strict} column may refuse (use null${strict === 'uuid' ? ' or random' : ''})`;
  const textual = type === 'text' || type === 'other';
  if (TEXT_ONLY.has(strategy.kind) && !textual) return `${strategy.kind} writes text`;
  if (strategy.kind === 'generalize' && (type === 'boolean' || type === 'binary')) return 'generalize works on dates and numbers';
  if (strategy.kind === 'value') {
    const fits =
      typeof strategy.value === 'number'
        ? ['integer', 'number', 'other', 'text'].includes(type)
        : typeof strategy.value === 'boolean'
          ? ['boolean', 'integer', 'other'].includes(type)
          : type === 'date' || type === 'datetime'
            ? !Number.isNaN(Date.parse(strategy.value))
            : type !== 'integer' && type !== 'number' && type !== 'boolean';
    if (!fits) return `the value ${JSON.stringify(strategy.value)} does not fit`;
  }
  return undefined;
}
