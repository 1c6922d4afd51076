import Database from 'better-sqlite3';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readDataMap } from '../src/config/load.js';
import { checkDataMap } from '../src/core/check.js';

/**
 * A data map of `tables` tables shaped like a large real one: every table linked to a
 * parent (a binary tree under the subject's table), a templated e-mail and a redacted note
 * per table, retention on every third.
 */
export function largeMap(tables: number, database: string): string {
  const lines = [
    'database:',
    '  client: sqlite',
    `  connection: ${database}`,
    'audit:',
    '  path: ./audit.db',
    'secrets:',
    '  key: bench-key-0123456789abcdef0123456789',
    'subjects:',
    '  customer:',
    '    table: t0',
    '    identifiers:',
    '      email: { column: email, type: email }',
    'tables:',
  ];
  for (let i = 0; i < tables; i += 1) {
    lines.push(`  t${i}:`, '    primaryKey: id');
    if (i > 0) lines.push('    belongsTo:', `      t${Math.floor((i - 1) / 2)}: parent_id`);
    lines.push(
      '    columns:',
      '      id: keep',
      '      email: { category: contact.email, strategy: { template: "u{id}@example.invalid" } }',
      '      note: redact',
      '      created_at: keep',
    );
    if (i > 0) lines.push('      parent_id: keep');
    if (i % 3 === 0) lines.push('    retention:', '      timestamp: created_at', '      anonymizeAfter: 30 days');
  }
  return `${lines.join('\n')}\n`;
}

/** The tables of largeMap in a SQLite file, with their keys, foreign keys and indexes. */
function createTables(file: string, tables: number): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.transaction(() => {
      for (let i = 0; i < tables; i += 1) {
        const parent = i > 0 ? `, parent_id INTEGER REFERENCES t${Math.floor((i - 1) / 2)}(id)` : '';
        db.exec(`CREATE TABLE t${i} (id INTEGER PRIMARY KEY, email TEXT, note TEXT, created_at TEXT${parent})`);
        if (i > 0) db.exec(`CREATE INDEX t${i}_parent ON t${i} (parent_id)`);
      }
    })();
  } finally {
    db.close();
  }
}

export interface MapScaleResult {
  /** Reading (parsing and validating) a map, by its number of tables. */
  read: { tables: number; seconds: number; microseconds_per_table: number }[];
  /** `lethe check` (read, introspect, check) of a map against a SQLite file holding its tables. */
  check: { tables: number; seconds: number };
}

/**
 * How reading and checking a data map scale with its size (issue 13: 25,000 tables took 27 s
 * to read, 50,000 took 80 s). Per-table time should stay flat as the map grows. The check's
 * database has fewer tables than the largest map: SQLite itself takes quadratic time to
 * create tables one by one (each CREATE scans its catalog), minutes for 50,000.
 */
export async function mapScale(sizes = [10_000, 25_000, 50_000], checkTables = 5_000): Promise<MapScaleResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-bench-map-'));
  try {
    const read: MapScaleResult['read'] = [];
    for (const tables of sizes) {
      const file = path.join(dir, `map-${tables}.yml`);
      await writeFile(file, largeMap(tables, './none.db'));
      const started = performance.now();
      const { problems } = await readDataMap(file, {});
      const seconds = (performance.now() - started) / 1000;
      if (problems.length > 0) throw new Error(`the generated map has problems: ${problems[0]!.message}`);
      read.push({ tables, seconds: Number(seconds.toFixed(2)), microseconds_per_table: Math.round((seconds * 1e6) / tables) });
    }
    const database = path.join(dir, 'check.db');
    createTables(database, checkTables);
    const file = path.join(dir, 'check.yml');
    await writeFile(file, largeMap(checkTables, database));
    const started = performance.now();
    const report = await checkDataMap({ configPath: file, env: {} });
    const seconds = (performance.now() - started) / 1000;
    if (!report.liveChecked || report.problems.length > 0) throw new Error(`the check found problems: ${report.problems[0]?.message ?? 'not checked'}`);
    return { read, check: { tables: checkTables, seconds: Number(seconds.toFixed(2)) } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
