/**
 * What each table is, as a DPO reads a schema: a table of people (customers, employees), rows
 * that belong to a person (a customer's invoices), or a catalogue that neither is (artists,
 * genres). Decided from the first verdicts on the columns, the table's name and the foreign
 * keys around it; draft.ts then judges the columns again where the role changes their meaning.
 */
import type { SchemaSnapshot, TableInfo } from '../db/schema-snapshot.js';
import type { ColumnClass } from './classify.js';
import { nameTokens, OTHER_PARTY_WORDS, PERSON_TABLES, singular, tableNamesPeople, type PersonalKind } from '../config/column-names.js';

/** A table as init read it: its sample, the key it can be mapped by (or why none), a first verdict per column. */
export interface SampledTable {
  info: TableInfo;
  rows: Record<string, unknown>[];
  /**
   * What lethe can address rows by, or why there is nothing: `column` is the key, or for a
   * primary key of several columns its first, with `columns` all of them.
   */
  key: { column: string; columns?: string[] } | { skip: string };
  /** Every column but the key. */
  columns: ColumnReading[];
}

export interface ColumnReading {
  name: string;
  /** Non-empty sampled values. */
  values: unknown[];
  verdict: ColumnClass;
  /** Part of a foreign key: a key, never judged by its values. */
  foreignKey: boolean;
}

export interface TableRoles {
  /** Tables of people: each one a subject when it can be mapped. */
  people: Set<string>;
  /** No table that can be mapped reads as people: one was guessed (the most referenced with e-mail addresses) and is in people. */
  guessed?: string;
  /** Per table that is not one of people: the tables of people its rows belong to through foreign keys. */
  owners: Map<string, Set<string>>;
  /** Tables of things no person owns (artists, genres): names and titles in them name things. */
  catalogues: Set<string>;
}

export const NAME_KINDS: ReadonlySet<PersonalKind> = new Set<PersonalKind>(['full_name', 'first_name', 'last_name', 'other_name']);

/** With a name (or a table named for people), what makes a row a person: a way to reach them or tell them apart. */
const PERSON_FACTS: ReadonlySet<PersonalKind> = new Set<PersonalKind>(['email', 'phone', 'birth_date', 'birth_year', 'national_id', 'username']);

export function judgeTableRoles(tables: readonly SampledTable[], schema: SchemaSnapshot, fallbackSubject: () => string | undefined): TableRoles {
  const people = peopleTables(tables);
  const mappable = (name: string) => tables.some((t) => t.info.name === name && 'column' in t.key);
  let guessed: string | undefined;
  if (![...people].some(mappable)) {
    // No table that can be mapped reads as people: a guess still makes one subject.
    guessed = fallbackSubject();
    if (guessed !== undefined) people.add(guessed);
  }
  const owners = ownersOf(schema, people);
  const catalogues = new Set<string>();
  for (const table of tables) {
    const name = table.info.name;
    if (people.has(name) || (owners.get(name)?.size ?? 0) > 0 || tableNamesPeople(name)) continue;
    // An e-mail address, a phone number, an IP address... is nobody's in a table of things only by accident.
    const identifying = table.columns.some((c) => c.verdict.personal && c.verdict.kind && !NAME_KINDS.has(c.verdict.kind) && c.verdict.kind !== 'free_text');
    if (!identifying) catalogues.add(name);
  }
  return { people, owners, catalogues, ...(guessed !== undefined ? { guessed } : {}) };
}

/**
 * Tables with a person's own name (or named for people) and a way to reach or tell them apart.
 * Rows that point at a table of people as their owner are that person's, whatever they hold:
 * a table that extends it one to one (user_profiles.user_id UNIQUE), or one not named for
 * people whose key names that table (orders.user_id, with a name and an e-mail address for the
 * delivery). A key that names a role (SupportRepId, doctor_id in patients) links two people.
 */
function peopleTables(tables: readonly SampledTable[]): Set<string> {
  const candidates = new Set(tables.filter(readsAsPeople).map((t) => t.info.name));
  const owned = tables.filter((t) => {
    const name = t.info.name;
    if (!candidates.has(name)) return false;
    return t.info.foreignKeys.some((fk) => {
      if (fk.columns.length !== 1 || fk.referencedTable === name || !candidates.has(fk.referencedTable)) return false;
      const column = fk.columns[0]!;
      return isUnique(t.info, column) || (!tableNamesPeople(name) && namesTable(column, fk.referencedTable));
    });
  });
  for (const table of owned) candidates.delete(table.info.name);
  return candidates;
}

function readsAsPeople(table: SampledTable): boolean {
  const own = table.columns.filter((c) => c.verdict.personal && c.verdict.kind && isOwnColumn(c.name, table.info.name));
  const hasFact = own.some((c) => PERSON_FACTS.has(c.verdict.kind!));
  const hasName = own.some((c) => NAME_KINDS.has(c.verdict.kind!));
  return hasFact && (hasName || tableNamesPeople(table.info.name));
}

/**
 * The column is about the row's own person, not another party's: `agent_name` is an agent's
 * except in `agents`, `customer_email` a customer's except in `customers`.
 */
function isOwnColumn(column: string, table: string): boolean {
  const tableWords = new Set(nameTokens(table).map(singular));
  return !nameTokens(column)
    .map(singular)
    .some((word) => !tableWords.has(word) && !SELF_WORDS.has(word) && (OTHER_PARTY_WORDS.has(word) || PERSON_TABLES.has(word)));
}

/** Words for people that, before a column's word, still mean the row's own: contact_email, account_name. */
const SELF_WORDS = new Set(['contact', 'account', 'profile', 'person', 'people', 'personne', 'persona']);

function isUnique(table: TableInfo, column: string): boolean {
  return table.columns.get(column)?.unique === true || (table.primaryKey.length === 1 && table.primaryKey[0] === column);
}

/**
 * For each table, the tables of people it hangs under through chains of foreign keys. Keys
 * out of a table of people are not followed: a person's support agent does not own them.
 */
function ownersOf(schema: SchemaSnapshot, people: ReadonlySet<string>): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  const visiting = new Set<string>();
  const visit = (name: string): Set<string> => {
    const known = owners.get(name);
    if (known) return known;
    const found = new Set<string>();
    const table = schema.get(name);
    if (!table || people.has(name) || visiting.has(name)) return found;
    visiting.add(name);
    for (const fk of table.foreignKeys) {
      const parent = fk.referencedTable;
      if (parent === name) continue;
      if (people.has(parent)) found.add(parent);
      else for (const owner of visit(parent)) found.add(owner);
    }
    visiting.delete(name);
    owners.set(name, found);
    return found;
  };
  for (const name of schema.keys()) visit(name);
  return owners;
}

/** The column's name says which table it points at: `CustomerId` names Customer, `SupportRepId` does not name Employee. */
export function namesTable(column: string, table: string): boolean {
  const tableWords = new Set(nameTokens(table).map(singular));
  return nameTokens(column).some((token) => tableWords.has(singular(token)));
}
