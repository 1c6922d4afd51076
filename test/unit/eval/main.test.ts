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
    const document = JSON.parse(run.stdout).parts.dev;
    expect(document.corpus.lines).toBe(2);
    expect(document.targets.map((t: { type: string }) => t.type)).toEqual(['EMAIL', 'IBAN', 'IP_ADDRESS', 'CREDIT_CARD', 'PHONE', 'PERSON', 'STREET_ADDRESS']);
    expect(Array.isArray(document.falsePositives)).toBe(true);
  });

  it('reports the development and the sealed part apart, or one of them, and checks without scoring', async () => {
    const parted = path.join(dir, 'parted');
    await mkdir(path.join(parted, 'dev'), { recursive: true });
    await mkdir(path.join(parted, 'sealed'), { recursive: true });
    await writeFile(path.join(parted, 'dev', 'en.txt'), 'mail [[EMAIL:jane@example.org]]\n');
    await writeFile(path.join(parted, 'sealed', 'en-world.txt'), 'mail [[EMAIL:li.wei@example.org]]\nand [[EMAIL:ana@example.org]]\n');
    const both = JSON.parse((await runEval(['--corpus', parted, '--json'])).stdout);
    expect(Object.keys(both.parts)).toEqual(['dev', 'sealed']);
    expect([both.parts.dev.corpus.lines, both.parts.sealed.corpus.lines]).toEqual([1, 2]);
    const sealed = JSON.parse((await runEval(['--corpus', parted, '--json', '--part', 'sealed'])).stdout);
    expect(Object.keys(sealed.parts)).toEqual(['sealed']);
    const text = await runEval(['--corpus', parted]);
    expect(text.stdout).toMatch(/^== Development part/m);
    expect(text.stdout).toMatch(/^== Sealed test part/m);
    const check = await runEval(['--corpus', parted, '--check']);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('sealed: 2 lines, 2 gold spans');
    expect(check.stdout).not.toMatch(/precision|PASS|FAIL/);
    expect((await runEval(['--corpus', parted, '--part', 'test'])).code).toBe(2);
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
