import { appendFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The app's log file and crash reports, both in the settings folder and nowhere else: nothing is
 * ever sent anywhere. `casefile.log` is rotated by size (`casefile.log.1`, `.2` keep the previous
 * ones); an uncaught error in the core or a handler writes one file under `crash-reports/`.
 * Until a folder is set (the CLI, most tests) lines go nowhere and reports only to stderr.
 */
export const LOG_NAME = 'casefile.log';
export const CRASH_FOLDER = 'crash-reports';
const MAX_LOG_BYTES = 1024 * 1024;
const KEEP_LOGS = 3;
const KEEP_REPORTS = 50;

let folder: string | null = null;
let monitoring = false;

/** Where the log and the crash reports go (the settings folder); also watches for uncaught errors. */
export function useLogFolder(dir: string): void {
  folder = dir;
  if (monitoring) return;
  monitoring = true;
  // The monitor only observes: the process still ends (or not) exactly as it would without it.
  process.on('uncaughtExceptionMonitor', (err, origin) => void writeCrashReport(`uncaught (${origin})`, err));
}

export function logPaths(dir: string): { log: string; crashReports: string } {
  return { log: join(dir, LOG_NAME), crashReports: join(dir, CRASH_FOLDER) };
}

/** One line in the log; never throws (a full disk must not take the app down with its log). */
export function logLine(level: 'info' | 'warn' | 'error', message: string, now = new Date()): void {
  if (!folder) return;
  try {
    const file = join(folder, LOG_NAME);
    rotate(file);
    appendFileSync(file, `${now.toISOString()} ${level.toUpperCase()} ${message.replace(/\r?\n/g, ' | ')}\n`);
  } catch {
    /* the log is best effort */
  }
}

function rotate(file: string): void {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return;
  }
  if (size < MAX_LOG_BYTES) return;
  rmSync(`${file}.${KEEP_LOGS - 1}`, { force: true });
  for (let i = KEEP_LOGS - 2; i >= 1; i--) {
    try {
      renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    } catch {
      /* not there yet */
    }
  }
  renameSync(file, `${file}.1`);
}

/** Writes a crash report (what failed, where, the stack); returns its path, or null without a folder. */
export function writeCrashReport(where: string, err: unknown, now = new Date()): string | null {
  const e = err instanceof Error ? err : new Error(String(err));
  console.error(`[casefile] ${where}:`, e);
  if (!folder) return null;
  try {
    const dir = join(folder, CRASH_FOLDER);
    mkdirSync(dir, { recursive: true });
    const path = join(
      dir,
      `crash-${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}-${Math.random().toString(36).slice(2, 6)}.txt`,
    );
    const text = [
      `Casefile crash report (kept on this computer only; nothing was sent anywhere)`,
      `time: ${now.toISOString()}`,
      `where: ${where}`,
      `process: ${process.pid} (node ${process.versions.node}${process.versions.electron ? `, electron ${process.versions.electron}` : ''}, ${process.platform} ${process.arch})`,
      `error: ${e.name}: ${e.message}`,
      '',
      e.stack ?? '(no stack)',
      '',
    ].join('\n');
    writeFileSync(path, text);
    logLine('error', `${where}: ${e.message} (report: ${path})`, now);
    const reports = readdirSync(dir)
      .filter((n) => n.startsWith('crash-'))
      .sort();
    for (const old of reports.slice(0, Math.max(0, reports.length - KEEP_REPORTS)))
      rmSync(join(dir, old), { force: true });
    return path;
  } catch {
    return null;
  }
}
