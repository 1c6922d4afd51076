/**
 * How much CPU lethe spends before it does anything: `lethe --version`, `lethe --help` and
 * `lethe audit list` (on a small audit store) against `node -e 0`, the floor any Node CLI
 * pays. Each command loads only what it uses (see src/cli/main.ts); the target is at most
 * twice the floor.
 *
 * How CPU is measured: Node does not report a child's rusage, and getrusage(RUSAGE_CHILDREN)
 * is not exposed, so each measured process reports its own. It runs with `-r` and a tiny
 * CommonJS preload that, on 'exit', writes `process.cpuUsage()` (user + system of the whole
 * process since it started, all threads, from getrusage) to file descriptor 3, a pipe the
 * parent reads. A CommonJS preload costs the floor nothing measurable (an ESM one would load
 * the ESM loader into `node -e 0` too), and the baseline runs with the same preload. What is
 * left out is the process teardown after 'exit', the same for both.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export interface StartupResult {
  command: string;
  /** Median CPU (user + system) of the command's process, in ms. */
  cpu_ms: number;
  /** Median wall time of the command, spawn to exit, in ms. */
  wall_ms: number;
  /** Median CPU of `node -e 0`, measured alternately with this command. */
  baseline_cpu_ms: number;
  /** cpu_ms / baseline_cpu_ms. */
  ratio: number;
  /** The ratio not to exceed. */
  target: number;
}

const TARGET = 2;

const CPU_AT_EXIT = `process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  require('node:fs').writeSync(3, JSON.stringify({ user, system }));
});
`;

/** Runs each command `runs` times, each run next to a run of `node -e 0`, and reports the medians. */
export async function startupBench(options: { runs: number; log: (line: string) => void }): Promise<StartupResult[]> {
  const root = repoRoot();
  const bin = path.join(root, 'bin', 'lethe.js');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-startup-'));
  try {
    const preload = path.join(dir, 'cpu-at-exit.cjs');
    await writeFile(preload, CPU_AT_EXIT);
    const configPath = await auditedWorkspace(dir);
    const env = { ...process.env, NO_COLOR: '1', LETHE_OPERATOR: 'bench' };
    const run = (args: string[]) => measure(preload, args, { cwd: root, env });
    // A few entries in the store: what `audit list` reads comes from real jobs.
    for (let i = 0; i < 3; i += 1) checked(run([bin, '--config', configPath, 'find', 'jane@example.com']), 'find');

    const commands: { command: string; args: string[] }[] = [
      { command: 'lethe --version', args: [bin, '--version'] },
      { command: 'lethe --help', args: [bin, '--help'] },
      { command: 'lethe audit list', args: [bin, '--config', configPath, 'audit', 'list'] },
    ];
    const baseline = ['-e', '0'];
    // Once each unmeasured, so that every measured run finds the files in the page cache.
    run(baseline);
    for (const { command, args } of commands) checked(run(args), command);

    const results: StartupResult[] = [];
    for (const { command, args } of commands) {
      const own: Sample[] = [];
      const floor: Sample[] = [];
      for (let i = 0; i < options.runs; i += 1) {
        // Alternating, and which goes first too, so that a busy moment of the machine falls on both.
        if (i % 2 === 0) {
          floor.push(run(baseline));
          own.push(checked(run(args), command));
        } else {
          own.push(checked(run(args), command));
          floor.push(run(baseline));
        }
      }
      const cpu = median(own.map((s) => s.cpuMs));
      const baselineCpu = median(floor.map((s) => s.cpuMs));
      const result: StartupResult = {
        command,
        cpu_ms: round(cpu),
        wall_ms: round(median(own.map((s) => s.wallMs))),
        baseline_cpu_ms: round(baselineCpu),
        ratio: Math.round((cpu / baselineCpu) * 100) / 100,
        target: TARGET,
      };
      options.log(
        `${command}: ${result.cpu_ms} ms CPU (node -e 0: ${result.baseline_cpu_ms} ms), ${result.ratio}x (target ${TARGET}x), ${result.wall_ms} ms wall`,
      );
      results.push(result);
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Sample {
  cpuMs: number;
  wallMs: number;
  status: number | null;
  stderr: string;
}

function measure(preload: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Sample {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['-r', preload, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], maxBuffer: 16 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (child.error) throw child.error;
  const reported = String(child.output[3] ?? '');
  if (reported === '') throw new Error(`node ${args.join(' ')} reported no CPU time (exit ${child.status}): ${String(child.stderr)}`);
  const { user, system } = JSON.parse(reported) as { user: number; system: number };
  return { cpuMs: (user + system) / 1000, wallMs, status: child.status, stderr: String(child.stderr) };
}

function checked(sample: Sample, command: string): Sample {
  if (sample.status !== 0) throw new Error(`${command} exited ${sample.status}: ${sample.stderr.trim()}`);
  return sample;
}

/** A SQLite database with one person and a data map for it; returns the map's path. */
async function auditedWorkspace(dir: string): Promise<string> {
  const db = new Database(path.join(dir, 'app.db'));
  try {
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)');
    db.prepare('INSERT INTO users (email) VALUES (?)').run('jane@example.com');
  } finally {
    db.close();
  }
  const configPath = path.join(dir, 'lethe.yml');
  await writeFile(
    configPath,
    `database: { client: sqlite, connection: ./app.db }
audit: { path: ./audit.db }
secrets: { key: startup-bench-key-0123456789abcdef0123 }
subjects:
  customer:
    table: users
    identifiers:
      email: { column: email, type: email }
tables:
  users:
    primaryKey: id
    columns:
      email: { category: contact.email, strategy: null }
`,
  );
  return configPath;
}

/** The directory holding bin/lethe.js, from bench/ or from dist/bench/. */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'bin', 'lethe.js'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('bin/lethe.js not found above bench/startup');
    dir = parent;
  }
  return dir;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
