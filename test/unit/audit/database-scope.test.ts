import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AUDIT_SCHEMA_VERSION, AuditStore, GENESIS_HASH, canonicalJson, type AuditDatabase } from '../../../src/audit/index.js';
import { TombstoneStore } from '../../../src/audit/tombstone-store.js';
import { auditCsvRecord } from '../../../src/core/audit-report.js';
import { anonymizeIntent, findEvent, tamper, useAuditFile } from './helpers.js';

const A: AuditDatabase = { id: '11111111-1111-4111-8111-111111111111', label: 'SQLite file /srv/a.db' };
const B: AuditDatabase = { id: '22222222-2222-4222-8222-222222222222', label: 'PostgreSQL at db.example.com:5432/crm' };

const audit = useAuditFile();
const open = (options: Parameters<typeof AuditStore.open>[1] = {}): AuditStore => audit.open(options);

function anonymize(store: AuditStore, key: number) {
  const intent = store.recordIntent(anonymizeIntent(key));
  return store.recordOutcome(intent, { outcome: 'ok', tables: intent.tables });
}

describe('a store scoped to a database', () => {
  it('records the database on every entry, under the hash', () => {
    const store = open({ key: 'k', database: A });
    const entry = store.append(findEvent());
    expect(entry.database).toEqual(A);
    expect(store.get(entry.id)).toEqual(entry);
    expect(open({ key: 'k' }).verify()).toMatchObject({ ok: true, entries: 1 });

    tamper(audit.path, `UPDATE audit_entry SET database_label = 'SQLite file /srv/b.db' WHERE id = 1`);
    expect(open({ key: 'k' }).verify()).toMatchObject({ ok: false, firstBadId: 1, reason: expect.stringMatching(/entry 1 does not match its hash/) });
    tamper(audit.path, `UPDATE audit_entry SET database_label = '${A.label}', database_id = NULL WHERE id = 1`);
    expect(open({ key: 'k' }).verify()).toMatchObject({ ok: false, firstBadId: 1 });
    tamper(audit.path, `UPDATE audit_entry SET database_id = '${B.id}' WHERE id = 1`);
    expect(open({ key: 'k' }).verify()).toMatchObject({ ok: false, firstBadId: 1 });
  });

  it('an unscoped store writes entries without a database, hashed as before', () => {
    const entry = open().append(findEvent());
    expect(entry).not.toHaveProperty('database');
    expect(JSON.parse(JSON.stringify(entry))).not.toHaveProperty('database');
  });

  it("findCompleted sees only its own database's erasures; list, iterate and verify see all", () => {
    const a = open({ database: A });
    const b = open({ database: B });
    const inA = anonymize(a, 1);
    expect(b.findCompleted({ action: 'anonymize', subjectName: 'customer', subjectKey: 1 })).toEqual([]);
    expect(a.findCompleted({ action: 'anonymize', subjectName: 'customer', subjectKey: 1 }).map((e) => e.id)).toEqual([inA.id]);
    const inB = anonymize(b, 1);
    expect(b.findCompleted({ action: 'anonymize', subjectName: 'customer', subjectKey: 1 }).map((e) => e.id)).toEqual([inB.id]);
    expect(a.findCompleted({ action: 'anonymize', subjectName: 'customer', subjectKey: 1 }).map((e) => e.id)).toEqual([inA.id]);

    const auditor = open({ readOnly: true });
    expect(auditor.list().map((e) => e.database?.label)).toEqual([A.label, A.label, B.label, B.label]);
    expect([...auditor.iterate()]).toHaveLength(4);
    expect(auditor.findCompleted({ action: 'anonymize', subjectName: 'customer', subjectKey: 1 }).map((e) => e.id)).toEqual([inB.id, inA.id]);
    expect(auditor.verify()).toMatchObject({ ok: true, entries: 4 });
  });

  it('entries without a database (written before lethe recorded it) are not taken for this database', () => {
    const legacy = anonymize(open(), 1);
    expect(open({ database: A }).findCompleted({ action: 'anonymize', subjectName: 'customer', subjectKey: 1 })).toEqual([]);
    expect(
      open()
        .findCompleted({ action: 'anonymize', subjectName: 'customer', subjectKey: 1 })
        .map((e) => e.id),
    ).toEqual([legacy.id]);
  });

  it('knows the id it last recorded for a database at a given place', () => {
    expect(AuditStore.lastDatabaseIdAt(audit.path, A.label)).toBeUndefined(); // no store yet
    open().append(findEvent());
    expect(AuditStore.lastDatabaseIdAt(audit.path, A.label)).toBeUndefined();
    open({ database: A }).append(findEvent());
    open({ database: B }).append(findEvent());
    expect(AuditStore.lastDatabaseIdAt(audit.path, A.label)).toBe(A.id);
    const replaced = { id: '44444444-4444-4444-8444-444444444444', label: A.label };
    open({ database: replaced }).append(findEvent());
    expect(AuditStore.lastDatabaseIdAt(audit.path, A.label)).toBe(replaced.id);
    expect(AuditStore.lastDatabaseIdAt(audit.path, 'SQLite file /elsewhere.db')).toBeUndefined();
  });

  it('the CSV export names the database of each entry, in columns at the end', () => {
    const scoped = open({ database: B }).append(findEvent());
    const plain = open().append(findEvent());
    const record = auditCsvRecord(scoped);
    expect(Object.keys(record).slice(-2)).toEqual(['database', 'database_id']);
    expect(record).toMatchObject({ database: B.label, database_id: B.id });
    expect(auditCsvRecord(plain)).toMatchObject({ database: '', database_id: '' });
  });
});

