import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { spawn } from 'node:child_process';
import { repoRoot } from './cli.js';

/** A temporary copy of the demo: its data map and a freshly generated database (and, after a run, an audit store). */
export interface DemoWorkspace {
  dir: string;
  config: string;
  database: string;
  /** Every file under the workspace, for checks on what a run left behind. */
  files(): Promise<string[]>;
  query<T>(work: (knex: Knex) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

export async function createDemoWorkspace(rows = 60): Promise<DemoWorkspace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-e2e-'));
  const config = path.join(dir, 'lethe.yml');
  await copyFile(path.join(repoRoot, 'fixtures/demo/lethe.yml'), config);
  const generator = await runGenerator(['--config', config, '--rows', String(rows)]);
  if (generator.code !== 0) throw new Error(`demo generator failed: ${generator.stderr}`);
  return {
    dir,
    config,
    database: path.join(dir, 'demo.db'),
    async files() {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    },
    async query(work) {
      const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'demo.db') }, useNullAsDefault: true });
      try {
        return await work(knex);
      } finally {
        await knex.destroy();
      }
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The demo generator, as `npm run demo:db` runs it. */
function runGenerator(args: string[]) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/fixtures/demo/generate.js'), ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

export async function fileContains(file: string, needle: string): Promise<boolean> {
  return (await readFile(file)).includes(Buffer.from(needle));
}
