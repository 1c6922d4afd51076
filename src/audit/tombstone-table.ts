/**
 * The tombstone table, in the audit store's file. The AuditStore owns it (schema, writes in
 * its transactions, verify); TombstoneStore is the keyed front that callers use.
 *
 * Since schema 3 each row has a hash (the chain's HMAC over every field, see
 * tombstoneHashInput) and is declared, by id, in a `tombstone` event of the audit chain,
 * written in the same transaction. So an edited row no longer matches its hash, a deleted
 * one is missing from what its entry declares, and one added by hand is declared by no
 * entry. Rows written before schema 3 have no hash and no entry that declares them: they are
 * read as before, and verify counts them without vouching for them.
 */
import type Database from 'better-sqlite3';
import { cachedStatement } from './statements.js';
import type { ChainHasher } from './chain.js';

/** What `find` reports of an erasure. */
export interface Tombstone {
  subject: string;
  at: string;
  /** The audit entry of the erasure (its outcome). */
  auditEntry: number;
  /** The database it was erased from; null for a tombstone written before lethe recorded it. */
  databaseId: string | null;
}

/** The table as lethe wrote it up to schema 2 (then created by TombstoneStore itself). */
export const TOMBSTONE_TABLE = `
  CREATE TABLE IF NOT EXISTS tombstone (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    digest TEXT NOT NULL,
    at TEXT NOT NULL,
    audit_entry INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS tombstone_digest ON tombstone (digest);
`;

/** The action of the audit event that declares an erasure's tombstones. */
export const TOMBSTONE_ACTION = 'tombstone';

interface TombstoneRow {
  id: number;
  subject: string;
  digest: string;
  at: string;
  audit_entry: number;
  database_id: string | null;
  hash: string | null;
}

export interface NewTombstones {
  subject: string;
  digests: readonly string[];
  at: string;
  auditEntry: number;
  databaseId: string | null;
}

/** Inserts the rows with their hashes, inside the caller's transaction; returns their ids. */
export function insertTombstones(db: Database.Database, hasher: ChainHasher, input: NewTombstones): number[] {
  const insert = cachedStatement(
    db,
    'INSERT INTO tombstone (id, subject, digest, at, audit_entry, database_id, hash) VALUES (@id, @subject, @digest, @at, @audit_entry, @database_id, @hash)',
  );
  let id = lastTombstoneId(db);
  const ids: number[] = [];
  for (const digest of new Set(input.digests)) {
    id += 1;
    const fields = { id, subject: input.subject, digest, at: input.at, auditEntry: input.auditEntry, databaseId: input.databaseId };
    insert.run({
      id,
      subject: input.subject,
      digest,
      at: input.at,
      audit_entry: input.auditEntry,
      database_id: input.databaseId,
      hash: hasher.hashTombstone(fields),
    });
    ids.push(id);
  }
  return ids;
}

/**
 * The latest tombstone among these digests. With a database, only that database's
 * tombstones and those written before lethe recorded the database (which may be of any).
 */
export function findTombstone(db: Database.Database, subject: string, digests: readonly string[], databaseId: string | undefined): Tombstone | undefined {
  if (digests.length === 0) return undefined;
  const scope = databaseId === undefined ? '' : ' AND (database_id = ? OR database_id IS NULL)';
  const row = db
    .prepare(
      `SELECT subject, at, audit_entry AS auditEntry, database_id AS databaseId FROM tombstone
       WHERE subject = ? AND digest IN (${digests.map(() => '?').join(', ')})${scope} ORDER BY id DESC LIMIT 1`,
    )
    .get(subject, ...digests, ...(databaseId === undefined ? [] : [databaseId])) as Tombstone | undefined;
  return row;
}

/** The highest tombstone id, 0 when there is none or no table yet (a store of schema 1 or 2, read as it is). */
export function lastTombstoneId(db: Database.Database): number {
  if (!hasTable(db, 'tombstone')) return 0;
  return (cachedStatement(db, 'SELECT coalesce(max(id), 0) AS id FROM tombstone').get() as { id: number }).id;
}

export type TombstoneCheck = { ok: true; covered: number; legacy: number } | { ok: false; tombstone: number; entry: number; reason: string };

const PAGE_SIZE = 1000;

/**
 * Compares the tombstone table with what the (already verified) chain declares: `declared`
 * maps each tombstone id to the entry that declares it. Rows up to `existingBefore` (the
 * highest id before the chain was read) that no entry declares were added by hand, unless
 * they are legacy rows (no hash, older than every declared one); later rows may belong to
 * an entry appended after the chain was read, and are left for the next verify.
 */
export function checkTombstones(db: Database.Database, hasher: ChainHasher, declared: ReadonlyMap<number, number>, existingBefore: number): TombstoneCheck {
  if (!hasColumn(db, 'tombstone', 'hash')) {
    // Schema 2 or older, read as it is: no row has a hash, and no entry declares one.
    for (const [id, entry] of declared) return deleted(id, entry);
    return { ok: true, covered: 0, legacy: hasTable(db, 'tombstone') ? countRows(db) : 0 };
  }
  let firstDeclared = Infinity;
  for (const id of declared.keys()) firstDeclared = Math.min(firstDeclared, id);
  const seen = new Set<number>();
  let covered = 0;
  let legacy = 0;
  let problem: Extract<TombstoneCheck, { ok: false }> | undefined;
  const page = db.prepare(`SELECT * FROM tombstone WHERE id > ? ORDER BY id LIMIT ${PAGE_SIZE}`);
  for (let after = 0; ; ) {
    const rows = page.all(after) as TombstoneRow[];
    for (const row of rows) {
      const entry = declared.get(row.id);
      if (entry !== undefined) {
        seen.add(row.id);
        const fields = { id: row.id, subject: row.subject, digest: row.digest, at: row.at, auditEntry: row.audit_entry, databaseId: row.database_id };
        if (row.hash === null || hasher.hashTombstone(fields) !== row.hash) {
          problem ??= { ok: false, tombstone: row.id, entry, reason: `tombstone ${row.id} of entry ${entry} was altered: it no longer matches its hash` };
        } else covered += 1;
      } else if (row.hash === null && row.id < firstDeclared) {
        legacy += 1;
      } else if (row.id <= existingBefore) {
        problem ??= {
          ok: false,
          tombstone: row.id,
          entry: row.audit_entry,
          reason: `tombstone ${row.id} is declared by no audit entry: it was added outside lethe`,
        };
      }
    }
    if (rows.length < PAGE_SIZE) break;
    after = rows.at(-1)!.id;
  }
  for (const [id, entry] of declared) {
    if (seen.has(id)) continue;
    // In id order, the first problem is the one reported.
    if (!problem || id < problem.tombstone) problem = deleted(id, entry);
  }
  return problem ?? { ok: true, covered, legacy };
}

function deleted(tombstone: number, entry: number): Extract<TombstoneCheck, { ok: false }> {
  return { ok: false, tombstone, entry, reason: `tombstone ${tombstone} of entry ${entry} was deleted` };
}

function countRows(db: Database.Database): number {
  return (db.prepare('SELECT count(*) AS n FROM tombstone').get() as { n: number }).n;
}

function hasTable(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

export function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).some((c) => c.name === column);
}
