/**
 * `npm run bench`: times lethe's sweep against a hand-written baseline doing the same work,
 * on SQLite and on the servers whose URLs are set.
 *
 *   npm run bench -- [--rows N] [--json] [--dialects sqlite,postgres,mysql] [--cases sql,redact,nightly] [--batch-size N]
 *
 * nightly: a table of N rows with an index on its timestamp, swept once; the next night's
 * sweep (a day later: the rows of one day) against one indexed range UPDATE, at N rows over
 * 2000 days and at 4N rows over 8000 days (the same rows per night: a table that grew).
 *
 * Each case runs on a freshly built table for lethe and again for the baseline (the same
 * rows), each measured run in a child process of its own (its peak RSS is its own).
 * The table goes to stdout, or with --json to stderr and one JSON document to stdout.
 */
import { detectThroughput } from './detect-throughput.js';
import { mapScale } from './map-scale.js';
import { runInChild } from './child.js';
import { inactiveBench, type InactiveResult } from './inactive.js';
import { startupBench, type StartupResult } from './startup.js';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { openDatabase } from '../src/db/connect.js';
import { BENCH_DIALECTS, DIALECT_LABELS, createBenchDatabase, scratchSqlite, serverUrl, type BenchDatabase, type BenchDialect } from './databases.js';
import { BENCH_CASES, CASE_TABLES, CUTOFF_TEXT, NEXT_CUTOFF_TEXT, SPREAD_DAYS, buildTable, dataMapFor, fingerprint, type BenchCase } from './datasets.js';
import type { MeasureJob, MeasureResult } from './measure.js';
import { BASELINE_BATCH_SIZE } from './baselines.js';

const DEFAULT_ROWS = 1_000_000;
/** inactive: 125,000 customers, of whom about 102,000 are due (the issue asks for at least 100,000). */
const DEFAULT_PEOPLE = 125_000;
const ALL_CASES = [...BENCH_CASES, 'inactive', 'startup'] as const;
/** Ratios to reach (lethe's rate over the baseline's): sql per dialect, redact everywhere. */
const TARGETS: Record<Exclude<BenchCase, 'nightly'>, Record<BenchDialect, number>> = {
  sql: { sqlite: 0.6, postgres: 0.8, mysql: 0.8 },
  redact: { sqlite: 0.7, postgres: 0.7, mysql: 0.7 },
};
/** nightly: lethe's next-night task within 3x the baseline plus 50 ms, and at 4N rows at most 1.5x its time at N. */
const NIGHTLY_FACTOR = 3;
const NIGHTLY_ALLOWANCE_S = 0.05;
const NIGHTLY_SCALE = 4;
const NIGHTLY_SCALE_TARGET = 1.5;

interface BenchOptions {
  rows: number;
  json: boolean;
  dialects: BenchDialect[];
  /** Named with --dialects: a missing server URL is an error rather than a skip. */
  dialectsExplicit: boolean;
  /** The table cases; `inactive` and `startup` below. */
  cases: BenchCase[];
  /** inactive: customers in the table (about 82% of them due). */
  people: number;
  inactive: boolean;
  startup: boolean;
  batchSize?: number;
  /** Runs of each side per case, alternating which goes first; the fastest of each counts. */
  repeat: number;
}

