import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CasefileError } from '../errors';

/**
 * Where exports are built before they reach the folder the analyst chose.
 *
 * An export for a colleague starts as a full copy of the case file (deleted and overwritten text
 * included) and is cleaned afterwards; a CSV or XLSX grows row by row. Built beside the target, a
 * kill (or power loss) left that hidden file there for good, in a folder that may be shared or
 * synced. So every export is built in the app's private folder (`<settings>/exports`, readable by
 * this user only) and moved into place only when complete: by rename when that folder is on the
 * same volume as the target, else by copying the finished, cleaned file to a temporary name beside
 * the target and renaming that (what reaches the target folder has then no deleted text, and a
 * marker in the private folder names it so that the next start removes it if the copy was cut).
 *
 * Each process builds in a folder of its own, named by its pid and a random token; at the next
 * start (the app's, browser mode's, or the command line's first export) the folders of processes
 * that no longer run are removed, with any half-copied file their markers name.
 */

/** A random token of this process: tells this run's folder from one a dead process with the same pid left. */
const TOKEN = randomBytes(6).toString('hex');
const RUN = `${process.pid}-${TOKEN}`;
const MARK = '.dest';

let root: string | null = null;
let swept: string | null = null;

/** The settings folder when nothing set one (the command line): as browser mode finds it. */
function configDirFromEnv(): string {
  return process.env.CASEFILE_CONFIG_DIR ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Casefile');
}

/** Exports of this process are built under `configDir`; earlier runs' leftovers there are removed now. */
export function usePrivateFolder(configDir: string): number {
  root = join(configDir, 'exports');
  return sweep();
}

function exportsRoot(): string {
  return root ?? join(configDirFromEnv(), 'exports');
}

/** This process's own folder, created private (0700) on first use; the first use also sweeps. */
function runDir(): string {
  let r = exportsRoot();
  if (swept !== r) sweep();
  let dir = join(r, RUN);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    // No writable settings folder (a read-only home): this user's own folder in the system's temp.
    root = r = join(tmpdir(), `casefile-exports-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`);
    sweep();
    dir = join(r, RUN);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A shared temp folder: only a folder of this user's, not a link someone planted, is private.
    const st = lstatSync(r);
    if (
      st.isSymbolicLink() ||
      (typeof process.getuid === 'function' && st.uid !== process.getuid()) ||
      (st.mode & 0o077) !== 0
    ) {
      throw new CasefileError(
        'refused',
        `The folder for unfinished exports (${r}) is not this user's own; the export was not written`,
      );
    }
  }
  if (!made.has(dir)) {
    made.add(dir);
    // A clean exit leaves no empty folder behind (a killed one is swept at the next start).
    if (made.size === 1)
      process.once('exit', () => {
        for (const d of made) if (safeList(d).length === 0) rmSync(d, { recursive: true, force: true });
      });
  }
  return dir;
}

const made = new Set<string>();

/**
 * This process's private folder, for other work files that must not outlive a killed run (a
 * colleague's file taken in for a merge): the next start's sweep removes what a dead run left.
 */
export function privateRunDir(): string {
  return runDir();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // Another user's process: alive, and not ours to judge.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes what processes that no longer run left in the private folder (and the half-copied
 * files beside targets that their markers name). Returns how many leftovers were removed.
 */
export function sweep(): number {
  const r = exportsRoot();
  swept = r;
  let removed = 0;
  let entries: string[];
  try {
    entries = readdirSync(r);
  } catch {
    return 0;
  }
  for (const e of entries) {
    const m = /^(\d+)-([0-9a-f]+)$/.exec(e);
    if (!m || e === RUN) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && alive(pid)) continue;
    const dir = join(r, e);
    for (const f of safeList(dir)) {
      removed++;
      if (f.endsWith(MARK)) removeMarked(join(dir, f));
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return removed;
}

const safeList = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/** A marker names the temporary file a cut copy left beside a target: only such a name is removed. */
function removeMarked(marker: string): void {
  try {
    const p = readFileSync(marker, 'utf8');
    if (/^\..+\.\d+\.[0-9a-f]+\.tmp$/.test(basename(p))) rmSync(p, { force: true });
  } catch {
    /* unreadable marker: nothing to remove */
  }
}

export type Staged = {
  /** Where to write the export (in the private folder). */
  tmp: string;
  /** Moves the finished file to `out` (replacing a file there), durably. */
  commit: () => void;
  /** Removes what is left of this export (after a failure or cancel; harmless after commit). */
  dispose: () => void;
};

/** A place in the private folder to build an export that will become `out`. */
export function stage(out: string): Staged {
  const dir = runDir();
  const id = randomBytes(4).toString('hex');
  const tmp = join(dir, `${id}-${basename(out).slice(0, 100)}`);
  const marker = join(dir, `${id}${MARK}`);
  const removeTmp = () => {
    for (const s of ['', '-journal', '-wal', '-shm']) rmSync(tmp + s, { force: true });
  };
  return {
    tmp,
    commit: () => {
      if (sameVolume(dir, dirname(out))) {
        try {
          renameSync(tmp, out);
          syncFolder(dirname(out));
          return;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        }
      }
      // Another volume: the finished file is copied beside the target, then renamed into place.
      const beside = join(dirname(out), `.${basename(out)}.${process.pid}.${id}.tmp`);
      writeFileSync(marker, beside);
      try {
        copyFileSync(tmp, beside);
        syncFile(beside);
        renameSync(beside, out);
        syncFolder(dirname(out));
      } catch (e) {
        rmSync(beside, { force: true });
        throw e;
      } finally {
        removeTmp();
        rmSync(marker, { force: true });
      }
    },
    dispose: () => {
      removeTmp();
      rmSync(marker, { force: true });
    },
  };
}

function sameVolume(a: string, b: string): boolean {
  try {
    return statSync(a).dev === statSync(b).dev;
  } catch {
    return false;
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename durable (where the platform allows fsync on a folder). */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* Windows cannot open a folder for fsync; the rename is still atomic */
  }
}
