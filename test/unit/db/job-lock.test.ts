import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialectFor, openDatabase } from '../../../src/db/connect.js';
import type { Dialect } from '../../../src/db/dialect.js';
import { repoRoot } from '../../support/cli.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

/** Polls until `ready` holds (a spawned process has exec'd), within a generous bound. */
async function waitFor(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ready(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!ready()) throw new Error('timed out');
}

describeEachDatabase('tryJobLock', (target) => {
  let database: TestDatabase;
  let dialect: Dialect;
  let other: Knex;

  beforeAll(async () => {
    database = await target.create();
    dialect = dialectFor(target.client);
    // A second client of the same database, as another lethe process would be.
    other = target.client === 'sqlite' ? database.knex : openDatabase({ client: target.client, connection: database.connection });
  });
  afterAll(async () => {
    if (other !== database?.knex) await other?.destroy();
    await database?.drop();
  });

  it('refuses a held lock without waiting and grants it again after release', async () => {
    const first = await dialect.tryJobLock(database.knex, 'sweep', database.connection);
    expect(first).toBeDefined();
    try {
      // Nobody releases the lock before the finally below: a tryJobLock that waited for it would
      // never return here, so answering at all is answering without waiting.
      expect(await dialect.tryJobLock(database.knex, 'sweep', database.connection)).toBeUndefined();
      expect(await dialect.tryJobLock(other, 'sweep', database.connection)).toBeUndefined();
      // Another job name is another lock.
      const unrelated = await dialect.tryJobLock(other, 'export', database.connection);
      expect(unrelated).toBeDefined();
      await unrelated!.release();
    } finally {
      await first!.release();
    }
    await first!.release(); // twice is harmless
    const second = await dialect.tryJobLock(other, 'sweep', database.connection);
    expect(second).toBeDefined();
    await second!.release();
  });

  it('takes a lock with a name too long for GET_LOCK', async () => {
    const name = `anonymize-${'x'.repeat(100)}`;
    const lock = await dialect.tryJobLock(database.knex, name, database.connection);
    expect(lock).toBeDefined();
    expect(await dialect.tryJobLock(other, name, database.connection)).toBeUndefined();
    await lock!.release();
  });

  it('leaves the pool usable: queries run while a lock is held, and the lock connection comes back', async () => {
    const locks = await Promise.all(['a', 'b', 'c'].map((name) => dialect.tryJobLock(database.knex, name, database.connection)));
    expect(locks.every(Boolean)).toBe(true);
    expect(await dialect.listTables(database.knex)).toEqual(expect.any(Array));
    await Promise.all(locks.map((lock) => lock!.release()));
  });

  it.runIf(target.client === 'sqlite')('holds an operating-system lock on a file beside the database, which a killed holder leaves free', async () => {
    const file = `${database.connection}.sweep.lethe-lock`;
    // Another process takes the lock and is killed with it held (as a sweep running as PID 1 in a container would be).
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      import { tryLockFile } from ${JSON.stringify(path.join(repoRoot, 'dist/src/db/job-lock.js'))};
      const lock = await tryLockFile(${JSON.stringify(file)});
      console.log(lock ? 'held' : 'refused');
      setInterval(() => {}, 1000);
    `,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const said = await new Promise<string>((resolve) => holder.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    expect(said).toBe('held');
    expect(await dialect.tryJobLock(database.knex, 'sweep', database.connection)).toBeUndefined();
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('close', resolve));
    const takenOver = await dialect.tryJobLock(database.knex, 'sweep', database.connection);
    expect(takenOver).toBeDefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await takenOver!.release();
  });

  it.runIf(target.client === 'sqlite')('takes over a lock file of an earlier lethe whose process is gone, not one whose process runs', async () => {
    const file = `${database.connection}.sweep.lethe-lock`;
    rmSync(file, { force: true });
    const gone = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited
    writeFileSync(file, JSON.stringify({ pid: gone, host: os.hostname(), since: '2020-01-01T00:00:00.000Z' }));
    const takenOver = await dialect.tryJobLock(database.knex, 'sweep', database.connection);
    expect(takenOver).toBeDefined();
    await takenOver!.release();

    // A live lethe process, started before it took the lock, holds it: not stale.
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000) // bin/lethe.js sweep'], { stdio: 'ignore' });
    try {
      await waitFor(() => readFileSync(`/proc/${holder.pid}/cmdline`, 'utf8').includes('lethe'));
      writeFileSync(file, JSON.stringify({ pid: holder.pid, host: os.hostname(), since: new Date(Date.now() + 5000).toISOString() }));
      expect(await dialect.tryJobLock(database.knex, 'sweep', database.connection)).toBeUndefined();
    } finally {
      holder.kill('SIGKILL');
    }
    // A PID that now runs something other than lethe: the lock of a sweep killed as PID 1 of
    // a container, read where PID 1 is another namespace's init.
    const init = readFileSync('/proc/1/cmdline', 'utf8');
    if (!/lethe/i.test(init)) {
      writeFileSync(file, JSON.stringify({ pid: 1, host: os.hostname(), since: new Date().toISOString() }));
      const afterContainer = await dialect.tryJobLock(database.knex, 'sweep', database.connection);
      expect(afterContainer).toBeDefined();
      await afterContainer!.release();
    }
    // A lethe process that started after the lock was taken is not its holder either.
    const late = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000) // bin/lethe.js sweep'], { stdio: 'ignore' });
    try {
      await waitFor(() => readFileSync(`/proc/${late.pid}/cmdline`, 'utf8').includes('lethe'));
      writeFileSync(file, JSON.stringify({ pid: late.pid, host: os.hostname(), since: '2020-01-01T00:00:00.000Z' }));
      const reused = await dialect.tryJobLock(database.knex, 'sweep', database.connection);
      expect(reused).toBeDefined();
      await reused!.release();
    } finally {
      late.kill('SIGKILL');
    }
    // So does a process on another host, which cannot be checked from here.
    writeFileSync(file, JSON.stringify({ pid: gone, host: `not-${os.hostname()}`, since: new Date().toISOString() }));
    expect(await dialect.tryJobLock(database.knex, 'sweep', database.connection)).toBeUndefined();
    rmSync(file, { force: true });
  });
});
