import { monitorEventLoopDelay } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { createCaseFileDb } from '../src/core/db/open';
import { importFile } from '../src/core/import/pipeline';

/**
 * One import, alone in its own process, so that its peak memory is the import's and nothing
 * else's: `node --import tsx bench/import-child.ts CASEFILE DATA [--again]` prints one JSON line.
 * The import runs in its worker thread (as in the app); this process's main thread only
 * receives progress, and its event loop is watched the whole time:
 * - monitorEventLoopDelay's maximum, less its 10 ms resolution: the histogram records the time
 *   between two of its samples, so an idle loop reads 10 ms and a loop blocked 30 ms reads 40
 *   (checked on Node 20); what is left is how long the loop was kept from running;
 * - a 10 ms interval probe of the same, and of the process's RSS (main thread + worker).
 * Each phase the import reports (reading and writing the rows, logging, indexes, summaries,
 * search, statistics, commit) is timed from its progress messages, in wall time and in the
 * process's CPU time (every thread): on a machine shared with other work, CPU time moves far less
 * than wall time from one minute to the next. `--again` then imports the same file a second time
 * (every row unchanged) and reports that beside the first.
 */
const [caseFile, data] = process.argv.slice(2) as [string, string];
const again = process.argv.includes('--again');
for (const s of ['', '-wal', '-shm']) rmSync(caseFile + s, { force: true });
createCaseFileDb(caseFile).close();

const RESOLUTION_MS = 10;
const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
let last = performance.now();
let maxDrift = 0;
let peakRss = process.memoryUsage.rss();
const probe = setInterval(() => {
  const now = performance.now();
  maxDrift = Math.max(maxDrift, now - last - 10);
  last = now;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 10);

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
type Phase = { phase: string; ms: number; cpuMs: number };

/** One import, timed as a whole and phase by phase ("rows": reading, mapping and writing them). */
async function timedImport() {
  const phases: Phase[] = [];
  let name = 'rows';
  let at = performance.now();
  let cpuAt = cpuMs();
  const t0 = at;
  const c0 = cpuAt;
  const next = (phase: string) => {
    const t = performance.now();
    const c = cpuMs();
    const prev = phases.find((p) => p.phase === name);
    if (prev) {
      prev.ms += t - at;
      prev.cpuMs += c - cpuAt;
    } else phases.push({ phase: name, ms: t - at, cpuMs: c - cpuAt });
    name = phase;
    at = t;
    cpuAt = c;
  };
  const report = await importFile(caseFile, data, {
    author: 'bench',
    node: 'bench0000001',
    format: 'acled',
    inWorker: true,
    // "building indexes (3 of 11)" and the others count as one phase each.
    onProgress: (p) => {
      const phase = p.phase?.replace(/ \(\d+ of \d+\)$/, '') ?? 'rows';
      if (phase !== name) next(phase);
    },
  });
  next('end');
  return { ms: performance.now() - t0, cpuMs: cpuMs() - c0, phases, report };
}

h.enable();
const first = await timedImport();
h.disable();
clearInterval(probe);
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
const second = again ? await timedImport() : null;
const r = first.report;
process.stdout.write(
  `${JSON.stringify({
    ms: first.ms,
    cpuMs: first.cpuMs,
    phases: first.phases,
    loopMaxMs: Math.max(0, h.max / 1e6 - RESOLUTION_MS),
    loopP99Ms: Math.max(0, h.percentile(99) / 1e6 - RESOLUTION_MS),
    driftMaxMs: maxDrift,
    peakRssMb: peakRss / 1024 / 1024,
    imported: r.imported,
    skipped: r.skipped,
    sources: r.sourcesCreated,
    citations: r.citationsCreated,
    ...(second
      ? {
          again: {
            ms: second.ms,
            cpuMs: second.cpuMs,
            phases: second.phases,
            unchanged: second.report.unchanged,
            updated: second.report.updated,
            imported: second.report.imported,
          },
        }
      : {}),
  })}\n`,
);
