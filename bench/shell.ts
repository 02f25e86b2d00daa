import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

/**
 * The yardstick an analyst would use instead of Casefile to get a searchable, indexed table of an
 * ACLED export: Debian's `sqlite3` shell, as Datasette and sqlite-utils users do. `.import --csv`
 * (every column TEXT, no parsing), five indexes, an FTS5 index over the notes, places and actors,
 * and ANALYZE, each step timed as its own shell run on the same database file. The whole path is
 * what the import's figure is compared with (issue: at most 2x).
 */
export type ShellRun = {
  version: string;
  ms: number;
  cpuMs: number | null;
  steps: { step: string; ms: number; cpuMs: number | null }[];
};

/** GNU time, when the machine has it: the shell's CPU time (user + system), to compare with the import's on a busy machine. */
const TIME = '/usr/bin/time';

const STEPS: { step: string; sql: (csv: string) => string }[] = [
  // The header row names the columns; a byte-order mark stays in the first name, which no step uses.
  { step: '.import --csv', sql: (csv) => `.import --csv '${csv.replace(/'/g, "''")}' acled` },
  {
    step: 'five indexes',
    sql: () =>
      ['event_date', 'country', 'admin1', 'event_type', 'actor1']
        .map((c) => `CREATE INDEX acled_${c} ON acled (${c});`)
        .join('\n'),
  },
  {
    step: 'FTS5 over notes, location, admin1 and actors',
    sql: () =>
      "CREATE VIRTUAL TABLE acled_fts USING fts5(notes, location, admin1, actor1, assoc_actor_1, content='acled');\nINSERT INTO acled_fts (acled_fts) VALUES ('rebuild');",
  },
  { step: 'ANALYZE', sql: () => 'ANALYZE;' },
];

/** The shell's path on `csv` into a fresh `db`; throws with the shell's own message when a step fails. */
export function runShell(csv: string, db: string, shell = process.env.SQLITE3_PATH ?? 'sqlite3'): ShellRun {
  for (const s of ['', '-journal', '-wal', '-shm']) rmSync(db + s, { force: true });
  const v = spawnSync(shell, ['-version'], { encoding: 'utf8' });
  if (v.status !== 0)
    throw new Error(
      `the SQLite shell (${shell}) did not run: ${v.error?.message ?? v.stderr}; on Debian: apt-get install -y sqlite3`,
    );
  const timed = existsSync(TIME);
  const steps: ShellRun['steps'] = [];
  for (const s of STEPS) {
    const t0 = performance.now();
    const [cmd, args] = timed ? [TIME, ['-f', 'cpu %U %S', shell, '-bail', db]] : [shell, ['-bail', db]];
    const r = spawnSync(cmd, args, { input: `${s.sql(csv)}\n`, encoding: 'utf8', maxBuffer: 1 << 24 });
    const ms = performance.now() - t0;
    // GNU time adds its own last line to stderr: anything else there is the shell's.
    const lines = r.stderr.trim().split('\n');
    const cpu = timed ? /^cpu ([\d.]+) ([\d.]+)$/.exec(lines.at(-1) ?? '') : null;
    const err = (cpu ? lines.slice(0, -1) : lines).join('\n').trim();
    if (r.status !== 0 || err) throw new Error(`sqlite3 step "${s.step}" failed: ${err || `exit ${r.status}`}`);
    steps.push({ step: s.step, ms, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null });
  }
  const cpuMs = steps.every((s) => s.cpuMs !== null) ? steps.reduce((a, s) => a + s.cpuMs!, 0) : null;
  return { version: v.stdout.trim().split(' ')[0]!, ms: steps.reduce((a, s) => a + s.ms, 0), cpuMs, steps };
}
