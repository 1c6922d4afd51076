import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { digestKeys, type AuditDetail, type AuditEntry, type AuditKey, type AuditTableAction, type AuditTables, type PendingOutcome } from '../audit/index.js';
import { personalColumns, type DataMap, type SubjectMapping, type TableMapping } from '../config/data-map.js';
import { COMMIT_TABLE, ensureCommitTable, forgetCommit, markCommitted } from '../db/commit-marker.js';
import { CONFLICT_ATTEMPTS, isTransientConflict } from '../db/conflicts.js';
import { keyOf, keyText, showKey, type RowKey } from '../db/row-key.js';
import { LetheError } from '../errors.js';
import type { SubjectTraits } from '../masking/index.js';
import { eraseCollectedRows, pendingTombstones, plannedTable } from './anonymize.js';
import { pauseBeforeRetry } from './conflict-retry.js';
import { crashPoint } from './crash-point.js';
import { codeSuffix, errorFacts } from './error-facts.js';
import { deleteQueuedFiles, fileColumns, prepareFileQueue, queueFileDeletions, type FilesDeleted, type ListedFiles } from './file-deletion.js';
import type { Session } from './session.js';
import { collectRowsOfMany, keyAndLinkColumns, subjectTraits, type TableRows } from './subject-data.js';
import { constantValues } from './column-masking.js';
import type { Row } from './subject-lookup.js';
import { pendingSuppressions } from './suppression.js';

export interface ErasePeopleOptions {
  /** The command recorded in each person's audit entries. */
  command: string;
  /** The job the rows' files are listed under (deleted after the commit). */
  job: string;
  auditDetail?: AuditDetail;
  /**
   * Commit markers of earlier batches whose outcomes are recorded: deleted in this batch's
   * transaction, then replaced by this batch's marker (the caller forgets the last one).
   * Without it, the marker is deleted after the outcome, in a transaction of its own.
   */
  settled?: string[];
  /** Inside the transaction, after the writes and before the commit (a resume record). */
  beforeCommit?: (trx: Knex.Transaction) => Promise<void>;
}

/**
 * The people of a batch chosen inside its transaction (on SQLite, under its write lock), so
 * that who is erased is who is due at commit time: a person active again, or anonymized by
 * another job meanwhile, is left alone. It answers with their own rows, whole (every column)
 * and locked as read, which are not read again. Run again, afresh, if the transaction is retried.
 */
export type PeopleQuery = (trx: Knex.Transaction) => Promise<Row[]>;

export interface PeopleErased {
  people: number;
  /** Rows changed or deleted, per table; a table where nothing changed is left out. */
  tables: Record<string, { action: AuditTableAction; rows: number }>;
  files?: FilesDeleted;
}

/**
 * Erases many people of one subject in one transaction (the sweep's inactive pass): their
 * rows are read with one query per table and chunk of keys, rewritten with one prepared or
 * batched statement per table and deleted by key lists, so that a batch costs about what a
 * hand-written set-based erasure costs. Of a table whose rows are written with constants
 * (or deleted, or kept) and name no files, only the keys and links are read, and its rows
 * are written with one UPDATE per list of keys. The batch is all-or-nothing.
 *
 * The batch has one audit intent and one outcome (a person's erasure by `anonymize` has its
 * own): per table the rows, the key range and a digest of the keys, and for the people's own
 * table their keys, so `find` and `anonymize` still say when and by which entry a person was
 * erased (findCompleted); the people's tombstones and suppression hashes go with the outcome.
 * The intent is written inside the database transaction, before its commit, with its commit
 * marker: a process killed anywhere leaves either every person of the batch erased (the
 * outcome completed by the next command, reconcileInterrupted) or nobody, the intent then
 * completed as failed.
 */
