/**
 * `lethe init`: a first draft of the data map from the live schema and a sample of the data.
 * The column decisions live in classify.ts, quasi-identifiers.ts and propose.ts, what each
 * table is in table-roles.ts, the subjects in subjects.ts; this file reads the database, puts
 * them together and links the tables, and hands a Draft to render.ts.
 */
import type { Knex } from 'knex';
import type { Dialect } from '../db/dialect.js';
import { ExitCode, LetheError } from '../errors.js';
import {
  foreignKeysTo,
  referencesTo,
  referringTables,
  type ColumnInfo,
  type ForeignKeyInfo,
  type SchemaSnapshot,
  type TableInfo,
} from '../db/schema-snapshot.js';
import { isLetheTable } from '../db/database-identity.js';
import { classifyColumn, type ColumnClass } from './classify.js';
import { nameTokens, PERSONAL_KEY_KINDS, PERSONAL_KINDS, singular } from '../config/column-names.js';
import { proposeStrategy } from './propose.js';
import { quasiIdentifierVerdict, readQuasiIdentifier } from './quasi-identifiers.js';
import { draftSubjects, fallbackSubjectTable, inactivityHint, malformedValues, creationColumn, type Malformed } from './subjects.js';
import { judgeTableRoles, namesTable, NAME_KINDS, type ColumnReading, type SampledTable, type TableRoles } from './table-roles.js';

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
  /** The column's broad type (text, integer, datetime...). */
  type: ColumnInfo['type'];
  /** For an e-mail or phone column: sampled values that are no valid address or number. */
  malformed?: Malformed;
}

export interface DraftLink {
  parent: string;
  column: string;
}

export interface DraftTable {
  name: string;
  /** The key's column, or its columns for a key of several; absent only on an impersonal table with no key. */
  primaryKey?: string | string[];
  belongsTo: DraftLink[];
  /** Foreign keys to a person's table that are not ownership: a customer's support agent, an employee's manager. */
  references: DraftLink[];
  /** Foreign keys not written as belongsTo, and why (a second link to the same parent, a cycle, a reference). */
  linkNotes: string[];
  /** Set when the table holds nothing personal: why. Its columns then go into comments only. */
  impersonal?: string;
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
  /** What init noticed in the sampled identifier values (never a value). */
  notices: string[];
}

export interface Draft {
  /** One per table of people, the one most tables belong to first. */
  subjects: DraftSubject[];
  /**
   * The first subject, for a one-line summary: its reason also names the other subjects and
   * what init noticed in identifier values.
   */
  subject: DraftSubject;
  /** What init noticed that a person should know, for every subject (never a value). */
  notices: string[];
  tables: DraftTable[];
  /** Tables lethe can neither map as they are (no key that is not personal) nor call impersonal, with the reason. */
  skipped: { name: string; reason: string }[];
  sampleSize: number;
}

export async function draftDataMap(knex: Knex, dialect: Dialect, options: { sampleSize?: number } = {}): Promise<{ draft: Draft; schema: SchemaSnapshot }> {
  const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
  const names = (await dialect.listTables(knex)).filter((name) => !isLetheTable(name) && !name.includes('.'));
  const schema = await dialect.introspect(knex, names);
  if (schema.size === 0) throw new LetheError('The database has no tables.', ExitCode.failed);

  const sampled: SampledTable[] = [];
  for (const table of schema.values()) sampled.push(await readTable(knex, table, schema, sampleSize));
  const roles = judgeTableRoles(sampled, schema, () => fallbackSubjectTable(sampled, schema));
  const catalogueNames = new Map(sampled.map((table) => [table.info.name, judgeAgain(table, roles)]));

  const skipped: Draft['skipped'] = [];
  const tables: DraftTable[] = [];
  for (const table of sampled) {
    const name = table.info.name;
    const impersonal = !roles.people.has(name) && (roles.owners.get(name)?.size ?? 0) === 0 && table.columns.every((c) => !c.verdict.personal);
    if (impersonal) tables.push(impersonalTable(table, catalogueNames.get(name)!, sampleSize));
    else if ('column' in table.key) tables.push(mappedTable(table, table.key));
    else skipped.push({ name, reason: table.key.skip });
  }
  if (!tables.some((t) => t.impersonal === undefined)) {
    throw new LetheError(
      `No table can be mapped: ${skipped.map((s) => `${s.name}, because ${s.reason}`).join('; ')}.`,
      ExitCode.failed,
      'lethe maps tables that have a key which holds no personal data (a primary key of one or more columns, or a UNIQUE NOT NULL column).',
    );
  }
  linkTables(tables, schema, roles);
  const subjects = draftSubjects(tables, roles.people, schema, (table) => subjectReason(table, tables, roles, schema));
  const ordered = parentsFirst(
    tables,
    subjects.map((s) => s.table),
  );
  for (const subject of subjects) {
    const table = ordered.find((t) => t.name === subject.table)!;
    // A person's rows go by inactivity, not by age: a hint of its own.
    const hint = inactivityHint(table, ordered);
    if (hint) table.retentionHint = hint;
    else delete table.retentionHint;
  }
  const notices = subjects.flatMap((s) => s.notices);
  return { draft: { subjects, subject: summarySubject(subjects, notices), notices, tables: ordered, skipped, sampleSize }, schema };
}