export interface BenchResult {
  dialect: BenchDialect;
  case: BenchCase;
  rows: number;
  lethe_rows_per_s: number;
  baseline_rows_per_s: number;
  ratio: number;
  /** lethe's peak RSS. */
  peak_rss_mb: number;
  /** lethe's JS heap still in use after a full collection at the end of its run: flat when nothing grows with the table. */
  lethe_heap_after_gc_mb: number | null;
  baseline_peak_rss_mb: number;
  /** Rows past the cutoff: what both had to process (the rates are these per second). */
  due: number;
  batch_size: number | null;
  /** lethe's batches (its batch sizes follow time unless --batch-size fixed them). */
  lethe_batches: number | null;
  /** The fastest run of each side (the rates above come from these). */
  lethe_seconds: number;
  baseline_seconds: number;
  /** Of lethe_seconds, the plan (as `lethe sweep --yes` makes it: without counting the rows due). */
  lethe_plan_s: number;
  /** Of lethe_seconds, its tasks (nightly: the next night's; the rest is the plan and the job's own work). */
  lethe_task_s: number;
  /** Every run, in seconds. */
  lethe_runs_s: number[];
  baseline_runs_s: number[];
  /** The ratio to reach (nightly: the ratio at which lethe's task takes 3x the baseline plus 50 ms). */
  target: number;
  /** nightly at 4N rows: lethe's task time over its time at N rows (target 1.5). */
  scale_vs_smaller?: number;
  scale_target?: number;
  /** Every target of the result met. */
  met: boolean;
  /** lethe and the baseline left the table in the same state. */
  same_result: boolean;
}

class UsageProblem extends Error {}

const HELP = `Usage: npm run bench -- [options]

Times lethe's sweep against a hand-written baseline doing the same work.

Options:
  --rows N             rows in the swept table (default ${DEFAULT_ROWS.toLocaleString('en')}; 200k and 1e6 work too)
  --json               print {"results": [...]} on stdout (the table goes to stderr)
  --dialects LIST      sqlite,postgres,mysql (default: sqlite, plus each server whose URL is set)
  --cases LIST         sql,redact,nightly,inactive,startup (default: all); nightly runs at N and
                       ${NIGHTLY_SCALE}N rows; inactive erases the people due for inactivity (lethe's inactive
                       pass against a hand-written set-based erasure); startup times --version, --help
                       and audit list against node -e 0 (CPU time)
  --people N           inactive: customers in the table (default ${DEFAULT_PEOPLE.toLocaleString('en')}, about 82% due)
  --batch-size N       rows (inactive: people) per batch for lethe and the baseline's keyset loop
                       (default: lethe's own, sized by time; the loop ${BASELINE_BATCH_SIZE.toLocaleString('en')})
  --repeat N           runs of lethe and of the baseline per case, alternating which goes
                       first, each on a freshly built table; the fastest of each counts (default 1)

Servers: LETHE_BENCH_PG_URL or LETHE_TEST_PG_URL, LETHE_BENCH_MYSQL_URL or LETHE_TEST_MYSQL_URL.
Each run creates a database of its own on the server (lethe_bench_...) and drops it afterwards.

Example:
  npm run -s bench -- --rows 200000 --json > bench.json`;

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | undefined {
  const options: BenchOptions = {
    rows: DEFAULT_ROWS,
    json: false,
    dialects: [],
    dialectsExplicit: false,
    cases: [...BENCH_CASES],
    people: DEFAULT_PEOPLE,
    inactive: true,
    startup: true,
    repeat: 1,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageProblem(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--rows':
        options.rows = count(flag, value());
        break;
      case '--people':
        options.people = count(flag, value());
        break;
      case '--batch-size':
        options.batchSize = count(flag, value());
        break;
      case '--repeat':
        options.repeat = count(flag, value());
        break;
      case '--json':
        options.json = true;
        break;
      case '--dialects':
        options.dialects = list(flag, value(), BENCH_DIALECTS);
        options.dialectsExplicit = true;
        break;
      case '--cases':
        {
          const cases = list(flag, value(), ALL_CASES);
          options.cases = BENCH_CASES.filter((c) => cases.includes(c));
          options.inactive = cases.includes('inactive');
          options.startup = cases.includes('startup');
        }
        break;
      case '--help':
      case '-h':
        process.stderr.write(`${HELP}\n`);
        return undefined;
      default:
        throw new UsageProblem(`Unknown option ${flag}; see --help.`);
    }
  }
  if (!options.dialectsExplicit) {
    options.dialects = BENCH_DIALECTS.filter((d) => d === 'sqlite' || serverUrl(d, env));
  } else {
    for (const d of options.dialects) {
      if (d !== 'sqlite' && !serverUrl(d, env)) {
        const variable = d === 'postgres' ? 'LETHE_BENCH_PG_URL (or LETHE_TEST_PG_URL)' : 'LETHE_BENCH_MYSQL_URL (or LETHE_TEST_MYSQL_URL)';
        throw new UsageProblem(`--dialects names ${d}, but ${variable} is not set.`);
      }
    }
  }
  return options;
}

