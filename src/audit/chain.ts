/**
 * The hash chain: each entry's hash covers every other field of it, including its id and
 * the previous entry's hash, so an edit, a deletion or a reordering breaks the chain.
 * Unkeyed (SHA-256), anyone who can write the file can also recompute the chain after an
 * edit; keyed (HMAC-SHA256), they cannot without the key.
 */
import { createHash, createHmac } from 'node:crypto';
import type { AuditEntry, AuditKey } from './entry.js';

export const GENESIS_HASH = '0'.repeat(64);

export type ChainMode = 'sha256' | 'hmac-sha256';

/**
 * JSON with object keys sorted (by UTF-16 code unit) at every depth and undefined members
 * dropped, so the same entry always serializes to the same bytes, here or in an auditor's
 * own script.
 */
export function canonicalJson(value: unknown): string {
  // Like JSON.stringify, a Date (or anything with toJSON) is written as what toJSON returns.
  if (typeof (value as { toJSON?: unknown } | null)?.toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON());
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    // A list of plain values (a batch's keys: thousands of them) is written by JSON itself, as fast and the same bytes.
    if (value.every((item) => item === null || (typeof item !== 'object' && typeof item !== 'bigint'))) return JSON.stringify(value);
    return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/**
 * Everything the hash covers: the entry without its own hash. `database` is left out when
 * absent (canonicalJson drops undefined), so an entry written before lethe recorded the
 * database hashes exactly the bytes it was written with.
 */
export function hashInput(entry: Omit<AuditEntry, 'hash'>): string {
  const { id, at, operator, command, action, requestId, phase, intentId, subject, dryRun, outcome, tables, detail, database, prevHash } = entry;
  return canonicalJson({
    id,
    at,
    operator,
    command,
    action,
    requestId,
    phase,
    intentId,
    subject,
    dryRun,
    outcome,
    tables,
    detail,
    database: database ?? undefined,
    prevHash,
  });
}

/** A tombstone row as its hash covers it (see tombstone-table.ts). */
export interface TombstoneHashFields {
  id: number;
  subject: string;
  digest: string;
  at: string;
  auditEntry: number;
  databaseId: string | null;
}

/**
 * What a tombstone row's hash covers: every field, its id included, so an edited, moved or
 * re-inserted row no longer matches. The `tombstone` member keeps these inputs apart from
 * any entry's.
 */
export function tombstoneHashInput(row: TombstoneHashFields): string {
  return canonicalJson({
    tombstone: row.id,
    subject: row.subject,
    digest: row.digest,
    at: row.at,
    auditEntry: row.auditEntry,
    databaseId: row.databaseId ?? undefined,
  });
}

/** A suppression row as its hash covers it (see suppression-table.ts). */
export interface SuppressionHashFields {
  id: number;
  subject: string;
  digest: string;
  at: string;
  expiresAt: string | null;
  auditEntry: number;
  databaseId: string | null;
}

/** What a suppression row's hash covers: every field, its id included; the `suppression` member keeps these inputs apart. */
export function suppressionHashInput(row: SuppressionHashFields): string {
  return canonicalJson({
    suppression: row.id,
    subject: row.subject,
    digest: row.digest,
    at: row.at,
    expiresAt: row.expiresAt ?? undefined,
    auditEntry: row.auditEntry,
    databaseId: row.databaseId ?? undefined,
  });
}

export class ChainHasher {
  readonly mode: ChainMode;
  /** Derived from secrets.key so the audit chain never shares a key with the masking `hash` strategy. */
  private readonly chainKey: Buffer | undefined;

  constructor(key?: string) {
    this.chainKey = key ? createHmac('sha256', key).update('lethe/audit-chain/v1').digest() : undefined;
    this.mode = this.chainKey ? 'hmac-sha256' : 'sha256';
  }

  hash(entry: Omit<AuditEntry, 'hash'>): string {
    return this.digest(hashInput(entry));
  }

  /** With the chain's key, so only whoever holds it can write a tombstone that verifies. */
  hashTombstone(row: TombstoneHashFields): string {
    return this.digest(tombstoneHashInput(row));
  }

  /** With the chain's key, like a tombstone's. */
  hashSuppression(row: SuppressionHashFields): string {
    return this.digest(suppressionHashInput(row));
  }

  /**
   * A value stored beside a keyed chain so that a wrong key is reported as a wrong key,
   * not as every entry being tampered with. It reveals nothing usable about the key.
   */
  keyCheck(): string | null {
    return this.chainKey ? this.digest('lethe/audit-key-check') : null;
  }

  private digest(text: string): string {
    return (this.chainKey ? createHmac('sha256', this.chainKey) : createHash('sha256')).update(text, 'utf8').digest('hex');
  }
}

/** SHA-256 of the canonical JSON of a key list, for keyDigest in batch entries. */
export function digestKeys(keys: readonly AuditKey[]): string {
  // canonicalJson writes a list of plain values with the native serializer (a sweep's batches: tens of thousands of keys).
  return createHash('sha256').update(canonicalJson(keys), 'utf8').digest('hex');
}