/** Samples a table, finds the key it can be mapped by, and gives each other column a first verdict. */
async function readTable(knex: Knex, table: TableInfo, schema: SchemaSnapshot, sampleSize: number): Promise<SampledTable> {
  const rows = await sample(knex, table.name, sampleSize);
  const key = keyOf(table, rows, schema);
  const primaryKey = 'column' in key ? key.column : '';
  const keyColumns = 'column' in key ? (key.columns ?? [key.column]) : [];
  // Every column of a foreign key, composite ones too (PlaylistTrack's), is a key.
  const foreignKeyColumns = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
  const columns: ColumnReading[] = [];
  for (const column of table.columns.values()) {
    if (keyColumns.includes(column.name)) continue;
    const values = rows.map((row) => row[column.name]).filter((value) => value !== null && value !== undefined);
    const foreignKey = foreignKeyColumns.has(column.name);
    columns.push({ name: column.name, values, foreignKey, verdict: classifyColumn(column, values, { table: table.name, primaryKey, foreignKey }) });
  }
  return { info: table, rows, key, columns };
}

/**
 * The second look, once the tables' roles are known: in a catalogue, names and titles name
 * things; in a person's row, a company, a region, a country or a hire date is theirs.
 */
function judgeAgain(table: SampledTable, roles: TableRoles): CatalogueNames {
  const name = table.info.name;
  const primaryKey = 'column' in table.key ? table.key.column : '';
  if (roles.catalogues.has(name)) {
    const found: CatalogueNames = { things: [], people: [] };
    for (const column of table.columns) {
      const before = column.verdict;
      column.verdict = classifyColumn(table.info.columns.get(column.name)!, column.values, {
        table: name,
        primaryKey,
        foreignKey: column.foreignKey,
        catalogue: true,
      });
      if (!column.foreignKey && ['name', 'title'].includes(singular(nameTokens(column.name).at(-1) ?? ''))) found.things.push(column.name);
      else if (before.personal && !column.verdict.personal) found.people.push(column.name);
    }
    return found;
  }
  const people = roles.people.has(name);
  if (!people && (roles.owners.get(name)?.size ?? 0) === 0) return { things: [], people: [] };
  const hasAddress = table.columns.some(
    (c) => c.verdict.personal && (c.verdict.kind === 'address' || c.verdict.kind === 'city' || c.verdict.kind === 'postcode'),
  );
  const context = { table: name, people, hasAddress };
  for (const column of table.columns) {
    // A name that says what the column is beats what the values look like: "Contoso Ltd" in Company is no person's name.
    if (column.verdict.confidence === 'key' || (column.verdict.personal && column.verdict.confidence !== 'data')) continue;
    const found = readQuasiIdentifier(column.name, context);
    if (found) column.verdict = quasiIdentifierVerdict(column.name, found, context);
  }
  return { things: [], people: [] };
}

/** In a catalogue: the columns that name its things (Name, Title), and those that name people it lists, not people it keeps data about (Composer). */
interface CatalogueNames {
  things: string[];
  people: string[];
}

