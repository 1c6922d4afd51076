import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type AuditStore, tombstoneHashInput, type AuditDatabase, type AuditEntry } from '../../../src/audit/index.js';
import { TombstoneStore } from '../../../src/audit/tombstone-store.js';
import { anonymizeIntent, findEvent, tamper, useAuditFile } from './helpers.js';

const KEY = 's3cret';
const DATABASE: AuditDatabase = { id: '11111111-1111-4111-8111-111111111111', label: 'SQLite file /srv/app.db' };

const audit = useAuditFile();
const open = (options: Parameters<typeof AuditStore.open>[1] = { key: KEY, database: DATABASE }): AuditStore => audit.open(options);

const verify = () => open({ key: KEY, readOnly: true }).verify();

/** An erasure of customer `key` whose tombstones are the digests of `values`; returns its outcome and the declaring event. */
function erase(store: AuditStore, key: number, values: string[]): { outcome: AuditEntry; declaration: AuditEntry; ids: number[] } {
  const tombstones = TombstoneStore.open(store, KEY);
  const intent = store.recordIntent(anonymizeIntent(key));
  const outcome = store.recordOutcome(intent, { outcome: 'ok', tables: intent.tables });
  tombstones.record(
    'customer',
    values.map((v) => tombstones.digest('customer', 'email', v)),
    outcome.at,
    outcome.id,
  );
  const declaration = store.list().at(-1)!;
  return { outcome, declaration, ids: (declaration.detail?.tombstones ?? []) as number[] };
}

describe('tombstones in the audit chain', () => {
  it('are declared by an event of the erasure, in the same request, and verify checks them', () => {
    const store = open();
    const { outcome, declaration, ids } = erase(store, 1, ['jane@example.com', '+442079460958', 'jane@example.com']);
    expect(declaration).toMatchObject({
      action: 'tombstone',
      phase: 'event',
      outcome: 'ok',
      command: 'anonymize',
      operator: 'dpo',
      requestId: outcome.requestId,
      subject: { name: 'customer', key: 1 },
      database: DATABASE,
      detail: { tombstonesOf: outcome.id, tombstones: [1, 2] },
    });
    expect(ids).toHaveLength(2); // a repeated digest is kept once
    erase(store, 2, ['max@example.org']);
    expect(verify()).toMatchObject({ ok: true, entries: 6, tombstones: 3, legacyTombstones: 0 });
  });

  it('an erasure with nothing to keep writes no tombstone and no event', () => {
    const store = open();
    const { outcome } = erase(store, 1, []);
    expect(store.list().at(-1)!.id).toBe(outcome.id);
    expect(verify()).toMatchObject({ ok: true, tombstones: 0 });
  });

  it.each([
    ['its time', "at = '2020-01-01T00:00:00.000Z'"],
    ['its digest', `digest = '${'0'.repeat(64)}'`],
    ['the entry it names', 'audit_entry = 1'],
    ['its database', "database_id = 'other'"],
    ['its hash', 'hash = NULL'],
  ])('an edit of %s is detected and named', (_what, assignment) => {
    const { declaration } = erase(open(), 1, ['jane@example.com', '+442079460958']);
    erase(open(), 2, ['max@example.org']);
    tamper(audit.path, `UPDATE tombstone SET ${assignment} WHERE id = 2`);
    expect(verify()).toMatchObject({
      ok: false,
      firstBadId: declaration.id,
      tombstone: 2,
      reason: `tombstone 2 of entry ${declaration.id} was altered: it no longer matches its hash`,
    });
  });

  it('a deleted tombstone is detected and named, also when it was the last', () => {
    const first = erase(open(), 1, ['jane@example.com', '+442079460958']);
    const second = erase(open(), 2, ['max@example.org']);
    tamper(audit.path, 'DELETE FROM tombstone WHERE id = 3');
    expect(verify()).toMatchObject({
      ok: false,
      firstBadId: second.declaration.id,
      tombstone: 3,
      reason: `tombstone 3 of entry ${second.declaration.id} was deleted`,
    });
    tamper(audit.path, 'DELETE FROM tombstone');
    expect(verify()).toMatchObject({
      ok: false,
      firstBadId: first.declaration.id,
      tombstone: 1,
      reason: `tombstone 1 of entry ${first.declaration.id} was deleted`,
    });
  });

  it('a tombstone added by hand is detected, even with a hash copied from another row', () => {
    erase(open(), 1, ['jane@example.com']);
    tamper(
      audit.path,
      "INSERT INTO tombstone (subject, digest, at, audit_entry, database_id, hash) SELECT subject, 'f', at, audit_entry, database_id, hash FROM tombstone WHERE id = 1",
    );
    expect(verify()).toMatchObject({ ok: false, tombstone: 2, reason: 'tombstone 2 is declared by no audit entry: it was added outside lethe' });
  });

  it('a row moved to another id no longer matches: the id is hashed', () => {
    erase(open(), 1, ['jane@example.com', 'jane.doe@example.com']);
    tamper(audit.path, 'UPDATE tombstone SET id = 9 WHERE id = 2', 'UPDATE tombstone SET id = 2 WHERE id = 1', 'UPDATE tombstone SET id = 1 WHERE id = 9');
    expect(verify()).toMatchObject({ ok: false, tombstone: 1 });
  });

  it('the hash is keyed: without the key a row cannot be forged to match', () => {
    erase(open(), 1, ['jane@example.com']);
    const db = open({ key: KEY, readOnly: true });
    const [row] = db.list().filter((e) => e.action === 'tombstone');
    expect(row).toBeDefined();
    // What an attacker without the key could compute: plain SHA-256 of the documented input.
    const input = tombstoneHashInput({ id: 1, subject: 'customer', digest: 'f'.repeat(64), at: row!.at, auditEntry: 2, databaseId: DATABASE.id });
    tamper(audit.path, `UPDATE tombstone SET digest = '${'f'.repeat(64)}', hash = '${createHash('sha256').update(input).digest('hex')}' WHERE id = 1`);
    expect(verify()).toMatchObject({ ok: false, tombstone: 1 });
  });

  it('tombstones written before they were declared (no hash) are counted, not failed; edits to the chain still are', () => {
    const store = open();
    store.append(findEvent());
    tamper(audit.path, "INSERT INTO tombstone (subject, digest, at, audit_entry) VALUES ('customer', 'legacy', '2026-01-01T00:00:00.000Z', 1)");
    expect(verify()).toMatchObject({ ok: true, tombstones: 0, legacyTombstones: 1 });
    erase(open(), 1, ['jane@example.com']);
    expect(verify()).toMatchObject({ ok: true, tombstones: 1, legacyTombstones: 1 });
    // A row without a hash after the first declared one cannot be a legacy row.
    tamper(audit.path, "INSERT INTO tombstone (subject, digest, at, audit_entry) VALUES ('customer', 'late', '2026-01-01T00:00:00.000Z', 1)");
    expect(verify()).toMatchObject({ ok: false, tombstone: 3, reason: expect.stringMatching(/declared by no audit entry/) });
  });

  it('a broken chain is reported before the tombstones', () => {
    erase(open(), 1, ['jane@example.com']);
    tamper(audit.path, "UPDATE audit_entry SET operator = 'x' WHERE id = 1", 'DELETE FROM tombstone');
    expect(verify()).toMatchObject({ ok: false, firstBadId: 1, reason: expect.stringMatching(/entry 1 does not match its hash/) });
    expect(verify()).not.toHaveProperty('tombstone');
  });
});
