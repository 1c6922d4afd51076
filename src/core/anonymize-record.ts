import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DataMap, SubjectMapping, TableMapping } from '../config/data-map.js';
import type { AuditDetail, AuditSubject } from '../audit/index.js';
import { keyOf, keyText, showKey, type KeyPart, type RowKey } from '../db/row-key.js';
import { NothingMatchedError, UsageError } from '../errors.js';
import { closestName } from '../masking/closest-name.js';
import type { SubjectTraits } from '../masking/index.js';
import { auditTables, eraseCollectedRows, pendingChanges, plannedFiles, plannedTable, runErasure, type PlannedTable } from './anonymize.js';
import type { FileCount, FilesDeleted } from './file-deletion.js';
import type { Session } from './session.js';
import { collectOwnedRows, rowsByKeys, subjectTraits, type TableRows } from './subject-data.js';
import type { Row } from './subject-lookup.js';
import { withProblem } from './request-problem.js';

/**
 * `lethe anonymize --record table:key`: one row and the rows that belong to it (its belongsTo
 * descendants), not the person. Each row is treated as a person's erasure treats it (its
 * table's onErase and column strategies); redact also removes the identifiers and name of
 * the person the record belongs to, found by walking belongsTo up from the record. The
 * person's own row, and every row outside the record, stay as they are.
 */

/** The audit action of a record's erasure: not `anonymize`, which says a person was erased. */
export const RECORD_ACTION = 'anonymize-record';

/** A record as written on the command line: `conversations:42`, or `playlist_track:7,3` for a key of several columns. */
export interface RecordRef {
  table: string;
  /** The key as written, one text per key column. */
  key: string[];
}

/** A person a record belongs to, through belongsTo. */
export interface RecordOwner {
  subject: string;
  table: string;
  key: RowKey;
}

export interface RecordPlan {
  requestId: string;
  record: { table: string; key: RowKey };
  /** Whom the record belongs to (usually one person; none for a record outside anyone's data). */
  owners: RecordOwner[];
  /** The record's table first, then the tables of the rows that belong to it. */
  tables: PlannedTable[];
  pseudonymousColumns: string[];
  /** Rows the erasure would change or delete; 0: nothing left to do. */
  changes: number;
  /** The files of delete-file columns the erasure would delete (when the rows name any). */
  files?: FileCount;
}

export interface RecordReceipt {
  requestId: string;
  auditEntry: number;
  record: RecordPlan['record'];
  owners: RecordOwner[];
  tables: PlannedTable[];
  notes: string[];
  /** The files of delete-file columns, deleted after the commit (when the rows named any). */
  files?: FilesDeleted;
}

export interface RecordExecuteOptions {
  signal?: AbortSignal;
  vacuum?: boolean;
  /** Extra non-personal facts for the audit entry (the batch and line of --records). */
  auditDetail?: AuditDetail;
  /** Run the database's after-change step now (a batch runs it once at the end). */
  finish?: boolean;
}

/**
 * `table:key`. The key is the text after the first colon; for a table keyed by several columns
 * its values are separated by commas, in the map's primaryKey order (`playlist_track:7,3`),
 * and `table:(7, 3)`, as lethe prints such keys, is read the same way.
 */
export function parseRecordRef(text: string): RecordRef {
  const written = text.trim();
  const colon = written.indexOf(':');
  const table = colon < 0 ? '' : written.slice(0, colon).trim();
  const rest = colon < 0 ? '' : written.slice(colon + 1).trim();
  if (table === '' || rest === '') {
    throw new UsageError(
      `A record is written table:key, e.g. conversations:42; "${written}" is not.`,
      'For a table keyed by several columns: table:a,b in the order of its primaryKey.',
    );
  }
  const inner = /^\((.*)\)$/s.exec(rest)?.[1] ?? rest;
  return { table, key: inner.includes(',') ? inner.split(',').map((p) => p.trim()) : [inner] };
}

