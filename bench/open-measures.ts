import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../src/core/session';
import type { Row } from './grid-measures';

/** CPU time of this process and of its children that ended (the check runs in a child process), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  let children = 0;
  try {
    // /proc/self/stat: fields 16 and 17 (cutime, cstime), in clock ticks of 10 ms.
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    children = (Number(f[13]) + Number(f[14])) * 10;
  } catch {
    /* not Linux: this process alone */
  }
  return (u.user + u.system) / 1000 + children;
}

const sec = (x: number) => `${(x / 1000).toFixed(1)} s`;

/**
 * Opening a case file as the app does (Session.openChecked), measured back to back on the same
 * file: the full check before the first page (a file from anyone else, or the analyst's own
 * changed since the app closed it: quick_check in a worker, then the open), then the analyst's
 * own file unchanged since the app closed it, which opens after the cheap checks while the same
 * quick_check runs in the background, and how long that background check takes to report.
 * Wall and CPU time (this process and the checking child) for each.
 */
export async function openMeasures(path: string): Promise<Row[]> {
  const config = mkdtempSync(join(tmpdir(), 'casefile-bench-'));
  const s = new Session(config, 'browser');
  try {
    let c0 = cpuMs();
    let t0 = performance.now();
    await s.openChecked(path);
    const full = { ms: performance.now() - t0, cpu: cpuMs() - c0 };
    s.close();

    let reported: () => void = () => undefined;
    const done = new Promise<void>((r) => (reported = r));
    const off = s.subscribe((event, payload) => {
      if (event === 'file.checked') {
        if (!(payload as { ok: boolean }).ok)
          throw new Error(`the background check failed: ${JSON.stringify(payload)}`);
        reported();
      }
    });
    c0 = cpuMs();
    t0 = performance.now();
    await s.openChecked(path);
    const fast = { ms: performance.now() - t0, cpu: cpuMs() - c0 };
    await done;
    const background = { ms: performance.now() - t0, cpu: cpuMs() - c0 };
    off();
    return [
      {
        measure: `open a case file with the full check before the first page (anyone else's file, or one changed since the app closed it): CPU ${sec(full.cpu)}`,
        ms: full.ms,
        targetMs: null,
      },
      {
        measure: `open the analyst's own case file, unchanged since the app closed it: the cheap checks, then the first page can show (CPU ${sec(fast.cpu)}; ${((fast.ms / full.ms) * 100).toFixed(0)}% of the full check's wall time)`,
        ms: fast.ms,
        targetMs: 5000,
      },
      {
        measure: `its quick_check in the background, writes held, until reported (CPU ${sec(background.cpu)})`,
        ms: background.ms,
        targetMs: null,
      },
    ];
  } finally {
    s.close();
    rmSync(config, { recursive: true, force: true });
  }
}
