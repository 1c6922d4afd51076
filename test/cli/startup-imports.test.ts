import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE_SIZE } from '../../src/init/draft.js';
import { repoRoot, runLethe } from '../support/cli.js';

/**
 * Each command loads only what it uses (src/cli/main.ts), so that `lethe --version` costs
 * about what `node -e 0` does (bench/startup.ts measures it). This checks the structure, not
 * the time: the built CLI runs with an ESM loader hook that records every module it loads
 * (and, at exit, every CommonJS file), and the heavy ones must be missing.
 */

// Registered with --import: ESM loads go through the hook (on its own thread), and at exit the
// CommonJS cache names what was required (commander, better-sqlite3, what those pulled in).
const REGISTER = `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register('./hooks.mjs', import.meta.url, { data: { file: process.env.LETHE_TRACE_FILE } });
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(process.env.LETHE_TRACE_FILE, Object.keys(require.cache).map((f) => 'cjs:' + f + '\\n').join('')));
`;
const HOOKS = `import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, next) { appendFileSync(file, url + '\\n'); return next(url, context); }
`;

/** Never needed to print the version, the help or the audit trail. */
const HEAVY: readonly [string, RegExp][] = [
  ['knex', /node_modules\/knex\//],
  ['the database drivers', /node_modules\/(pg|mysql2)\//],
  ['libphonenumber-js', /node_modules\/libphonenumber-js\//],
  // detector-types.js is the list of their names (the detect command's help shows it).
  ['the detectors', /dist\/src\/detect\/(?!detector-types\.js$|types\.js$)/],
  ['the masking strategies', /dist\/src\/masking\/(?!spec\.js$|closest-name\.js$|types\.js$)/],
  ['the sweep', /dist\/src\/core\/sweep/],
  ['a database session', /dist\/src\/(core\/session|db\/connect)\.js$/],
  ['ora', /node_modules\/ora\//],
  ['@inquirer/prompts', /node_modules\/@inquirer\//],
  ['csv-parse', /node_modules\/csv-parse\//],
  ['the S3 client', /node_modules\/@aws-sdk\//],
];

const ZOD: [string, RegExp] = ['zod', /node_modules\/zod\//];

describe('what a command loads before it runs', () => {
  let dir: string;
  let configPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-startup-'));
    await writeFile(path.join(dir, 'register.mjs'), REGISTER);
    await writeFile(path.join(dir, 'hooks.mjs'), HOOKS);
    const db = new Database(path.join(dir, 'app.db'));
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users (email) VALUES ('jane@example.com')");
    db.close();
    configPath = path.join(dir, 'lethe.yml');
    await writeFile(
      configPath,
      `database: { client: sqlite, connection: ./app.db }
audit: { path: ./audit.db }
secrets: { key: startup-test-key-0123456789abcdef0123 }
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
    // A few entries for audit list to show.
    for (let i = 0; i < 2; i += 1) {
      const run = await runLethe(['--config', configPath, 'find', 'jane@example.com']);
      expect(run.code, run.stderr).toBe(0);
    }
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the built CLI and returns the modules it loaded, as paths relative to the repository. */
  async function loaded(args: string[]): Promise<{ code: number | null; stdout: string; modules: string[] }> {
    const trace = path.join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
    const child = spawn(process.execPath, ['--import', pathToFileURL(path.join(dir, 'register.mjs')).href, path.join(repoRoot, 'bin', 'lethe.js'), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', LETHE_OPERATOR: 'test', LETHE_TRACE_FILE: trace },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const root = `${repoRoot}${path.sep}`;
    const modules = (await readFile(trace, 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('file:') || line.startsWith('cjs:'))
      .map((line) => (line.startsWith('cjs:') ? line.slice(4) : new URL(line).pathname))
      .map((file) => (file.startsWith(root) ? file.slice(root.length) : file).split(path.sep).join('/'))
      // node_modules may be a link to another checkout's: a package is named from node_modules/ on.
      .map((file) => (file.includes('/node_modules/') && !file.startsWith('node_modules/') ? file.slice(file.indexOf('/node_modules/') + 1) : file));
    return { code, stdout, modules };
  }

  function heavyIn(modules: string[], forbidden: readonly [string, RegExp][]): string[] {
    return forbidden.flatMap(([name, pattern]) => {
      const found = modules.filter((m) => pattern.test(m));
      return found.length > 0 ? [`${name}: ${found.slice(0, 3).join(', ')}`] : [];
    });
  }

  it('--version loads the program and commander, nothing of what the commands do', async () => {
    const { code, stdout, modules } = await loaded(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    // The trace works: it saw the program and commander.
    expect(modules).toContain('dist/src/cli/main.js');
    expect(modules.some((m) => m.startsWith('node_modules/commander/'))).toBe(true);
    expect(
      heavyIn(modules, [
        ...HEAVY,
        ZOD,
        ['chalk', /node_modules\/chalk\//],
        ['yaml', /node_modules\/(js-)?yaml\//],
        ['the core', /dist\/src\/(core|db|config|audit)\//],
      ]),
    ).toEqual([]);
  });

  it('--help lists every command without loading what they do', async () => {
    const { code, stdout, modules } = await loaded(['--help']);
    expect(code).toBe(0);
    for (const command of ['init', 'check', 'find', 'anonymize', 'sweep', 'export', 'reapply', 'suppressed', 'audit', 'detect'])
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(heavyIn(modules, [...HEAVY, ZOD, ['the core', /dist\/src\/(core|db|config|audit)\//]])).toEqual([]);
  });

  it("a command's --help loads only its definition", async () => {
    const { code, modules } = await loaded(['sweep', '--help']);
    expect(code).toBe(0);
    expect(heavyIn(modules, [...HEAVY, ZOD, ['the core', /dist\/src\/(core|db|config|audit)\//]])).toEqual([]);
  });

  // audit list reads audit.path and secrets.key straight from an ordinary map: no schema
  // (zod), no YAML document model, no CSV writer, no database driver, detector, prompt or
  // spinner; printing to a pipe, no colours; and its line is parsed without commander.
  it('audit list loads the audit store and two sections of the map, nothing else', async () => {
    const { code, stdout, modules } = await loaded(['--config', configPath, 'audit', 'list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/find/);
    expect(modules).toContain('dist/src/audit/store.js');
    expect(
      heavyIn(modules, [
        ...HEAVY,
        ZOD,
        ['the yaml document model', /node_modules\/yaml\//],
        ['csv-stringify', /node_modules\/csv-stringify\//],
        ['chalk (no terminal, no colour)', /node_modules\/chalk\//],
        ['commander', /node_modules\/commander\//],
      ]),
    ).toEqual([]);
  });

  it("init's --help shows the sample size init uses", async () => {
    const { stdout } = await runLethe(['init', '--help']);
    expect(stdout).toContain(`(default: "${DEFAULT_SAMPLE_SIZE}")`);
  });
});
