import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The suite in projects, so that `npm run test:fast` runs what is quick and `npm test` runs
 * everything, the slow parts side by side:
 *
 * - fast: unit tests and the CLI tested in-process, on SQLite (files that need real
 *   processes, for signals, kills, crash points or terminals, go with the end-to-end tests).
 * - postgres, mysql: the same files' database tests on the servers (the files that run on
 *   each database, through describeEachDatabase).
 * - e2e-sqlite, e2e-postgres, e2e-mysql: the end-to-end tests (demo workspaces, spawned
 *   processes for signals, kills, locks and terminals), one project per database, so that a
 *   long file's three databases run on three workers instead of one after the other; and
 *   test/slow (large tables, in-process) with e2e-sqlite.
 *
 * LETHE_TEST_DATABASES tells test/support/databases.ts which databases a project tests on.
 */
const root = path.dirname(new URL(import.meta.url).pathname);

function testFiles(dir: string): string[] {
  return (readdirSync(path.join(root, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(dir, f));
}

/** Files that test on every database (the others test SQLite or nothing, once). */
const onEachDatabase = (file: string): boolean => readFileSync(path.join(root, file), 'utf8').includes('describeEachDatabase(');

/** Files that need real processes: signals, SIGKILL and crash points, locks across processes, terminals, module traces. */
const spawnsProcesses = (file: string): boolean =>
  /LETHE_TEST_CRASH|startLethe|runLetheInTerminal|spawn\(|execFile|fork\(|spawn: true|process\.kill/.test(readFileSync(path.join(root, file), 'utf8'));

const unitAndCli = [...testFiles('test/unit'), ...testFiles('test/cli')];
const fast = unitAndCli.filter((file) => !spawnsProcesses(file));
const e2e = [...testFiles('test/e2e'), ...unitAndCli.filter(spawnsProcesses)];
// Slow in-process tests: tables of 100,000 rows and more.
const slow = testFiles('test/slow');

const project = (name: string, include: string[], databases: string, options: { isolate?: boolean } = {}) => ({
  extends: true as const,
  test: { name, include, env: { LETHE_TEST_DATABASES: databases }, ...options },
});

export default defineConfig({
  test: {
    // End-to-end tests spawn the built CLI; give them room on a two-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // vitest's default is one worker per core but one, so a single worker on a two-core
    // machine; most of the suite waits on database servers and spawned processes, and every
    // test file works in a database and a directory of its own, so several run side by side.
    maxWorkers: 4,
    projects: [
      // Not isolated: a worker loads lethe's modules (knex, the detectors' data) once for all
      // its files instead of once per file; every file still has its own database and directory.
      project('fast', fast, 'sqlite', { isolate: false }),
      project('postgres', fast.filter(onEachDatabase), 'postgres'),
      project('mysql', fast.filter(onEachDatabase), 'mysql'),
      project('e2e-sqlite', [...e2e, ...slow], 'sqlite'),
      project('e2e-postgres', [...e2e, ...slow].filter(onEachDatabase), 'postgres'),
      project('e2e-mysql', [...e2e, ...slow].filter(onEachDatabase), 'mysql'),
    ],
  },
});
