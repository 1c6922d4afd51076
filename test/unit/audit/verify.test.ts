import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AuditStore, AuditEntry } from '../../../src/audit/index.js';
import { hashInput } from '../../../src/audit/chain.js';
import { findEvent, tamper, useAuditFile } from './helpers.js';

const audit = useAuditFile();
const open = (key?: string): AuditStore => audit.open(key ? { key } : {});

function fill(store: AuditStore, count: number): AuditEntry[] {
  return Array.from({ length: count }, (_, i) => store.append(findEvent({ subject: { name: 'customer', key: i + 1 } })));
}

/**
 * An attacker without the key: edits entry `id`, then recomputes plain SHA-256 hashes from
 * there to the end so that every prevHash links up again.
 */
function editAndRechain(id: number, operator: string): void {
  tamper(audit.path, `UPDATE audit_entry SET operator = '${operator}' WHERE id = ${id}`);
  const db = new Database(audit.path);
  const rows = db.prepare('SELECT * FROM audit_entry WHERE id >= ? ORDER BY id').all(id) as Record<string, unknown>[];
  let prevHash = (db.prepare('SELECT hash FROM audit_entry WHERE id = ?').get(id - 1) as { hash: string } | undefined)?.hash ?? '0'.repeat(64);
  for (const row of rows) {
    const entry = {
      id: row.id as number,
      at: row.at as string,
      operator: row.operator as string,
      command: row.command as string,
      action: row.action as string,
      requestId: row.request_id as string,
      phase: row.phase as AuditEntry['phase'],
      intentId: row.intent_id as number | null,
      subject: row.subject === null ? null : JSON.parse(row.subject as string),
      dryRun: row.dry_run === 1,
      outcome: row.outcome as AuditEntry['outcome'],
      tables: JSON.parse(row.tables as string),
      detail: row.detail === null ? null : JSON.parse(row.detail as string),
      prevHash,
    };
    const hash = createHash('sha256').update(hashInput(entry)).digest('hex');
    db.prepare('UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE id = ?').run(prevHash, hash, entry.id);
    prevHash = hash;
  }
  db.close();
}

describe('verify', () => {
  it('accepts an intact chain and reports its head', () => {
    const store = open();
    expect(store.verify()).toEqual({ ok: true, entries: 0, lastHash: '0'.repeat(64), tombstones: 0, legacyTombstones: 0, suppressions: 0 });
    const entries = fill(store, 5);
    expect(store.verify()).toEqual({ ok: true, entries: 5, lastHash: entries[4]!.hash, tombstones: 0, legacyTombstones: 0, suppressions: 0 });
  });

  it('detects an edited entry', () => {
    fill(open(), 5);
    tamper(audit.path, "UPDATE audit_entry SET tables = '{}' WHERE id = 3");
    expect(open().verify()).toMatchObject({ ok: false, entries: 5, firstBadId: 3, reason: expect.stringMatching(/entry 3 does not match its hash/) });
  });

  it('detects an edit that leaves unreadable JSON', () => {
    fill(open(), 3);
    tamper(audit.path, "UPDATE audit_entry SET tables = '{oops' WHERE id = 2");
    expect(open().verify()).toMatchObject({ ok: false, firstBadId: 2 });
  });

  it('detects a deleted entry by the gap it leaves', () => {
    fill(open(), 5);
    tamper(audit.path, 'DELETE FROM audit_entry WHERE id = 3');
    expect(open().verify()).toMatchObject({
      ok: false,
      entries: 4,
      firstBadId: 3,
      reason: expect.stringMatching(/entry 3 is missing: entry 2 is followed by entry 4/),
    });
  });

  it('detects a deleted entry whose gap was closed by renumbering', () => {
    fill(open(), 5);
    tamper(audit.path, 'DELETE FROM audit_entry WHERE id = 3', 'UPDATE audit_entry SET id = id - 1 WHERE id > 3');
    // Entry 4, now numbered 3, was hashed with id 4.
    expect(open().verify()).toMatchObject({ ok: false, firstBadId: 3 });
  });

  it('detects a deleted first entry', () => {
    fill(open(), 3);
    tamper(audit.path, 'DELETE FROM audit_entry WHERE id = 1');
    expect(open().verify()).toMatchObject({ ok: false, firstBadId: 1, reason: expect.stringMatching(/entry 1 is missing/) });
  });

  it('detects two swapped entries', () => {
    fill(open(), 5);
    tamper(
      audit.path,
      'UPDATE audit_entry SET id = -1 WHERE id = 3',
      'UPDATE audit_entry SET id = 3 WHERE id = 4',
      'UPDATE audit_entry SET id = 4 WHERE id = -1',
    );
    expect(open().verify()).toMatchObject({ ok: false, firstBadId: 3 });
  });

  it('detects a broken link even when the entry itself is intact', () => {
    const entries = fill(open(), 4);
    // Entry 3's own hash recomputed correctly over a different prevHash: the link to 2 breaks.
    const forged = { ...entries[2]!, prevHash: 'f'.repeat(64) };
    const hash = createHash('sha256').update(hashInput(forged)).digest('hex');
    tamper(audit.path, `UPDATE audit_entry SET prev_hash = '${forged.prevHash}', hash = '${hash}' WHERE id = 3`);
    expect(open().verify()).toMatchObject({ ok: false, firstBadId: 3, reason: expect.stringMatching(/does not follow entry 2/) });
  });

  it('cannot tell that the newest entries were removed; lastHash is the anchor for that', () => {
    const store = open();
    const entries = fill(store, 4);
    tamper(audit.path, 'DELETE FROM audit_entry WHERE id = 4');
    const result = open().verify();
    expect(result).toEqual({ ok: true, entries: 3, lastHash: entries[2]!.hash, tombstones: 0, legacyTombstones: 0, suppressions: 0 });
    expect(result.ok && result.lastHash).not.toBe(entries[3]!.hash);
  });
});

