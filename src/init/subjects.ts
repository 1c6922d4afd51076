/**
 * The subjects init drafts: one per table of people, with the identifiers a person is looked
 * up by and their name columns; what init noticed about the sampled identifier values; and
 * a retention rule by inactivity to start from.
 */
import { referringTables, type SchemaSnapshot } from '../db/schema-snapshot.js';
import { digitsOf, MIN_PHONE_DIGITS } from '../core/phone-match.js';
import { looksLikeEmail, toE164 } from '../detect/normalize.js';
import { nameTokens, singular } from '../config/column-names.js';
import type { DraftSubject, DraftTable } from './draft.js';
import { NAME_KINDS, type SampledTable } from './table-roles.js';

/** Kinds of column that identify a person well enough to find them by. */
const IDENTIFIER_KINDS: Record<string, 'email' | 'phone'> = { email: 'email', phone: 'phone' };
const CREATED_AT =
  /^(created|inserted|registered|signed_?up|opened|started|sent|placed|recorded)(_?(at|on|date|time))?$|^(creation|created)_?(date|time)$|^date_?created$/i;
const ACTIVITY = /(last_?(seen|login|active|activity)|updated)(_?(at|on))?$/i;

/** Sampled values of an identifier column that do not parse as what it identifies by. */
export interface Malformed {
  sampled: number;
  invalid: number;
  /** Of the invalid phone numbers, those with enough digits to be found by them. */
  findable: number;
}

/** Counts the sampled values of an e-mail or phone column that are no valid address or number; never keeps one. */
export function malformedValues(kind: 'email' | 'phone', values: readonly unknown[]): Malformed {
  const result: Malformed = { sampled: 0, invalid: 0, findable: 0 };
  for (const value of values) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') continue;
    const text = String(value).trim();
    if (text === '') continue;
    result.sampled++;
    if (kind === 'email' ? looksLikeEmail(text) : toE164(text) !== undefined) continue;
    result.invalid++;
    // find compares a number libphonenumber rejects by its digits, from this many on.
    if (kind === 'phone' && digitsOf(text).length >= MIN_PHONE_DIGITS) result.findable++;
  }
  return result;
}

/** One subject per table of people, the one most tables belong to first. */
export function draftSubjects(
  tables: readonly DraftTable[],
  people: ReadonlySet<string>,
  schema: SchemaSnapshot,
  reasonFor: (table: DraftTable) => string,
): DraftSubject[] {
  const owned = (name: string) => tables.filter((t) => t.belongsTo.some((l) => l.parent === name)).length;
  const ranked = tables
    .filter((t) => people.has(t.name) && t.impersonal === undefined && typeof t.primaryKey === 'string')
    .map((t) => ({ table: t, owned: owned(t.name), referenced: referringTables(schema, t.name) }))
    .sort((a, b) => b.owned - a.owned || b.referenced - a.referenced || a.table.name.localeCompare(b.table.name));
  const taken = new Set<string>();
  return ranked.map(({ table }) => {
    const identifiers: DraftSubject['identifiers'] = [{ name: 'id', column: table.primaryKey as string, type: 'id' }];
    const notices: string[] = [];
    for (const column of table.columns) {
      const type = column.personal && column.kind ? IDENTIFIER_KINDS[column.kind] : undefined;
      if (!type) continue;
      const name = identifiers.some((i) => i.name === type) ? column.name : type;
      identifiers.push({ name, column: column.name, type });
      const notice = column.malformed && malformedNotice(`${table.name}.${column.name}`, type, column.malformed);
      if (notice) notices.push(notice);
    }
    let name = subjectName(table.name);
    for (let n = 2; taken.has(name); n++) name = `${subjectName(table.name)}_${n}`;
    taken.add(name);
    return {
      name,
      table: table.name,
      identifiers,
      nameColumns: table.columns.filter((c) => c.personal && c.kind && (NAME_KINDS as ReadonlySet<string>).has(c.kind)).map((c) => c.name),
      reason: reasonFor(table),
      notices,
    };
  });
}

