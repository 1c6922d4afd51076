import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll } from 'vitest';
import { repoRoot, runLethe, runLetheInTerminal, startLethe, type CliOptions } from './cli.js';
import type { DatabaseTarget, TestDatabase } from './databases.js';

/** The demo's data map, a freshly generated demo database of the target's dialect, and an audit store. */
export interface DemoWorkspace {
  dir: string;
  config: string;
  database: TestDatabase;
  /** The demo map's audit store: one per dialect (`.lethe/audit-sqlite.db`, ...). */
  auditPath: string;
  /** Runs lethe with this workspace's --config and DATABASE_URL. */
  run(args: string[], options?: CliOptions): ReturnType<typeof runLethe>;
  start(args: string[], options?: CliOptions): ReturnType<typeof startLethe>;
  /** Entries of the audit store (empty when it does not exist yet). */
  auditEntries(): Promise<{ id: number; action: string; phase: string; outcome: string | null }[]>;
  runInTerminal(args: string[], options: { prompt: RegExp; answer: string }): ReturnType<typeof runLetheInTerminal>;
  /** Every file under the workspace, for checks on what a run left behind. */
  files(): Promise<string[]>;
  query<T>(work: (knex: Knex) => Promise<T>): Promise<T>;
  /** Regenerates the demo data in place. */
  regenerate(): Promise<void>;
  cleanup(): Promise<void>;
}

const maps = { sqlite: 'lethe.yml', postgres: 'lethe.postgres.yml', mysql: 'lethe.mysql.yml' } as const;

/** The audit store each demo map names (audit.path), relative to the map. */
export const demoAuditStores = { sqlite: '.lethe/audit-sqlite.db', postgres: '.lethe/audit-postgres.db', mysql: '.lethe/audit-mysql.db' } as const;

export async function createDemoWorkspace(database: TestDatabase, rows = 60): Promise<DemoWorkspace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-e2e-'));
  const config = path.join(dir, 'lethe.yml');
  await copyFile(path.join(repoRoot, 'fixtures/demo', maps[database.client]), config);
  // The SQLite demo map names ./demo.db beside it; the server maps read DATABASE_URL.
  const env = database.client === 'sqlite' ? {} : { DATABASE_URL: database.connection };
  const workspace: DemoWorkspace = {
    dir,
    config,
    database,
    auditPath: path.join(dir, demoAuditStores[database.client]),
    run: (args, options = {}) => runLethe(['--config', config, ...args], { ...options, env: { ...env, ...options.env } }),
    start: (args, options = {}) => startLethe(['--config', config, ...args], { ...options, env: { ...env, ...options.env } }),
    async auditEntries() {
      const file = workspace.auditPath;
      if (!existsSync(file)) return [];
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(file, { readonly: true, timeout: 5000 });
      try {
        return db.prepare('SELECT id, action, phase, outcome FROM audit_entry ORDER BY id').all() as {
          id: number;
          action: string;
          phase: string;
          outcome: string | null;
        }[];
      } catch (error) {
        // The lethe process under test may have created the file but not yet its table.
        if (/no such table/.test((error as Error).message)) return [];
        throw error;
      } finally {
        db.close();
      }
    },
    runInTerminal: (args, options) => runLetheInTerminal(['--config', config, ...args], { ...options, env }),
    async files() {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    },
    query: async (work) => {
      if (database.client !== 'sqlite') return work(database.knex);
      // The SQLite demo database lives in the workspace, not in the test database's file.
      const { openDatabase } = await import('../../src/db/connect.js');
      const knex = openDatabase({ client: 'sqlite', connection: path.join(dir, 'demo.db') });
      try {
        return await work(knex);
      } finally {
        await knex.destroy();
      }
    },
    async regenerate() {
      const generator = await runGenerator(['--config', config, '--rows', String(rows)], env);
      if (generator.code !== 0) throw new Error(`demo generator failed: ${generator.stderr}`);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  await workspace.regenerate();
  return workspace;
}

/** beforeAll/afterAll for a describe block: a test database of the target's dialect and a demo workspace on it. */
export function useDemoWorkspace(target: DatabaseTarget, rows = 60) {
  const current = {} as { demo: DemoWorkspace; database: TestDatabase };
  beforeAll(async () => {
    current.database = await target.create();
    current.demo = await createDemoWorkspace(current.database, rows);
  });
  afterAll(async () => {
    await current.demo?.cleanup();
    await current.database?.drop();
  });
  return current;
}

/** The demo generator, as `npm run demo:db` runs it. */
function runGenerator(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/fixtures/demo/generate.js'), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

export async function fileContains(file: string, needle: string): Promise<boolean> {
  return (await readFile(file)).includes(Buffer.from(needle));
}