/** 200000, 200_000, 200k, 1m, 1e6. */
function count(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?(?:e\d+)?)([km]?)$/i.exec(text.replaceAll(/[_,]/g, ''));
  const n = match ? Number(match[1]) * (match[2]?.toLowerCase() === 'k' ? 1e3 : match[2]?.toLowerCase() === 'm' ? 1e6 : 1) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new UsageProblem(`${flag} ${text}: give a positive whole number.`);
  return n;
}

function list<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const wrong = items.filter((s) => !(allowed as readonly string[]).includes(s));
  if (wrong.length > 0 || items.length === 0) throw new UsageProblem(`${flag} ${text}: choose from ${allowed.join(', ')}.`);
  return [...new Set(items)] as T[];
}

const log = (message: string) => process.stderr.write(`${message}\n`);

// Ctrl-C reaches the measuring child too (same process group); the parent stops at the next
// step and still drops the databases it created.
let interrupted = false;
process.on('SIGINT', () => {
  interrupted = true;
  log('Interrupted: dropping the benchmark databases…');
});
function checkInterrupted(): void {
  if (interrupted) throw new Error('interrupted.');
}
const measureScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'measure.js');

/** Runs one measurement in a child process; its stdout goes to our stderr. */
function runChild(job: MeasureJob): Promise<MeasureResult> {
  return runInChild(measureScript, [], job, `The ${job.runner} run on ${job.dialect} (${job.benchCase})`);
}

/** A freshly built table for one measured run: a new file on SQLite, the table rebuilt on a server. */
async function freshTable(
  db: BenchDatabase,
  shared: Knex | undefined,
  benchCase: BenchCase,
  runner: MeasureJob['runner'],
  rows: number,
  days: number,
): Promise<{ connection: string; knex: Knex; close(): Promise<void> }> {
  const started = performance.now();
  let target: { connection: string; knex: Knex; close(): Promise<void> };
  if (db.dialect === 'sqlite') {
    target = await scratchSqlite(db, `${benchCase}-${runner}`);
  } else {
    target = { connection: db.connection, knex: shared!, close: async () => undefined };
  }
  await buildTable(target.knex, db.dialect, benchCase, rows, days);
  log(`  built ${CASE_TABLES[benchCase].table} (${rows.toLocaleString('en')} rows) for ${runner} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return target;
}

/** One measured run on a freshly built table, with the state it left the table in. */
async function measureOnce(
  db: BenchDatabase,
  shared: Knex | undefined,
  benchCase: BenchCase,
  runner: MeasureJob['runner'],
  options: BenchOptions,
  rows: number,
) {
  checkInterrupted();
  // nightly: the larger table holds more history at the same density (the same rows per night).
  const days = benchCase === 'nightly' ? Math.round((SPREAD_DAYS * rows) / options.rows) : SPREAD_DAYS;
  const table = await freshTable(db, shared, benchCase, runner, rows, days);
  try {
    checkInterrupted();
    const due = await countDue(table.knex, benchCase);
    const configPath = path.join(db.dir, `${benchCase}-${runner}.lethe.yml`);
    await writeFile(configPath, dataMapFor(benchCase, db.dialect, table.connection, path.join(db.dir, `${benchCase}-${runner}-audit.db`)), { mode: 0o600 });
    await rm(path.join(db.dir, `${benchCase}-${runner}-audit.db`), { force: true });
    const result = await runChild({ runner, dialect: db.dialect, benchCase, connection: table.connection, configPath, ...batchOption(options) });
    if (result.due !== undefined && result.due !== due) log(`  warning: lethe found ${result.due} rows due, the baseline's cutoff ${due}`);
    log(
      `  ${runner}: ${result.seconds.toFixed(2)} s, peak RSS ${result.peakRssMb.toFixed(0)} MB${result.batches !== undefined ? `, ${result.batches} batches` : ''}`,
    );
    return { result, fingerprint: await fingerprint(table.knex, db.dialect, benchCase), due };
  } finally {
    await table.close();
  }
}

