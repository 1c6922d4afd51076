/**
 * Which process wrote an intent, told apart from any other process that may later have the
 * same PID: the host, the kernel's boot id (a reboot reuses PIDs), the PID and the process's
 * start time in clock ticks since boot (a container restarted as PID 1 is another process).
 * Nothing here is personal data; it lives in the audit store's pending table, never in the chain.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface JobOwner {
  host: string;
  /** /proc/sys/kernel/random/boot_id, or null where there is none (not Linux). */
  bootId: string | null;
  pid: number;
  /** Field 22 of /proc/<pid>/stat, or null where there is none. */
  startTicks: number | null;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The start time of a process, in clock ticks since boot, and whether it is a zombie. */
function processStat(pid: number): { startTicks: number; zombie: boolean } | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces: fields are counted after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = Number(fields[19]);
  return Number.isFinite(startTicks) ? { startTicks, zombie: fields[0] === 'Z' } : undefined;
}

function bootId(): string | null {
  return readText('/proc/sys/kernel/random/boot_id')?.trim() || null;
}

/** This process. */
export function currentOwner(): JobOwner {
  return { host: os.hostname(), bootId: bootId(), pid: process.pid, startTicks: processStat(process.pid)?.startTicks ?? null };
}

/**
 * True when the owner has certainly ended, false when it may still run. Another host cannot
 * be asked (an audit store on a shared disk): its jobs may still run.
 */
export function ownerEnded(owner: JobOwner): boolean {
  if (owner.host !== os.hostname()) return false;
  const boot = bootId();
  if (owner.bootId !== null && boot !== null && owner.bootId !== boot) return true;
  const stat = processStat(owner.pid);
  if (stat) return stat.zombie || (owner.startTicks !== null && stat.startTicks !== owner.startTicks);
  if (readText('/proc/self/stat') !== undefined) return true; // /proc works and the PID is gone.
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function parseOwner(text: string): JobOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<JobOwner>;
    if (typeof owner.host !== 'string' || typeof owner.pid !== 'number') return undefined;
    return { host: owner.host, pid: owner.pid, bootId: typeof owner.bootId === 'string' ? owner.bootId : null, startTicks: typeof owner.startTicks === 'number' ? owner.startTicks : null };
  } catch {
    return undefined;
  }
}