function mappedTable(table: SampledTable, tableKey: { column: string; columns?: string[] }): DraftTable {
  // A template takes the key's first column (a unique column's template is checked against the whole key by check).
  const key = table.info.columns.get(tableKey.column)!;
  const primaryKey = tableKey.columns ?? tableKey.column;
  // A key of several columns is written out with the columns too, kept, so the map says what the rows hold.
  const keyColumns: DraftColumn[] = (tableKey.columns ?? []).map((name) => ({
    name,
    personal: false,
    strategy: 'keep',
    comment: 'part of the primary key',
    type: table.info.columns.get(name)!.type,
  }));
  const columns = table.columns.map((column) => {
    const drafted = draftColumn(table.info.columns.get(column.name)!, column.verdict, key);
    const kind = column.verdict.personal ? column.verdict.kind : undefined;
    if (kind === 'email' || kind === 'phone') drafted.malformed = malformedValues(kind, column.values);
    return drafted;
  });
  const draft: DraftTable = {
    name: table.info.name,
    primaryKey,
    belongsTo: [],
    references: [],
    linkNotes: [],
    columns: [...keyColumns, ...columns],
    sampled: table.rows.length,
  };
  const createdAt = creationColumn(draft);
  if (createdAt) draft.retentionHint = `for example: retention: { timestamp: ${createdAt}, anonymizeAfter: 24 months, deleteAfter: 5 years }`;
  return draft;
}

/** A table that holds nothing personal and that no person owns: marked impersonal, its columns in comments. */
function impersonalTable(table: SampledTable, names: CatalogueNames, sampleSize: number): DraftTable {
  const said = (columns: string[], what: string) => (columns.length === 0 ? [] : [`${columns.join(', ')} ${columns.length === 1 ? 'names' : 'name'} ${what}`]);
  const why = [...said(names.things, 'things'), ...said(names.people, 'people the catalogue lists, not people it keeps data about')];
  const things = why.length > 0 ? ` (${why.join('; ')})` : '';
  const basis = sampleSize === 0 || table.rows.length === 0 ? '; judged by column names only, as nothing was sampled' : '';
  const primaryKey = 'column' in table.key ? (table.key.columns ?? table.key.column) : undefined;
  return {
    name: table.info.name,
    ...(primaryKey !== undefined ? { primaryKey } : {}),
    belongsTo: [],
    references: [],
    linkNotes: [],
    impersonal: `no column holds personal data${things} and no person owns its rows${basis}`,
    columns: table.columns.map((c) => ({
      name: c.name,
      personal: false,
      strategy: 'keep',
      comment: c.verdict.reason,
      type: table.info.columns.get(c.name)!.type,
    })),
    sampled: table.rows.length,
  };
}

function draftColumn(column: ColumnInfo, verdict: ColumnClass, primaryKey: ColumnInfo): DraftColumn {
  const type = column.type;
  if (!verdict.personal)
    return { name: column.name, personal: false, strategy: 'keep', comment: verdict.reason, type, ...(verdict.kind ? { kind: verdict.kind } : {}) };
  const proposal = proposeStrategy(verdict, column, primaryKey);
  return {
    name: column.name,
    personal: true,
    ...(verdict.category ? { category: verdict.category } : {}),
    strategy: proposal.strategy,
    comment: proposal.note ? `${verdict.reason}; ${proposal.note}` : verdict.reason,
    type,
    ...(verdict.kind ? { kind: verdict.kind } : {}),
  };
}

/**
 * The column lethe will address rows by: the primary key when it is one column, else a unique
 * NOT NULL column; never one holding what identifies a person outside the database (an
 * e-mail, a name, a national id...), since keys go into the audit trail, which holds no
 * personal data. A unique NOT NULL column that is not personal stands in for such a key.
 */
