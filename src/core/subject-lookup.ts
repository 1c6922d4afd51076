import type { Knex } from 'knex';
import type { DataMap, IdentifierMapping, SubjectMapping } from '../config/data-map.js';
import { looksLikeEmail, normalizeEmail, toE164 } from '../detect/normalize.js';
import { looksLikePhoneNumber, phoneTail, samePhone } from './phone-match.js';
import type { Dialect } from '../db/dialect.js';
import type { SchemaSnapshot } from '../db/schema-snapshot.js';
import { ExitCode, LetheError, NothingMatchedError, UsageError, type ErrorDocument } from '../errors.js';
import { withProblem } from './request-problem.js';

export type Row = Record<string, unknown>;
export type { RowKey } from '../db/row-key.js';
import { keyOf, keyText, showKey, type RowKey } from '../db/row-key.js';

export interface LookupOptions {
  /** Only this identifier. */
  by?: string;
  /** Which kind of person; needed only when the map defines several. */
  subject?: string;
}

export interface SubjectMatch {
  subject: SubjectMapping;
  key: RowKey;
  row: Row;
  /** Names of the identifiers that matched. */
  matchedBy: string[];
}

/** Two or more people match: lethe never guesses. Lists them by primary key only (no personal data in errors). */
export class AmbiguousSubjectError extends LetheError {
  readonly candidates: { subject: string; key: RowKey; matchedBy: string[] }[];

  constructor(candidates: { subject: SubjectMapping; key: RowKey; matchedBy: string[] }[]) {
    const kinds = new Set(candidates.map((c) => c.subject.name));
    const label = kinds.size === 1 ? `${candidates[0]!.subject.name} records` : 'people';
    super(
      `${candidates.length} ${label} match: ${candidates
        .map((c) => `${kinds.size === 1 ? '' : `${c.subject.name} `}${c.subject.table} ${showKey(c.key)} (by ${c.matchedBy.join(', ')})`)
        .join('; ')}.`,
      ExitCode.usage,
      kinds.size === 1
        ? 'Nothing was changed. Look one up by a single identifier (its key, say) or by a more exact value.'
        : `Nothing was changed. Say which kind of person is meant (${[...kinds].join(', ')}).`,
      { code: 'ambiguous' },
    );
    this.candidates = candidates.map((c) => ({ subject: c.subject.name, key: c.key, matchedBy: c.matchedBy }));
    withProblem(this, { kind: 'ambiguous', subjects: [...kinds] });
  }

  /** The kinds of person among the candidates. */
  get subjects(): string[] {
    return [...new Set(this.candidates.map((c) => c.subject))];
  }

  override toJSON(): ErrorDocument {
    const subjects = this.subjects;
    return { ...super.toJSON(), subject: subjects.length === 1 ? subjects[0]! : null, candidates: this.candidates };
  }
}

/** pickSubject for one kind named, or else every subject of the map: a value is looked up among all of them. */
export function subjectsFor(map: DataMap, name?: string): SubjectMapping[] {
  return name ? [pickSubject(map, name)] : [...map.subjects.values()];
}

/** The subject named, or the map's only one; several and none named is a usage error. */
export function pickSubject(map: DataMap, name?: string): SubjectMapping {
  if (name) {
    const subject = map.subjects.get(name);
    if (!subject) throw new UsageError(`There is no subject "${name}" in the data map.`, `Known subjects: ${[...map.subjects.keys()].join(', ')}.`);
    return subject;
  }
  const all = [...map.subjects.values()];
  if (all.length > 1) {
    const subjects = all.map((s) => s.name);
    throw withProblem(new UsageError('The data map defines several subjects.', `Say which one: ${subjects.join(', ')}.`), {
      kind: 'several-subjects',
      subjects,
    });
  }
  return all[0]!;
}

/** The identifiers a value can be compared with: the one named by `by`, or every one whose type fits. */
export function identifiersFor(subject: SubjectMapping, value: string, by?: string): IdentifierMapping[] {
  if (by) {
    const identifier = subject.identifiers.find((i) => i.name === by);
    if (!identifier) {
      throw new UsageError(`${subject.name} has no identifier named ${by}.`, `Known identifiers: ${subject.identifiers.map((i) => i.name).join(', ')}.`);
    }
    return [identifier];
  }
  return subject.identifiers.filter((i) => fits(i, value));
}

function fits(identifier: IdentifierMapping, value: string): boolean {
  switch (identifier.type) {
    case 'email':
      return looksLikeEmail(value);
    case 'phone':
      return toE164(value) !== undefined || looksLikePhoneNumber(value);
    case 'id':
      return /^\S+$/.test(value.trim()) && !looksLikeEmail(value);
    case 'text':
      return true;
  }
}

/**
 * Resolves a value to exactly one person. E-mails are compared trimmed and lowercased in
 * SQL; phones are prefiltered in SQL on their last digits and confirmed as E.164 in JS,
 * because a database stores them in whatever format they were typed.
 */
