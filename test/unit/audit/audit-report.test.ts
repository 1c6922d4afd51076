import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditStore, canonicalJson, type AuditEntry } from '../../../src/audit/index.js';
import {
  AUDIT_CSV_COLUMNS,
  MAX_KEYS_CELL,
  auditCsvRecord,
  auditTrailIntact,
  checkAuditTrail,
  exportAuditTrailToFile,
  openAuditTrail,
  parseAuditTime,
  readAuditSettings,
  writeAuditExport,
} from '../../../src/core/audit-report.js';
import { findEvent, tamper, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
let path: string;
const opened: AuditStore[] = [];

function open(options: { key?: string; readOnly?: boolean } = {}): AuditStore {
  const store = AuditStore.open(path, options);
  opened.push(store);
  return store;
}

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, '.lethe', 'audit.db');
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  cleanup();
});

/** A find, an anonymization (intent and outcome) and a sweep batch, as the commands write them. */
function fillTypical(store: AuditStore): AuditEntry[] {
  const find = store.append(
    findEvent({
      tables: { users: { action: 'read', rows: 1, keys: [1] }, messages: { action: 'read', rows: 3, keys: [4, 5, 6] } },
      detail: { matchedBy: ['email'] },
    }),
  );
  const requestId = randomUUID();
  const intent = store.recordIntent({
    operator: 'dpo',
    command: 'anonymize',
    action: 'anonymize',
    requestId,
    subject: { name: 'customer', key: 1 },
    dryRun: false,
    tables: { users: { action: 'anonymize', rows: 1, keys: [1], columns: ['email', 'full_name'] }, messages: { action: 'anonymize', rows: 16, keys: [4, 5] } },
  });
  const outcome = store.recordOutcome(intent, { outcome: 'ok', tables: intent.tables });
  const batch = store.append({
    operator: 'cron',
    command: 'sweep',
    action: 'anonymize-batch',
    requestId: randomUUID(),
    phase: 'event',
    subject: null,
    dryRun: true,
    outcome: 'ok',
    tables: { messages: { action: 'anonymize', rows: 1000, keyRange: [10, 2000], keyDigest: 'ab'.repeat(32) } },
  });
  return [find, intent, outcome, batch];
}

describe('parseAuditTime', () => {
  it('reads a day as UTC midnight; a day given to until includes that day', () => {
    expect(parseAuditTime('2026-03-01', 'since')?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseAuditTime('2026-12-31', 'until')?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('reads ISO 8601 times, as UTC when no zone is named', () => {
    expect(parseAuditTime('2026-03-01T09:30:00Z', 'since')?.toISOString()).toBe('2026-03-01T09:30:00.000Z');
    expect(parseAuditTime('2026-03-01T09:30', 'until')?.toISOString()).toBe('2026-03-01T09:30:00.000Z');
    expect(parseAuditTime('2026-03-01T09:30:15.250+02:00', 'since')?.toISOString()).toBe('2026-03-01T07:30:15.250Z');
    expect(parseAuditTime('2026-03-01T09:30:00-0500', 'since')?.toISOString()).toBe('2026-03-01T14:30:00.000Z');
  });

  it('refuses what is not a date, and days that do not exist', () => {
    for (const text of ['yesterday', '01/03/2026', '2026-02-30', '2026-13-01', '2026-03-01T25:00', '', '2026-3-1']) {
      expect(parseAuditTime(text, 'since'), text).toBeUndefined();
    }
  });
});

describe('auditCsvRecord', () => {
  it('flattens tables, keys, ranges, columns and detail into text cells', () => {
    const [find, intent, outcome, batch] = fillTypical(open());
    expect(auditCsvRecord(find!)).toMatchObject({
      id: 1,
      phase: 'event',
      outcome: 'ok',
      dry_run: 'false',
      intent_id: '',
      subject_type: 'customer',
      subject_key: 42,
      tables: 'messages:read:3; users:read:1',
      rows: 4,
      keys: 'messages: 4,5,6; users: 1',
      columns: '',
      detail: '{"matchedBy":["email"]}',
    });
    expect(auditCsvRecord(intent!)).toMatchObject({
      outcome: '',
      phase: 'intent',
      columns: 'users: email,full_name',
      tables: 'messages:anonymize:16; users:anonymize:1',
    });
    expect(auditCsvRecord(outcome!)).toMatchObject({ intent_id: intent!.id, phase: 'outcome' });
    expect(auditCsvRecord(batch!)).toMatchObject({
      subject_type: '',
      subject_key: '',
      dry_run: 'true',
      keys: `messages: 10..2000 sha256=${'ab'.repeat(32)}`,
      detail: '',
    });
    expect(Object.keys(auditCsvRecord(find!))).toEqual([...AUDIT_CSV_COLUMNS]);
  });

  it('cuts a key list too long for a spreadsheet cell on a whole key, and says so', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => 100_000 + i);
    const entry = open().append(findEvent({ tables: { messages: { action: 'read', rows: keys.length, keys } } }));
    const cell = String(auditCsvRecord(entry).keys);
    expect(cell.length).toBeLessThan(MAX_KEYS_CELL + 100);
    expect(cell).toMatch(/,\d{6} … \(cut: the JSON export has every key\)$/);
  });
});

async function exportToString(store: AuditStore, options: Parameters<typeof writeAuditExport>[2]): Promise<{ text: string; count: number }> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const count = await writeAuditExport(store, sink, options);
  return { text: Buffer.concat(chunks).toString('utf8'), count };
}

