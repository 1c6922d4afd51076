/**
 * The suppression table, in the audit store's file: keyed hashes of the identifiers of people
 * who opted out, kept when they were anonymized (see core/suppression.ts for the keyed hash).
 * The AuditStore owns it, as it owns the tombstones: each row carries a hash of its fields
 * under the chain's key and is declared, by id, in a `suppression` event of the chain written
 * in the same transaction; a row pruned after its keepFor is declared in a
 * `suppression-prune` event, written in the transaction that deletes it. So `audit verify`
 * detects a row edited, deleted or added outside lethe, and tells a pruned row from a
 * deleted one.
 */
import type Database from 'better-sqlite3';
import { cachedStatement } from './statements.js';
import type { ChainHasher } from './chain.js';

export const SUPPRESSION_TABLE = `
  CREATE TABLE IF NOT EXISTS suppression (
    id          INTEGER PRIMARY KEY,
    subject     TEXT NOT NULL,
    digest      TEXT NOT NULL,
    at          TEXT NOT NULL,
    expires_at  TEXT,
    audit_entry INTEGER NOT NULL,
    database_id TEXT,
    hash        TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS suppression_digest ON suppression (digest);
  CREATE INDEX IF NOT EXISTS suppression_expires ON suppression (expires_at) WHERE expires_at IS NOT NULL;
  CREATE INDEX IF NOT EXISTS suppression_subject_at ON suppression (subject, at);
`;

/** The action of the audit event that declares the hashes an anonymization kept. */
export const SUPPRESSION_ACTION = 'suppression';
/** The action of the audit event that declares the hashes pruned after their keepFor. */
export const SUPPRESSION_PRUNE_ACTION = 'suppression-prune';

interface SuppressionRow {
  id: number;
  subject: string;
  digest: string;
  at: string;
  expires_at: string | null;
  audit_entry: number;
  database_id: string | null;
  hash: string;
}

export interface NewSuppressions {
  subject: string;
  digests: readonly string[];
  at: string;
  /** ISO time after which the hashes are pruned; null to keep them. */
  expiresAt: string | null;
  auditEntry: number;
  databaseId: string | null;
}

/** Inserts the rows with their hashes, inside the caller's transaction; returns their ids. */
export function insertSuppressions(db: Database.Database, hasher: ChainHasher, input: NewSuppressions): number[] {
  const insert = cachedStatement(
    db,
    'INSERT INTO suppression (id, subject, digest, at, expires_at, audit_entry, database_id, hash) VALUES (@id, @subject, @digest, @at, @expires_at, @audit_entry, @database_id, @hash)',
  );
  let id = lastSuppressionId(db);
  const ids: number[] = [];
  for (const digest of new Set(input.digests)) {
    id += 1;
    const fields = { id, subject: input.subject, digest, at: input.at, expiresAt: input.expiresAt, auditEntry: input.auditEntry, databaseId: input.databaseId };
    insert.run({ ...fields, expires_at: input.expiresAt, audit_entry: input.auditEntry, database_id: input.databaseId, hash: hasher.hashSuppression(fields) });
    ids.push(id);
  }
  return ids;
}

/** The subjects whose list holds one of these digests, not expired at `now`; `subject` narrows to one. */
export function suppressedSubjects(db: Database.Database, digests: readonly string[], now: Date, subject?: string): string[] {
  if (digests.length === 0 || !hasTable(db, 'suppression')) return [];
  const rows = db
    .prepare(
      `SELECT DISTINCT subject FROM suppression
       WHERE digest IN (${digests.map(() => '?').join(', ')}) AND (expires_at IS NULL OR expires_at > ?)${subject === undefined ? '' : ' AND subject = ?'}
       ORDER BY subject`,
    )
    .all(...digests, now.toISOString(), ...(subject === undefined ? [] : [subject])) as { subject: string }[];
  return rows.map((r) => r.subject);
}

/** A subject's hashes kept before `keptBefore` are past the keepFor the map says now. */
export interface SuppressionPolicy {
  subject: string;
  keptBefore: string;
  /** Only the hashes of this database (the one whose map says so); all when undefined. */
  databaseId?: string;
}

