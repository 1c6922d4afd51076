/**
 * `node dist/bench/phone-lookup.js [--rows N] [--dialects sqlite,postgres,mysql]`: what `find`
 * by phone costs on a table of N people (default 1,000,000), each with a phone written in one
 * of several human formats. Phones are compared by digits (see src/core/phone-match.ts), so the
 * SQL prefilter is `digits(phone) LIKE '%<last 7 digits>'`: a scan of the table, which no plain
 * index serves. Prints the time of a lookup by a stored number, typed three ways.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/connect.js';
import { openSession } from '../src/core/session.js';
import { findPeople } from '../src/core/find.js';
import { BENCH_DIALECTS, DIALECT_LABELS, createBenchDatabase, serverUrl, type BenchDialect } from './databases.js';

const FORMATS = [
  (n: string) => `+1 (${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
  (n: string) => `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
  (n: string) => `+44 020 ${n.slice(3, 7)} ${n.slice(7)}`,
  (n: string) => `0049 30 ${n.slice(3)}`,
  (n: string) => `+453 ${n.slice(2, 6)} ${n.slice(6)}`,
];

async function measure(dialect: BenchDialect, rows: number): Promise<{ dialect: string; rows: number; ms: number[] }> {
  const database = await createBenchDatabase(dialect, process.env);
  try {
    const knex = openDatabase({ client: dialect, connection: database.connection });
    try {
      await knex.schema.createTable('people', (t) => {
        t.increments('id');
        t.string('email', 80).notNullable();
        t.string('phone', 40).nullable();
      });
      const batch: { email: string; phone: string }[] = [];
      for (let i = 1; i <= rows; i += 1) {
        const number = String(2_000_000_000 + i * 7919).slice(0, 10);
        batch.push({ email: `p${i}@example.org`, phone: FORMATS[i % FORMATS.length]!(number) });
        if (batch.length === 5000 || i === rows) {
          await knex.batchInsert('people', batch.splice(0), 200);
        }
      }
    } finally {
      await knex.destroy();
    }
    const config = path.join(database.dir, 'lethe.yml');
    await writeFile(
      config,
      `database: { client: ${dialect}, connection: ${JSON.stringify(database.connection)} }
audit: { path: ./audit.db }
subjects:
  person: { table: people, identifiers: { email: { column: email, type: email }, phone: { column: phone, type: phone } } }
tables:
  people: { columns: { email: { strategy: { template: "p{id}@x.invalid" } }, phone: "null" } }
`,
    );
    const session = await openSession({ configPath: config, env: {} });
    try {
      const target = Math.floor(rows / 2);
      const number = String(2_000_000_000 + target * 7919).slice(0, 10);
      const stored = FORMATS[target % FORMATS.length]!(number);
      const ms: number[] = [];
      for (const typed of [stored, stored.replace(/\D/g, ''), stored.replace(/\s/g, '.')]) {
        const started = performance.now();
        const [found] = await findPeople(session, typed, { by: 'phone' });
        ms.push(Math.round(performance.now() - started));
        if (found?.subject.key !== target) throw new Error(`looked up ${typed}, found ${String(found?.subject.key)}`);
      }
      return { dialect: DIALECT_LABELS[dialect], rows, ms };
    } finally {
      await session.close();
    }
  } finally {
    await database.drop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, dialects: { type: 'string' } } });
  const rows = Number(values.rows ?? 1_000_000);
  const dialects = (values.dialects?.split(',') ?? BENCH_DIALECTS).filter(
    (d): d is BenchDialect =>
      (BENCH_DIALECTS as readonly string[]).includes(d) && (d === 'sqlite' || serverUrl(d as 'postgres' | 'mysql', process.env) !== undefined),
  );
  for (const dialect of dialects) {
    const result = await measure(dialect, rows);
    process.stdout.write(
      `${result.dialect}: find by phone among ${rows.toLocaleString('en')} people: ${result.ms.join(' / ')} ms (as stored / digits only / dotted)\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