/** The mapped table a record may be erased from, or a usage error that says why not. */
export function recordTable(session: Session, name: string): TableMapping {
  const table = session.map.tables.get(name);
  if (!table) {
    if (session.schema.has(name)) {
      throw new UsageError(
        `Table ${name} is not in the data map, so lethe does not know what in its rows is personal.`,
        'Map it under tables (lethe check lists what is unmapped).',
      );
    }
    const near = closestName(name, [...session.map.tables.keys()]);
    throw new UsageError(
      `There is no table ${name} in the data map or the database.`,
      near ? `Did you mean ${near}?` : `Mapped tables: ${[...session.map.tables.keys()].join(', ')}.`,
    );
  }
  if (table.impersonal !== undefined) {
    throw new UsageError(`Table ${name} is marked as holding nothing personal (${table.impersonal}); there is nothing to anonymize in its rows.`);
  }
  const subject = subjectOfTable(session.map, name);
  if (subject) {
    const byKey = subject.identifiers.find((i) => table.keyColumns.length === 1 && i.column === table.keyColumns[0]);
    throw withProblem(
      new UsageError(
        `A row of ${name} is a ${subject.name}: a person, not a record of one.`,
        `Anonymize the person instead${byKey ? `, found by ${byKey.name} (the key)` : ''}.`,
      ),
      { kind: 'record-of-a-person', subject: subject.name, ...(byKey ? { identifier: byKey.name } : {}), severalSubjects: session.map.subjects.size > 1 },
    );
  }
  return table;
}

/** The key as the key columns hold it: a whole number for an integer column, text for text. */
export function recordKey(session: Session, table: TableMapping, written: string[]): RowKey {
  const columns = table.keyColumns;
  if (written.length !== columns.length) {
    throw new UsageError(
      columns.length === 1
        ? `${table.name} is keyed by ${columns[0]} alone; give one value: ${table.name}:KEY.`
        : `${table.name} is keyed by ${columns.length} columns (${columns.join(', ')}); give their values in that order: ${table.name}:${columns.map((c) => c.toUpperCase()).join(',')}.`,
    );
  }
  const live = session.schema.get(table.name)!;
  const parts = written.map((text, i): KeyPart => {
    const column = live.columns.get(columns[i]!)!;
    if (text === '') throw new UsageError(`The key of ${table.name} has an empty value for ${column.name}.`);
    if (column.type === 'integer') {
      if (!/^[+-]?\d+$/.test(text)) throw new UsageError(`${table.name}.${column.name} holds whole numbers; "${text}" is not one.`);
      const number = Number(text);
      // Beyond 2^53 a number loses digits: such a key (a BIGINT) goes to the database as text.
      return Number.isSafeInteger(number) ? number : text.replace(/^\+/, '');
    }
    if (column.type === 'number') {
      const number = Number(text);
      if (!Number.isFinite(number)) throw new UsageError(`${table.name}.${column.name} holds numbers; "${text}" is not one.`);
      return number;
    }
    return text;
  });
  return parts.length === 1 ? parts[0]! : parts;
}

/** Reads the record, what belongs to it and whom it belongs to, and what an erasure would change. */
export async function planRecordAnonymization(session: Session, ref: RecordRef): Promise<RecordPlan> {
  const table = recordTable(session, ref.table);
  const key = recordKey(session, table, ref.key);
  let read: ReadRecord;
  try {
    read = await readRecord(session.knex, session.map, table, key);
  } catch (error) {
    // A key that matches nothing is in the trail too, as a find that matched nobody is.
    if (error instanceof NothingMatchedError) recordNotFound(session, table.name, key);
    throw error;
  }
  const { collected, owners, traits } = read;
  const tables = collected.map(plannedTable);
  const record = { table: table.name, key: keyOf(table.keyColumns, collected[0]!.rows[0]!) };
  return {
    requestId: randomUUID(),
    record,
    owners: owners.map((o) => o.owner),
    tables,
    pseudonymousColumns: tables.flatMap((t) => t.columns.filter((c) => c.pseudonymous).map((c) => `${t.table}.${c.name}`)),
    changes: pendingChanges(session, collected, traits, () => previousRecordAnonymization(session, record) !== undefined),
    ...(await plannedFiles(session, collected)),
  };
}

interface ReadRecord {
  collected: TableRows[];
  owners: { owner: RecordOwner; row: Row }[];
  traits: SubjectTraits;
}