function keyOf(table: TableInfo, rows: Record<string, unknown>[], schema: SchemaSnapshot): { column: string; columns?: string[] } | { skip: string } {
  if (table.primaryKey.length > 1) {
    // A key of several columns (a link table's pair of ids) addresses rows as well, unless it holds what identifies a person.
    for (const name of table.primaryKey) {
      const column = table.columns.get(name)!;
      const values = rows.map((row) => row[name]).filter((value) => value !== null && value !== undefined);
      const verdict = classifyColumn(column, values, {
        table: table.name,
        primaryKey: '',
        foreignKey: table.foreignKeys.some((fk) => fk.columns.includes(name)),
      });
      if (verdict.personal && verdict.kind && PERSONAL_KEY_KINDS.has(verdict.kind)) {
        return {
          skip: `its primary key (${table.primaryKey.join(', ')}) includes ${name}, which holds personal data (${PERSONAL_KINDS[verdict.kind].label}), and lethe writes keys into the audit trail, which holds none; give the table a key that is not personal to map it`,
        };
      }
    }
    return { column: table.primaryKey[0]!, columns: [...table.primaryKey] };
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
  return { skip: 'it has no primary key and no unique NOT NULL column; lethe needs a key that identifies a row' };
}

async function sample(knex: Knex, table: string, size: number): Promise<Record<string, unknown>[]> {
  if (size <= 0) return [];
  return knex(table).select('*').limit(size);
}

/**
 * Links from single-column foreign keys between mapped tables. A table of people belongs to
 * nobody: its keys to people (another table's, or its own: a manager) are references, and
 * erasing one person never follows them. Other rows belong to the person they point at
 * (belongsTo), one link per parent, no self-reference, no cycle (lethe walks the links as a
 * tree); a row pointing at a second kind of person refers to them. Impersonal tables are
 * linked to nothing.
 */
function linkTables(tables: DraftTable[], schema: SchemaSnapshot, roles: TableRoles): void {
  const mapped = new Map(tables.filter((t) => t.impersonal === undefined).map((t) => [t.name, t]));
  const impersonal = new Set(tables.filter((t) => t.impersonal !== undefined).map((t) => t.name));
  const parentsOf = (name: string) => mapped.get(name)?.belongsTo.map((l) => l.parent) ?? [];
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return parentsOf(from).some((p) => reaches(p, to, seen));
  };
  for (const table of mapped.values()) {
    const isPeople = roles.people.has(table.name);
    // The first person linked owns the row: a key that names its table (CustomerId) before one
    // that names a role (SupportRepId), then the kind of people more tables point at (customers
    // before the agents who serve them); otherwise the schema's order.
    const rank = (fk: ForeignKeyInfo) => [
      namesTable(fk.columns[0] ?? '', fk.referencedTable) ? 0 : 1,
      roles.people.has(fk.referencedTable) ? -referringTables(schema, fk.referencedTable) : 0,
    ];
    const foreignKeys = [...schema.get(table.name)!.foreignKeys].sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x[0]! - y[0]! || x[1]! - y[1]!;
    });
    for (const fk of foreignKeys) {
      if (fk.columns.length !== 1) {
        table.linkNotes.push(`the foreign key (${fk.columns.join(', ')}) -> ${fk.referencedTable} has ${fk.columns.length} columns: not linked`);
        continue;
      }
      const column = fk.columns[0]!;
      const parent = mapped.get(fk.referencedTable);
      if (!parent) {
        if (impersonal.has(fk.referencedTable))
          table.linkNotes.push(`${column} -> ${fk.referencedTable}: ${fk.referencedTable} holds nothing personal, not linked`);
        continue;
      }
      const toPerson = roles.people.has(parent.name);
      if (fk.referencedColumns[0] !== parent.primaryKey) {
        table.linkNotes.push(
          `${column} -> ${parent.name}.${fk.referencedColumns[0]} is not ${parent.name}'s key (${[parent.primaryKey].flat().join(', ')}): lethe links by key, so not linked`,
        );
      } else if (isPeople && toPerson) {
        refer(
          table,
          parent.name,
          column,
          parent.name === table.name
            ? `${column} -> ${table.name} points at another person of the same table`
            : `${column} -> ${parent.name} links a person to another person`,
        );
      } else if (isPeople) {
        table.linkNotes.push(`${column} -> ${parent.name}: the people of ${table.name} are not part of a ${parent.name} row, so not linked`);
      } else if (toPerson && table.belongsTo.some((l) => roles.people.has(l.parent) && l.parent !== parent.name)) {
        const owner = table.belongsTo.find((l) => roles.people.has(l.parent))!;
        refer(
          table,
          parent.name,
          column,
          `${column} -> ${parent.name}: ${table.name} rows belong to ${owner.parent} (${owner.column}) and only point at a ${parent.name}`,
        );
      } else if (parent.name === table.name) {
        table.linkNotes.push(`${column} -> ${table.name} refers to the same table: not a belongsTo link`);
      } else if (table.belongsTo.some((l) => l.parent === parent.name)) {
        table.linkNotes.push(
          `${column} -> ${parent.name} is a second link to ${parent.name}: lethe follows one per parent (${table.belongsTo.find((l) => l.parent === parent.name)!.column})`,
        );
      } else if (reaches(parent.name, table.name)) {
        table.linkNotes.push(`${column} -> ${parent.name} would close a cycle of links: not linked`);
      } else {
        table.belongsTo.push({ parent: parent.name, column });
      }
    }
  }
}

