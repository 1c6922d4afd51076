import { readFile, rename, writeFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { openSession } from '../../src/core/session.js';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';
import { runMain, type InProcessRun } from '../support/streams.js';

/** stdout holds exactly one JSON document, `{"error": {code, message, hint}, ...}`; returns it. */
function errorDocument(
  run: InProcessRun,
): { error: { code: string; message: string; hint: string | null; [detail: string]: unknown } } & Record<string, unknown> {
  const document = JSON.parse(run.stdout);
  expect(Object.keys(document.error).slice(0, 3)).toEqual(['code', 'message', 'hint']);
  expect(typeof document.error.message).toBe('string');
  return document;
}

describeEachDatabase('--json: failures as one document on stdout, silence on success', (target) => {
  const current = useDemoWorkspace(target);
  const env = () => (current.database.client === 'sqlite' ? {} : { DATABASE_URL: current.database.connection });
  const lethe = (args: string[], extra: NodeJS.ProcessEnv = {}) => runMain(['--config', current.demo.config, ...args], { env: { ...env(), ...extra } });
  const users = () => current.demo.query((db) => db('users').orderBy('id'));

  it('a broken data map: code config with every problem, exit 2, nothing changed', async () => {
    const file = `${current.demo.dir}/broken.yml`;
    const original = await readFile(current.demo.config, 'utf8');
    await writeFile(file, original.replace('body: { category: content, strategy: redact }', 'body: { category: content, strategy: redcat }'));
    const before = await users();
    const run = await runMain(['--config', file, '--json', 'anonymize', 'jane.doe@example.com', '--yes'], { env: env() });
    expect(run.code).toBe(2);
    const document = errorDocument(run);
    expect(document.error).toMatchObject({ code: 'config', file });
    expect(document.error.problems).toEqual([{ path: 'tables.messages.columns.body.strategy', message: expect.stringContaining('unknown strategy "redcat"') }]);
    // The human text still reaches stderr (a cron mail on failure).
    expect(run.stderr).toMatch(/^error: .*broken\.yml: 1 problem in the data map/m);
    expect(await users()).toEqual(before);
  });

  it('nothing matched: code nothing-matched, exit 4', async () => {
    const run = await lethe(['find', 'nobody@example.com', '--json']);
    expect(run.code).toBe(4);
    expect(errorDocument(run).error.code).toBe('nothing-matched');
  });

  it('refused without --yes where stdin is not a terminal: code refused, exit 2, nothing changed', async () => {
    const before = await users();
    const run = await lethe(['sweep', '--json']);
    expect(run.code).toBe(2);
    const { error } = errorDocument(run);
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/^Refusing to sweep without confirmation/);
    expect(error.hint).toMatch(/--yes/);
    expect(await users()).toEqual(before);
  });

  it('a sweep while another holds the job lock: code locked, exit 5, nothing done', async () => {
    const session = await openSession({ configPath: current.demo.config, env: env(), operator: 'holder' });
    const lock = await session.dialect.tryJobLock(session.knex, 'sweep', session.map.database.connection);
    expect(lock).toBeDefined();
    try {
      const before = await users();
      const run = await lethe(['sweep', '--yes', '--json']);
      expect(run.code).toBe(5);
      const { error } = errorDocument(run);
      expect(error.code).toBe('locked');
      expect(error.message).toMatch(/^Another lethe sweep is running on .*; nothing was done\.$/);
      expect(await users()).toEqual(before);
    } finally {
      await lock!.release();
      await session.close();
    }
  });

  it('a successful sweep --yes --json prints one document on stdout and nothing on stderr', async () => {
    const run = await lethe(['sweep', '--yes', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const document = JSON.parse(run.stdout);
    expect(document.totals.rows).toBeGreaterThan(0);
    expect(document.error).toBeUndefined();
  });

  it('commander errors too: an unknown option and a missing argument are code usage, exit 2', async () => {
    const unknown = await lethe(['--json', 'find', 'jane.doe@example.com', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(errorDocument(unknown).error).toEqual({ code: 'usage', message: "Unknown option '--bogus'", hint: 'Run with --help for usage.' });
    const missing = await lethe(['export', '--json']);
    expect(missing.code).toBe(2);
    expect(errorDocument(missing).error).toMatchObject({ code: 'usage', message: "Missing required argument 'value'" });
    const noCommand = await lethe(['--json']);
    expect(noCommand.code).toBe(2);
    expect(errorDocument(noCommand).error).toMatchObject({ code: 'usage', message: 'No command given.' });
  });

  it('--help and --version are unchanged under --json', async () => {
    const help = await lethe(['--json', 'sweep', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: lethe sweep/);
    expect(help.stdout).toContain('5 another\nsweep holds the lock');
    const version = await lethe(['--json', '--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('without --json, a failure prints nothing on stdout', async () => {
    const run = await lethe(['find', 'nobody@example.com']);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: No customer matches/m);
  });

  it.runIf(target.client === 'sqlite')('a missing SQLite database: code connection, exit 1', async () => {
    const file = `${current.demo.dir}/demo.db`;
    await rename(file, `${file}.away`);
    let run: InProcessRun;
    try {
      run = await lethe(['--json', 'find', 'jane.doe@example.com']);
    } finally {
      await rename(`${file}.away`, file);
    }
    expect(run.code).toBe(1);
    expect(errorDocument(run).error).toMatchObject({ code: 'connection', message: expect.stringMatching(/The SQLite database .*demo\.db does not exist\./) });
  });

  it.runIf(target.client !== 'sqlite')('an unreachable server (a closed port): code connection, exit 1, no password', async () => {
    const url = new URL(current.database.connection);
    url.hostname = '127.0.0.1';
    url.port = '1';
    url.password = 'hunter2-secret';
    const run = await lethe(['--json', 'find', 'jane.doe@example.com'], { DATABASE_URL: url.toString() });
    expect(run.code).toBe(1);
    const { error } = errorDocument(run);
    expect(error.code).toBe('connection');
    expect(error.message).toContain('127.0.0.1:1');
    expect(run.stdout + run.stderr).not.toContain('hunter2-secret');
  });
});