export async function erasePeople(session: Session, subject: SubjectMapping, who: PeopleQuery, options: ErasePeopleOptions): Promise<PeopleErased> {
  const { knex, map, audit } = session;
  const root = map.tables.get(subject.table)!;
  await ensureCommitTable(knex);
  await prepareFileQueue(session);
  const requestId = randomUUID();
  /** The people's own rows. */
  let people: Row[] = [];
  let collected: TableRows[] = [];
  let listed: ListedFiles = { queued: 0, refused: [] };
  let intent: AuditEntry | undefined;
  /** The batch's audit tables, as the attempt that committed wrote them with its intent. */
  let tables: AuditTables = {};
  let keys: RowKey[] = [];
  let attempts = 0;
  for (;;) {
    attempts += 1;
    people = [];
    collected = [];
    intent = undefined;
    try {
      await knex.transaction(async (trx) => {
        const own = await who(trx);
        keys = own.map((row) => keyOf(root.keyColumns, row));
        if (keys.length === 0) return;
        collected = await collectRowsOfMany(
          trx,
          map,
          root,
          keys,
          { trx, dialect: session.dialect },
          {
            ownRows: own,
            columnsOf: columnsToRead,
            writtenByLinks: (table) => session.dialect.writeReturning !== undefined && writtenByStatement(table),
          },
        );
        people = own;
        if (options.settled && options.settled.length > 0) await trx(COMMIT_TABLE).whereIn('intent', options.settled).delete();
        const files = await eraseCollectedRows(trx, session, collected, traitsOfRows(map, collected));
        listed = await queueFileDeletions(trx, map, options.job, files);
        await options.beforeCommit?.(trx);
        // Last before the commit, the intent with its outcome prepared (one write of the audit store)
        // and its commit marker: a crash before the commit leaves an intent whose change never happened.
        tables = batchTables(collected);
        const written = audit.recordPreparedIntent(
          {
            operator: session.operator,
            command: options.command,
            action: 'anonymize',
            requestId,
            subject: null,
            dryRun: false,
            tables,
            detail: { ...options.auditDetail, subject: subject.name, people: people.length },
          },
          { tables, detail: outcomeDetail(subject, people, options, attempts), ...peopleKept(session, subject, people) },
        );
        intent = written;
        await markCommitted(trx, written.hash);
        crashPoint('before-commit');
      });
      break;
    } catch (error) {
      if (intent) audit.recordOutcome(intent, { outcome: 'failed', tables: {}, detail: { ...options.auditDetail, ...errorFacts(error) } });
      if (!isTransientConflict(error) || attempts >= CONFLICT_ATTEMPTS) throw batchFailure(error, root, keys);
      await pauseBeforeRetry(attempts);
    }
  }
  if (!intent) return { people: 0, tables: {} };
  crashPoint('after-commit');
  audit.recordOutcome(intent, { outcome: 'ok', tables, detail: outcomeDetail(subject, people, options, attempts) });
  const marker = (intent as AuditEntry).hash;
  // The marker goes with the next batch's transaction when there is one (no commit of its own).
  if (options.settled) options.settled.splice(0, options.settled.length, marker);
  else await forgetCommit(knex, marker);
  const files = listed.queued + listed.refused.length > 0 ? { files: await deleteQueuedFiles(session, options.job, options.command, listed) } : {};
  return { people: people.length, tables: changedTables(tables), ...files };
}

function outcomeDetail(subject: SubjectMapping, people: Row[], options: ErasePeopleOptions, attempts: number): AuditDetail {
  return { ...options.auditDetail, subject: subject.name, people: people.length, ...(attempts > 1 ? { attempts } : {}) };
}

/**
 * The batch's audit tables: per table the action, rows, key range and key digest (as a
 * sweep's batches record them); the people's own table lists their keys too, which is how
 * findCompleted finds a person's erasure in a batch.
 */
function batchTables(collected: TableRows[]): AuditTables {
  const tables: AuditTables = {};
  for (const [t, planned] of collected.map(plannedTable).entries()) {
    if (planned.rows === 0) continue;
    const keys = planned.keys as AuditKey[];
    tables[planned.table] = {
      action: planned.action,
      rows: planned.rows,
      ...(t === 0 ? { keys } : {}),
      keyRange: [keys[0]!, keys.at(-1)!],
      keyDigest: digestKeys(keys),
      ...(planned.columns.length > 0 ? { columns: planned.columns.map((c) => c.name) } : {}),
    };
  }
  return tables;
}

/** The tombstones and suppression hashes of every person of the batch, written with its outcome. */
function peopleKept(session: Session, subject: SubjectMapping, people: Row[]): Pick<PendingOutcome, 'tombstones' | 'suppressions'> {
  const tombstones = people.flatMap((row) => pendingTombstones(session, subject, row).tombstones?.digests ?? []);
  const suppressions = people.map((row) => pendingSuppressions(session, subject, row).suppressions).filter((s) => s !== undefined);
  return {
    ...(tombstones.length > 0 ? { tombstones: { subject: subject.name, digests: tombstones } } : {}),
    ...(suppressions.length > 0 ? { suppressions: { ...suppressions[0]!, digests: suppressions.flatMap((s) => s.digests) } } : {}),
  };
}

