import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { exportPerson, type ExportDestination, type ExportFormat } from '../../src/core/export.js';
import { describeEachDatabase } from '../support/databases.js';
import { useShopSession } from '../support/workspace.js';

const ROWS = 100_000;
const MB = 1024 * 1024;

/**
 * A garbage collector to call, so that what is measured is what the export keeps alive,
 * not garbage V8 has not collected yet. Without one the bound must allow for that garbage.
 */
function collector(): { gc: () => void; bound: number; retainedBound: number } {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    // Measured: 10-16 MB at most between collections, under 2 MB alive after one. Holding
    // the rows instead (as find does) keeps about 30 MB alive, the document as text 27 MB more.
    return { gc, bound: 24 * MB, retainedBound: 8 * MB };
  } catch {
    return { gc: () => undefined, bound: 60 * MB, retainedBound: 60 * MB };
  }
}

/** One person with 100,000 notes of about 200 characters: about 25 MB of JSON. */
async function insertManyNotes(knex: import('knex').Knex): Promise<void> {
  const body = (i: number) => `Note ${i}: ${'the customer asked about the delivery of their order, which was late again; '.repeat(3)}`.slice(0, 200);
  // 400: knex writes a multi-row insert on SQLite as a compound SELECT, limited to 500 terms.
  const chunk = 400;
  await knex.transaction(async (trx) => {
    for (let start = 0; start < ROWS; start += chunk) {
      const rows = Array.from({ length: chunk }, (_, j) => ({ id: 10 + start + j, user_id: 1, body: body(start + j), created_at: '2025-01-01 00:00:00' }));
      await trx('notes').insert(rows);
    }
  });
}

describeEachDatabase('export memory', (target) => {
  const shop = useShopSession(target);
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'lethe-export-memory-'));
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it(`exports a person with ${ROWS.toLocaleString('en')} rows, as JSON and as CSV, in flat memory`, { timeout: 180_000 }, async () => {
    await insertManyNotes(shop.database.knex);
    const { gc, bound, retainedBound } = collector();

    const measure = async (format: ExportFormat, destination: ExportDestination) => {
      gc();
      const base = process.memoryUsage().heapUsed;
      let peak = 0;
      let retained = 0;
      let pages = 0;
      const result = await exportPerson(shop.session, '1', {
        by: 'id',
        format,
        destination,
        onProgress: () => {
          // A collection every few pages: what stays alive across pages is what counts.
          const collected = ++pages % 5 === 0;
          if (collected) gc();
          const growth = process.memoryUsage().heapUsed - base;
          peak = Math.max(peak, growth);
          if (collected) retained = Math.max(retained, growth);
        },
      });
      return { result, peak, retained };
    };

    const file = path.join(out, 'export.json');
    const json = await measure('json', { kind: 'file', path: file });
    const size = (await stat(file)).size;
    console.info(
      `[export memory, ${target.label}] JSON ${(size / MB).toFixed(1)} MB, heap growth ${(json.peak / MB).toFixed(1)} MB at most, ${(json.retained / MB).toFixed(1)} MB alive after a collection (bound ${bound / MB} MB)`,
    );
    expect(size).toBeGreaterThan(10 * MB);
    expect(json.peak).toBeLessThan(bound);
    expect(json.retained).toBeLessThan(retainedBound);
    expect(json.result.tables.find((t) => t.table === 'notes')!.rows).toBe(ROWS + 2);
    const doc = JSON.parse(await readFile(file, 'utf8')) as { tables: { notes: { rows: { id: number }[] } } };
    expect(doc.tables.notes.rows).toHaveLength(ROWS + 2);
    expect(doc.tables.notes.rows.at(-1)!.id).toBe(ROWS + 9);

    const csv = await measure('csv', { kind: 'directory', path: path.join(out, 'csv') });
    const csvSize = (await stat(path.join(out, 'csv', 'notes.csv'))).size;
    console.info(
      `[export memory, ${target.label}] CSV ${(csvSize / MB).toFixed(1)} MB, heap growth ${(csv.peak / MB).toFixed(1)} MB at most, ${(csv.retained / MB).toFixed(1)} MB alive after a collection`,
    );
    expect(csvSize).toBeGreaterThan(10 * MB);
    expect(csv.peak).toBeLessThan(bound);
    expect(csv.retained).toBeLessThan(retainedBound);
  });
});
