import { randomUUID } from 'node:crypto';
import { personalColumns } from '../config/data-map.js';
import type { Tombstone } from '../audit/tombstone-store.js';
import { keyName, keyOf, showKey } from '../db/row-key.js';
import { AmbiguousSubjectError, resolveSubject, type LookupOptions, type Row, type RowKey } from './subject-lookup.js';
import { tombstoneAmong, tombstoneForRow } from './tombstones.js';
import { findMentionRows, type MentionRow } from './mentions.js';
import { collectSubjectData, subjectTraits } from './subject-data.js';
import type { Session } from './session.js';
import { NothingMatchedError } from '../errors.js';
import { referencesTo, type ReferencingRows } from './references.js';
import { previousAnonymization, type AnonymizationRecord } from './anonymization-record.js';

export interface FoundTable {
  table: string;
  /** The key's column, or its columns for a key of several (as the map writes primaryKey). */
  primaryKey: string | string[];
  /** Columns the map treats as personal (anything not `keep`). */
  personalColumns: string[];
  rows: Row[];
}

export interface FindResult {
  requestId: string;
  subject: { name: string; table: string; primaryKey: string | string[]; key: RowKey; matchedBy: string[] };
  tables: FoundTable[];
  /** Set when the audit trail says this person was already anonymized. */
  anonymized?: AnonymizationRecord;
  /** Set when a tombstone says this person was erased, yet their identifiers are back (e.g. after a restore). */
  erased?: Tombstone;
  /** Rows of other people or tables whose free text mentions the person. */
  mentions: MentionRow[];
  /** Rows that name the person through a reference (map `references`); an erasure never follows them. */
  referencedBy: ReferencingRows[];
}

/**
 * Everything held about whoever a value names. Without --subject every subject is searched:
 * the same e-mail may be a customer's and an employee's, and then both are shown, one result
 * per kind of person. Two matches of one kind stay ambiguous (AmbiguousSubjectError).
 */
export async function findPeople(session: Session, value: string, options: LookupOptions = {}): Promise<FindResult[]> {
  if (!options.subject && session.map.subjects.size > 1) {
    try {
      await resolveSubject(session.knex, session.dialect, session.map, session.schema, value, options);
    } catch (error) {
      const kinds = error instanceof AmbiguousSubjectError ? error.subjects : [];
      const onePerKind = kinds.length > 1 && kinds.every((kind) => (error as AmbiguousSubjectError).candidates.filter((c) => c.subject === kind).length === 1);
      if (onePerKind) {
        const results: FindResult[] = [];
        for (const subject of kinds) results.push(await findPerson(session, value, { ...options, subject }));
        return results;
      }
    }
  }
  return [await findPerson(session, value, options)];
}

/** Everything held about one person. Audited, whatever the outcome. */
export async function findPerson(session: Session, value: string, options: LookupOptions = {}): Promise<FindResult> {
  const requestId = randomUUID();
  const base = { operator: session.operator, command: 'find', action: 'find', requestId, phase: 'event' as const, dryRun: false };
  let match;
  try {
    match = await resolveSubject(session.knex, session.dialect, session.map, session.schema, value, options);
  } catch (error) {
    const outcome = error instanceof NothingMatchedError ? 'nothing-matched' : error instanceof AmbiguousSubjectError ? 'ambiguous' : 'failed';
    const erased = error instanceof NothingMatchedError ? tombstoneAmong(session, value, options) : undefined;
    session.audit.append({ ...base, outcome, subject: null, intentId: null, tables: {}, detail: erased ? { erasedBy: erased.tombstone.auditEntry } : null });
    if (erased) throw erasedError(erased.subject.name, erased.tombstone);
    throw error;
  }
  const collected = await collectSubjectData(session.knex, session.map, match);
  const mentions = await findMentionRows(session.knex, session.dialect, session.map, subjectTraits(session.map, collected), collected);
  const referencedBy = await referencesTo(session.knex, session.map, match.subject.table, match.key);
  const subjectTable = session.map.tables.get(match.subject.table)!;
  const tables = collected.map(({ table, rows }) => ({
    table: table.name,
    primaryKey: keyName(table.keyColumns),
    personalColumns: personalColumns(table).map((c) => c.name),
    rows,
  }));
  session.audit.append({
    ...base,
    outcome: 'ok',
    subject: { name: match.subject.name, key: match.key },
    intentId: null,
    tables: Object.fromEntries(
      tables.map((t) => [t.table, { action: 'read' as const, rows: t.rows.length, keys: t.rows.map((r) => keyOf([t.primaryKey].flat(), r)) }]),
    ),
    detail: { matchedBy: match.matchedBy, mentions: mentions.map((m) => `${m.table}.${m.column}:${showKey(m.key)}`) },
  });
  const anonymized = previousAnonymization(session.audit, match.subject, match.key);
  const erased = tombstoneForRow(session, match.subject, match.row);
  return {
    requestId,
    subject: { name: match.subject.name, table: subjectTable.name, primaryKey: keyName(subjectTable.keyColumns), key: match.key, matchedBy: match.matchedBy },
    tables,
    mentions,
    referencedBy,
    ...(anonymized ? { anonymized } : {}),
    ...(erased ? { erased } : {}),
  };
}

/** Nothing matched, but a tombstone says why: the person was erased. */
export function erasedError(subject: string, tombstone: Tombstone): NothingMatchedError {
  return new NothingMatchedError(
    `This ${subject} was erased on ${tombstone.at.slice(0, 10)} (audit entry ${tombstone.auditEntry}); nothing of theirs is left.`,
    'lethe keeps only keyed hashes of their identifiers (tombstones), so that the erasure survives a backup restore.',
  );
}
