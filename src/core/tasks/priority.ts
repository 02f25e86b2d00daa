import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority (nice 10), so that bulk work in a worker thread
 * (an import and its reader, an export) gives way to the thread that serves the windows when the
 * cores are busy. Linux only: there a thread is its own task with its own nice value, found from
 * /proc/thread-self. Elsewhere setPriority would lower the whole process, the windows' thread
 * included, so nothing is done. Best effort: failing to change it changes nothing else.
 */
export const BACKGROUND_NICE = 10;

export function lowerThreadPriority(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return false;
    setPriority(tid, BACKGROUND_NICE);
    return true;
  } catch {
    return false;
  }
}