/** The record and its descendants (locked when `trx` is given), its owners, and what redact must remove. */
async function readRecord(
  knex: Knex,
  map: DataMap,
  table: TableMapping,
  key: RowKey,
  lock?: { trx: Knex.Transaction; dialect: Session['dialect'] },
): Promise<ReadRecord> {
  // A case-insensitive collation may match `ABC` for `abc`: the key must be the one written.
  const [row] = (await rowsByKeys(knex, table, [key])).filter((r) => sameKey(keyOf(table.keyColumns, r), key));
  if (!row) throw new NothingMatchedError(`No row of ${table.name} has ${keyPhrase(table, key)}.`, 'Check the table and the key.');
  const stored = keyOf(table.keyColumns, row);
  const collected = await collectOwnedRows(knex, map, table, stored, lock);
  if (collected[0]!.rows.length === 0) throw new NothingMatchedError(`The row of ${table.name} with key ${showKey(stored)} is gone; nothing was changed.`);
  const owners = await ownersOf(knex, map, table, collected[0]!.rows[0]!);
  return { collected, owners, traits: mergedTraits(map, owners) };
}

/**
 * The people a row belongs to: belongsTo followed up, from the row's parents to a subject's
 * table. Usually one; a row linked to several parents may reach several.
 */
async function ownersOf(knex: Knex, map: DataMap, table: TableMapping, row: Row): Promise<ReadRecord['owners']> {
  const owners: ReadRecord['owners'] = [];
  const seen = new Set<string>();
  const walk = async (current: TableMapping, currentRow: Row): Promise<void> => {
    for (const link of current.parents) {
      const value = currentRow[link.column];
      if (value === null || value === undefined) continue;
      const parent = map.tables.get(link.table)!;
      const id = `${parent.name}\u0000${keyText(value as KeyPart)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const [parentRow] = await rowsByKeys(knex, parent, [value as KeyPart]);
      if (!parentRow) continue;
      const subject = subjectOfTable(map, parent.name);
      if (subject) owners.push({ owner: { subject: subject.name, table: parent.name, key: keyOf(parent.keyColumns, parentRow) }, row: parentRow });
      else await walk(parent, parentRow);
    }
  };
  await walk(table, row);
  return owners;
}

/** The identifiers and names of every owner, for redact: the detectors find everyone else. */
function mergedTraits(map: DataMap, owners: ReadRecord['owners']): SubjectTraits {
  const traits: SubjectTraits = { identifiers: [], names: [] };
  for (const { owner, row } of owners) {
    const one = subjectTraits(map, [{ table: map.tables.get(owner.table)!, rows: [row] }]);
    traits.identifiers.push(...one.identifiers);
    traits.names.push(...one.names);
  }
  return traits;
}

/** `id = 42`, or `(playlist_id, track_id) = (7, 3)`. */
function keyPhrase(table: TableMapping, key: RowKey): string {
  return `${table.keyColumns.length === 1 ? table.keyColumns[0] : `(${table.keyColumns.join(', ')})`} = ${showKey(key)}`;
}

function subjectOfTable(map: DataMap, table: string): SubjectMapping | undefined {
  return [...map.subjects.values()].find((s) => s.table === table);
}

/** The latest completed erasure of this record in this database's trail, if any. */
export function previousRecordAnonymization(session: Session, record: RecordPlan['record']): { at: string; auditEntry: number } | undefined {
  const database = session.audit.database?.id;
  const latest = session.audit
    .list({ action: RECORD_ACTION, order: 'desc' })
    .find(
      (e) =>
        e.phase === 'outcome' &&
        e.outcome === 'ok' &&
        !e.dryRun &&
        (database === undefined || e.database?.id === database) &&
        e.detail?.record === record.table &&
        e.detail.key !== undefined &&
        sameKey(e.detail.key as RowKey, record.key),
    );
  return latest ? { at: latest.at, auditEntry: latest.id } : undefined;
}

/** Keys compare as text: a BIGINT read as a string is the same key as the number written. */
function sameKey(a: RowKey, b: RowKey): boolean {
  return showKey(a) === showKey(b);
}

/** Nothing to do: when the trail says the record was erased before, and by which entry. */
export interface EarlierRecordErasure {
  record: RecordPlan['record'];
  at?: string;
  auditEntry?: number;
}

export function earlierRecordErasureOf(session: Session, plan: RecordPlan): EarlierRecordErasure | undefined {
  if (plan.changes !== 0) return undefined;
  const previous = previousRecordAnonymization(session, plan.record);
  return { record: plan.record, ...(previous ? { at: previous.at, auditEntry: previous.auditEntry } : {}) };
}

/** "already anonymized on 2026-11-25, audit entry 42", or "nothing left to anonymize" when the trail does not say. */
export function describeEarlierRecord(earlier: EarlierRecordErasure): string {
  return earlier.at ? `already anonymized on ${earlier.at.slice(0, 10)}, audit entry ${earlier.auditEntry}` : 'nothing left to anonymize';
}

/** The audit subject of a record's entries: the person it belongs to, when it is one person. */
function auditSubject(owners: RecordOwner[]): AuditSubject | null {
  return owners.length >= 1 ? { name: owners[0]!.subject, key: owners[0]!.key } : null;
}

/** `record` and `key` say it was a record's erasure; `owners` lists them when there are several (kinds and keys only). */
export function recordDetail(plan: Pick<RecordPlan, 'record' | 'owners'>, extra?: AuditDetail): AuditDetail {
  return {
    ...extra,
    record: plan.record.table,
    key: plan.record.key,
    ...(plan.owners.length > 1 ? { owners: plan.owners.map((o) => `${o.subject}:${showKey(o.key)}`) } : {}),
  };
}

/** The audit subject and detail of this record's entries, for the dry run, the confirmation and the refusal. */
export function recordAuditFields(plan: RecordPlan): { subject: AuditSubject | null; detail: AuditDetail } {
  return { subject: auditSubject(plan.owners), detail: recordDetail(plan) };
}

function recordNotFound(session: Session, table: string, key: RowKey): void {
  session.audit.recordEvent({
    operator: session.operator,
    command: 'anonymize',
    action: RECORD_ACTION,
    requestId: randomUUID(),
    subject: null,
    dryRun: false,
    outcome: 'nothing-matched',
    tables: {},
    detail: { record: table, key },
  });
}

export function recordRecordDryRun(session: Session, plan: RecordPlan, extra?: AuditDetail): number {
  return session.audit.recordEvent({
    operator: session.operator,
    command: 'anonymize',
    action: RECORD_ACTION,
    requestId: plan.requestId,
    subject: auditSubject(plan.owners),
    dryRun: true,
    outcome: 'ok',
    tables: auditTables(plan.tables),
    detail: recordDetail(plan, extra),
  }).id;
}

/** A repeated request, recorded as such (detail.alreadyAnonymized), not as a second erasure. */
export function recordRecordAlreadyAnonymized(session: Session, plan: RecordPlan, earlier: EarlierRecordErasure, dryRun = false): number {
  return session.audit.recordEvent({
    operator: session.operator,
    command: 'anonymize',
    action: RECORD_ACTION,
    requestId: randomUUID(),
    subject: auditSubject(plan.owners),
    dryRun,
    outcome: 'ok',
    tables: {},
    detail: recordDetail(plan, { alreadyAnonymized: true, ...(earlier.auditEntry !== undefined ? { anonymizedBy: earlier.auditEntry } : {}) }),
  }).id;
}

/**
 * Erases the record through runErasure, as a person is erased: the rows read again and locked
 * inside the transaction, its descendants with it. No tombstones: the person is not erased.
 */
export async function executeRecordAnonymization(session: Session, plan: RecordPlan, options: RecordExecuteOptions = {}): Promise<RecordReceipt> {
  const table = session.map.tables.get(plan.record.table)!;
  let owners: RecordOwner[] = plan.owners;
  const intent = {
    operator: session.operator,
    command: 'anonymize',
    action: RECORD_ACTION,
    requestId: plan.requestId,
    subject: auditSubject(plan.owners),
    dryRun: false,
    tables: auditTables(plan.tables),
    detail: recordDetail(plan, options.auditDetail),
  };
  const done = await runErasure(session, intent, `${plan.record.table} ${showKey(plan.record.key)}`, options, async (trx, attempts) => {
    const read = await readRecord(trx, session.map, table, plan.record.key, { trx, dialect: session.dialect });
    owners = read.owners.map((o) => o.owner);
    const files = await eraseCollectedRows(trx, session, read.collected, read.traits, options.signal);
    return {
      value: undefined,
      tables: read.collected.map(plannedTable),
      files,
      detail: recordDetail({ record: plan.record, owners }, { ...options.auditDetail, ...(attempts > 1 ? { attempts } : {}) }),
    };
  });
  return {
    requestId: plan.requestId,
    auditEntry: done.auditEntry,
    record: plan.record,
    owners,
    tables: done.tables,
    notes: done.notes,
    ...(done.files ? { files: done.files } : {}),
  };
}
