/**
 * `lethe init`: a first draft of the data map from the live schema and a sample of the data.
 * The column decisions live in classify.ts and propose.ts; this file reads the database,
 * guesses the subject and the links, and hands a Draft to render.ts.
 */
import type { Knex } from 'knex';
import type { Dialect } from '../db/dialect.js';
import { ExitCode, LetheError } from '../errors.js';
import { foreignKeysTo, referencesTo, type ColumnInfo, type SchemaSnapshot, type TableInfo } from '../db/schema-snapshot.js';
import { isLetheTable } from '../db/database-identity.js';
import { classifyColumn, type ColumnClass } from './classify.js';
import { PERSONAL_KEY_KINDS, PERSONAL_KINDS } from './column-names.js';
import { proposeStrategy } from './propose.js';

export const DEFAULT_SAMPLE_SIZE = 100;

export interface DraftColumn {
  name: string;
  personal: boolean;
  category?: string;
  /** As written in the map: a strategy, or 'keep'. */
  strategy: unknown;
  /** One line for the YAML comment: why personal or not, and any non-obvious choice. Never a sampled value. */
  comment: string;
  kind?: string;
}

export interface DraftLink {
  parent: string;
  column: string;
}

export interface DraftTable {
  name: string;
  primaryKey: string;
  belongsTo: DraftLink[];
  /** Foreign keys not written as belongsTo, and why (a second link to the same parent, a cycle). */
  linkNotes: string[];
  columns: DraftColumn[];
  sampled: number;
  /** A commented-out retention rule to start from, when the table has a creation time. */
  retentionHint?: string;
}

export interface DraftSubject {
  name: string;
  table: string;
  identifiers: { name: string; column: string; type: 'id' | 'email' | 'phone' | 'text' }[];
  nameColumns: string[];
  reason: string;
}

export interface Draft {
  subject: DraftSubject;
  tables: DraftTable[];
  /** Tables lethe cannot map as they are (no single-column key), with the reason. */
  skipped: { name: string; reason: string }[];
  sampleSize: number;
}

/** Kinds of column that identify a person well enough to find them by. */
const IDENTIFIER_KINDS: Record<string, 'email' | 'phone'> = { email: 'email', phone: 'phone' };
const NAME_KINDS = new Set(['name', 'full_name', 'first_name', 'last_name']);
const CREATED_AT = /^(created|inserted|registered|signed_?up|opened|started|sent|placed|recorded)(_?(at|on|date|time))?$|^(creation|created)_?(date|time)$|^date_?created$/i;

export async function draftDataMap(knex: Knex, dialect: Dialect, options: { sampleSize?: number } = {}): Promise<{ draft: Draft; schema: SchemaSnapshot }> {
  const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
  const names = (await dialect.listTables(knex)).filter((name) => !isLetheTable(name) && !name.includes('.'));
  const schema = await dialect.introspect(knex, names);
  const skipped: Draft['skipped'] = [];
  const tables: DraftTable[] = [];
  for (const table of schema.values()) {
    const rows = await sample(knex, table.name, sampleSize);
    const key = keyOf(table, rows, schema);
    if ('skip' in key) {
      skipped.push({ name: table.name, reason: key.skip });
      continue;
    }
    const primaryKey = key.column;
    const foreignKeyColumns = new Set(table.foreignKeys.filter((fk) => fk.columns.length === 1).map((fk) => fk.columns[0]!));
    const columns: DraftColumn[] = [];
    for (const column of table.columns.values()) {
      if (column.name === primaryKey) continue;
      const values = rows.map((row) => row[column.name]).filter((value) => value !== null && value !== undefined);
      const verdict = classifyColumn(column, values, { table: table.name, primaryKey, foreignKey: foreignKeyColumns.has(column.name) });
      columns.push(draftColumn(column, verdict, table.columns.get(primaryKey)!, primaryKey));
    }
    const createdAt = [...table.columns.values()].find((c) => (c.type === 'datetime' || c.type === 'date') && CREATED_AT.test(c.name));
    tables.push({
      name: table.name,
      primaryKey,
      belongsTo: [],
      linkNotes: [],
      columns,
      sampled: rows.length,
      ...(createdAt ? { retentionHint: `for example: retention: { timestamp: ${createdAt.name}, anonymizeAfter: 24 months, deleteAfter: 5 years }` } : {}),
    });
  }
  if (tables.length === 0) {
    throw new LetheError(
      schema.size === 0 ? 'The database has no tables.' : `No table can be mapped: ${skipped.map((s) => `${s.name}, because ${s.reason}`).join('; ')}.`,
      ExitCode.failed,
      'lethe maps tables that have a one-column key which holds no personal data (a primary key, or a UNIQUE NOT NULL column).',
    );
  }
  linkTables(tables, schema);
  const subject = guessSubject(tables, schema);
  const ordered = parentsFirst(tables, subject.table);
  const subjectTable = ordered[0]!;
  // The subject's rows go by inactivity, not by age: a hint of its own.
  const activity = subjectTable.columns.filter((c) => c.kind === undefined && /(last_?(seen|login|active|activity)|updated)(_?(at|on))?$/i.test(c.name)).map((c) => `${subjectTable.name}.${c.name}`);
  if (activity.length > 0) subjectTable.retentionHint = `for example, people inactive for 24 months: retention: { inactiveFor: 24 months, activity: [${activity.join(', ')}] }`;
  else delete subjectTable.retentionHint;
  return { draft: { subject, tables: ordered, skipped, sampleSize }, schema };
}

