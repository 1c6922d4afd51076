import type { Tombstone, TombstoneStore } from '../audit/tombstone-store.js';
import type { IdentifierMapping, SubjectMapping } from '../config/data-map.js';
import { normalizeEmail, toE164 } from '../detect/normalize.js';
import { maskedValues, sameValue } from './column-masking.js';
import type { Session } from './session.js';
import { identifiersFor, subjectsFor, type LookupOptions, type Row } from './subject-lookup.js';

/**
 * An identifier value as tombstones hash it. Primary-key identifiers are left out: an
 * anonymized record keeps its key, and a key says nothing once the person's data is gone.
 */
function normalised(identifier: IdentifierMapping, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (text === '') return undefined;
  switch (identifier.type) {
    case 'email':
      return normalizeEmail(text);
    case 'phone':
      return toE164(text);
    case 'text':
      return text;
    case 'id':
      return undefined;
  }
}

function digestsOf(store: TombstoneStore, subject: SubjectMapping, pairs: [IdentifierMapping, unknown][]): string[] {
  return pairs.flatMap(([identifier, value]) => {
    const text = normalised(identifier, value);
    return text === undefined ? [] : [store.digest(subject.name, identifier.name, text)];
  });
}

/**
 * Digests of a person's own identifiers as their row holds them (read before anonymizing).
 * Values the map keeps are left out (they are never erased, so they would always "come
 * back"), and so are values the strategies would write anyway: the placeholders of a row
 * anonymized before (`user-1@anonymized.invalid`) are nobody's identifiers.
 */
export function rowDigests(session: Session, store: TombstoneStore, subject: SubjectMapping, row: Row): string[] {
  const table = session.map.tables.get(subject.table)!;
  const masked = maskedValues(session.map, session.schema, table, row);
  const own = subject.identifiers.filter((i) => i.column in masked && !sameValue(masked[i.column], row[i.column]));
  return digestsOf(
    store,
    subject,
    own.map((i) => [i, row[i.column]]),
  );
}

/** Was the person with this value erased? (For `find` and `export` when nothing, or something that came back, matches.) */
export function tombstoneForValue(session: Session, subject: SubjectMapping, value: string, by?: string): Tombstone | undefined {
  if (!subject.tombstones || !session.tombstones) return undefined;
  const identifiers = identifiersFor(subject, value, by);
  return session.tombstones.find(
    subject.name,
    digestsOf(
      session.tombstones,
      subject,
      identifiers.map((i) => [i, value]),
    ),
  );
}

/**
 * The erasure a value belongs to, among the subjects it may name (every subject without
 * --subject): for "nothing matched", whether that is because the person was erased. Subjects
 * the value cannot be compared with (--by names none of their identifiers) are passed over.
 */
export function tombstoneAmong(session: Session, value: string, options: LookupOptions = {}): { subject: SubjectMapping; tombstone: Tombstone } | undefined {
  for (const subject of subjectsFor(session.map, options.subject)) {
    if (options.by && !subject.identifiers.some((i) => i.name === options.by)) continue;
    const tombstone = tombstoneForValue(session, subject, value, options.by);
    if (tombstone) return { subject, tombstone };
  }
  return undefined;
}

/** Was the person whose row this is erased before? A match means their data came back (e.g. a restore). */
export function tombstoneForRow(session: Session, subject: SubjectMapping, row: Row): Tombstone | undefined {
  if (!subject.tombstones || !session.tombstones) return undefined;
  return session.tombstones.find(subject.name, rowDigests(session, session.tombstones, subject, row));
}
