import { createHmac } from 'node:crypto';
import Database from 'better-sqlite3';
import { LetheError } from '../errors.js';

/**
 * Tombstones: what lethe keeps of an erased person so that the erasure survives a backup
 * restore. For each of the person's normalised identifiers, a keyed hash (HMAC-SHA256 with a
 * key derived from secrets.key), with the time and the audit entry, and nothing else.
 *
 * They are pseudonymous data: whoever holds the key and a candidate identifier can test
 * whether that identifier was erased. Keeping them is justified because the person asked
 * not to be processed again, and without them a restored backup would bring the person
 * back unnoticed. They live beside the audit trail, outside the database that gets restored.
 */
export interface Tombstone {
  subject: string;
  at: string;
  auditEntry: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS tombstone (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    digest TEXT NOT NULL,
    at TEXT NOT NULL,
    audit_entry INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS tombstone_digest ON tombstone (digest);
`;

export class TombstoneStore {
  private constructor(
    private readonly db: Database.Database,
    private readonly key: Buffer,
  ) {}

  /** Opens the tombstone table in the audit store's file (which the AuditStore created 0600). */
  static open(path: string, secret: string): TombstoneStore {
    try {
      const db = new Database(path, { timeout: 15_000 });
      db.exec(SCHEMA);
      // Derived, so the tombstones never share a key with the hash strategy or the audit chain.
      return new TombstoneStore(db, createHmac('sha256', secret).update('lethe tombstones v1').digest());
    } catch (error) {
      throw new LetheError(`Cannot open the tombstones in ${path} (${(error as { code?: string }).code ?? 'error'}).`, 1, 'Check audit.path in the data map.');
    }
  }

  /** The keyed hash of one normalised identifier value of a subject type. */
  digest(subject: string, identifier: string, normalised: string): string {
    return createHmac('sha256', this.key).update(`${subject}\u0000${identifier}\u0000${normalised}`).digest('hex');
  }

  record(subject: string, digests: string[], at: string, auditEntry: number): void {
    const insert = this.db.prepare('INSERT INTO tombstone (subject, digest, at, audit_entry) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const digest of new Set(digests)) insert.run(subject, digest, at, auditEntry);
    })();
  }

  /** The latest tombstone among these digests, if any. */
  find(subject: string, digests: string[]): Tombstone | undefined {
    if (digests.length === 0) return undefined;
    const row = this.db
      .prepare(`SELECT subject, at, audit_entry AS auditEntry FROM tombstone WHERE subject = ? AND digest IN (${digests.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT 1`)
      .get(subject, ...digests) as Tombstone | undefined;
    return row;
  }

  close(): void {
    this.db.close();
  }
}