describe('writeAuditExport', () => {
  it('CSV: the documented header, then one RFC 4180 row per entry', async () => {
    const store = open();
    const entries = fillTypical(store);
    const { text, count } = await exportToString(store, { format: 'csv' });
    expect(count).toBe(4);
    expect(text.split('\r\n')[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => Number(r.id))).toEqual(entries.map((e) => e.id));
    expect(rows[0]).toMatchObject({ at: entries[0]!.at, tables: 'messages:read:3; users:read:1', hash: entries[0]!.hash });
  });

  it('CSV: a text cell that would start a formula gets a leading apostrophe', async () => {
    const store = open();
    store.append(findEvent({ operator: '=HYPERLINK("http://x","y")', subject: { name: 'customer', key: '+1-555' } }));
    store.append(findEvent({ operator: '@SUM(A1)', subject: { name: 'customer', key: -7 } }));
    store.append(findEvent({ operator: '-2+3', action: '\tcmd' }));
    const rows = parse((await exportToString(store, { format: 'csv' })).text, { columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ operator: `'=HYPERLINK("http://x","y")`, subject_key: `'+1-555` });
    // A negative number stays a number.
    expect(rows[1]).toMatchObject({ operator: `'@SUM(A1)`, subject_key: '-7' });
    expect(rows[2]).toMatchObject({ operator: `'-2+3`, action: `'\tcmd` });
  });

  it('JSON lines: one entry per line, exactly as stored, filtered', async () => {
    const store = open();
    const entries = fillTypical(store);
    const { text, count } = await exportToString(store, { format: 'json', filter: { operator: 'dpo' } });
    const lines = text.trimEnd().split('\n');
    expect(count).toBe(3);
    expect(lines.map((l) => JSON.parse(l))).toEqual(entries.filter((e) => e.operator === 'dpo'));
    expect(canonicalJson(JSON.parse(lines[0]!))).toBe(canonicalJson(entries[0]));
  });

  it('streams: a long trail goes through a slow reader page by page', async () => {
    const store = open();
    for (let i = 0; i < 600; i++) store.append(findEvent());
    const sink = new PassThrough({ highWaterMark: 1024 });
    let bytes = 0;
    sink.on('data', (chunk: Buffer) => {
      sink.pause();
      bytes += chunk.length;
      setImmediate(() => sink.resume());
    });
    expect(await writeAuditExport(store, sink, { format: 'csv' })).toBe(600);
    expect(bytes).toBeGreaterThan(600 * 200);
  });
});

