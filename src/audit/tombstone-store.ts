import { createHmac } from 'node:crypto';
import type { AuditStore } from './store.js';
import type { Tombstone } from './tombstone-table.js';

export type { Tombstone } from './tombstone-table.js';

/**
 * Tombstones: what lethe keeps of an erased person so that the erasure survives a backup
 * restore. For each of the person's normalised identifiers, a keyed hash (HMAC-SHA256 with a
 * key derived from secrets.key), with the time, the audit entry and the database it was
 * erased from, and nothing else.
 *
 * They are pseudonymous data: whoever holds the key and a candidate identifier can test
 * whether that identifier was erased. Keeping them is justified because the person asked
 * not to be processed again, and without them a restored backup would bring the person
 * back unnoticed. They live beside the audit trail, outside the database that gets restored,
 * in the audit store's own file and transactions: each erasure's tombstones are declared in
 * the hash chain, so `lethe audit verify` detects one edited, deleted or added.
 */
export class TombstoneStore {
  private constructor(
    private readonly audit: AuditStore,
    private readonly key: Buffer,
  ) {}

  /**
   * Tombstones in the audit store's file, scoped to the store's database: `find` sees that
   * database's tombstones (and those written before lethe recorded the database).
   */
  static open(audit: AuditStore, secret: string): TombstoneStore {
    // Derived, so the tombstones never share a key with the hash strategy or the audit chain.
    return new TombstoneStore(audit, createHmac('sha256', secret).update('lethe tombstones v1').digest());
  }

  /** The keyed hash of one normalised identifier value of a subject type. */
  digest(subject: string, identifier: string, normalised: string): string {
    return createHmac('sha256', this.key).update(`${subject}\u0000${identifier}\u0000${normalised}`).digest('hex');
  }

  /** Records the tombstones of the erasure whose outcome is audit entry `auditEntry`, with an audit event declaring them. */
  record(subject: string, digests: string[], at: string, auditEntry: number): void {
    this.audit.recordTombstones({ subject, digests, at, auditEntry });
  }

  /** The latest tombstone among these digests, if any. */
  find(subject: string, digests: string[]): Tombstone | undefined {
    return this.audit.findTombstone(subject, digests);
  }
}
