import { readFile, writeFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';

describeEachDatabase('a broken data map', (target) => {
  const current = useDemoWorkspace(target, 10);
  it('names a strategy typo, a missing table and an unset variable in one run, exit 2, nothing changed', async () => {
    const demo = current.demo;
    const original = await readFile(demo.config, 'utf8');
    const broken = original
      .replace('body: { category: content, strategy: redact }', 'body: { category: content, strategy: redcat }')
      .replace('  consents:\n', '  consent_log:\n')
      .replace('key: ${LETHE_KEY:-demo-key-not-for-production-use-only}', 'key: ${LETHE_SECRET_KEY}');
    const file = `${demo.dir}/broken.yml`;
    await writeFile(file, broken);
    const run = await demo.run(['--config', file, 'anonymize', 'jane.doe@example.com', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/tables\.messages\.columns\.body\.strategy: unknown strategy "redcat"/);
    expect(run.stderr).toMatch(/tables\.consent_log: table "consent_log" does not exist in the database/);
    expect(run.stderr).toMatch(/secrets\.key: environment variable LETHE_SECRET_KEY is not set/);
    const users = await demo.query((db) => db('users').where('id', 1).pluck('email'));
    expect(users).toEqual(['jane.doe@example.com']);
  });

  it('never prints the secret key', async () => {
    const run = await current.demo.run(['--debug', 'find', 'jane.doe@example.com', '--json'], { env: { LETHE_KEY: 's3cret-k3y-value-0123456789abcdef' } });
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('s3cret-k3y-value');
    // A key refused as too short is not printed either.
    const short = await current.demo.run(['find', 'jane.doe@example.com'], { env: { LETHE_KEY: 'sh0rt-s3cret' } });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/secrets.key: the key has 12 bytes/);
    expect(short.stdout + short.stderr).not.toContain('sh0rt-s3cret');
  });
});
