/**
 * What Linux says of a process, read from /proc: enough to tell a running process from one
 * that died and whose PID was reused (after a reboot, or as PID 1 of another container).
 * Elsewhere these read as unknown.
 */
import { readFileSync } from 'node:fs';

// USER_HZ: the unit of /proc's times. 100 on every Linux architecture lethe runs on.
const CLOCK_TICKS_PER_SECOND = 100;

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The start time of a process, in clock ticks since boot, and whether it is a zombie; undefined when there is no such process (or no /proc). */
export function processStat(pid: number): { startTicks: number; zombie: boolean } | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces or parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = Number(fields[19]);
  return Number.isFinite(startTicks) ? { startTicks, zombie: fields[0] === 'Z' } : undefined;
}

/** /proc/sys/kernel/random/boot_id: changes at every boot. */
export function bootId(): string | null {
  return readText('/proc/sys/kernel/random/boot_id')?.trim() || null;
}

/** Whether /proc can be read at all (Linux). */
export function hasProcFs(): boolean {
  return readText('/proc/self/stat') !== undefined;
}

/** When a running process started (to the second), or undefined when that cannot be known. */
export function processStartedAt(pid: number): Date | undefined {
  const stat = processStat(pid);
  const btime = /^btime (\d+)$/m.exec(readText('/proc/stat') ?? '')?.[1];
  if (!stat || btime === undefined) return undefined;
  return new Date((Number(btime) + stat.startTicks / CLOCK_TICKS_PER_SECOND) * 1000);
}

/** The command line of a running process, its arguments joined by spaces; undefined when it cannot be read. */
export function processCommandLine(pid: number): string | undefined {
  return readText(`/proc/${pid}/cmdline`)?.replaceAll('\0', ' ').trim();
}
