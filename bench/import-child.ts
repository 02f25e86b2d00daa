import { monitorEventLoopDelay } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { createCaseFileDb } from '../src/core/db/open';
import { importFile } from '../src/core/import/pipeline';

/**
 * One import, alone in its own process, so that its peak memory is the import's and nothing
 * else's: `node --import tsx bench/import-child.ts CASEFILE DATA` prints one JSON line.
 * The import runs in its worker thread (as in the app); this process's main thread only
 * receives progress, and its event loop is watched the whole time:
 * - monitorEventLoopDelay's maximum, less its 10 ms resolution: the histogram records the time
 *   between two of its samples, so an idle loop reads 10 ms and a loop blocked 30 ms reads 40
 *   (checked on Node 20); what is left is how long the loop was kept from running;
 * - a 10 ms interval probe of the same, and of the process's RSS (main thread + worker).
 */
const [caseFile, data] = process.argv.slice(2) as [string, string];
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

h.enable();
const t0 = performance.now();
const report = await importFile(caseFile, data, { author: 'bench', node: 'bench0000001', format: 'acled', inWorker: true });
const ms = performance.now() - t0;
h.disable();
clearInterval(probe);
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
process.stdout.write(
  `${JSON.stringify({
    ms,
    loopMaxMs: Math.max(0, h.max / 1e6 - RESOLUTION_MS),
    loopP99Ms: Math.max(0, h.percentile(99) / 1e6 - RESOLUTION_MS),
    driftMaxMs: maxDrift,
    peakRssMb: peakRss / 1024 / 1024,
    imported: report.imported,
    skipped: report.skipped,
    sources: report.sourcesCreated,
    citations: report.citationsCreated,
  })}\n`,
);
