import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestKeys } from '../../../src/audit/index.js';
import { exportPerson, type ExportOptions } from '../../../src/core/export.js';
import { OutputClosedError } from '../../../src/core/export-files.js';
import { portableTime, portableValue } from '../../../src/core/export-tables.js';
import type { Session } from '../../../src/core/session.js';
import { InterruptedError, NothingMatchedError, UsageError } from '../../../src/errors.js';
import { describeEachDatabase } from '../../support/databases.js';
import { shopMap, useShopSession } from '../../support/workspace.js';

/** The shop map with retention periods and a column left out of exports (another person's words). */
const exportMap = shopMap
  .replace(
    '      created_at: keep\n  notes:',
    '      created_at: keep\n    retention: { inactiveFor: 24 months, activity: [users.created_at, notes.created_at] }\n  notes:',
  )
  .replace(
    '      body: { category: content, strategy: redact }\n      created_at: keep\n',
    '      body: { category: content, strategy: redact }\n      created_at: keep\n    retention: { timestamp: created_at, anonymizeAfter: 24 months, deleteAfter: P5Y }\n',
  )
  .replace('      subject: keep\n', '      subject: { strategy: keep, export: false }\n');

interface ExportDocument {
  subject: { name: string; table: string; key: unknown };
  exportedAt: string;
  requestId: string;
  tables: Record<
    string,
    { retention: Record<string, unknown> | null; columns: Record<string, { category: string | null; personal: boolean }>; rows: Record<string, unknown>[] }
  >;
}

