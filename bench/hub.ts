import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { grantCase } from '../src/core/hub/grant';
import { initHub } from '../src/core/hub/init';
import { startCluster } from '../tests/unit/hub/pg-cluster';
import { acledFile, DATA_DIR } from './generate';

/**
 * `npm run bench -- --hub` (`--quick`: a 100k-incident case instead of 1M): the team hub against a
 * throwaway PostgreSQL cluster of its own (the hub tests' harness: initdb in a temp folder,
 * loopback, fsync off). Each laptop's step runs in a process of its own (bench/hub-child.ts), so
 * its peak memory (RSS) is that step's; the server's own memory is not counted.
 * - the first push of the imported case by laptop A;
 * - B joins (a new laptop's pull of the whole case);
 * - CHANGES edits on each of A and B (different rows), then A syncs (push), B syncs (pull and
 *   push), A syncs (pull): CHANGES each way;
 * - C joins after all that: a new laptop's pull;
 * - LAPTOPS laptops (each joined the case first, untimed, and syncs as its own role) in turn make EACH edits and
 *   sync; the total time of their syncs.
 * `--rows N --changes N --laptops N --each N` set the sizes (to check the bench at a small size).
 */
export type HubLine = { measure: string; value: string; memory: string };

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};

type SyncRun = {
  ms: number;
  peakRssMb: number;
  caseId: string;
  pulled: number;
  pushed: number;
  entries: number;
  conflicts: number;
  retries: number;
};

function child<T>(op: Record<string, unknown>): T {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'hub-child.ts'), JSON.stringify(op)],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`the hub bench's step ${String(op.op)} failed (exit ${r.status})`);
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}

function importCase(file: string, rows: number): void {
  const data = acledFile(rows, 1).path;
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'import-child.ts'), file, data], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`the import of ${rows} rows failed (exit ${r.status})`);
  }
}

export async function runHubBench(
  quick: boolean,
  log: (s: string) => void,
): Promise<{ lines: HubLine[]; sizes: string }> {
  const rows = arg('rows', quick ? 100_000 : 1_000_000);
  const changes = arg('changes', 10_000);
  const laptops = arg('laptops', 20);
  const each = arg('each', 100);
  if (2 * changes > rows || laptops * each > rows)
    throw new Error(
      `--changes ${changes} each way and --laptops ${laptops} x --each ${each} need at least that many incidents (--rows ${rows})`,
    );
  const N = rows.toLocaleString('en');
  const dir = join(DATA_DIR, 'hub');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  log(`hub: a throwaway PostgreSQL cluster; a case of ${N} imported incidents`);
  const cluster = await startCluster();
  const lines: HubLine[] = [];
  const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);
  const mb = (x: number) => `${x.toFixed(0)} MB`;
  try {
    const db = await cluster.createDatabase();
    await initHub(cluster.url(db));
    const roles = ['a', 'b', 'c', ...Array.from({ length: laptops }, (_, i) => `l${i + 1}`)];
    const admin = await cluster.admin(db);
    try {
      for (const r of roles) {
        await cluster.createRole(r, `${r}-secret`);
        await admin.query(`GRANT casefile_analyst TO ${pg.escapeIdentifier(r)}`);
      }
    } finally {
      await admin.end();
    }
    const url = (r: string) => cluster.url(db, { name: r, password: `${r}-secret` });
    const file = (r: string) => join(dir, `${r}.casefile`);
    const sync = (r: string, caseId?: string) =>
      child<SyncRun>({ op: 'sync', file: file(r), url: url(r), role: r, ...(caseId ? { caseId } : {}) });
    const edit = (r: string, from: number, count: number) =>
      child<{ edited: number }>({ op: 'edit', file: file(r), from, count, label: `edited by ${r}` });

    importCase(file('a'), rows);
    log('  first push');
    const first = sync('a');
    lines.push({
      measure: `first push of a ${N}-incident case (${first.pushed.toLocaleString('en')} rows, ${first.entries.toLocaleString('en')} history entries) by laptop A`,
      value: ms(first.ms),
      memory: mb(first.peakRssMb),
    });
    const caseId = first.caseId;
    for (const r of roles.slice(1)) await grantCase(url('a'), caseId, r, 'edit');

    log('  B joins');
    const joined = sync('b', caseId);
    lines.push({
      measure: `pull of the whole case by a new laptop B (${joined.pulled.toLocaleString('en')} rows)`,
      value: ms(joined.ms),
      memory: mb(joined.peakRssMb),
    });

    const C = changes.toLocaleString('en');
    log(`  ${C} changes each way`);
    edit('a', 0, changes);
    edit('b', changes, changes);
    const aPush = sync('a');
    const bBoth = sync('b');
    const aPull = sync('a');
    if (bBoth.conflicts || aPull.conflicts) throw new Error('the changes each way were meant not to conflict');
    lines.push({
      measure: `A syncs ${C} changes: pushed ${aPush.pushed.toLocaleString('en')} rows`,
      value: ms(aPush.ms),
      memory: mb(aPush.peakRssMb),
    });
    lines.push({
      measure: `B syncs: pulls A's ${C} changes (${bBoth.pulled.toLocaleString('en')} rows merged) and pushes its own ${C} (${bBoth.pushed.toLocaleString('en')} rows)`,
      value: ms(bBoth.ms),
      memory: mb(bBoth.peakRssMb),
    });
    lines.push({
      measure: `A syncs: pulls B's ${C} changes (${aPull.pulled.toLocaleString('en')} rows merged)`,
      value: ms(aPull.ms),
      memory: mb(aPull.peakRssMb),
    });

    log('  C joins');
    const late = sync('c', caseId);
    lines.push({
      measure: `pull by a new laptop C after that (${late.pulled.toLocaleString('en')} rows)`,
      value: ms(late.ms),
      memory: mb(late.peakRssMb),
    });

    log(`  ${laptops} laptops, ${each} changes each, in turn`);
    // Each laptop joins first (not timed), as a colleague does once: a copy of another's file
    // would start over, comparing every row with the hub's (sync-state.ts), at each first sync.
    const team = roles.slice(3);
    for (const r of team) sync(r, caseId);
    let total = 0;
    let peak = 0;
    let pulled = 0;
    for (const [i, r] of team.entries()) {
      edit(r, 2 * changes + i * each, each);
      const s = sync(r, caseId);
      if (s.conflicts) throw new Error(`laptop ${r} met conflicts`);
      total += s.ms;
      peak = Math.max(peak, s.peakRssMb);
      pulled += s.pulled;
    }
    lines.push({
      measure: `${laptops} laptops in turn, each ${each} changes then a sync (pulling the others' before pushing: ${pulled.toLocaleString('en')} rows pulled in all): total of their syncs (mean ${ms(total / laptops)})`,
      value: ms(total),
      memory: `${mb(peak)} (the largest)`,
    });
  } finally {
    cluster.stop();
  }
  return {
    lines,
    sizes: `${N} incidents, ${changes.toLocaleString('en')} changes each way, ${laptops} laptops x ${each} changes`,
  };
}
