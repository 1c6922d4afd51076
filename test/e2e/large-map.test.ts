import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largeMap } from '../../bench/map-scale.js';
import { startLethe } from '../support/cli.js';

/**
 * A data map of 100,000 tables takes seconds to read: Ctrl-C must work meanwhile (it used to be
 * heard only once the whole check had run, and then ignored). The map is handed over through
 * a named pipe: once lethe has opened it, it is reading the map, so the signal sent right after
 * the map was written falls inside the reading, on any machine, however fast or loaded.
 */
describe.runIf(process.platform !== 'win32')('Ctrl-C while a large data map is read', () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-large-map-'));
    config = path.join(dir, 'lethe.yml');
    execFileSync('mkfifo', [config]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stops with exit 130, having done nothing', async () => {
    const run = startLethe(['check', '--config', config]);
    // Opening the pipe for writing waits until lethe opens it for reading.
    await writeFile(config, largeMap(100_000, './missing.db'));
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.stderr).toMatch(/Interrupted while the (data map|database schema) was read; nothing was done/);
    expect(result.code).toBe(130);
    expect(existsSync(path.join(dir, 'missing.db'))).toBe(false);
  });
});
