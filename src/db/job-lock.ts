import { open, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import type { Knex } from 'knex';
import type { JobLock } from './dialect.js';

interface ServerLock {
  /** Tries the lock on `conn`; true when it is now held. */
  take(conn: unknown): Promise<boolean>;
  give(conn: unknown): PromiseLike<unknown>;
}

/**
 * A server's session-level lock (pg_try_advisory_lock, GET_LOCK) lives as long as its
 * connection: take one connection out of the pool and keep it until release. If the process
 * dies, the server drops the lock with the connection. knex.destroy() waits for the held
 * connection, so release on every exit path.
 */
export async function holdOnDedicatedConnection(knex: Knex, lock: ServerLock): Promise<JobLock | undefined> {
  const conn: unknown = await knex.client.acquireConnection();
  let taken = false;
  try {
    taken = await lock.take(conn);
  } finally {
    if (!taken) await knex.client.releaseConnection(conn);
  }
  if (!taken) return undefined;
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await lock.give(conn);
      } finally {
        await knex.client.releaseConnection(conn);
      }
    },
  };
}

interface LockFileContent { pid: number; host: string; since: string }

// A lock file still empty this long after it was created belongs to a process that died while writing it.
const EMPTY_LOCK_GRACE_MS = 10_000;

/**
 * An exclusive lock file (created with O_EXCL), holding the owner's pid, host and start time.
 * A lock whose process no longer runs on this host is stale and taken over.
 */
export async function tryLockFile(file: string): Promise<JobLock | undefined> {
  const content = JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() } satisfies LockFileContent);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      return fileLock(file, content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!(await isStale(file))) return undefined;
      // Two processes may both find the same stale file; the O_EXCL create above decides between them
      // (a narrow window remains in which one removes the other's fresh file).
      await rm(file, { force: true });
    }
  }
  return undefined;
}

function fileLock(file: string, content: string): JobLock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      // Only remove the file if it is still ours.
      const current = await readFile(file, 'utf8').catch(() => undefined);
      if (current === content) await rm(file, { force: true });
    },
  };
}

async function isStale(file: string): Promise<boolean> {
  let holder: Partial<LockFileContent>;
  try {
    holder = JSON.parse(await readFile(file, 'utf8')) as Partial<LockFileContent>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    const info = await stat(file).catch(() => undefined);
    return info === undefined || Date.now() - info.mtimeMs > EMPTY_LOCK_GRACE_MS;
  }
  // A pid means nothing on another host (a database on a shared disk): treat that lock as held.
  if (holder.host !== os.hostname() || typeof holder.pid !== 'number') return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return isZombie(holder.pid);
}

/** A killed process stays in the process table until its parent reaps it; it holds nothing any more. */
async function isZombie(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // The state follows the command name in parentheses, which may itself contain spaces or parentheses.
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
}