/** "3 of 58 sampled Customer.Phone values are not valid phone numbers (they are still found by their digits)". */
function malformedNotice(column: string, type: 'email' | 'phone', counts: Malformed): string | undefined {
  if (counts.invalid === 0) return undefined;
  const head = `${counts.invalid} of ${counts.sampled} sampled ${column} values ${counts.invalid === 1 ? 'is' : 'are'}`;
  if (type === 'email')
    return `${head} not ${counts.invalid === 1 ? 'an e-mail address' : 'e-mail addresses'}; look at them: a person is looked up by a well-formed address`;
  const numbers = `not ${counts.invalid === 1 ? 'a valid phone number' : 'valid phone numbers'}`;
  if (counts.findable === counts.invalid)
    return `${head} ${numbers} (${counts.invalid === 1 ? 'it is' : 'they are'} still found by ${counts.invalid === 1 ? 'its' : 'their'} digits)`;
  const short = counts.invalid - counts.findable;
  return `${head} ${numbers}: ${counts.findable} still found by their digits, ${short} with too few digits to be found by phone`;
}

/**
 * The most referenced table holding e-mail addresses; without one, the most referenced with
 * personal columns: the subject when no table reads as people.
 */
export function fallbackSubjectTable(tables: readonly SampledTable[], schema: SchemaSnapshot): string | undefined {
  const counts = new Map([...schema.keys()].map((name) => [name, referringTables(schema, name)]));
  const mapped = tables.filter((t) => 'column' in t.key);
  const ranked = [...mapped].sort((a, b) => (counts.get(b.info.name) ?? 0) - (counts.get(a.info.name) ?? 0) || a.info.name.localeCompare(b.info.name));
  const has = (t: SampledTable, test: (kind: string) => boolean) => t.columns.some((c) => c.verdict.personal && c.verdict.kind && test(c.verdict.kind));
  return (ranked.find((t) => has(t, (k) => k === 'email')) ?? ranked.find((t) => has(t, () => true)) ?? ranked[0])?.info.name;
}

/** A creation time of a row: created_at, signed_up, or the table's own date (InvoiceDate in Invoice, order_date in orders). */
export function creationColumn(table: DraftTable): string | undefined {
  const words = nameTokens(table.name).map(singular);
  const own = (name: string) => {
    const tokens = nameTokens(name).map(singular);
    return tokens.length === 2 && tokens[0] === words.at(-1) && ['date', 'time', 'at', 'on'].includes(tokens[1]!);
  };
  const dated = table.columns.filter((c) => c.type === 'datetime' || c.type === 'date');
  return (dated.find((c) => CREATED_AT.test(c.name)) ?? dated.find((c) => own(c.name)))?.name;
}

/**
 * A commented retention rule by inactivity for a subject's table: the person's own activity
 * columns and the creation times of the tables that belong to them, and, as activityFallback,
 * when the person arrived, so that someone with no activity at all counts from then (lethe
 * check refuses a rule with neither a fallback nor an activity column of the person's own).
 */
export function inactivityHint(subject: DraftTable, tables: readonly DraftTable[]): string | undefined {
  const own = subject.columns.filter((c) => c.kind === undefined && ACTIVITY.test(c.name)).map((c) => `${subject.name}.${c.name}`);
  const children = tables
    .filter((t) => t.impersonal === undefined && t.belongsTo.some((l) => l.parent === subject.name))
    .flatMap((t) => {
      const column = creationColumn(t);
      return column ? [`${t.name}.${column}`] : [];
    });
  const activity = [...own, ...children];
  if (activity.length === 0) return undefined;
  const fallback = creationColumn(subject);
  const rule = `inactiveFor: 24 months, activity: [${activity.join(', ')}]`;
  if (fallback) return `for example, people inactive for 24 months: retention: { ${rule}, activityFallback: ${fallback} }`;
  if (own.length > 0)
    return `for example, people inactive for 24 months: retention: { ${rule} } (no column says when a person arrived, so someone never active is never due)`;
  return `for example, people inactive for 24 months: retention: { ${rule}, activityFallback: <a column of ${subject.name} saying when the person arrived> }; ${subject.name} has none, and without one lethe check refuses the rule: someone with no ${children.map((c) => c.slice(0, c.indexOf('.'))).join(' or ')} rows would have nothing to count from`;
}

/** `users` -> `user`, `customers` -> `customer`, `Employee` -> `employee`: the name `lethe find --subject` takes. */
export function subjectName(table: string): string {
  const base = table.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (base.endsWith('ies')) return `${base.slice(0, -3)}y`;
  if (base.endsWith('s') && !base.endsWith('ss')) return base.slice(0, -1);
  return base || 'person';
}