/**
 * The columns read of a table below the people: every one where a strategy computes its value
 * from the row (redact, hash...) or the row names files to delete; otherwise its key and links.
 */
function columnsToRead(table: TableMapping): string[] | undefined {
  if (fileColumns(table).length > 0) return undefined;
  if (table.onErase === 'anonymize' && !constantValues(table)) return undefined;
  return keyAndLinkColumns(table);
}

/**
 * A table whose rows a statement can change without reading them (deleted, or written with
 * constants): by their links, returning their keys. Not a kept table, nor one with nothing
 * personal to write: their rows are read (by key) for the audit, and nothing is written.
 */
function writtenByStatement(table: TableMapping): boolean {
  if (columnsToRead(table) === undefined) return false;
  if (table.onErase === 'delete') return true;
  return table.onErase === 'anonymize' && personalColumns(table).length > 0;
}

interface OwnerIndex {
  /** Owners (people's positions) by the row's key, as links below refer to it. */
  byKey: Map<string, number[]>;
}

/** For each collected table, whose each row is, following the links up to the people's own rows. */
function ownerIndexes(collected: TableRows[]): OwnerIndex[] {
  const byTable = new Map<string, Map<string, number[]>>();
  return collected.map(({ table, rows }, t): OwnerIndex => {
    const byKey = new Map<string, number[]>();
    for (const [r, row] of rows.entries()) {
      let owners: number[];
      if (t === 0) owners = [r];
      else {
        const found = new Set<number>();
        // A link holds its parent's key, of one column (the map checks): its text is the parent's key text.
        for (const link of table.parents) for (const i of byTable.get(link.table)?.get(String(row[link.column])) ?? []) found.add(i);
        owners = [...found];
      }
      byKey.set(keyText(keyOf(table.keyColumns, row)), owners);
    }
    byTable.set(table.name, byKey);
    return { byKey };
  });
}

/**
 * What redaction removes from each row: its owner's identifiers and name; for a row of
 * several people of the batch, all of theirs (and for a row whose owner cannot be told, every
 * person's of the batch: more is removed, never less). Worked out on the first call: a batch
 * whose strategies are all constants never asks.
 */
function traitsOfRows(map: DataMap, collected: TableRows[]): (table: TableMapping, row: Row) => SubjectTraits {
  const own = collected[0]!;
  let byTable: Map<string, OwnerIndex> | undefined;
  const traits = new Map<number, SubjectTraits>();
  const traitsOf = (i: number): SubjectTraits => {
    let found = traits.get(i);
    if (!found) traits.set(i, (found = subjectTraits(map, [{ table: own.table, rows: [own.rows[i]!] }])));
    return found;
  };
  const merged = (owners: number[]): SubjectTraits => ({
    identifiers: owners.flatMap((i) => traitsOf(i).identifiers),
    names: owners.flatMap((i) => traitsOf(i).names),
  });
  let everyone: SubjectTraits | undefined;
  return (table, row) => {
    if (!byTable) {
      const indexes = ownerIndexes(collected);
      byTable = new Map(collected.map(({ table: t }, i) => [t.name, indexes[i]!]));
    }
    const owners = byTable.get(table.name)?.byKey.get(keyText(keyOf(table.keyColumns, row))) ?? [];
    if (owners.length === 1) return traitsOf(owners[0]!);
    if (owners.length > 1) return merged(owners);
    return (everyone ??= merged(own.rows.map((_, i) => i)));
  };
}

/** Rows changed or deleted per table, each row once however many people it belonged to: the audit's tables without the kept ones. */
function changedTables(tables: AuditTables): PeopleErased['tables'] {
  const changed: PeopleErased['tables'] = {};
  for (const [name, record] of Object.entries(tables)) {
    if (record.action === 'keep' || (record.action === 'anonymize' && !record.columns)) continue;
    changed[name] = { action: record.action, rows: record.rows };
  }
  return changed;
}

function batchFailure(error: unknown, root: TableMapping, keys: RowKey[]): unknown {
  if (error instanceof LetheError) return error;
  const which =
    keys.length > 0 ? `${keys.length} people of ${root.name} (keys ${showKey(keys[0]!)} to ${showKey(keys.at(-1)!)})` : `a batch of people of ${root.name}`;
  return new LetheError(
    `The anonymization of ${which} failed and was rolled back${codeSuffix(error)}; none of them was changed.`,
    1,
    'Earlier batches stay applied; run the sweep again.',
    { cause: error },
  );
}