describeEachDatabase('export', (target) => {
  const shop = useShopSession(target);
  let session: Session;
  let out: string;

  beforeEach(async () => {
    expect(exportMap).toContain('export: false');
    expect(exportMap).toContain('deleteAfter: P5Y');
    await shop.workspace.writeMap(exportMap);
    session = await shop.workspace.session();
    out = await mkdtemp(path.join(os.tmpdir(), 'lethe-export-'));
  });
  afterEach(async () => {
    await session?.close();
    await rm(out, { recursive: true, force: true });
  });

  const toFile = async (value: string, options: Partial<ExportOptions> = {}) => {
    const file = path.join(out, 'export.json');
    const result = await exportPerson(session, value, { format: 'json', destination: { kind: 'file', path: file }, ...options });
    return { result, file, doc: JSON.parse(await readFile(file, 'utf8')) as ExportDocument };
  };

  const ids = (doc: ExportDocument, table: string) => doc.tables[table]!.rows.map((r) => Number(r.id));

  it('writes one JSON document with the subject, the time, and per table its rows, column categories and retention', async () => {
    const now = new Date('2026-05-01T12:00:00.000Z');
    const { result, file, doc } = await toFile('jane.doe@example.com', { now });
    expect(doc.subject).toEqual({ name: 'customer', table: 'users', key: 1 });
    expect(doc.exportedAt).toBe('2026-05-01T12:00:00.000Z');
    expect(doc.requestId).toBe(result.requestId);
    expect(Object.keys(doc.tables)).toEqual(['users', 'notes', 'tickets', 'orders', 'ticket_events']);
    expect(doc.tables.users!.rows).toEqual([
      {
        id: 1,
        email: 'Jane.Doe@Example.com ',
        full_name: 'Jane Doe',
        phone: '+44 20 7946 0958',
        birth_date: '1987-06-15',
        country: 'GB',
        created_at: '2020-01-02 10:00:00',
      },
    ]);
    expect(ids(doc, 'notes')).toEqual([1, 2]);
    expect(doc.tables.notes!.rows[0]!.body).toContain('jane.doe@example.com about ORD-2024-001234');
    expect(ids(doc, 'tickets')).toEqual([1]);
    expect(ids(doc, 'ticket_events')).toEqual([1, 2]);
    expect(ids(doc, 'orders')).toEqual([1, 2]);

    expect(doc.tables.users!.columns).toEqual({
      id: { category: null, personal: false },
      email: { category: 'contact.email', personal: true },
      full_name: { category: 'name', personal: true },
      phone: { category: 'contact.phone', personal: true },
      birth_date: { category: 'demographic', personal: true },
      country: { category: null, personal: false },
      created_at: { category: null, personal: false },
    });
    expect(doc.tables.orders!.columns.card_number).toEqual({ category: 'financial', personal: true });

    expect(doc.tables.notes!.retention).toEqual({ timestamp: 'created_at', anonymizeAfter: '24 months', deleteAfter: 'P5Y' });
    expect(doc.tables.users!.retention).toEqual({ inactiveFor: '24 months', activity: ['users.created_at', 'notes.created_at'] });
    expect(doc.tables.orders!.retention).toBeNull();

    expect(result).toMatchObject({ format: 'json', files: [file], subject: { name: 'customer', key: 1, matchedBy: ['email'] } });
    expect(result.tables).toEqual([
      { table: 'users', rows: 1 },
      { table: 'notes', rows: 2 },
      { table: 'tickets', rows: 1 },
      { table: 'orders', rows: 2 },
      { table: 'ticket_events', rows: 2 },
    ]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(out)).toEqual(['export.json']);
  });

  it('leaves out the columns the map marks export: false, from the description and from every row', async () => {
    const { doc } = await toFile('jane.doe@example.com');
    expect(Object.keys(doc.tables.tickets!.columns)).toEqual(['id', 'user_id']);
    expect(doc.tables.tickets!.rows).toEqual([{ id: 1, user_id: 1 }]);
    expect(JSON.stringify(doc)).not.toContain('Refund');
  });

  it('lists a table reached through the links even when the person has no rows in it', async () => {
    await shop.database.knex('ticket_events').where('ticket_id', 1).delete();
    const { doc } = await toFile('1', { by: 'id' });
    expect(doc.tables.ticket_events).toMatchObject({ rows: [], columns: { kind: { category: null, personal: false } } });
  });

  it('reads in keyset pages: any page size gives the same rows, in primary-key order', async () => {
    await shop.database.knex.batchInsert(
      'notes',
      Array.from({ length: 45 }, (_, i) => ({ id: 100 + i, user_id: i % 3 === 0 ? 2 : 1, body: `note ${i}, "quoted"`, created_at: '2025-01-01 00:00:00' })),
      20,
    );
    const whole = (await toFile('1', { by: 'id' })).doc;
    await rm(path.join(out, 'export.json'));
    const paged = (await toFile('1', { by: 'id', pageSize: 4 })).doc;
    expect(paged.tables).toEqual(whole.tables);
    expect(ids(paged, 'notes')).toEqual([
      1,
      2,
      ...Array.from({ length: 45 }, (_, i) => i)
        .filter((i) => i % 3 !== 0)
        .map((i) => 100 + i),
    ]);
  });

  it('takes a row linked to several parents once, and rows of other people not at all', async () => {
    const { knex } = shop.database;
    await knex.schema.dropTableIfExists('mentions');
    await knex.schema.createTable('mentions', (t) => {
      t.integer('id').primary();
      t.integer('ticket_id').nullable();
      t.integer('order_id').nullable();
      t.string('label', 20);
    });
    try {
      await knex('mentions').insert([
        { id: 1, ticket_id: 1, order_id: null, label: 'ticket of Jane' },
        { id: 2, ticket_id: null, order_id: 2, label: 'order of Jane' },
        { id: 3, ticket_id: 1, order_id: 1, label: 'both' },
        { id: 4, ticket_id: 2, order_id: 3, label: 'Max' },
      ]);
      await shop.workspace.writeMap(
        `${exportMap}  mentions:\n    belongsTo: { tickets: ticket_id, orders: order_id }\n    onErase: delete\n    columns:\n      ticket_id: keep\n      order_id: keep\n      label: keep\n`,
      );
      await session.close();
      session = await shop.workspace.session();
      const { doc, result } = await toFile('jane.doe@example.com', { pageSize: 1 });
      expect(doc.tables.mentions!.rows.map((r) => r.label)).toEqual(['ticket of Jane', 'order of Jane', 'both']);
      expect(result.tables.at(-1)).toEqual({ table: 'mentions', rows: 3 });
    } finally {
      await session.close();
      session = await shop.workspace.session();
      await knex.schema.dropTableIfExists('mentions');
    }
  });

  it('streams the document to a stream the caller owns, without ending it', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    const result = await exportPerson(session, 'max@example.org', { format: 'json', destination: { kind: 'stream', stream } });
    expect(stream.writableEnded).toBe(false);
    const doc = JSON.parse(text) as ExportDocument;
    expect(doc.subject.key).toBe(2);
    expect(ids(doc, 'notes')).toEqual([3]);
    expect(doc.tables.ticket_events!.rows.map((r) => r.kind)).toEqual(['opened']);
    expect(result.files).toEqual([]);
  });

  it('fails with one plain error when the output stream breaks (a closed pipe), audited as failed', async () => {
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const error = await exportPerson(session, '1', { format: 'json', destination: { kind: 'stream', stream } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputClosedError);
    expect((error as Error).message).toBe('The output was closed before the export was complete (EPIPE).');
    expect(session.audit.list({ command: 'export' })[0]).toMatchObject({ outcome: 'failed', detail: { format: 'json', errorCode: 'EPIPE' } });
  });

  it('refuses an existing file before reading anything, unless asked to replace it', async () => {
    const file = path.join(out, 'export.json');
    await writeFile(file, 'old', { mode: 0o644 });
    const error = await exportPerson(session, 'jane.doe@example.com', { format: 'json', destination: { kind: 'file', path: file } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'output-exists', exitCode: 2 });
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(session.audit.list({ command: 'export' })).toEqual([]);
  });

  it('with replace, replaces an existing file with a new one of mode 0600, never inheriting its permissions', async () => {
    const file = path.join(out, 'export.json');
    await writeFile(file, 'old', { mode: 0o644 });
    await exportPerson(session, 'jane.doe@example.com', { format: 'json', destination: { kind: 'file', path: file }, replace: true });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).subject.key).toBe(1);
    expect(await readdir(out)).toEqual(['export.json']);
  });

  it('writes CSV as a 0700 directory of 0600 RFC 4180 files, one per table, with a manifest and a README', async () => {
    const dir = path.join(out, 'jane', 'csv');
    const result = await exportPerson(session, 'jane.doe@example.com', { format: 'csv', destination: { kind: 'directory', path: dir } });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(['README.txt', 'manifest.json', 'notes.csv', 'orders.csv', 'ticket_events.csv', 'tickets.csv', 'users.csv']);
    for (const name of names) expect((await stat(path.join(dir, name))).mode & 0o777).toBe(0o600);
    expect(result.files.map((f) => path.basename(f)).sort()).toEqual(names);

    const notesText = await readFile(path.join(dir, 'notes.csv'), 'utf8');
    expect(notesText.startsWith('id,user_id,body,created_at\r\n')).toBe(true);
    const notes = parse(notesText, { columns: true }) as Record<string, string>[];
    expect(notes.map((n) => n.id)).toEqual(['1', '2']);
    expect(notes[0]!.body).toBe('Call Jane Doe back on 020 7946 0958 or write to jane.doe@example.com about ORD-2024-001234 (£49.99).');
    expect(await readFile(path.join(dir, 'tickets.csv'), 'utf8')).toBe('id,user_id\r\n1,1\r\n');

    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ subject: { name: 'customer', table: 'users', key: 1 }, requestId: result.requestId, format: 'csv' });
    expect(manifest.tables.notes).toEqual({
      file: 'notes.csv',
      rows: 2,
      retention: { timestamp: 'created_at', anonymizeAfter: '24 months', deleteAfter: 'P5Y' },
      columns: {
        id: { category: null, personal: false },
        user_id: { category: null, personal: false },
        body: { category: 'content', personal: true },
        created_at: { category: null, personal: false },
      },
    });
    const readme = await readFile(path.join(dir, 'README.txt'), 'utf8');
    expect(readme).toContain('notes.csv: 2 rows of notes; anonymized after 24 months, deleted after P5Y, counted from created_at');
    expect(readme).toMatch(/^ {2}email\* {2}\(contact\.email\)$/m);
  });

  it('refuses a CSV directory that holds files already, before reading anything', async () => {
    const dir = path.join(out, 'busy');
    await mkdir(dir);
    await writeFile(path.join(dir, 'other.txt'), 'x');
    const error = await exportPerson(session, 'jane.doe@example.com', { format: 'csv', destination: { kind: 'directory', path: dir } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('not empty');
    expect(await readdir(dir)).toEqual(['other.txt']);
    expect(session.audit.list({ command: 'export' })).toEqual([]);
  });

  it('refuses CSV to a stream and JSON to a directory', async () => {
    await expect(exportPerson(session, '1', { format: 'csv', destination: { kind: 'stream', stream: new PassThrough() } })).rejects.toThrow(UsageError);
    await expect(exportPerson(session, '1', { format: 'json', destination: { kind: 'directory', path: out } })).rejects.toThrow(UsageError);
    await expect(exportPerson(session, '1', { format: 'json', destination: { kind: 'file', path: out } })).rejects.toThrow(/is a directory/);
  });

  it('exits 4 when nothing matches, creating no file, and audits the attempt', async () => {
    const dir = path.join(out, 'nobody');
    const error = await exportPerson(session, 'nobody@example.com', { format: 'csv', destination: { kind: 'directory', path: dir } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NothingMatchedError);
    expect((error as NothingMatchedError).exitCode).toBe(4);
    await expect(stat(dir)).rejects.toThrow();
    const [entry] = session.audit.list({ command: 'export' });
    expect(entry).toMatchObject({ action: 'export', phase: 'event', outcome: 'nothing-matched', subject: null, tables: {}, detail: { format: 'csv' } });
  });

  it('audits one entry: subject key, rows read per table, the format; no values and no path', async () => {
    const { result, file } = await toFile('jane.doe@example.com');
    const entries = session.audit.list({ command: 'export' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      id: result.auditEntry,
      operator: 'tester',
      command: 'export',
      action: 'export',
      phase: 'event',
      outcome: 'ok',
      dryRun: false,
      requestId: result.requestId,
      subject: { name: 'customer', key: 1 },
      detail: { format: 'json' },
    });
    expect(entries[0]!.tables).toEqual({
      users: { action: 'read', rows: 1, keys: [1] },
      notes: { action: 'read', rows: 2, keys: [1, 2] },
      tickets: { action: 'read', rows: 1, keys: [1] },
      orders: { action: 'read', rows: 2, keys: [1, 2] },
      ticket_events: { action: 'read', rows: 2, keys: [1, 2] },
    });
    const text = JSON.stringify(entries);
    // Her phone and card number as whole runs of digits: four digits alone turn up by chance in
    // the entries' random request ids and hashes.
    expect(text).not.toMatch(/jane|doe|7946\W?0958|4111\W?1111/i);
    expect(text).not.toContain(file);
    expect(text).not.toContain(out);
  });

  it('records many keys as their range and the digest of the whole list', async () => {
    const notes = Array.from({ length: 150 }, (_, i) => ({ id: 1000 + i, user_id: 1, body: `n${i}`, created_at: '2025-01-01 00:00:00' }));
    await shop.database.knex.batchInsert('notes', notes, 50);
    await toFile('1', { by: 'id', pageSize: 7 });
    const [entry] = session.audit.list({ command: 'export' });
    const keys = [1, 2, ...notes.map((n) => n.id)];
    expect(entry!.tables.notes).toEqual({ action: 'read', rows: 152, keyRange: [1, 1149], keyDigest: digestKeys(keys) });
  });

  it('stops at a page boundary when interrupted, keeps no file, and audits the export as cancelled', async () => {
    const controller = new AbortController();
    const file = path.join(out, 'export.json');
    const error = await exportPerson(session, 'jane.doe@example.com', {
      format: 'json',
      destination: { kind: 'file', path: file },
      pageSize: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.table === 'notes') controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(await readdir(out)).toEqual([]);
    const [entry] = session.audit.list({ command: 'export' });
    expect(entry).toMatchObject({ outcome: 'cancelled', subject: { name: 'customer', key: 1 } });
    expect(entry!.tables.notes).toMatchObject({ rows: 1 });
  });

  it('removes a half-written CSV directory when the export fails', async () => {
    const dir = path.join(out, 'new', 'csv');
    const error = await exportPerson(session, 'jane.doe@example.com', {
      format: 'csv',
      destination: { kind: 'directory', path: dir },
      onProgress: (p) => {
        if (p.table === 'orders') throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('disk full');
    expect(await readdir(out)).toEqual([]);
    const [entry] = session.audit.list({ command: 'export' });
    expect(entry).toMatchObject({ outcome: 'failed', detail: { format: 'csv', errorCode: 'ENOSPC' } });
  });
});

describe('portableValue', () => {
  it('writes dates as ISO 8601, binary as base64 and big integers as text', () => {
    expect(portableValue(new Date('2024-03-15T09:00:00Z'))).toBe('2024-03-15T09:00:00.000Z');
    expect(portableValue(Buffer.from('hi'))).toBe('aGk=');
    expect(portableValue(new Uint8Array([104, 105]))).toBe('aGk=');
    expect(portableValue(9007199254740993n)).toBe('9007199254740993');
    expect(portableValue(undefined)).toBeNull();
    expect(portableValue({ a: 1 })).toEqual({ a: 1 });
    expect(portableValue('x')).toBe('x');
  });

  it('writes a date-time stored as text without a zone (SQLite) as ISO 8601 UTC, and leaves anything else as stored', () => {
    expect(portableTime('2020-11-25 01:00:00')).toBe('2020-11-25T01:00:00.000Z');
    expect(portableTime('2020-11-25T01:00:00.5')).toBe('2020-11-25T01:00:00.500Z');
    expect(portableTime('2020-11-25 01:00')).toBe('2020-11-25T01:00:00.000Z');
    expect(portableTime(new Date('2020-11-25T01:00:00Z'))).toBe('2020-11-25T01:00:00.000Z');
    expect(portableTime('2020-11-25 01:00:00+02:00')).toBe('2020-11-25 01:00:00+02:00');
    expect(portableTime('soon')).toBe('soon');
    expect(portableTime(null)).toBeNull();
  });
});
