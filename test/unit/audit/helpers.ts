import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { AuditStore, type AuditStoreOptions, type NewAuditEntry } from '../../../src/audit/index.js';

/** A fresh temporary directory per test, removed afterwards. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lethe-audit-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Per test: a fresh audit file, and the stores opened on it, closed (and the file removed) afterwards. */
export function useAuditFile(): { readonly path: string; open(options?: AuditStoreOptions): AuditStore; closeAll(): void } {
  let cleanup = () => {};
  let path = '';
  const opened: AuditStore[] = [];
  beforeEach(() => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    path = join(temp.dir, 'audit.db');
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    cleanup();
  });
  return {
    get path() {
      return path;
    },
    open(options = {}) {
      const store = AuditStore.open(path, options);
      opened.push(store);
      return store;
    },
    closeAll() {
      for (const store of opened.splice(0)) store.close();
    },
  };
}

/** The fields of an anonymization's intent for customer `key` (the store adds phase and outcome). */
export function anonymizeIntent(key: number): Omit<NewAuditEntry, 'phase' | 'outcome' | 'intentId'> {
  return {
    operator: 'dpo',
    command: 'anonymize',
    action: 'anonymize',
    requestId: randomUUID(),
    subject: { name: 'customer', key },
    dryRun: false,
    tables: { users: { action: 'anonymize', rows: 1, keys: [key] } },
  };
}

export function findEvent(overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    operator: 'dpo',
    command: 'find',
    action: 'find',
    requestId: randomUUID(),
    phase: 'event',
    subject: { name: 'customer', key: 42 },
    dryRun: false,
    outcome: 'ok',
    tables: { users: { action: 'read', rows: 1, keys: [42] } },
    detail: null,
    ...overrides,
  };
}

/**
 * What someone with write access to the file can do: a plain connection. (Stores of
 * schema 1 had append-only triggers, which such a person simply drops first.)
 */
export function tamper(path: string, ...statements: string[]): void {
  const db = new Database(path);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_entry_no_update; DROP TRIGGER IF EXISTS audit_entry_no_delete;');
    for (const sql of statements) db.exec(sql);
  } finally {
    db.close();
  }
}
