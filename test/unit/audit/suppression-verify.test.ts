import { describe, expect, it } from 'vitest';
import type { AuditDatabase, AuditEntry, AuditStore } from '../../../src/audit/index.js';
import { anonymizeIntent, tamper, useAuditFile } from './helpers.js';

const KEY = 's3cret';
const DATABASE: AuditDatabase = { id: '11111111-1111-4111-8111-111111111111', label: 'SQLite file /srv/app.db' };
const NOW = new Date('2026-06-01T00:00:00Z');

const audit = useAuditFile();
const open = (): AuditStore => audit.open({ key: KEY, database: DATABASE });
const verify = () => audit.open({ key: KEY, readOnly: true }).verify();

/** An erasure that keeps the suppression hashes `digests`, written with its outcome as executeAnonymization does. */
function erase(store: AuditStore, key: number, digests: string[], expiresAt: string | null = null): { outcome: AuditEntry; declaration: AuditEntry } {
  const intent = store.recordIntent(anonymizeIntent(key));
  store.prepareOutcome(intent, { tables: intent.tables, detail: null, suppressions: { subject: 'customer', digests, expiresAt } });
  const outcome = store.recordOutcome(intent, { outcome: 'ok', tables: intent.tables });
  return { outcome, declaration: store.list().at(-1)! };
}

const digest = (n: number) => n.toString(16).padStart(64, '0');

describe('suppression hashes in the audit chain', () => {
  it('are written with the ok outcome, declared by an event naming how many, and found until they expire', () => {
    const store = open();
    const { outcome, declaration } = erase(store, 1, [digest(1), digest(2), digest(1)], '2026-07-01T00:00:00.000Z');
    expect(declaration).toMatchObject({
      action: 'suppression',
      command: 'anonymize',
      requestId: outcome.requestId,
      subject: { name: 'customer', key: 1 },
      database: DATABASE,
      detail: { suppressionsOf: outcome.id, kept: 2, suppressions: [1, 2] },
    });
    expect(store.suppressedSubjects([digest(2)], NOW)).toEqual(['customer']);
    expect(store.suppressedSubjects([digest(2)], NOW, 'employee')).toEqual([]);
    expect(store.suppressedSubjects([digest(3)], NOW)).toEqual([]);
    expect(store.suppressedSubjects([digest(2)], new Date('2026-07-01T00:00:00Z'))).toEqual([]);
    expect(verify()).toMatchObject({ ok: true, suppressions: 2 });
  });

  it('a failed erasure keeps none, and a prepared one counts as suppressed until its outcome is known', () => {
    const store = open();
    const intent = store.recordIntent(anonymizeIntent(1));
    store.prepareOutcome(intent, { tables: intent.tables, detail: null, suppressions: { subject: 'customer', digests: [digest(1)], expiresAt: null } });
    expect(store.suppressedSubjects([digest(1)], NOW)).toEqual(['customer']);
    store.recordOutcome(intent, { outcome: 'failed', tables: {} });
    expect(store.suppressedSubjects([digest(1)], NOW)).toEqual([]);
    expect(store.list().some((e) => e.action === 'suppression')).toBe(false);
  });

  it('pruning deletes what expired, or what the keepFor the map says now makes expired, with an event verify accepts', () => {
    const store = open();
    erase(store, 1, [digest(1)], '2026-05-01T00:00:00.000Z');
    erase(store, 2, [digest(2)], null);
    erase(store, 3, [digest(3)], '2027-01-01T00:00:00.000Z');
    expect(store.pruneSuppressions({ operator: 'dpo', command: 'housekeeping', requestId: 'r1', now: NOW, policies: [] })).toBe(1);
    expect(store.list().at(-1)).toMatchObject({
      action: 'suppression-prune',
      command: 'housekeeping',
      subject: null,
      detail: { pruned: 1, suppressions: [1] },
    });
    expect(store.pruneSuppressions({ operator: 'dpo', command: 'housekeeping', requestId: 'r2', now: NOW, policies: [] })).toBe(0);
    // The map's keepFor, shortened since: every hash of customer kept before its cutoff goes, whatever its own expiry.
    const policies = [{ subject: 'customer', keptBefore: new Date(Date.now() + 1000).toISOString(), databaseId: DATABASE.id }];
    expect(store.pruneSuppressions({ operator: 'dpo', command: 'housekeeping', requestId: 'r3', now: NOW, policies })).toBe(2);
    expect(store.suppressedSubjects([digest(2), digest(3)], NOW)).toEqual([]);
    expect(verify()).toMatchObject({ ok: true, suppressions: 0 });
  });

  it.each([
    ['an edited digest', `UPDATE suppression SET digest = '${'f'.repeat(64)}' WHERE id = 2`, /suppression hash 2 of entry \d+ was altered/],
    ['an edited expiry', `UPDATE suppression SET expires_at = NULL WHERE id = 1`, /suppression hash 1 of entry \d+ was altered/],
    ['a deleted hash', 'DELETE FROM suppression WHERE id = 2', /suppression hash 2 of entry \d+ was deleted/],
    [
      'a hash added by hand',
      "INSERT INTO suppression (id, subject, digest, at, audit_entry, hash) VALUES (9, 'customer', 'x', '2026-01-01', 1, 'y')",
      /suppression hash 9 is declared by no audit entry/,
    ],
  ])('%s is detected and named', (_what, statement, reason) => {
    erase(open(), 1, [digest(1), digest(2)], '2027-01-01T00:00:00.000Z');
    audit.closeAll();
    tamper(audit.path, statement);
    expect(verify()).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('a pruned hash put back is detected', () => {
    const store = open();
    erase(store, 1, [digest(1)], '2026-05-01T00:00:00.000Z');
    audit.closeAll();
    tamper(audit.path, 'CREATE TABLE saved AS SELECT * FROM suppression');
    open().pruneSuppressions({ operator: 'dpo', command: 'housekeeping', requestId: 'r', now: NOW, policies: [] });
    audit.closeAll();
    expect(verify()).toMatchObject({ ok: true });
    tamper(audit.path, 'INSERT INTO suppression SELECT * FROM saved');
    expect(verify()).toMatchObject({ ok: false, suppression: 1, reason: expect.stringMatching(/pruned by entry \d+ but is present again/) });
  });
});