function fastest<T extends { result: MeasureResult }>(runs: T[]): T {
  return runs.reduce((best, run) => (run.result.seconds < best.result.seconds ? run : best));
}

async function countDue(knex: Knex, benchCase: BenchCase): Promise<number> {
  const query = knex(CASE_TABLES[benchCase].table).where('created_at', '<', benchCase === 'nightly' ? NEXT_CUTOFF_TEXT : CUTOFF_TEXT);
  // nightly: the rows of the night the first sweep left.
  if (benchCase === 'nightly') query.where('created_at', '>=', CUTOFF_TEXT);
  const [row] = (await query.count({ n: '*' })) as { n: number | string }[];
  return Number(row?.n ?? 0);
}

async function benchDialect(dialect: BenchDialect, options: BenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const db = await createBenchDatabase(dialect, process.env);
  const shared = dialect === 'sqlite' ? undefined : openDatabase({ client: dialect, connection: db.connection });
  try {
    for (const benchCase of options.cases) {
      const sizes = benchCase === 'nightly' ? [options.rows, options.rows * NIGHTLY_SCALE] : [options.rows];
      let smaller: BenchResult | undefined;
      for (const rows of sizes) {
        log(`${DIALECT_LABELS[dialect]} / ${benchCase}${sizes.length > 1 ? ` (${rows.toLocaleString('en')} rows)` : ''}:`);
        const result = await benchCaseAt(db, shared, benchCase, options, rows, smaller);
        results.push(result);
        smaller = result;
      }
    }
  } finally {
    await shared?.destroy();
    await db.drop();
  }
  return results;
}

