import { chmod, readFile, rm, stat } from 'node:fs/promises';
import Database from 'better-sqlite3';
import os from 'node:os';
import { processCommandLine, processStartedAt } from '../process-info.js';
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

interface LockFileContent {
  pid: number;
  host: string;
  since: string;
}

// A lock file still empty this long after it was created belongs to a process that died while writing it.
const EMPTY_LOCK_GRACE_MS = 10_000;

/**
 * An exclusive lock held by the operating system for as long as this process lives: an
 * EXCLUSIVE transaction on a small SQLite file beside the database. SQLite's file locks
 * (fcntl) are dropped by the kernel when their process dies, however it dies and whatever
 * PID namespace it ran in, so a lock left by a SIGKILLed sweep that ran as PID 1 in a
 * container is free again, with no PID to guess about. The file stays (removing a lock file
 * another process may be opening is a race); it holds no data.
 */
export async function tryLockFile(file: string): Promise<JobLock | undefined> {
  // An earlier lethe wrote the holder's pid as JSON here: take that over only when it is stale.
  if (await isLegacyLockFile(file)) {
    if (!(await isStale(file))) return undefined;
    await rm(file, { force: true });
  }
  const db = new Database(file, { timeout: 0 });
  try {
    await chmod(file, 0o600);
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

/** A lock file of lethe before this version: the holder as JSON (an empty file is a SQLite lock file, or nothing). */
async function isLegacyLockFile(file: string): Promise<boolean> {
  const head = await readFile(file).catch(() => undefined);
  return head !== undefined && head[0] === 0x7b;
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
  if (await isZombie(holder.pid)) return true;
  // The PID now runs something that is not lethe: the holder died and its PID was reused, or
  // it was PID 1 of a container and this PID 1 is another namespace's init.
  const command = processCommandLine(holder.pid);
  if (command !== undefined && command !== '' && !/lethe/i.test(command)) return true;
  // A process that started after the lock was taken is not its holder: the PID was reused (a
  // container restarted, whose new PID 1 is not the sweep that was killed as PID 1).
  const started = processStartedAt(holder.pid);
  const since = typeof holder.since === 'string' ? Date.parse(holder.since) : Number.NaN;
  return started !== undefined && Number.isFinite(since) && started.getTime() > since + PID_START_SLACK_MS;
}

// /proc gives a start time to the clock tick, from the boot time to the second: a margin against rounding.
const PID_START_SLACK_MS = 2_000;

/** A killed process stays in the process table until its parent reaps it; it holds nothing any more. */
async function isZombie(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // The state follows the command name in parentheses, which may itself contain spaces or parentheses.
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
}