export async function resolveSubject(
  knex: Knex,
  dialect: Dialect,
  map: DataMap,
  schema: SchemaSnapshot,
  value: string,
  options: LookupOptions = {},
): Promise<SubjectMatch> {
  const subjects = subjectsFor(map, options.subject);
  // `by` names an identifier; with several subjects, those that have it.
  const searched = options.by && subjects.length > 1 ? subjects.filter((s) => s.identifiers.some((i) => i.name === options.by)) : subjects;
  if (searched.length === 0) throw new UsageError(`No subject has an identifier named ${options.by}.`, `Known identifiers: ${describeIdentifiers(subjects)}.`);
  const matches = new Map<string, SubjectMatch>();
  const tried: string[] = [];
  for (const subject of searched) {
    const table = map.tables.get(subject.table)!;
    const identifiers = identifiersFor(subject, value, options.by);
    tried.push(...identifiers.map((i) => `${searched.length > 1 ? `${subject.name} ` : ''}${i.name}`));
    for (const identifier of identifiers) {
      for (const row of await rowsMatching(knex, dialect, subject.table, identifier, value, schema)) {
        const key = keyOf(table.keyColumns, row);
        const id = `${subject.name}\u0000${keyText(key)}`;
        const existing = matches.get(id);
        if (existing) existing.matchedBy.push(identifier.name);
        else matches.set(id, { subject, key, row, matchedBy: [identifier.name] });
      }
    }
  }
  if (matches.size === 0) {
    const who = searched.length === 1 ? searched[0]!.name : 'person';
    const error = new NothingMatchedError(
      tried.length === 0
        ? `The value fits none of the identifiers of ${searched.map((s) => s.name).join(' or ')} (${describeIdentifiers(searched)}).`
        : `No ${who} matches that value (looked up by ${tried.join(', ')}${searched.some((s) => s.identifiers.some((i) => i.type === 'phone' && tried.some((t) => t.endsWith(i.name)))) ? '; phones as E.164 and by their digits, with and without country code and trunk 0' : ''}).`,
      'Check the value, or name the identifier to compare it with.',
    );
    throw withProblem(error, { kind: 'nothing-matched' });
  }
  if (matches.size > 1) throw new AmbiguousSubjectError([...matches.values()]);
  return [...matches.values()][0]!;
}

function describeIdentifiers(subjects: SubjectMapping[]): string {
  return subjects.map((s) => `${subjects.length > 1 ? `${s.name}: ` : ''}${s.identifiers.map((i) => i.name).join(', ')}`).join('; ');
}

/**
 * The rows whose identifier equals the value under lethe's own normalisation. The SQL is a
 * prefilter only: a column's collation can compare more widely than lethe does (MariaDB's
 * default utf8mb4_general_ci takes `jäne@` for `JANE@`, PostgreSQL's nondeterministic
 * collations likewise), so every candidate is confirmed in JS, and a wider collation can
 * never bring in another person.
 */
async function rowsMatching(knex: Knex, dialect: Dialect, table: string, identifier: IdentifierMapping, value: string, schema: SchemaSnapshot): Promise<Row[]> {
  const column = identifier.column;
  const text = (row: Row): string | undefined => (row[column] === null || row[column] === undefined ? undefined : String(row[column]));
  switch (identifier.type) {
    case 'email': {
      const wanted = normalizeEmail(value);
      const rows: Row[] = await knex(table)
        .select('*')
        .whereRaw('? = ?', [dialect.lowerCase(knex, knex.raw('TRIM(??)', [column])), wanted]);
      return rows.filter((row) => normalizeEmail(text(row) ?? '') === wanted);
    }
    case 'phone': {
      if (!looksLikePhoneNumber(value) && toE164(value) === undefined) return [];
      // Every stored form of the number ends with its last digits; samePhone decides.
      const rows: Row[] = await knex(table)
        .select('*')
        .whereRaw(`${digitsOnly('??')} LIKE ?`, [column, `%${phoneTail(toE164(value) ?? value)}`]);
      return rows.filter((row) => text(row) !== undefined && samePhone(text(row)!, value));
    }
    case 'id': {
      const type = schema.get(table)?.columns.get(column)?.type;
      const trimmed = value.trim();
      if (type === 'integer') return /^-?\d+$/.test(trimmed) ? knex(table).select('*').where(column, Number(trimmed)) : [];
      const rows: Row[] = await knex(table).select('*').where(column, trimmed);
      // Text keys exactly as typed; typed values (a uuid, a date) compare as the database says.
      return type === 'text' ? rows.filter((row) => text(row) === trimmed) : rows;
    }
    case 'text': {
      const wanted = value.trim();
      const rows: Row[] = await knex(table).select('*').whereRaw('TRIM(??) = ?', [column, wanted]);
      return rows.filter((row) => text(row)?.trim() === wanted);
    }
  }
}

/** SQL that strips the separators people type in phone numbers; REPLACE exists in SQLite, PostgreSQL and MySQL alike. */
function digitsOnly(column: string): string {
  return [' ', '-', '(', ')', '.', '/', '\t'].reduce((sql, ch) => `REPLACE(${sql}, '${ch}', '')`, column);
}
