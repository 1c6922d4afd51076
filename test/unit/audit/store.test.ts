import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_SCHEMA_VERSION, AuditStore, GENESIS_HASH } from '../../../src/audit/index.js';
import { LetheError } from '../../../src/errors.js';
import { findEvent, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
let store: AuditStore | undefined;
let path: string;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, 'nested', '.lethe', 'audit.db');
});
afterEach(() => {
  store?.close();
  store = undefined;
  cleanup();
});

describe('AuditStore.open', () => {
  it('creates the file 0600 and its directories 0700', () => {
    store = AuditStore.open(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested', '.lethe')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
  });

  it('tightens an existing file that is readable by others', () => {
    const loose = join(dir, 'audit.db');
    writeFileSync(loose, '');
    chmodSync(loose, 0o644);
    store = AuditStore.open(loose);
    expect(statSync(loose).mode & 0o777).toBe(0o600);
  });

  it('records the schema version and reopens an existing store', () => {
    store = AuditStore.open(path);
    store.append(findEvent());
    store.close();
    store = AuditStore.open(path);
    expect(store.list()).toHaveLength(1);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(AUDIT_SCHEMA_VERSION);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
    raw.close();
  });

  it('refuses a store written by a newer lethe, and a file that is not a store', () => {
    const newer = join(dir, 'newer.db');
    const raw = new Database(newer);
    raw.pragma(`user_version = ${AUDIT_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => AuditStore.open(newer)).toThrow(/newer lethe/);

    const notADb = join(dir, 'notes.txt');
    writeFileSync(notADb, 'this is not a database, just some text that is long enough to have a header');
    expect(() => AuditStore.open(notADb)).toThrow(LetheError);
  });
});

describe('append, get, list', () => {
  it('round-trips an entry and fills id, at, prevHash and hash', () => {
    store = AuditStore.open(path);
    const input = findEvent({
      tables: {
        users: { action: 'read', rows: 1, keys: [42] },
        orders: { action: 'read', rows: 3, keyRange: [1, 9], keyDigest: 'ab'.repeat(32), columns: ['total'] },
      },
      detail: { matchedBy: ['email'], errorCode: null },
    });
    const first = store.append(input);
    expect(first).toMatchObject({ ...input, id: 1, intentId: null, prevHash: GENESIS_HASH });
    expect(first.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(store.get(1)).toEqual(first);
    expect(store.get(2)).toBeUndefined();

    const second = store.append(findEvent({ subject: { name: 'customer', key: 'c-7' } }));
    expect(second.id).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(store.list()).toEqual([first, second]);
  });

  it('filters by time, action, operator, command and request, with order and limit', () => {
    store = AuditStore.open(path);
    const a = store.append(findEvent({ operator: 'alice' }));
    const b = store.append(findEvent({ operator: 'bob', command: 'anonymize', action: 'anonymize' }));
    const c = store.append(findEvent({ operator: 'alice', command: 'sweep', action: 'anonymize-batch', subject: null }));
    expect(store.list({ operator: 'alice' }).map((e) => e.id)).toEqual([a.id, c.id]);
    expect(store.list({ action: 'anonymize' }).map((e) => e.id)).toEqual([b.id]);
    expect(store.list({ command: 'sweep' }).map((e) => e.id)).toEqual([c.id]);
    expect(store.list({ requestId: b.requestId }).map((e) => e.id)).toEqual([b.id]);
    expect(store.list({ order: 'desc', limit: 2 }).map((e) => e.id)).toEqual([c.id, b.id]);
    expect(store.list({ since: new Date(a.at) }).length).toBe(3);
    expect(store.list({ until: new Date(a.at) }).length).toBe(0);
    expect(store.list({ since: new Date(Date.now() + 60_000) })).toEqual([]);
    expect(() => store!.list({ since: new Date('not a date') })).toThrow(/since date/);
    expect(() => store!.list({ limit: 0 })).toThrow(/limit/);
  });

  it('iterates every entry in id order across pages', () => {
    store = AuditStore.open(path);
    for (let i = 0; i < 1001; i++) store.append(findEvent({ operator: i % 2 ? 'odd' : 'even' }));
    const ids = [...store.iterate()].map((e) => e.id);
    expect(ids).toEqual(Array.from({ length: 1001 }, (_, i) => i + 1));
    expect([...store.iterate({ operator: 'odd' })].length).toBe(500);
  });

  it('can append while an iteration is paused', () => {
    store = AuditStore.open(path);
    store.append(findEvent());
    const it = store.iterate();
    expect(it.next().value?.id).toBe(1);
    store.append(findEvent());
    expect(it.next().done).toBe(true);
  });

  it('refuses malformed entries instead of recording them', () => {
    store = AuditStore.open(path);
    expect(() => store!.append(findEvent({ phase: 'intent' }))).toThrow(/intent has no outcome/);
    expect(() => store!.append(findEvent({ outcome: null }))).toThrow(/outcome must be one of/);
    expect(() => store!.append(findEvent({ phase: 'outcome', intentId: 99 }))).toThrow(/not an intent/);
    expect(() => store!.append(findEvent({ tables: { users: { action: 'read', rows: 1.5 } } }))).toThrow(/rows/);
    expect(() => store!.append(findEvent({ operator: '' }))).toThrow(/operator/);
    expect(store.list()).toEqual([]);
  });

  it('leaves edits to the chain to detect: no trigger hides them behind an error', () => {
    store = AuditStore.open(path);
    store.append(findEvent());
    store.append(findEvent());
    const raw = new Database(path);
    raw.exec("UPDATE audit_entry SET operator = 'x' WHERE id = 2");
    raw.close();
    expect(store.verify()).toMatchObject({ ok: false, firstBadId: 2 });
  });

  it('counts matching entries and finds an outcome by its intent and an entry by its hash', () => {
    store = AuditStore.open(path);
    const a = store.append(findEvent({ operator: 'alice' }));
    store.append(findEvent({ operator: 'bob' }));
    expect(store.count()).toBe(2);
    expect(store.count({ operator: 'alice' })).toBe(1);
    expect(store.findByHash(a.hash)?.id).toBe(a.id);
    expect(store.findByHash('0'.repeat(64))).toBeUndefined();
    const intent = store.recordIntent({ ...findEvent(), command: 'anonymize', action: 'anonymize' });
    expect(store.outcomeOf(intent.id)).toBeUndefined();
    const outcome = store.recordOutcome(intent, { outcome: 'ok', tables: {} });
    expect(store.outcomeOf(intent.id)?.id).toBe(outcome.id);
  });

  it('names the entry whose JSON was edited instead of failing on a parse error', () => {
    store = AuditStore.open(path);
    store.append(findEvent());
    const raw = new Database(path);
    raw.exec("UPDATE audit_entry SET tables = '{oops' WHERE id = 1");
    raw.close();
    expect(() => store!.list()).toThrow(/Audit entry 1 cannot be read/);
  });
});

describe('schema versions', () => {
  /** A store as lethe 0.1 left it: schema 1, with the append-only triggers. */
  function versionOneStore(): void {
    AuditStore.open(path).close();
    const raw = new Database(path);
    raw.exec(`
      CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
    `);
    raw.pragma('user_version = 1');
    raw.close();
  }
  const triggers = () => {
    const raw = new Database(path, { readonly: true });
    try {
      return raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all();
    } finally {
      raw.close();
    }
  };

  it('a new store has no triggers', () => {
    store = AuditStore.open(path);
    expect(AUDIT_SCHEMA_VERSION).toBe(5);
    expect(triggers()).toEqual([]);
  });

  it('opening a version 1 store drops its triggers and moves it to the current version', () => {
    versionOneStore();
    expect(triggers()).toHaveLength(2);
    store = AuditStore.open(path);
    expect(triggers()).toEqual([]);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(AUDIT_SCHEMA_VERSION);
    raw.close();
  });

  it('read-only, a version 1 store is read as it is and left unchanged', () => {
    versionOneStore();
    store = AuditStore.open(path, { readOnly: true });
    expect(store.verify()).toMatchObject({ ok: true, entries: 0 });
    expect(triggers()).toHaveLength(2);
  });
});

describe('read-only', () => {
  it('never creates a store', () => {
    expect(() => AuditStore.open(path, { readOnly: true })).toThrow(/No audit store at/);
    expect(() => statSync(path)).toThrow();
  });

  it('reads and verifies, and refuses to append', () => {
    const writer = AuditStore.open(path);
    writer.append(findEvent());
    writer.close();
    store = AuditStore.open(path, { readOnly: true });
    expect(store.list()).toHaveLength(1);
    expect(store.verify()).toMatchObject({ ok: true, entries: 1 });
    expect(() => store!.append(findEvent())).toThrow(/Cannot write to the audit store/);
  });

  it('refuses an empty file and a newer store', () => {
    writeFileSync(join(dir, 'empty.db'), '');
    expect(() => AuditStore.open(join(dir, 'empty.db'), { readOnly: true })).toThrow(/empty or not a lethe audit store/);
    const newer = new Database(join(dir, 'newer.db'));
    newer.pragma(`user_version = ${AUDIT_SCHEMA_VERSION + 1}`);
    newer.close();
    expect(() => AuditStore.open(join(dir, 'newer.db'), { readOnly: true })).toThrow(/newer lethe/);
  });
});

describe('intents and outcomes', () => {
  const anonymizeIntent = (key: number, requestId = randomUUID()) => ({
    operator: 'dpo',
    command: 'anonymize',
    action: 'anonymize',
    requestId,
    subject: { name: 'customer', key },
    dryRun: false,
    tables: { users: { action: 'anonymize' as const, rows: 1, keys: [key], columns: ['email'] } },
  });

  it('records an outcome that refers to its intent and copies who and what', () => {
    store = AuditStore.open(path);
    const intent = store.recordIntent(anonymizeIntent(1));
    expect(intent).toMatchObject({ phase: 'intent', outcome: null, intentId: null });
    const outcome = store.recordOutcome(intent, { outcome: 'ok', tables: intent.tables, detail: { errorCode: null } });
    expect(outcome).toMatchObject({
      phase: 'outcome',
      intentId: intent.id,
      outcome: 'ok',
      requestId: intent.requestId,
      subject: intent.subject,
      operator: 'dpo',
    });
  });

  it('lists intents without an outcome as interrupted', () => {
    store = AuditStore.open(path);
    const done = store.recordIntent(anonymizeIntent(1));
    const killed = store.recordIntent(anonymizeIntent(2));
    store.recordOutcome(done, { outcome: 'ok', tables: done.tables });
    const failed = store.recordIntent(anonymizeIntent(3));
    store.recordOutcome(failed, { outcome: 'failed', tables: {}, detail: { errorCode: 'SQLITE_CONSTRAINT' } });
    const alsoKilled = store.recordIntent(anonymizeIntent(4));
    expect(store.interruptedJobs().map((e) => e.id)).toEqual([killed.id, alsoKilled.id]);
  });

  it('finds completed, real anonymizations of a subject, latest first', () => {
    store = AuditStore.open(path);
    const first = store.recordIntent(anonymizeIntent(7));
    const firstOk = store.recordOutcome(first, { outcome: 'ok', tables: first.tables });
    const dry = store.recordEvent({ ...anonymizeIntent(7), dryRun: true, outcome: 'ok' });
    const dryIntent = store.recordIntent({ ...anonymizeIntent(7), dryRun: true });
    store.recordOutcome(dryIntent, { outcome: 'ok', tables: {} });
    const failed = store.recordIntent(anonymizeIntent(7));
    store.recordOutcome(failed, { outcome: 'failed', tables: {} });
    store.recordOutcome(store.recordIntent(anonymizeIntent(8)), { outcome: 'ok', tables: {} });
    const again = store.recordIntent(anonymizeIntent(7));
    const againOk = store.recordOutcome(again, { outcome: 'ok', tables: {} });
    store.append(findEvent({ subject: { name: 'customer', key: 7 } }));

    expect(dry.phase).toBe('event');
    const found = store.findCompleted({ action: 'anonymize', subjectName: 'customer', subjectKey: 7 });
    expect(found.map((e) => e.id)).toEqual([againOk.id, firstOk.id]);
    // A key's type matters: the string '7' is a different row than the number 7.
    expect(store.findCompleted({ action: 'anonymize', subjectName: 'customer', subjectKey: '7' })).toEqual([]);
    expect(store.findCompleted({ action: 'anonymize', subjectName: 'employee', subjectKey: 7 })).toEqual([]);
  });

  it('refuses an outcome whose request differs from its intent', () => {
    store = AuditStore.open(path);
    const intent = store.recordIntent(anonymizeIntent(1));
    expect(() => store!.append({ ...anonymizeIntent(1), phase: 'outcome', intentId: intent.id, outcome: 'ok' })).toThrow(/not an intent of request/);
  });
});

describe('locking', () => {
  it('reports a store held by another writer as a LetheError, and records nothing', () => {
    store = AuditStore.open(path);
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    // Shorten the wait so the test does not sit out the full busy timeout.
    (store as unknown as { db: Database.Database }).db.pragma('busy_timeout = 50');
    expect(() => store!.append(findEvent())).toThrow(/Cannot write to the audit store .*SQLITE_BUSY.*Nothing was recorded/);
    holder.exec('ROLLBACK');
    holder.close();
    expect(store.append(findEvent()).id).toBe(1);
  });
});
