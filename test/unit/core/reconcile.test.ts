import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentOwner, ownerEnded } from '../../../src/audit/job-owner.js';
import { openDatabase } from '../../../src/db/connect.js';
import { ensureCommitTable, markCommitted, wasCommitted } from '../../../src/db/commit-marker.js';
import { reconcileInterrupted } from '../../../src/core/reconcile.js';
import { anonymizeIntent, useAuditFile } from '../audit/helpers.js';

/** Which interrupted intents the next command completes, and how: the database decides, not a guess. */
describe('reconcileInterrupted', () => {
  const file = useAuditFile();
  let dir: string;
  let knex: Knex;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lethe-reconcile-'));
    new Database(join(dir, 'db.sqlite')).close();
    knex = openDatabase({ client: 'sqlite', connection: join(dir, 'db.sqlite') });
    await ensureCommitTable(knex);
  });
  afterEach(async () => {
    await knex?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const tombstones = { subject: 'customer', digests: ['a'.repeat(64), 'b'.repeat(64)] };
  const setOwner = (owner: object) => {
    const db = new Database(file.path);
    db.prepare('UPDATE pending_outcome SET owner = ?').run(JSON.stringify(owner));
    db.close();
  };

  it('completes a committed change as applied, with its prepared outcome and tombstones, even while its job still runs; the job then adds nothing', async () => {
    const audit = file.open();
    const intent = audit.recordIntent(anonymizeIntent(7));
    await knex.transaction(async (trx) => {
      await markCommitted(trx, intent.hash);
      audit.prepareOutcome(intent, { tables: { customers: { action: 'anonymize', rows: 1, keys: [7] } }, detail: { mentions: ['notes.body:3'] }, tombstones });
    });
    expect(await reconcileInterrupted(knex, audit)).toEqual({ applied: [intent.id], notApplied: [] });
    const outcome = audit.outcomeOf(intent.id)!;
    expect(outcome).toMatchObject({ outcome: 'ok', tables: { customers: { rows: 1, keys: [7] } }, detail: { mentions: ['notes.body:3'], reconciled: true } });
    expect(audit.findTombstone('customer', [tombstones.digests[0]!])).toMatchObject({ auditEntry: outcome.id });
    expect(await wasCommitted(knex, intent.hash)).toBe(false);

    // The job, still alive, writes its outcome late: it gets the one recorded, and no second set of tombstones.
    const late = audit.recordOutcome(intent, { outcome: 'ok', tables: {}, detail: null });
    expect(late.id).toBe(outcome.id);
    expect(audit.list().filter((e) => e.action === 'tombstone')).toHaveLength(1);
    expect(audit.verify().ok).toBe(true);
  });

  it('leaves an uncommitted intent alone while its process may still run', async () => {
    const audit = file.open();
    const intent = audit.recordIntent(anonymizeIntent(8));
    expect(await reconcileInterrupted(knex, audit)).toEqual({ applied: [], notApplied: [] });
    expect(audit.outcomeOf(intent.id)).toBeUndefined();
    setOwner({ ...currentOwner(), host: 'another-host' });
    expect(await reconcileInterrupted(knex, audit)).toEqual({ applied: [], notApplied: [] });
  });

  it('completes an uncommitted intent as not applied once its process has ended (another boot, a PID reused, PID 1 of another namespace)', async () => {
    const me = currentOwner();
    for (const owner of [
      { ...me, bootId: '00000000-0000-0000-0000-000000000000' },
      { ...me, startTicks: (me.startTicks ?? 0) + 1 },
      { ...me, pid: 1, startTicks: 1 },
      { ...me, pid: 2 ** 22 + 1 },
    ]) {
      expect(ownerEnded(owner)).toBe(true);
      const audit = file.open();
      const intent = audit.recordIntent(anonymizeIntent(9));
      setOwner(owner);
      expect((await reconcileInterrupted(knex, audit)).notApplied).toEqual([intent.id]);
      expect(audit.outcomeOf(intent.id)).toMatchObject({ outcome: 'failed', detail: { reconciled: true, applied: false } });
      expect(audit.findTombstone('customer', tombstones.digests)).toBeUndefined();
    }
    expect(ownerEnded(me)).toBe(false);
  });
});
