import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { acledFile, DATA_DIR } from './generate';
import { createCaseFileDb } from '../src/core/db/open';
import { runBaseline, runFloor } from './baseline';
import { runShell } from './shell';
import { gridMeasures, searchMeasures, type Row } from './grid-measures';
import { editMeasures } from './edit-measures';
import { openMeasures } from './open-measures';

/**
 * `npm run bench` (`-- --quick`: 100k rows only). Generates ACLED-layout CSVs of 100k and 1M
 * rows into bench/.data/ (kept for later runs), then prints ONE markdown table: the import of the
 * largest against a plain baseline measured in the same run, the main thread's event loop and
 * the process's memory during that import, the SQLite shell's path on the same CSV (bench/shell.ts),
 * the grid's queries, and the dashboard's aggregates
 * (bench/dashboard.ts, when present). Each figure is beside its target.
 *
 * `-- --quick --only edit`: the edit row alone (one edit and every reread it triggers), on the
 * case file an earlier run imported (imported first if there is none); no other row is measured.
 * `--only open` and `--only search` likewise: opening the case file (bench/open-measures.ts), and
 * the Best matches ranking.
 * `--only import --rows 3000000`: one import alone, of a CSV of that many rows (a global ACLED
 * export's size), for its time, peak memory and event loop; no shell, baseline or re-import.
 *
 * `-- --hub`: the team hub (bench/hub.ts) against a throwaway PostgreSQL cluster, its own table.
 */
const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? null : (process.argv[onlyAt + 1] ?? '');
const ALONE = ['edit', 'open', 'search', 'import'];
if (only !== null && !ALONE.includes(only))
  throw new Error(`--only "${only}": the rows that run alone are ${ALONE.join(', ')}`);
const rowsAt = process.argv.indexOf('--rows');
const ROWS = rowsAt !== -1 ? Number(process.argv[rowsAt + 1]) : quick ? 100_000 : 1_000_000;
if (!Number.isSafeInteger(ROWS) || ROWS < 1000)
  throw new Error(`--rows "${process.argv[rowsAt + 1]}": a whole number of rows, 1000 or more`);
const SEED = 1;
const t00 = performance.now();
const log = (s: string) => process.stderr.write(`[bench ${((performance.now() - t00) / 1000).toFixed(0)}s] ${s}\n`);

// `-- --hub`: the team hub's own table (bench/hub.ts), nothing else measured.
if (process.argv.includes('--hub')) {
  const { runHubBench } = await import('./hub');
  const { lines: hub, sizes } = await runHubBench(quick, log);
  const table = [
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.version}, ${process.platform}. Team hub: ${sizes}. Run ${new Date().toISOString().slice(0, 10)}, ${((performance.now() - t00) / 1000).toFixed(0)} s in all.`,
    '',
    '| measure | time | peak memory of the laptop process |',
    '|---|---:|---:|',
    ...hub.map((l) => `| ${l.measure} | ${l.value} | ${l.memory} |`),
  ].join('\n');
  writeFileSync(join(DATA_DIR, `last-run-hub${quick ? '-quick' : ''}.md`), `${table}\n`);
  process.stdout.write(`${table}\n`);
  process.exit(0);
}

type Line = { measure: string; value: string; target: string; ratio: string; ok: boolean | null };
const lines: Line[] = [];
const ms = (x: number) =>
  x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`;
const sec = (x: number) => `${(x / 1000).toFixed(1)} s`;
const add = (r: Row) =>
  lines.push({
    measure: r.measure,
    value: ms(r.ms),
    target: r.targetMs === null ? '(no target)' : `≤ ${ms(r.targetMs)}`,
    ratio: '',
    ok: r.targetMs === null ? null : r.ms <= r.targetMs,
  });

/** The case file of ROWS imported incidents: imported by importFile in a child process of its own (bench/import-child.ts). */
type ImportRun = {
  ms: number;
  cpuMs: number;
  again?: { ms: number; cpuMs: number; unchanged: number };
  loopMaxMs: number;
  loopP99Ms: number;
  driftMaxMs: number;
  peakRssMb: number;
  imported: number;
  skipped: number;
  sources: number;
  citations: number;
};

/** Imports `data` into a new case file in a child process (its own memory and event loop); `again` re-imports it after. */
function importCaseFile(caseFile: string, data: string, again = false): ImportRun {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'import-child.ts'), caseFile, data, ...(again ? ['--again'] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) {
    process.stderr.write(child.stderr);
    throw new Error(`the import failed (exit ${child.status})`);
  }
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ImportRun;
}

