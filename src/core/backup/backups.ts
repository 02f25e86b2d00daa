import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { TABLES } from '../../shared/domain/common';
import { runTask, type TaskOptions } from '../tasks/run-task';
import { backupsToKeep, DEFAULT_POLICY, type RotationPolicy } from './rotation';

/**
 * Rotating snapshots of a case file, in the settings folder under `backups/<name>-<hash>/`: the
 * hash is of the file's full path, so two case files both called `isis.casefile` in different
 * folders never share (or rotate away) each other's backups. Each snapshot is `VACUUM INTO` a
 * temporary name, then renamed: SQLite reads the committed state, the WAL included, and an
 * interrupted backup never leaves a half-written file under a backup's name. Beside each snapshot
 * a small JSON file says when it was made, why, and how many rows it holds, so listing them
 * needs no SQLite.
 */
export const BackupReason = z.enum(['open', 'merge', 'removal', 'manual']);
export type BackupReason = z.infer<typeof BackupReason>;
export const BackupEntry = z.object({
  path: z.string(),
  at: z.string(),
  reason: BackupReason,
  source: z.string(),
  title: z.string().nullable(),
  counts: z.record(z.string(), z.number()),
  size: z.number(),
});
export type BackupEntry = z.infer<typeof BackupEntry>;
const Sidecar = BackupEntry.omit({ path: true, size: true });

const EXT = '.casefile';

export function backupFolder(settingsDir: string, caseFile: string): string {
  const full = resolve(caseFile);
  const stem =
    basename(full)
      .replace(/\.casefile$/i, '')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .slice(0, 60) || 'case';
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 12);
  return join(settingsDir, 'backups', `${stem}-${hash}`);
}

/** One backup at a time per folder: two at once would rotate each other's files away. */
const queues = new Map<string, Promise<unknown>>();
function serial<T>(folder: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(folder) ?? Promise.resolve()).catch(() => undefined).then(fn);
  queues.set(folder, run);
  void run.finally(() => queues.get(folder) === run && queues.delete(folder)).catch(() => undefined);
  return run;
}

export type BackupOptions = TaskOptions & { reason: BackupReason; now?: Date; policy?: RotationPolicy };

/** Makes a backup of caseFile now, then rotates its folder. Resolves with the new backup. */
export function makeBackup(settingsDir: string, caseFile: string, opts: BackupOptions): Promise<BackupEntry> {
  const folder = backupFolder(settingsDir, caseFile);
  return serial(folder, async () => {
    const now = opts.now ?? new Date();
    mkdirSync(folder, { recursive: true });
    dropStaleTemporaries(folder);
    const name = freeName(folder, `${now.toISOString().replace(/[:.]/g, '-')}-${opts.reason}`);
    const target = join(folder, `${name}${EXT}`);
    const tmp = join(folder, `.${name}.tmp`);
    try {
      // The search index is rebuilt when a backup is restored, not at each backup.
      await runTask(
        { kind: 'vacuum-into', source: resolve(caseFile), target: tmp, search: false },
        {
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        },
      );
      const { counts, title } = readCounts(tmp);
      const side: z.infer<typeof Sidecar> = {
        at: now.toISOString(),
        reason: opts.reason,
        source: resolve(caseFile),
        title,
        counts,
      };
      writeFileSync(join(folder, `.${name}.json.tmp`), JSON.stringify(side, null, 2));
      renameSync(join(folder, `.${name}.json.tmp`), join(folder, `${name}.json`));
      renameSync(tmp, target);
    } catch (e) {
      for (const f of [tmp, `${tmp}-journal`, join(folder, `.${name}.json.tmp`), join(folder, `${name}.json`)])
        rmSync(f, { force: true });
      throw e;
    }
    pruneBackups(folder, now, opts.policy ?? DEFAULT_POLICY);
    return listFolder(folder).find((e) => e.path === target)!;
  });
}

/** A backup cut short (the app quit during it) leaves its temporary file: gone after an hour. */
function dropStaleTemporaries(folder: string): void {
  for (const n of readdirSync(folder)) {
    if (!n.startsWith('.') || !n.endsWith('.tmp')) continue;
    try {
      // The real clock, not a backup's `now` (tests fake that one): this is about files on disk.
      if (Date.now() - statSync(join(folder, n)).mtimeMs > 3600_000) rmSync(join(folder, n), { force: true });
    } catch {
      /* gone meanwhile */
    }
  }
}

function freeName(folder: string, base: string): string {
  let name = base;
  for (let i = 2; existsSync(join(folder, `${name}${EXT}`)); i++) name = `${base}-${i}`;
  return name;
}

/** Rows per table and the title, read from a backup (our own file, opened read-only). */
export function readCounts(path: string): { counts: Record<string, number>; title: string | null } {
  // In Electron the addon is the one built for its ABI, named as for the task workers.
  const db = new Database(path, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: process.env.CASEFILE_SQLITE_BINDING || undefined,
  });
  try {
    db.pragma('trusted_schema = OFF');
    const counts: Record<string, number> = {};
    for (const t of TABLES) counts[t] = (db.prepare(`SELECT count(*) n FROM ${t}`).get() as { n: number }).n;
    const title =
      (db.prepare("SELECT value FROM meta WHERE key = 'title'").get() as { value: string } | undefined)?.value ?? null;
    return { counts, title };
  } finally {
    db.close();
  }
}

/** The backups of caseFile, newest first. */
export function listBackups(settingsDir: string, caseFile: string): BackupEntry[] {
  return listFolder(backupFolder(settingsDir, caseFile));
}

/** The backups in one folder, newest first; a backup whose note is missing is read for its counts. */
export function listFolder(folder: string): BackupEntry[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const out: BackupEntry[] = [];
  for (const n of names) {
    if (!n.endsWith(EXT) || n.startsWith('.')) continue;
    const path = join(folder, n);
    const stem = n.slice(0, -EXT.length);
    try {
      const size = statSync(path).size;
      let side: z.infer<typeof Sidecar> | null = null;
      try {
        side = Sidecar.parse(JSON.parse(readFileSync(join(folder, `${stem}.json`), 'utf8')));
      } catch {
        const r = readCounts(path);
        side = {
          at: statSync(path).mtime.toISOString(),
          reason: BackupReason.catch('manual').parse(stem.split('-').at(-1)),
          source: '',
          ...r,
        };
      }
      out.push({ path, size, ...side });
    } catch {
      /* unreadable: not listed, and left alone */
    }
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** Deletes the backups rotation does not keep, with their notes. */
export function pruneBackups(folder: string, now: Date, policy: RotationPolicy = DEFAULT_POLICY): string[] {
  const all = listFolder(folder);
  const keep = backupsToKeep(all, now, policy);
  const removed: string[] = [];
  for (const e of all) {
    if (keep.has(e.path)) continue;
    rmSync(e.path, { force: true });
    rmSync(e.path.replace(/\.casefile$/, '.json'), { force: true });
    removed.push(e.path);
  }
  return removed;
}