describe('exportAuditTrailToFile', () => {
  it('creates the file 0600; an existing file only with replace, replaced rather than reused', async () => {
    const store = open();
    fillTypical(store);
    const out = join(dir, 'audit.csv');
    writeFileSync(out, 'old');
    chmodSync(out, 0o644);
    await expect(exportAuditTrailToFile(store, out, { format: 'csv' })).rejects.toMatchObject({ code: 'output-exists', exitCode: 2 });
    expect(readFileSync(out, 'utf8')).toBe('old');
    expect(await exportAuditTrailToFile(store, out, { format: 'csv', replace: true })).toBe(4);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('refuses a directory and a missing directory, leaving nothing behind', async () => {
    const store = open();
    const before = readdirSync(dir);
    await expect(exportAuditTrailToFile(store, dir, { format: 'csv', replace: true })).rejects.toThrow(/is a directory/);
    await expect(exportAuditTrailToFile(store, join(dir, 'nope', 'a.csv'), { format: 'csv' })).rejects.toThrow(/the directory .*nope does not exist/);
    expect(readdirSync(dir)).toEqual(before);
  });
});

describe('checkAuditTrail', () => {
  it('reports the head, the chain mode and the jobs that never completed', () => {
    const store = open({ key: 'k' });
    const entries = fillTypical(store);
    const killed = store.recordIntent({
      operator: 'cron',
      command: 'sweep',
      action: 'sweep',
      requestId: randomUUID(),
      subject: null,
      dryRun: false,
      tables: {},
    });
    const check = checkAuditTrail(open({ key: 'k', readOnly: true }));
    expect(check).toMatchObject({ chain: 'hmac-sha256', verification: { ok: true, entries: 5, lastHash: killed.hash } });
    expect(check.interrupted.map((e) => e.id)).toEqual([killed.id]);
    expect(auditTrailIntact(check)).toBe(true);
    expect(entries).toHaveLength(4);
  });

  it('an anchor must still be in the chain: removing the newest entries is caught', () => {
    const store = open();
    const entries = fillTypical(store);
    const anchor = entries.at(-1)!.hash;
    expect(auditTrailIntact(checkAuditTrail(store, { anchor }))).toBe(true);
    tamper(path, `DELETE FROM audit_entry WHERE id = ${entries.at(-1)!.id}`);
    const check = checkAuditTrail(open({ readOnly: true }), { anchor: anchor.toUpperCase() });
    expect(check.verification.ok).toBe(true);
    expect(check.anchor).toEqual({ hash: anchor, entry: null });
    expect(auditTrailIntact(check)).toBe(false);
  });
});

describe('readAuditSettings and openAuditTrail', () => {
  const mapWith = (database: string, extra = '') => {
    const file = join(dir, 'lethe.yml');
    writeFileSync(
      file,
      `database:\n${database}\naudit:\n  path: ./trail/audit.db\nsecrets:\n  key: \${AUDIT_TEST_KEY:-fallback}\n${extra}subjects:\n  customer:\n    table: users\n    identifiers: { id: { column: id } }\ntables:\n  users:\n    columns: { id: keep }\n`,
    );
    return file;
  };

  it('reads audit.path (relative to the map) and secrets.key', async () => {
    const file = mapWith('  client: sqlite\n  connection: ./demo.db');
    expect(await readAuditSettings(file, {})).toEqual({ file, auditPath: join(dir, 'trail', 'audit.db'), key: 'fallback' });
    expect((await readAuditSettings(file, { AUDIT_TEST_KEY: 'k2' })).key).toBe('k2');
  });

  it('tolerates problems outside audit and secrets: an unset database URL, a bad table', async () => {
    const file = mapWith('  client: postgres\n  connection: ${NO_SUCH_DATABASE_URL}', 'bogus: true\n');
    expect(await readAuditSettings(file, {})).toEqual({ file, auditPath: join(dir, 'trail', 'audit.db'), key: 'fallback' });
  });

  it('reports problems in audit or secrets with their dot path', async () => {
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'database: { client: sqlite, connection: x.db }\naudit: { path: "", where: 1 }\nsecrets: { key: "${UNSET_KEY}" }\n');
    const error = await readAuditSettings(file, {}).catch((e: Error) => e);
    expect(String(error)).toMatch(/3 problems/);
    expect(String(error)).toMatch(/- audit\.path: /);
    expect(String(error)).toMatch(/- audit: unknown key "where"/);
    expect(String(error)).toMatch(/- secrets\.key: environment variable UNSET_KEY is not set/);
    writeFileSync(file, 'database: [');
    await expect(readAuditSettings(file, {})).rejects.toThrow(/not valid YAML/);
  });

  it('opens the store read-only and never creates it', async () => {
    const file = mapWith('  client: sqlite\n  connection: ./demo.db');
    await expect(openAuditTrail(file, {})).rejects.toThrow(/No audit store at .*trail\/audit\.db/);
    path = join(dir, 'trail', 'audit.db');
    open({ key: 'fallback' }).append(findEvent());
    const store = await openAuditTrail(file, {});
    opened.push(store);
    expect(store.verify()).toMatchObject({ ok: true, entries: 1 });
    expect(() => store.append(findEvent())).toThrow(/Cannot write/);
  });
});