if (only === 'import') {
  const N = ROWS.toLocaleString('en');
  const f = acledFile(ROWS, SEED);
  log(`data: ${f.path}: ${(f.bytes / 1e6).toFixed(0)} MB${f.reused ? ' (reused)' : `, written in ${ms(f.ms)}`}`);
  const caseFile = join(DATA_DIR, `bench-${ROWS}.casefile`);
  log(`import: ${N} rows, importFile in its worker, in a child process (its own memory and event loop)`);
  const imp = importCaseFile(caseFile, f.path);
  const gb = (p: string) => (existsSync(p) ? statSync(p).size / 1024 ** 3 : 0);
  log(`  ${ms(imp.ms)}: ${imp.imported} imported, ${imp.skipped} skipped, ${imp.citations} citations`);
  lines.push({
    measure: `import ${N} ACLED rows alone (${imp.imported.toLocaleString('en')} imported, ${imp.skipped} skipped; the case file ${gb(caseFile).toFixed(1)} GB, its write-ahead log ${gb(`${caseFile}-wal`).toFixed(1)} GB), CPU ${sec(imp.cpuMs)}`,
    value: ms(imp.ms),
    target: 'completes',
    ratio: '',
    ok: imp.imported + imp.skipped === ROWS,
  });
  lines.push({
    measure: `main thread's event loop during the ${N}-row import: longest block (p99 ${imp.loopP99Ms.toFixed(1)} ms, target ≤ 10 ms; 10 ms probe ${imp.driftMaxMs.toFixed(1)} ms late at worst)`,
    value: ms(imp.loopMaxMs),
    target: '≤ 50 ms',
    ratio: '',
    ok: imp.loopMaxMs <= 50 && imp.loopP99Ms <= 10,
  });
  lines.push({
    measure: `peak RSS of the process (main thread + import worker) during the ${N}-row import`,
    value: `${imp.peakRssMb.toFixed(0)} MB`,
    target: '< 1024 MB',
    ratio: '',
    ok: imp.peakRssMb < 1024,
  });
  printTable();
  process.exit(0);
}

if (only !== null) {
  const caseFile = join(DATA_DIR, `bench-${ROWS}.casefile`);
  if (!existsSync(caseFile)) {
    log(`no ${caseFile} yet: importing ${ROWS.toLocaleString('en')} rows`);
    importCaseFile(caseFile, acledFile(ROWS, SEED).path);
  }
  if (only === 'edit') {
    log('edit: one edit and every reread it triggers');
    for (const r of await editMeasures(caseFile)) add(r);
  } else if (only === 'open') {
    log('open: the full check first, then the fast path of an unchanged own file');
    for (const r of await openMeasures(caseFile)) add(r);
  } else {
    log('search: the Best matches ranking, afresh and asked again');
    const db = new Database(caseFile, { readonly: true });
    for (const r of await searchMeasures(db)) add(r);
    db.close();
  }
  printTable();
  process.exit(0);
}

log(`data: ACLED CSVs of ${quick ? '100k' : '100k and 1M'} rows in ${DATA_DIR}`);
const files = [acledFile(100_000, SEED), ...(quick ? [] : [acledFile(1_000_000, SEED)])];
for (const f of files)
  log(`  ${f.path}: ${(f.bytes / 1e6).toFixed(0)} MB${f.reused ? ' (reused)' : `, written in ${ms(f.ms)}`}`);
const data = files.at(-1)!.path;

log(`baseline: ${ROWS.toLocaleString('en')} rows, one prepared statement, one transaction, no index`);
const base = runBaseline(join(DATA_DIR, 'baseline.db'), ROWS, SEED);
log(`  ${ms(base.ms)}`);
log("floor: the baseline's file given the incidents' indexes, search index and ANALYZE");
const schemaFile = join(DATA_DIR, 'schema.casefile');
for (const s of ['', '-wal', '-shm']) rmSync(schemaFile + s, { force: true });
createCaseFileDb(schemaFile).close();
const floor = runFloor(join(DATA_DIR, 'baseline.db'), schemaFile);
log(`  ${ms(floor.ms)}`);

log("shell: Debian's sqlite3, .import --csv, five indexes, FTS5, ANALYZE (the path an analyst would take instead)");
const shell = runShell(data, join(DATA_DIR, 'shell.db'));
log(`  ${ms(shell.ms)} (SQLite ${shell.version})`);

log('import: importFile in its worker, in a child process (its own memory and event loop)');
const caseFile = join(DATA_DIR, `bench-${ROWS}.casefile`);
const imp = importCaseFile(caseFile, data, true);
const again = imp.again!;
log(
  `  ${ms(imp.ms)}: ${imp.imported} imported, ${imp.skipped} skipped, ${imp.sources} sources, ${imp.citations} citations; again ${ms(again.ms)}, ${again.unchanged} unchanged`,
);