function draftColumn(column: ColumnInfo, verdict: ColumnClass, primaryKey: ColumnInfo, primaryKeyName: string): DraftColumn {
  if (!verdict.personal) return { name: column.name, personal: false, strategy: 'keep', comment: verdict.reason, ...(verdict.kind ? { kind: verdict.kind } : {}) };
  const proposal = proposeStrategy(verdict, column, { ...primaryKey, name: primaryKeyName });
  return {
    name: column.name,
    personal: true,
    ...(verdict.category ? { category: verdict.category } : {}),
    strategy: proposal.strategy,
    comment: proposal.note ? `${verdict.reason}; ${proposal.note}` : verdict.reason,
    ...(verdict.kind ? { kind: verdict.kind } : {}),
  };
}

/**
 * The column lethe will address rows by: the primary key when it is one column, else a unique
 * NOT NULL column; never one holding what identifies a person outside the database (an
 * e-mail, a name, a national id...), since keys go into the audit trail, which holds no
 * personal data. A unique NOT NULL column that is not personal stands in for such a key.
 */
function keyOf(table: TableInfo, rows: Record<string, unknown>[], schema: SchemaSnapshot): { column: string } | { skip: string } {
  if (table.primaryKey.length > 1) {
    return { skip: `its primary key has ${table.primaryKey.length} columns (${table.primaryKey.join(', ')}); lethe needs one column that identifies a row` };
  }
  const alternatives = [...table.columns.values()].filter((c) => c.unique && !c.nullable && !table.primaryKey.includes(c.name));
  const candidates = [...table.primaryKey.map((name) => table.columns.get(name)!), ...alternatives];
  let personal: { column: string; label: string } | undefined;
  for (const column of candidates) {
    const values = rows.map((row) => row[column.name]).filter((value) => value !== null && value !== undefined);
    const verdict = classifyColumn(column, values, { table: table.name, primaryKey: '', foreignKey: false });
    if (!verdict.personal || !verdict.kind || !PERSONAL_KEY_KINDS.has(verdict.kind)) {
      // The personal key is then anonymized like any column: only if no foreign key refuses the change.
      const referencing = personal && foreignKeysTo(schema, table.name, personal.column).find((r) => r.foreignKey.onUpdate !== 'cascade');
      if (referencing) {
        return {
          skip: `its key ${personal!.column} holds personal data (${personal!.label}), which lethe keeps out of the audit trail, and ${referencing.from} refers to it, so it cannot be anonymized in place either; give the table a key that is not personal and refer to that`,
        };
      }
      return { column: column.name };
    }
    personal ??= { column: column.name, label: PERSONAL_KINDS[verdict.kind].label };
  }
  if (personal) {
    return {
      skip: `its key ${personal.column} holds personal data (${personal.label}), and lethe writes keys into the audit trail, which holds none; give the table a key that is not personal (a UNIQUE NOT NULL id column) to map it`,
    };
  }
  return { skip: 'it has no primary key and no unique NOT NULL column; lethe needs one column that identifies a row' };
}

async function sample(knex: Knex, table: string, size: number): Promise<Record<string, unknown>[]> {
  if (size <= 0) return [];
  return knex(table).select('*').limit(size);
}

/**
 * belongsTo from single-column foreign keys between draft tables: one link per parent (the
 * first foreign key; the others get a note), no self-references, and no link that would close
 * a cycle (lethe walks the links as a tree).
 */