/** A reference to a person: shown by find and export, never followed by an erasure. */
function refer(table: DraftTable, parent: string, column: string, why: string): void {
  const existing = table.references.find((r) => r.parent === parent);
  if (existing) {
    table.linkNotes.push(`${why}; the map takes one reference per table (${existing.column}), so not linked`);
    return;
  }
  table.references.push({ parent, column });
  table.linkNotes.push(`${why}: a reference, not ownership (erasing one never erases the other)`);
}

/** Why a table is a subject: what makes it a table of people, and what hangs under it. */
function subjectReason(table: DraftTable, tables: readonly DraftTable[], roles: TableRoles, schema: SchemaSnapshot): string {
  if (roles.guessed === table.name) {
    const references = new Set(
      referencesTo(schema, table.name)
        .map((r) => r.table.name)
        .filter((t) => t !== table.name),
    ).size;
    const has = (test: (c: DraftColumn) => boolean) => table.columns.some((c) => c.personal && test(c));
    const why = has((c) => c.kind === 'email')
      ? 'holds e-mail addresses'
      : has(() => true)
        ? 'holds no e-mail address, but personal columns'
        : 'holds no column init recognised as personal';
    return `guessed: ${table.name} ${why} and ${references === 1 ? 'one other table references it' : `${references} other tables reference it`}`;
  }
  const kinds = new Set(table.columns.filter((c) => c.personal && c.kind).map((c) => c.kind!));
  const labels = [
    ...([...kinds].some((k) => (NAME_KINDS as ReadonlySet<string>).has(k)) ? ['names'] : []),
    ...Object.entries(FACT_LABELS)
      .filter(([kind]) => kinds.has(kind))
      .map(([, label]) => label),
  ];
  const owned = tables.filter((t) => t.belongsTo.some((l) => l.parent === table.name)).map((t) => t.name);
  const referring = tables.filter((t) => t.name !== table.name && t.references.some((r) => r.parent === table.name)).map((t) => t.name);
  const links = [
    owned.length > 0 ? `${owned.join(', ')} ${owned.length === 1 ? 'belongs' : 'belong'} to it` : 'no other table belongs to it',
    ...(referring.length > 0 ? [`${referring.join(', ')} ${referring.length === 1 ? 'refers' : 'refer'} to its people`] : []),
  ];
  return `guessed: ${table.name} is a table of people (${labels.join(', ')}); ${links.join('; ')}`;
}

const FACT_LABELS: Record<string, string> = {
  email: 'e-mail addresses',
  phone: 'phone numbers',
  birth_date: 'dates of birth',
  national_id: 'national ids',
  username: 'user names',
};

/** The first subject as a one-line summary shows it: with the other subjects and the notices. */
function summarySubject(subjects: readonly DraftSubject[], notices: readonly string[]): DraftSubject {
  const [first, ...others] = subjects;
  const more = others.map((s) => `${s.table} (found by ${s.identifiers.map((i) => i.column).join(', ')})`);
  const extra = [...(more.length > 0 ? [`${more.length === 1 ? 'another subject' : 'other subjects'}: ${more.join(', ')}`] : []), ...notices];
  return extra.length === 0 ? first! : { ...first!, reason: [first!.reason, ...extra].join('; ') };
}

/** The subjects' tables first, then each table after the tables it belongs to (breadth first), then the rest, impersonal tables last. */
function parentsFirst(tables: DraftTable[], subjects: readonly string[]): DraftTable[] {
  const ordered: DraftTable[] = [];
  const placed = new Set<string>();
  const place = (table: DraftTable) => {
    ordered.push(table);
    placed.add(table.name);
  };
  for (const subject of subjects) place(tables.find((t) => t.name === subject)!);
  for (let i = 0; i < ordered.length; i += 1) {
    const parent = ordered[i]!.name;
    for (const child of tables) if (!placed.has(child.name) && child.belongsTo.some((l) => l.parent === parent)) place(child);
  }
  for (const table of tables) if (!placed.has(table.name) && table.impersonal === undefined) place(table);
  for (const table of tables) if (!placed.has(table.name)) place(table);
  return ordered;
}
