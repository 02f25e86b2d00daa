import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { acledFile, DATA_DIR } from './generate';
import { runShell } from './shell';

/**
 * `npx tsx bench/import-phases.ts [ROWS]` (default 100,000): where an import's time goes, beside
 * the SQLite shell's path on the same CSV, in one run. Prints the shell's steps, the import's
 * phases (bench/import-child.ts, in a child process of its own, the import in its worker) and a
 * second import of the same file (every row unchanged), each in wall time and in CPU time. A
 * quicker look than `npm run bench` at sizes of 100k to 300k rows; the CPU figures are the ones
 * to compare on a machine that other work shares.
 */
const rows = Number(process.argv[2] ?? 100_000);
type Phase = { phase: string; ms: number; cpuMs: number };
type Child = {
  ms: number;
  cpuMs: number;
  phases: Phase[];
  peakRssMb: number;
  loopMaxMs: number;
  loopP99Ms: number;
  imported: number;
  citations: number;
  again: { ms: number; cpuMs: number; phases: Phase[]; unchanged: number };
};

const data = acledFile(rows, 1);
const shell = runShell(data.path, join(DATA_DIR, `shell-${rows}.db`));
const child = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    join(import.meta.dirname, 'import-child.ts'),
    join(DATA_DIR, `phases-${rows}.casefile`),
    data.path,
    '--again',
  ],
  { encoding: 'utf8', maxBuffer: 1 << 24 },
);
if (child.status !== 0) {
  process.stderr.write(child.stderr);
  throw new Error(`the import failed (exit ${child.status})`);
}
const imp = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Child;

const s = (x: number | null) => (x === null ? '' : `${(x / 1000).toFixed(2)} s`);
const out = [
  `${rows.toLocaleString('en')} rows, ${(data.bytes / 1e6).toFixed(0)} MB; ${imp.imported} imported, ${imp.citations} citations`,
  '',
  '| step | wall | CPU |',
  '|---|---:|---:|',
];
for (const st of shell.steps) out.push(`| shell: ${st.step} | ${s(st.ms)} | ${s(st.cpuMs)} |`);
out.push(`| **shell, in all** | **${s(shell.ms)}** | **${s(shell.cpuMs)}** |`);
for (const p of imp.phases) out.push(`| import: ${p.phase} | ${s(p.ms)} | ${s(p.cpuMs)} |`);
out.push(
  `| **import, in all** (${(imp.ms / shell.ms).toFixed(1)}x the shell's wall, ${shell.cpuMs ? (imp.cpuMs / shell.cpuMs).toFixed(1) : '?'}x its CPU) | **${s(imp.ms)}** | **${s(imp.cpuMs)}** |`,
);
for (const p of imp.again.phases) out.push(`| re-import: ${p.phase} | ${s(p.ms)} | ${s(p.cpuMs)} |`);
out.push(
  `| **re-import, in all** (${imp.again.unchanged} unchanged; ${(imp.again.ms / imp.ms).toFixed(2)}x the first's wall, ${(imp.again.cpuMs / imp.cpuMs).toFixed(2)}x its CPU) | **${s(imp.again.ms)}** | **${s(imp.again.cpuMs)}** |`,
);
out.push(
  '',
  `First import: peak RSS ${imp.peakRssMb.toFixed(0)} MB; main thread's event loop blocked ${imp.loopMaxMs.toFixed(1)} ms at most (p99 ${imp.loopP99Ms.toFixed(1)} ms).`,
);
process.stdout.write(`${out.join('\n')}\n`);
