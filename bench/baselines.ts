/**
 * What a competent engineer would write by hand for the same jobs, on the same connection
 * settings as lethe (lethe's openDatabase: secure_delete on SQLite, UTC sessions on servers).
 */
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { openDatabase } from '../src/db/connect.js';
import { createStrategy } from '../src/masking/index.js';
import type { MaskingContext } from '../src/masking/types.js';
import type { BenchDialect } from './databases.js';
import { CUTOFF_TEXT, NEXT_CUTOFF_TEXT, type BenchCase } from './datasets.js';

/** better-sqlite3's prepared statements, on the connection knex holds. */
interface SqliteConnection {
  prepare(sql: string): { run(...parameters: unknown[]): unknown };
}

interface MessageRow {
  id: number;
  body: string;
}

// The project's own redaction (its detectors and placeholders), so both sides produce the same text.
const redaction = createStrategy({ kind: 'redact' });
const BODY: MaskingContext = { table: 'messages', column: { name: 'body', type: 'text', nullable: false, unique: false }, row: {} };

/**
 * Rows per batch of the baseline's keyset loop (redact), unless --batch-size says otherwise.
 * lethe sizes its batches as `lethe sweep` does without --batch-size (by the time a batch
 * takes), unless --batch-size fixes it.
 */
export const BASELINE_BATCH_SIZE = 50_000;

/** Connects (untimed, as lethe's session is opened untimed), then times the job; returns seconds. */
export async function runBaseline(dialect: BenchDialect, connection: string, benchCase: BenchCase, batchSize: number): Promise<number> {
  const knex = openDatabase({ client: dialect, connection });
  try {
    await knex.raw('SELECT 1');
    // nightly: the first night (untimed), then the next one's rows through the timestamp index.
    if (benchCase === 'nightly') await sqlBaseline(knex);
    const started = performance.now();
    if (benchCase === 'sql') await sqlBaseline(knex);
    else if (benchCase === 'nightly') await nextNightBaseline(knex);
    else await redactBaseline(knex, dialect, batchSize);
    return (performance.now() - started) / 1000;
  } finally {
    await knex.destroy();
  }
}

/** One statement over the whole table. */
async function sqlBaseline(knex: Knex): Promise<void> {
  await knex.raw(`UPDATE accounts SET full_name = '', email = NULL, phone = NULL WHERE created_at < ?`, [CUTOFF_TEXT]);
}

/** The rows that came of age since the last night: one indexed range UPDATE. */
async function nextNightBaseline(knex: Knex): Promise<void> {
  await knex.raw(`UPDATE accounts SET full_name = '', email = NULL, phone = NULL WHERE created_at >= ? AND created_at < ?`, [CUTOFF_TEXT, NEXT_CUTOFF_TEXT]);
}

/**
 * Keyset loop: read a batch of due rows, redact the bodies with the project's redaction,
 * write back the rows that changed with one plain UPDATE each, one transaction per batch.
 * SQLite gets one prepared statement per batch (no round trips to save); the servers get
 * plain parameterised UPDATEs.
 */
async function redactBaseline(knex: Knex, dialect: BenchDialect, batchSize: number): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await selectRows<MessageRow>(knex, dialect, 'SELECT id, body FROM messages WHERE created_at < ? AND id > ? ORDER BY id LIMIT ?', [
      CUTOFF_TEXT,
      after,
      batchSize,
    ]);
    if (rows.length === 0) break;
    const changes: [string, number][] = [];
    for (const row of rows) {
      const redacted = redact(row.body);
      if (redacted !== row.body) changes.push([redacted, Number(row.id)]);
    }
    if (changes.length > 0) {
      await knex.transaction(async (trx) => {
        if (dialect === 'sqlite') {
          const db = (await trx.client.acquireConnection()) as SqliteConnection;
          try {
            const update = db.prepare('UPDATE messages SET body = ? WHERE id = ?');
            for (const change of changes) update.run(...change);
          } finally {
            await trx.client.releaseConnection(db);
          }
        } else {
          for (const change of changes) await trx.raw('UPDATE messages SET body = ? WHERE id = ?', change);
        }
      });
    }
    after = Number(rows.at(-1)!.id);
  }
}

/** What the detectors find in the text, replaced by placeholders. */
function redact(text: string): string {
  return redaction.apply(text, BODY) as string;
}

async function selectRows<T>(knex: Knex, dialect: BenchDialect, sql: string, bindings: Knex.RawBinding[]): Promise<T[]> {
  const result: unknown = await knex.raw(sql, bindings);
  if (dialect === 'sqlite') return result as T[];
  if (dialect === 'postgres') return (result as { rows: T[] }).rows;
  return (result as [T[]])[0];
}