/** One case at one table size: each side on freshly built tables, the fastest run of each counts. */
async function benchCaseAt(
  db: BenchDatabase,
  shared: Knex | undefined,
  benchCase: BenchCase,
  options: BenchOptions,
  rows: number,
  smaller?: BenchResult,
): Promise<BenchResult> {
  const dialect = db.dialect;
  const runs: Record<MeasureJob['runner'], { result: MeasureResult; fingerprint: string; due: number }[]> = { lethe: [], baseline: [] };
  for (let round = 0; round < options.repeat; round += 1) {
    // Alternating which side goes first cancels out drift (caches, background writes).
    const order = round % 2 === 0 ? (['lethe', 'baseline'] as const) : (['baseline', 'lethe'] as const);
    for (const runner of order) runs[runner].push(await measureOnce(db, shared, benchCase, runner, options, rows));
  }
  const fingerprints = new Set([...runs.lethe, ...runs.baseline].map((r) => r.fingerprint));
  const same = fingerprints.size === 1;
  if (!same) log(`  warning: lethe and the baseline left different tables (${[...fingerprints].join(' vs ')})`);
  const lethe = fastest(runs.lethe);
  const baseline = fastest(runs.baseline);
  const letheRate = lethe.due / lethe.result.seconds;
  const baselineRate = baseline.due / baseline.result.seconds;
  const ratio = Math.round((letheRate / baselineRate) * 1000) / 1000;
  const taskSeconds = lethe.result.taskSeconds ?? lethe.result.seconds;
  let target: number;
  let met: boolean;
  let scale: { scale_vs_smaller: number; scale_target: number } | undefined;
  if (benchCase === 'nightly') {
    // Rates of the same rows: lethe within F x baseline + A seconds is a ratio of b / (F b + A).
    const b = baseline.result.seconds;
    target = Math.round((b / (NIGHTLY_FACTOR * b + NIGHTLY_ALLOWANCE_S)) * 1000) / 1000;
    met = taskSeconds <= NIGHTLY_FACTOR * b + NIGHTLY_ALLOWANCE_S;
    if (smaller) {
      scale = { scale_vs_smaller: round3(taskSeconds / smaller.lethe_task_s), scale_target: NIGHTLY_SCALE_TARGET };
      met &&= scale.scale_vs_smaller <= NIGHTLY_SCALE_TARGET;
    }
  } else {
    target = TARGETS[benchCase][dialect];
    met = ratio >= target;
  }
  return {
    dialect,
    case: benchCase,
    rows,
    lethe_rows_per_s: Math.round(letheRate),
    baseline_rows_per_s: Math.round(baselineRate),
    ratio,
    peak_rss_mb: round1(Math.max(...runs.lethe.map((r) => r.result.peakRssMb))),
    lethe_heap_after_gc_mb: runs.lethe.every((r) => r.result.heapAfterGcMb !== undefined)
      ? round1(Math.max(...runs.lethe.map((r) => r.result.heapAfterGcMb!)))
      : null,
    baseline_peak_rss_mb: round1(Math.max(...runs.baseline.map((r) => r.result.peakRssMb))),
    due: lethe.due,
    batch_size: options.batchSize ?? null,
    lethe_batches: lethe.result.batches ?? null,
    lethe_seconds: round3(lethe.result.seconds),
    baseline_seconds: round3(baseline.result.seconds),
    lethe_plan_s: round3(lethe.result.planSeconds ?? 0),
    lethe_task_s: round3(taskSeconds),
    lethe_runs_s: runs.lethe.map((r) => round3(r.result.seconds)),
    baseline_runs_s: runs.baseline.map((r) => round3(r.result.seconds)),
    target,
    ...scale,
    met: met && same,
    same_result: same,
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

function formatTable(results: BenchResult[], batchSize: number | undefined, repeat: number): string {
  const header = [
    'dialect',
    'case',
    'rows',
    'due',
    'lethe rows/s',
    'baseline rows/s',
    'ratio',
    'target',
    'lethe RSS MB',
    'baseline RSS MB',
    'lethe s',
    'of it task s',
    'baseline s',
  ];
  const body = results.map((r) => [
    DIALECT_LABELS[r.dialect],
    r.case,
    r.rows.toLocaleString('en'),
    r.due.toLocaleString('en'),
    r.lethe_rows_per_s.toLocaleString('en'),
    r.baseline_rows_per_s.toLocaleString('en'),
    r.ratio.toFixed(2),
    `${r.met ? 'met' : 'MISSED'} (>= ${r.target}${r.scale_vs_smaller !== undefined ? `; ${r.scale_vs_smaller}x the smaller, <= ${r.scale_target}` : ''})`,
    r.peak_rss_mb.toFixed(0),
    r.baseline_peak_rss_mb.toFixed(0),
    r.lethe_seconds.toFixed(r.case === 'nightly' ? 3 : 2),
    r.lethe_task_s.toFixed(r.case === 'nightly' ? 3 : 2),
    r.baseline_seconds.toFixed(r.case === 'nightly' ? 3 : 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const numeric = new Set([2, 3, 4, 5, 6, 8, 9, 10, 11, 12]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const notes = results
    .filter((r) => !r.same_result)
    .map((r) => `warning: on ${DIALECT_LABELS[r.dialect]} (${r.case}) lethe and the baseline left different tables.`);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    `batch size ${batchLabel(batchSize)}; rates are rows due per second, from the fastest of ${repeat} run(s) each; ratio = lethe / baseline.`,
    ...notes,
  ].join('\n');
}

/** The batch size as the output says it: the one given, or lethe's own. */
function batchLabel(batchSize: number | undefined): string {
  return batchSize === undefined ? "lethe's own (sized by time)" : String(batchSize);
}

function batchOption(options: BenchOptions): { batchSize?: number } {
  return options.batchSize === undefined ? {} : { batchSize: options.batchSize };
}
/** startup: runs of each command (and of node -e 0), the median counts. */
const STARTUP_RUNS = 11;

function formatInactive(results: InactiveResult[]): string {
  if (results.length === 0) return '';
  const lines = results.map(
    (r) =>
      `  ${DIALECT_LABELS[r.dialect]}: ${r.due.toLocaleString('en')} people in ${r.lethe_seconds.toFixed(2)} s (${r.lethe_people_per_s.toLocaleString('en')}/s) against ${r.baseline_seconds.toFixed(2)} s; ratio ${r.ratio} (target ${r.target})${r.floor_people_per_s ? `, floor ${r.floor_people_per_s.toLocaleString('en')}/s` : ''}${r.same_result ? '' : '; WARNING: different results'}`,
  );
  return `\n\nInactive people (batch size ${batchLabel(results[0]!.batch_size ?? undefined)}; baseline: one set-based transaction):\n${lines.join('\n')}`;
}

function formatStartup(results: StartupResult[]): string {
  if (results.length === 0) return '';
  return `\n\nStart-up (CPU ms, median of ${STARTUP_RUNS}; node -e 0 = 1):\n${results.map((r) => `  ${r.command}: ${r.cpu_ms} ms, ${r.ratio}x (target ${r.target}x)`).join('\n')}`;
}

async function main(): Promise<number> {
  let options: BenchOptions | undefined;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageProblem) {
      log(`bench: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (!options) return 0;
  const skipped = BENCH_DIALECTS.filter((d) => !options.dialects.includes(d) && !options.dialectsExplicit);
  for (const d of skipped) log(`Skipping ${DIALECT_LABELS[d]}: set ${d === 'postgres' ? 'LETHE_BENCH_PG_URL' : 'LETHE_BENCH_MYSQL_URL'} to include it.`);
  log(
    `Benchmark: ${options.rows.toLocaleString('en')} rows, batch size ${batchLabel(options.batchSize)}, ${options.repeat} run(s) each, on ${options.dialects.map((d) => DIALECT_LABELS[d]).join(', ')}.`,
  );

  const results: BenchResult[] = [];
  for (const dialect of options.dialects) results.push(...(await benchDialect(dialect, options)));
  const inactive: InactiveResult[] = [];
  if (options.inactive) {
    for (const dialect of options.dialects) {
      log(`${DIALECT_LABELS[dialect]} / inactive (${options.people.toLocaleString('en')} customers):`);
      const db = await createBenchDatabase(dialect, process.env);
      try {
        inactive.push(await inactiveBench(db, { people: options.people, ...batchOption(options), repeat: options.repeat, log }));
      } finally {
        await db.drop();
      }
      checkInterrupted();
    }
  }
  const startup = options.startup ? await startupBench({ runs: STARTUP_RUNS, log }) : [];

  const detection = detectThroughput();
  const maps = await mapScale();
  const mapLine = `Data maps: read ${maps.read.map((r) => `${r.tables.toLocaleString('en')} tables in ${r.seconds} s (${r.microseconds_per_table} µs/table)`).join(', ')}; check of ${maps.check.tables.toLocaleString('en')} tables against SQLite in ${maps.check.seconds} s`;
  const table = `${results.length > 0 ? formatTable(results, options.batchSize, options.repeat) : 'Cases: ' + [...(options.inactive ? ['inactive'] : []), ...(options.startup ? ['startup'] : [])].join(', ')}${formatInactive(inactive)}${formatStartup(startup)}\n\nPII detectors (detect() as redact calls it, every type, one core, chat-like text): ${detection.mb_per_s} MB/s, ${detection.texts_per_s.toLocaleString('en')} texts/s (floor ${detection.floor_mb_per_s} MB/s: ${detection.mb_per_s >= detection.floor_mb_per_s ? 'met' : 'MISSED'})\n${mapLine}`;
  if (options.json) {
    log(`\n${table}`);
    process.stdout.write(
      `${JSON.stringify({ batch_size: options.batchSize ?? null, repeat: options.repeat, results: [...results, ...inactive], startup, detect_throughput: detection, data_maps: maps }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(`\n${table}\n`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = interrupted ? 130 : 1;
  },
);