const N = ROWS.toLocaleString('en');
lines.push({
  measure: `baseline: ${N} incident rows, one prepared statement in one transaction, no parsing, no index but the primary key`,
  value: ms(base.ms),
  target: '',
  ratio: '1.0x',
  ok: null,
});
lines.push({
  measure: `floor: the baseline's rows plus what the incidents table alone needs after them: its indexes as the schema declares them (the grid's ${sec(floor.gridIndexesMs)}, the dashboard's ${sec(floor.dashboardIndexesMs)}), its search index (${sec(floor.searchMs)}), ANALYZE (${sec(floor.analyzeMs)}); no parsing, sources, citations, change log or summaries`,
  value: ms(base.ms + floor.ms),
  target: '',
  ratio: `${((base.ms + floor.ms) / base.ms).toFixed(1)}x`,
  ok: null,
});
const steps = shell.steps.map((st) => `${st.step} ${sec(st.ms)}`).join(', ');
lines.push({
  measure: `shell: the SQLite shell (${shell.version}) on the same CSV, each step a run of its own: ${steps}`,
  value: ms(shell.ms),
  target: '',
  ratio: `${(shell.ms / base.ms).toFixed(1)}x`,
  ok: null,
});
lines.push({
  measure: `import ${N} ACLED rows (parse, map, sources + citations, change log, indexes, FTS, ANALYZE), against the shell's path`,
  value: ms(imp.ms),
  target: "≤ 2.0x the shell's",
  ratio: `${(imp.ms / base.ms).toFixed(1)}x; ${(imp.ms / shell.ms).toFixed(1)}x the shell's`,
  ok: imp.ms <= 2 * shell.ms,
});
// CPU time (every thread of the process, the shell's by GNU time) moves far less than wall time when other work shares the machine.
if (shell.cpuMs !== null)
  lines.push({
    measure: `the same import in CPU time, against the shell's (${sec(shell.cpuMs)})`,
    value: ms(imp.cpuMs),
    target: '',
    ratio: `${(imp.cpuMs / shell.cpuMs).toFixed(1)}x the shell's`,
    ok: null,
  });
lines.push({
  measure: `re-import of the same ${N} rows, nothing changed (${again.unchanged.toLocaleString('en')} unchanged), against the first import (CPU ${(again.cpuMs / imp.cpuMs).toFixed(2)}x)`,
  value: ms(again.ms),
  target: '≤ 0.5x the first',
  ratio: `${(again.ms / imp.ms).toFixed(2)}x the first`,
  ok: again.ms <= 0.5 * imp.ms,
});
lines.push({
  measure: `main thread's event loop during the import: longest block (p99 ${imp.loopP99Ms.toFixed(1)} ms; 10 ms probe ${imp.driftMaxMs.toFixed(1)} ms late at worst)`,
  value: ms(imp.loopMaxMs),
  target: '≤ 50 ms',
  ratio: '',
  ok: imp.loopMaxMs <= 50,
});
lines.push({
  measure: `peak RSS of the process (main thread + import worker) during the ${N}-row import`,
  value: `${imp.peakRssMb.toFixed(0)} MB`,
  target: '< 1024 MB',
  ratio: '',
  ok: imp.peakRssMb < 1024,
});

// The queries, on the imported file (indexes, search, summaries and statistics as the import left them).
const db = new Database(caseFile);
db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');
const dashboard = join(import.meta.dirname, 'dashboard.ts');
if (existsSync(dashboard)) {
  log('dashboard: bench/dashboard.ts runDashboardBench');
  const mod = (await import(pathToFileURL(dashboard).href)) as { runDashboardBench?: (db: Database.Database) => Row[] };
  for (const r of mod.runDashboardBench?.(db) ?? []) add(r);
}

log('grid: pages, counts, search, edit');
for (const r of await gridMeasures(db, caseFile)) add(r);
db.close();
log('edit: one edit and every reread it triggers');
for (const r of await editMeasures(caseFile)) add(r);
log('open: the full check first, then the fast path of an unchanged own file');
for (const r of await openMeasures(caseFile)) add(r);
printTable();

/** The one markdown table, printed and kept in bench/.data/. */
function printTable() {
  const sqlite = new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get() as string;
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.version}, SQLite ${sqlite}, ${process.platform}`;
  const table = [
    `Machine: ${machine}.${quick ? ' Quick run (100k rows).' : ''} Run ${new Date().toISOString().slice(0, 10)}, ${((performance.now() - t00) / 1000).toFixed(0)} s in all.`,
    '',
    '| measure | value | target | ratio to baseline | result |',
    '|---|---:|---|---:|---|',
    ...lines.map(
      (l) =>
        `| ${l.measure} | ${l.value} | ${l.target} | ${l.ratio} | ${l.ok === null ? '' : l.ok ? 'pass' : '**fail**'} |`,
    ),
  ].join('\n');
  writeFileSync(join(DATA_DIR, `last-run${quick ? '-quick' : ''}${only ? `-${only}` : ''}.md`), `${table}\n`);
  process.stdout.write(`${table}\n`);
}
