import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLethe } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

let demo: DemoWorkspace;
beforeAll(async () => {
  demo = await createDemoWorkspace(10);
});
afterAll(async () => {
  await demo.cleanup();
});

describe('a broken data map', () => {
  it('names a strategy typo, a missing table and an unset variable in one run, exit 2, nothing changed', async () => {
    const original = await readFile(demo.config, 'utf8');
    const broken = original
      .replace('body: { category: content, strategy: redact }', 'body: { category: content, strategy: redcat }')
      .replace('  consents:\n', '  consent_log:\n')
      .replace('key: ${LETHE_KEY:-demo-key-not-for-production}', 'key: ${LETHE_SECRET_KEY}');
    const file = `${demo.dir}/broken.yml`;
    await writeFile(file, broken);
    const run = await runLethe(['--config', file, 'anonymize', 'jane.doe@example.com', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/tables\.messages\.columns\.body\.strategy: unknown strategy "redcat"/);
    expect(run.stderr).toMatch(/tables\.consent_log: table "consent_log" does not exist in the database/);
    expect(run.stderr).toMatch(/secrets\.key: environment variable LETHE_SECRET_KEY is not set/);
    const users = await demo.query((db) => db('users').where('id', 1).pluck('email'));
    expect(users).toEqual(['jane.doe@example.com']);
  });

  it('never prints the secret key', async () => {
    const run = await runLethe(['--config', demo.config, '--debug', 'find', 'jane.doe@example.com', '--json'], { env: { LETHE_KEY: 's3cret-k3y-value' } });
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('s3cret-k3y-value');
  });
});