describe('tombstones of several databases', () => {
  it('are found only in their own database, while tombstones from before lethe recorded the database are found in any', () => {
    const a = TombstoneStore.open(open({ key: 'k', database: A }), 'k');
    const b = TombstoneStore.open(open({ key: 'k', database: B }), 'k');
    const digest = a.digest('customer', 'email', 'jane.doe@example.com');
    expect(b.digest('customer', 'email', 'jane.doe@example.com')).toBe(digest);
    const erasure = anonymize(open({ key: 'k', database: A }), 1);
    a.record('customer', [digest], erasure.at, erasure.id);
    expect(a.find('customer', [digest])).toEqual({ subject: 'customer', at: erasure.at, auditEntry: erasure.id, databaseId: A.id });
    expect(b.find('customer', [digest])).toBeUndefined();

    // A row as lethe wrote it before schema 3: no database, no hash.
    tamper(audit.path, `INSERT INTO tombstone (subject, digest, at, audit_entry) VALUES ('customer', '${digest}', '2026-01-01T00:00:00.000Z', 1)`);
    expect(b.find('customer', [digest])).toMatchObject({ databaseId: null, auditEntry: 1 });
  });
});

describe('a store of schema 2', () => {
  /** An entry hashed the way lethe 0.1 hashed it, independently of chain.ts. */
  function v2Entry(id: number, prevHash: string, overrides: Record<string, unknown> = {}) {
    const entry = {
      id,
      at: `2026-01-0${id}T10:00:00.000Z`,
      operator: 'dpo',
      command: 'anonymize',
      action: 'anonymize',
      requestId: `request-${id}`,
      phase: 'event',
      intentId: null,
      subject: { key: 1, name: 'customer' },
      dryRun: false,
      outcome: 'ok',
      tables: { users: { action: 'anonymize', rows: 1, keys: [1] } },
      detail: null,
      prevHash,
      ...overrides,
    };
    return { ...entry, hash: createHash('sha256').update(canonicalJson(entry)).digest('hex') };
  }

  /** Written by hand with the schema of lethe 0.1 (version 2), with a tombstone as TombstoneStore wrote it. */
  function versionTwoStore(): [ReturnType<typeof v2Entry>, ReturnType<typeof v2Entry>] {
    const db = new Database(audit.path);
    db.exec(`
      CREATE TABLE audit_entry (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, operator TEXT NOT NULL, command TEXT NOT NULL, action TEXT NOT NULL,
        request_id TEXT NOT NULL, phase TEXT NOT NULL, intent_id INTEGER, subject TEXT, dry_run INTEGER NOT NULL,
        outcome TEXT, tables TEXT NOT NULL, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
      );
      CREATE INDEX audit_entry_at ON audit_entry (at);
      CREATE INDEX audit_entry_intent ON audit_entry (intent_id);
      CREATE INDEX audit_entry_subject ON audit_entry (json_extract(subject, '$.name'), json_extract(subject, '$.key'));
      CREATE TABLE audit_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO audit_meta VALUES ('chain', 'sha256');
      CREATE TABLE tombstone (id INTEGER PRIMARY KEY, subject TEXT NOT NULL, digest TEXT NOT NULL, at TEXT NOT NULL, audit_entry INTEGER NOT NULL);
      CREATE INDEX tombstone_digest ON tombstone (digest);
      INSERT INTO tombstone (subject, digest, at, audit_entry) VALUES ('customer', '${'d'.repeat(64)}', '2026-01-01T10:00:00.000Z', 1);
    `);
    db.pragma('user_version = 2');
    const first = v2Entry(1, GENESIS_HASH);
    const second = v2Entry(2, first.hash, { command: 'find', action: 'find', tables: {}, subject: null });
    const insert = db.prepare(
      `INSERT INTO audit_entry VALUES (@id, @at, @operator, @command, @action, @requestId, @phase, @intentId, @subject, @dryRun, @outcome, @tables, @detail, @prevHash, @hash)`,
    );
    for (const entry of [first, second]) {
      insert.run({ ...entry, subject: entry.subject && JSON.stringify(entry.subject), dryRun: 0, tables: JSON.stringify(entry.tables), detail: null });
    }
    db.close();
    return [first, second];
  }

  const version = () => {
    const db = new Database(audit.path, { readonly: true });
    try {
      return db.pragma('user_version', { simple: true });
    } finally {
      db.close();
    }
  };

  it('is read as it is, read-only: listed without a database, verified, left at version 2', () => {
    const [first, second] = versionTwoStore();
    const store = open({ readOnly: true });
    expect(store.list().map((e) => e.hash)).toEqual([first.hash, second.hash]);
    expect(store.get(1)).not.toHaveProperty('database');
    expect(store.verify()).toEqual({ ok: true, entries: 2, lastHash: second.hash, tombstones: 0, legacyTombstones: 1, suppressions: 0 });
    expect(version()).toBe(2);
  });

  it('is migrated, never discarded: old entries keep their hashes, new ones record the database and chain on', () => {
    const [first, second] = versionTwoStore();
    const store = open({ database: A });
    expect(version()).toBe(AUDIT_SCHEMA_VERSION);
    expect(store.list().map((e) => e.hash)).toEqual([first.hash, second.hash]);
    const next = anonymize(store, 2);
    expect(next.database).toEqual(A);
    expect(store.get(next.intentId!)!.prevHash).toBe(second.hash);
    const tombstones = TombstoneStore.open(store, 'k');
    tombstones.record('customer', ['e'.repeat(64)], next.at, next.id);
    expect(open({ readOnly: true }).verify()).toMatchObject({ ok: true, entries: 5, tombstones: 1, legacyTombstones: 1 });
    // The old tombstone still counts, in any database; the new one only in its own.
    expect(tombstones.find('customer', ['d'.repeat(64)])).toMatchObject({ auditEntry: 1, databaseId: null });
    expect(TombstoneStore.open(open({ database: B }), 'k').find('customer', ['e'.repeat(64)])).toBeUndefined();
    // Opening again changes nothing.
    open({ database: B }).close();
    expect(open({ readOnly: true }).verify()).toMatchObject({ ok: true, entries: 5 });
  });

  it('a store of version 1 that gained the new columns early is migrated all the same', () => {
    open().append(findEvent());
    audit.closeAll();
    const raw = new Database(audit.path);
    raw.pragma('user_version = 1');
    raw.close();
    expect(open({ database: A }).append(findEvent()).database).toEqual(A);
    expect(version()).toBe(AUDIT_SCHEMA_VERSION);
    expect(open().verify()).toMatchObject({ ok: true, entries: 2 });
  });
});