/** Ids of the rows past their expiry at `now`, or past a keepFor the map says now (which may have been shortened since). */
export function expiredSuppressions(db: Database.Database, now: Date, policies: readonly SuppressionPolicy[]): number[] {
  if (!hasTable(db, 'suppression')) return [];
  const conditions = ['(expires_at IS NOT NULL AND expires_at <= ?)'];
  const params: unknown[] = [now.toISOString()];
  for (const policy of policies) {
    conditions.push(`(subject = ? AND at < ?${policy.databaseId === undefined ? '' : ' AND database_id = ?'})`);
    params.push(policy.subject, policy.keptBefore, ...(policy.databaseId === undefined ? [] : [policy.databaseId]));
  }
  const rows = db.prepare(`SELECT id FROM suppression WHERE ${conditions.join(' OR ')} ORDER BY id`).all(...params) as { id: number }[];
  return rows.map((r) => r.id);
}

export function deleteSuppressions(db: Database.Database, ids: readonly number[]): void {
  const remove = db.prepare('DELETE FROM suppression WHERE id = ?');
  for (const id of ids) remove.run(id);
}

/** The highest suppression id, 0 when there is none or no table yet (a store of schema 4 or older, read as it is). */
export function lastSuppressionId(db: Database.Database): number {
  if (!hasTable(db, 'suppression')) return 0;
  return (cachedStatement(db, 'SELECT coalesce(max(id), 0) AS id FROM suppression').get() as { id: number }).id;
}

export type SuppressionCheck = { ok: true; covered: number; pruned: number } | { ok: false; suppression: number; entry: number; reason: string };

const PAGE_SIZE = 1000;

/**
 * Compares the table with what the (already verified) chain declares: `declared` maps each
 * id to the entry that kept it, `pruned` each pruned id to the entry that pruned it. A row
 * declared and present must match its hash; one declared and absent must have been pruned;
 * one pruned must be absent; one up to `existingBefore` (the highest id before the chain was
 * read) that no entry declares was added by hand. Later rows may belong to an entry appended
 * after the chain was read, and are left for the next verify.
 */
export function checkSuppressions(
  db: Database.Database,
  hasher: ChainHasher,
  declared: ReadonlyMap<number, number>,
  pruned: ReadonlyMap<number, number>,
  existingBefore: number,
): SuppressionCheck {
  const present = new Set<number>();
  let covered = 0;
  let problem: Extract<SuppressionCheck, { ok: false }> | undefined;
  const report = (candidate: Extract<SuppressionCheck, { ok: false }>) => {
    // In id order, the first problem is the one reported.
    if (!problem || candidate.suppression < problem.suppression) problem = candidate;
  };
  if (hasTable(db, 'suppression')) {
    const page = db.prepare(`SELECT * FROM suppression WHERE id > ? ORDER BY id LIMIT ${PAGE_SIZE}`);
    for (let after = 0; ; ) {
      const rows = page.all(after) as SuppressionRow[];
      for (const row of rows) {
        present.add(row.id);
        const entry = declared.get(row.id);
        const prunedBy = pruned.get(row.id);
        if (entry === undefined) {
          if (row.id <= existingBefore)
            report({
              ok: false,
              suppression: row.id,
              entry: row.audit_entry,
              reason: `suppression hash ${row.id} is declared by no audit entry: it was added outside lethe`,
            });
        } else if (prunedBy !== undefined) {
          report({
            ok: false,
            suppression: row.id,
            entry: prunedBy,
            reason: `suppression hash ${row.id} was pruned by entry ${prunedBy} but is present again: it was put back outside lethe`,
          });
        } else {
          const fields = {
            id: row.id,
            subject: row.subject,
            digest: row.digest,
            at: row.at,
            expiresAt: row.expires_at,
            auditEntry: row.audit_entry,
            databaseId: row.database_id,
          };
          if (hasher.hashSuppression(fields) !== row.hash) {
            report({
              ok: false,
              suppression: row.id,
              entry,
              reason: `suppression hash ${row.id} of entry ${entry} was altered: it no longer matches its hash`,
            });
          } else covered += 1;
        }
      }
      if (rows.length < PAGE_SIZE) break;
      after = rows.at(-1)!.id;
    }
  }
  for (const [id, entry] of declared) {
    if (!present.has(id) && !pruned.has(id)) report({ ok: false, suppression: id, entry, reason: `suppression hash ${id} of entry ${entry} was deleted` });
  }
  return problem ?? { ok: true, covered, pruned: pruned.size };
}

function hasTable(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}
