/**
 * Which process wrote an intent, told apart from any other process that may later have the
 * same PID: the host, the kernel's boot id (a reboot reuses PIDs), the PID and the process's
 * start time in clock ticks since boot (a container restarted as PID 1 is another process).
 * Nothing here is personal data; it lives in the audit store's pending table, never in the chain.
 */
import os from 'node:os';
import { bootId, hasProcFs, processStat } from '../process-info.js';

export interface JobOwner {
  host: string;
  /** /proc/sys/kernel/random/boot_id, or null where there is none (not Linux). */
  bootId: string | null;
  pid: number;
  /** Field 22 of /proc/<pid>/stat, or null where there is none. */
  startTicks: number | null;
}

/** This process. */
export function currentOwner(): JobOwner {
  // Read once per process (each intent records it: a batch writes thousands).
  if (owner?.pid !== process.pid) owner = { host: os.hostname(), bootId: bootId(), pid: process.pid, startTicks: processStat(process.pid)?.startTicks ?? null };
  return owner;
}

let owner: JobOwner | undefined;

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
  if (hasProcFs()) return true; // /proc works and the PID is gone.
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
    return {
      host: owner.host,
      pid: owner.pid,
      bootId: typeof owner.bootId === 'string' ? owner.bootId : null,
      startTicks: typeof owner.startTicks === 'number' ? owner.startTicks : null,
    };
  } catch {
    return undefined;
  }
}
