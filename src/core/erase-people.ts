import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditDetail, AuditEntry, AuditTableAction } from '../audit/index.js';
import type { DataMap, SubjectMapping, TableMapping } from '../config/data-map.js';
import { ensureCommitTable, forgetCommits, markAllCommitted } from '../db/commit-marker.js';
import { CONFLICT_ATTEMPTS, isTransientConflict } from '../db/conflicts.js';
import { keyOf, keyText, showKey, type RowKey } from '../db/row-key.js';
import { LetheError } from '../errors.js';
import type { SubjectTraits } from '../masking/index.js';
import { auditTables, eraseCollectedRows, pendingTombstones, plannedTable, type PlannedTable } from './anonymize.js';
import { pauseBeforeRetry } from './conflict-retry.js';
import { crashPoint } from './crash-point.js';
import { codeSuffix, errorFacts } from './error-facts.js';
import { deleteQueuedFiles, prepareFileQueue, queueFileDeletions, type FilesDeleted, type ListedFiles } from './file-deletion.js';
import type { Session } from './session.js';
import { collectRowsOfMany, subjectTraits, type TableRows } from './subject-data.js';
import type { Row } from './subject-lookup.js';
import { pendingSuppressions } from './suppression.js';

export interface ErasePeopleOptions {
  /** The command recorded in each person's audit entries. */
  command: string;
  /** The job the rows' files are listed under (deleted after the commit). */
  job: string;
  auditDetail?: AuditDetail;
  /**
   * Inside the transaction, before anything is read: of `keys`, the people still to erase
   * (a person active again, or anonymized by another job meanwhile, is left alone).
   */
  stillDue?: (trx: Knex.Transaction, keys: RowKey[]) => Promise<RowKey[]>;
  /** Inside the transaction, after the writes and before the commit (a resume record). */
  beforeCommit?: (trx: Knex.Transaction) => Promise<void>;
}

export interface PeopleErased {
  people: number;
  /** Rows changed or deleted, per table; a table where nothing changed is left out. */
  tables: Record<string, { action: AuditTableAction; rows: number }>;
  files?: FilesDeleted;
}

/** One person of the batch: their own row and, per collected table, the rows that are theirs. */
interface Person {
  row: Row;
  key: RowKey;
  traits: SubjectTraits;
  requestId: string;
  tables: TableRows[];
  intent?: AuditEntry;
}

/**
 * Erases many people of one subject in one transaction (the sweep's inactive pass): their
 * rows are read with one query per table and chunk of keys, rewritten with one prepared or
 * batched statement per table and deleted by key lists, so that a batch costs about what a
 * hand-written set-based erasure costs. The batch is all-or-nothing.
 *
 * Each person still gets their own audit intent and outcome (with their tables and keys,
 * tombstones and suppression hashes), as `lethe anonymize` writes them, so `find` and
 * `anonymize` later say when and by which entry they were erased; the batch's entries share
 * three write transactions of the audit store. The intents are written inside the database
 * transaction, before its commit, with a commit marker each: a process killed anywhere leaves
 * either every person of the batch erased and their outcomes completed by the next command
 * (reconcileInterrupted), or nobody erased and every intent completed as failed.
 */
export async function erasePeople(session: Session, subject: SubjectMapping, keys: RowKey[], options: ErasePeopleOptions): Promise<PeopleErased> {
  const { knex, map, audit } = session;
  const root = map.tables.get(subject.table)!;
  await ensureCommitTable(knex);
  await prepareFileQueue(session);
  let people: Person[] = [];
  let collected: TableRows[] = [];
  let listed: ListedFiles = { queued: 0, refused: [] };
  let attempts = 0;
  for (;;) {
    attempts += 1;
    people = [];
    collected = [];
    try {
      await knex.transaction(async (trx) => {
        const due = options.stillDue ? await options.stillDue(trx, keys) : keys;
        if (due.length === 0) return;
        collected = await collectRowsOfMany(trx, map, root, due, { trx, dialect: session.dialect });
        people = peopleOf(map, collected);
        if (people.length === 0) return;
        audit.batch(() => {
          for (const person of people) person.intent = audit.recordIntent(intentOf(session, subject, person, options));
        });
        const files = await eraseCollectedRows(trx, session, collected, traitsOfRows(collected, people));
        listed = await queueFileDeletions(trx, map, options.job, files);
        await markAllCommitted(trx, people.map((p) => p.intent!.hash));
        await options.beforeCommit?.(trx);
        const detail = outcomeDetail(options, attempts);
        audit.batch(() => {
          for (const person of people) {
            audit.prepareOutcome(person.intent!, {
              tables: auditTables(plannedTables(person)),
              detail,
              ...pendingTombstones(session, subject, person.row),
              ...pendingSuppressions(session, subject, person.row),
            });
          }
        });
        crashPoint('before-commit');
      });
      break;
    } catch (error) {
      const intended = people.filter((p) => p.intent);
      if (intended.length > 0) {
        audit.batch(() => {
          for (const person of intended) audit.recordOutcome(person.intent!, { outcome: 'failed', tables: {}, detail: { ...options.auditDetail, ...errorFacts(error) } });
        });
      }
      if (!isTransientConflict(error) || attempts >= CONFLICT_ATTEMPTS) throw batchFailure(error, root, keys);
      await pauseBeforeRetry(attempts);
    }
  }
  if (people.length === 0) return { people: 0, tables: {} };
  crashPoint('after-commit');
  const detail = outcomeDetail(options, attempts);
  audit.batch(() => {
    for (const person of people) audit.recordOutcome(person.intent!, { outcome: 'ok', tables: auditTables(plannedTables(person)), detail });
  });
  await forgetCommits(knex, people.map((p) => p.intent!.hash));
  const files = listed.queued + listed.refused.length > 0 ? { files: await deleteQueuedFiles(session, options.job, options.command, listed) } : {};
  return { people: people.length, tables: changedTables(collected), ...files };
}

