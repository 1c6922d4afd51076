import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/cli.js';

// The built script, as `npm run eval:detect` runs it (npm test builds first).
const script = path.join(repoRoot, 'dist', 'eval', 'main.js');

async function runEval(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run eval:detect', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lethe-eval-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scores the corpus and exits 0 whatever the figures', async () => {
    await writeFile(path.join(dir, 'en.txt'), 'mail [[EMAIL:jane@example.org]], IBAN [[IBAN:DE89 3704 0044 0532 0130 00]]\norder [[!ORDER:40321877]]\n');
    const run = await runEval(['--corpus', dir, '--json', '--verbose']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document.corpus.lines).toBe(2);
    expect(document.targets.map((t: { type: string }) => t.type)).toEqual(['EMAIL', 'IBAN', 'CREDIT_CARD', 'IP_ADDRESS', 'PHONE', 'PERSON']);
    expect(Array.isArray(document.falsePositives)).toBe(true);
  });

  it('prints the tables and a PASS or FAIL per target', async () => {
    const run = await runEval(['--corpus', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^type +gold +tp +fp +fn +precision +recall +F2$/m);
    expect(run.stdout).toMatch(/^(PASS|FAIL) {2}EMAIL/m);
  });

  it('exits 2 and lists every problem when the corpus is malformed', async () => {
    const bad = path.join(dir, 'bad');
    await rm(bad, { recursive: true, force: true });
    await mkdir(bad);
    await writeFile(path.join(bad, 'en.txt'), 'card [[CREDIT_CARD:4111 1111 1111 1112]]\n[[NOPE:x]]\n');
    const run = await runEval(['--corpus', bad]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('en.txt:1: gold CREDIT_CARD "4111 1111 1111 1112": fails the Luhn check');
    expect(run.stderr).toContain('en.txt:2: "[[NOPE:x]]": unknown type NOPE');
  });

  it('exits 2 on an unknown option', async () => {
    const run = await runEval(['--frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: npm run eval:detect');
  });
});
