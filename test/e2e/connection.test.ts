import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot, runLethe } from '../support/cli.js';
import { describeEachDatabase } from '../support/databases.js';

const servers = { postgres: process.env.LETHE_TEST_PG_URL, mysql: process.env.LETHE_TEST_MYSQL_URL } as const;

describeEachDatabase('connection failures', (target) => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-conn-'));
    config = path.join(dir, 'lethe.yml');
    await copyFile(path.join(repoRoot, 'fixtures/demo', target.client === 'sqlite' ? 'lethe.yml' : `lethe.${target.client}.yml`), config);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const serverUrl = () => new URL(servers[target.client as 'postgres' | 'mysql']!);
  const find = (url: URL | string) => runLethe(['--config', config, 'find', 'jane.doe@example.com'], { env: { DATABASE_URL: String(url) } });

  it.runIf(target.client === 'sqlite')('a missing SQLite file is one sentence and exit 1', async () => {
    const run = await find('');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: The SQLite database .*demo\.db does not exist\.$/m);
  });

  it.runIf(target.client !== 'sqlite')('a closed port: exit 1, one sentence naming host and port, no password', async () => {
    const url = serverUrl();
    url.port = '1';
    url.password = 'hunter2-secret';
    const run = await find(url);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('127.0.0.1:1');
    expect(run.stderr).not.toContain('hunter2-secret');
    expect(run.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });

  it.runIf(target.client !== 'sqlite')('a database that does not exist is named as such', async () => {
    const url = serverUrl();
    url.pathname = '/lethe_no_such_database';
    const run = await find(url);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/lethe_no_such_database/);
    expect(run.stderr).toMatch(/does not exist/);
  });

  // PostgreSQL on this machine trusts local connections, so a wrong password cannot be
  // produced there; MariaDB checks root's (empty) password.
  it.runIf(target.client === 'mysql')('a wrong password: exit 1, and the password is never printed', async () => {
    const url = serverUrl();
    url.password = 'wrong-Pa55word';
    const run = await runLethe(['--config', config, '--debug', 'find', 'jane.doe@example.com'], { env: { DATABASE_URL: String(url) } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/authentication|access denied|password/i);
    expect(run.stderr).toContain(`${url.hostname}:${url.port || 3306}`);
    expect(run.stderr).not.toContain('wrong-Pa55word');
  });
});