function intentOf(session: Session, subject: SubjectMapping, person: Person, options: ErasePeopleOptions) {
  return {
    operator: session.operator,
    command: options.command,
    action: 'anonymize',
    requestId: person.requestId,
    subject: { name: subject.name, key: person.key },
    dryRun: false,
    tables: auditTables(plannedTables(person)),
    detail: options.auditDetail ?? null,
  };
}

function outcomeDetail(options: ErasePeopleOptions, attempts: number): AuditDetail | null {
  const detail = { ...options.auditDetail, ...(attempts > 1 ? { attempts } : {}) };
  return Object.keys(detail).length > 0 ? detail : null;
}

function plannedTables(person: Person): PlannedTable[] {
  return person.tables.map(plannedTable);
}

/**
 * The batch's rows told apart by person: a row belongs to the people its links lead up to
 * (a row linked to two people of the batch belongs to both, as it would be erased with either).
 */
function peopleOf(map: DataMap, collected: TableRows[]): Person[] {
  const [own] = collected;
  if (!own) return [];
  const root = own.table;
  const people: Person[] = own.rows.map((row) => ({
    row,
    key: keyOf(root.keyColumns, row),
    traits: subjectTraits(map, [{ table: root, rows: [row] }]),
    requestId: randomUUID(),
    tables: collected.map(({ table }, t) => ({ table, rows: t === 0 ? [row] : [] })),
  }));
  for (const [t, index] of ownerIndexes(collected).entries()) {
    if (t === 0) continue;
    const { rows } = collected[t]!;
    for (const [r, owners] of index.rowOwners.entries()) for (const i of owners) people[i]!.tables[t]!.rows.push(rows[r]!);
  }
  return people;
}

interface OwnerIndex {
  /** Owners (people's positions) by the row's key, as links below refer to it. */
  byKey: Map<string, number[]>;
  /** Owners of each row of the table, in the order of its rows. */
  rowOwners: number[][];
}

const ownerIndexCache = new WeakMap<TableRows[], OwnerIndex[]>();

/** For each collected table, whose each row is, following the links up to the people's own rows. */
function ownerIndexes(collected: TableRows[]): OwnerIndex[] {
  const cached = ownerIndexCache.get(collected);
  if (cached) return cached;
  const byTable = new Map<string, Map<string, number[]>>();
  const indexes = collected.map(({ table, rows }, t): OwnerIndex => {
    const byKey = new Map<string, number[]>();
    const rowOwners = rows.map((row, r) => {
      let owners: number[];
      if (t === 0) owners = [r];
      else {
        const found = new Set<number>();
        // A link holds its parent's key, of one column (the map checks): its text is the parent's key text.
        for (const link of table.parents) for (const i of byTable.get(link.table)?.get(String(row[link.column])) ?? []) found.add(i);
        owners = [...found];
      }
      byKey.set(keyText(keyOf(table.keyColumns, row)), owners);
      return owners;
    });
    byTable.set(table.name, byKey);
    return { byKey, rowOwners };
  });
  ownerIndexCache.set(collected, indexes);
  return indexes;
}

/**
 * What redaction removes from each row: its owner's identifiers and name; for a row of
 * several people of the batch, all of theirs (and for a row whose owner cannot be told, every
 * person's of the batch: more is removed, never less).
 */
function traitsOfRows(collected: TableRows[], people: Person[]): (table: TableMapping, row: Row) => SubjectTraits {
  const indexes = ownerIndexes(collected);
  const byTable = new Map(collected.map(({ table }, t) => [table.name, indexes[t]!]));
  const merged = (owners: number[]): SubjectTraits => ({
    identifiers: owners.flatMap((i) => people[i]!.traits.identifiers),
    names: owners.flatMap((i) => people[i]!.traits.names),
  });
  let everyone: SubjectTraits | undefined;
  return (table, row) => {
    const owners = byTable.get(table.name)?.byKey.get(keyText(keyOf(table.keyColumns, row))) ?? [];
    if (owners.length === 1) return people[owners[0]!]!.traits;
    if (owners.length > 1) return merged(owners);
    return (everyone ??= merged(people.map((_, i) => i)));
  };
}

/** Rows changed or deleted per table, each row once however many people it belonged to. */
function changedTables(collected: TableRows[]): PeopleErased['tables'] {
  const tables: PeopleErased['tables'] = {};
  for (const planned of collected.map(plannedTable)) {
    if (planned.rows === 0 || planned.action === 'keep' || (planned.action === 'anonymize' && planned.columns.length === 0)) continue;
    tables[planned.table] = { action: planned.action, rows: planned.rows };
  }
  return tables;
}

function batchFailure(error: unknown, root: TableMapping, keys: RowKey[]): unknown {
  if (error instanceof LetheError) return error;
  return new LetheError(
    `The anonymization of ${keys.length} people of ${root.name} (keys ${showKey(keys[0]!)} to ${showKey(keys.at(-1)!)}) failed and was rolled back${codeSuffix(error)}; none of them was changed.`,
    1,
    'Earlier batches stay applied; run the sweep again (with --debug for the database error).',
    { cause: error },
  );
}