function linkTables(tables: DraftTable[], schema: SchemaSnapshot): void {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const parentsOf = (name: string) => byName.get(name)?.belongsTo.map((l) => l.parent) ?? [];
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return parentsOf(from).some((p) => reaches(p, to, seen));
  };
  for (const table of tables) {
    for (const fk of schema.get(table.name)!.foreignKeys) {
      const parent = byName.get(fk.referencedTable);
      if (fk.columns.length !== 1 || !parent) {
        if (fk.columns.length !== 1) table.linkNotes.push(`the foreign key (${fk.columns.join(', ')}) -> ${fk.referencedTable} has ${fk.columns.length} columns: not linked`);
        continue;
      }
      const column = fk.columns[0]!;
      if (fk.referencedColumns[0] !== parent.primaryKey) {
        table.linkNotes.push(`${column} -> ${parent.name}.${fk.referencedColumns[0]} is not ${parent.name}'s key (${parent.primaryKey}): lethe links by key, so not linked`);
      } else if (parent.name === table.name) {
        table.linkNotes.push(`${column} -> ${table.name} refers to the same table: not a belongsTo link`);
      } else if (table.belongsTo.some((l) => l.parent === parent.name)) {
        table.linkNotes.push(`${column} -> ${parent.name} is a second link to ${parent.name}: lethe follows one per parent (${table.belongsTo.find((l) => l.parent === parent.name)!.column})`);
      } else if (reaches(parent.name, table.name)) {
        table.linkNotes.push(`${column} -> ${parent.name} would close a cycle of links: not linked`);
      } else {
        table.belongsTo.push({ parent: parent.name, column });
      }
    }
  }
}

/**
 * The table most others reference that holds e-mail-like columns (a person is found by e-mail);
 * without one, the most referenced table that holds personal columns.
 */
function guessSubject(tables: DraftTable[], schema: SchemaSnapshot): DraftSubject {
  // Counted once per table (a sort asks for it n log n times).
  const counts = new Map([...schema.keys()].map((name) => [name, new Set(referencesTo(schema, name).map((r) => r.table.name).filter((t) => t !== name)).size]));
  const referencedBy = (name: string) => counts.get(name) ?? 0;
  const hasKind = (table: DraftTable, kind: string) => table.columns.some((c) => c.personal && c.kind === kind);
  const ranked = [...tables].sort((a, b) => referencedBy(b.name) - referencedBy(a.name) || a.name.localeCompare(b.name));
  const withEmail = ranked.find((t) => hasKind(t, 'email'));
  const table = withEmail ?? ranked.find((t) => t.columns.some((c) => c.personal)) ?? ranked[0]!;
  const references = referencedBy(table.name);
  const identifiers: DraftSubject['identifiers'] = [{ name: 'id', column: table.primaryKey, type: 'id' }];
  for (const column of table.columns) {
    const type = column.personal && column.kind ? IDENTIFIER_KINDS[column.kind] : undefined;
    if (!type) continue;
    const name = identifiers.some((i) => i.name === type) ? column.name : type;
    identifiers.push({ name, column: column.name, type });
  }
  const nameColumns = table.columns.filter((c) => c.personal && c.kind && NAME_KINDS.has(c.kind)).map((c) => c.name);
  const why = withEmail ? 'holds e-mail addresses' : 'holds no e-mail address, but personal columns';
  return {
    name: subjectName(table.name),
    table: table.name,
    identifiers,
    nameColumns,
    reason: `guessed: ${table.name} ${why} and ${references === 1 ? 'one other table references it' : `${references} other tables reference it`}`,
  };
}

/** The subject's table first, then each table after the tables it belongs to (breadth first), then the rest by name. */
function parentsFirst(tables: DraftTable[], subject: string): DraftTable[] {
  const ordered: DraftTable[] = [];
  const placed = new Set<string>();
  const place = (table: DraftTable) => {
    ordered.push(table);
    placed.add(table.name);
  };
  place(tables.find((t) => t.name === subject)!);
  for (let i = 0; i < ordered.length; i += 1) {
    const parent = ordered[i]!.name;
    for (const child of tables) if (!placed.has(child.name) && child.belongsTo.some((l) => l.parent === parent)) place(child);
  }
  for (const table of tables) if (!placed.has(table.name)) place(table);
  return ordered;
}

/** `users` -> `user`, `customers` -> `customer`: the name `lethe find --subject` takes. */
function subjectName(table: string): string {
  const base = table.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (base.endsWith('ies')) return `${base.slice(0, -3)}y`;
  if (base.endsWith('s') && !base.endsWith('ss')) return base.slice(0, -1);
  return base || 'person';
}