describe('keyed chain', () => {
  it('verifies with its key', () => {
    fill(open('s3cret'), 4);
    expect(open('s3cret').verify()).toMatchObject({ ok: true, entries: 4 });
  });

  it('an unkeyed chain can be recomputed by whoever can write the file', () => {
    fill(open(), 5);
    editAndRechain(3, 'mallory');
    expect(open().get(3)?.operator).toBe('mallory');
    expect(open().verify()).toMatchObject({ ok: true, entries: 5 });
  });

  it('detects an edit even when the attacker recomputes the chain without the key', () => {
    fill(open('s3cret'), 5);
    editAndRechain(3, 'mallory');
    expect(open('s3cret').verify()).toMatchObject({ ok: false, firstBadId: 3 });
  });

  it('detects a keyed store rewritten as an unkeyed one', () => {
    fill(open('s3cret'), 3);
    tamper(audit.path, "UPDATE audit_meta SET value = 'sha256' WHERE name = 'chain'", "DELETE FROM audit_meta WHERE name = 'keyCheck'");
    editAndRechain(1, 'mallory');
    expect(() => open('s3cret').verify()).toThrow(/created without a key, but a key is configured/);
  });

  it('reports a missing or wrong key as such, not as tampering', () => {
    fill(open('s3cret'), 2);
    expect(() => open().verify()).toThrow(/is keyed, and no key is configured/);
    expect(() => open().append(findEvent())).toThrow(/is keyed/);
    expect(() => open('other').verify()).toThrow(/not the one the audit store .* was created with/);
    expect(() => open('other').append(findEvent())).toThrow(/not the one/);
    expect(open('s3cret').list()).toHaveLength(2);
  });

  it('does not mix keyed and unkeyed entries in one store', () => {
    fill(open(), 2);
    expect(() => open('s3cret').append(findEvent())).toThrow(/created without a key/);
    expect(open().verify()).toMatchObject({ ok: true, entries: 2 });
  });
});

describe('concurrent appends', () => {
  it('two stores on one file appending alternately keep one valid chain', () => {
    const a = open();
    const b = open();
    for (let i = 0; i < 20; i++) {
      a.append(findEvent({ operator: 'a' }));
      b.append(findEvent({ operator: 'b' }));
    }
    const entries = a.list();
    expect(entries.map((e) => e.id)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(entries.map((e) => e.operator).slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
    expect(b.verify()).toMatchObject({ ok: true, entries: 40 });
  });

  it('processes appending at the same time keep one valid chain', async () => {
    open(); // create the store first, as a lethe run would have
    audit.closeAll();
    const worker = fileURLToPath(new URL('./concurrent-appender.mjs', import.meta.url));
    const startAt = Date.now() + 1500;
    await Promise.all(['p1', 'p2', 'p3', 'p4'].map((name) => promisify(execFile)(process.execPath, [worker, audit.path, name, '100', String(startAt)])));
    const store = open();
    expect(store.verify()).toMatchObject({ ok: true, entries: 400 });
    const operators = store.list().map((e) => e.operator);
    for (const name of ['p1', 'p2', 'p3', 'p4']) expect(operators.filter((o) => o === name)).toHaveLength(100);
    // They did interleave, so the test exercised the lock.
    const switches = operators.filter((o, i) => i > 0 && o !== operators[i - 1]).length;
    expect(switches).toBeGreaterThan(10);
  }, 30_000);
});
