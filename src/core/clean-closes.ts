import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_VERSION } from './db/migrations';

/**
 * The analyst's own case files as this app last closed them cleanly, kept in the settings folder
 * (never in the case file, which travels). quick_check reads every page (10-20 s at a million
 * incidents); a file whose stamp still matches is one nobody has touched since a session that
 * had checked it, so it may open after the cheap checks while quick_check runs in the background
 * (Session.openChecked).
 *
 * A stamp is recorded only after a clean close (the last connection gone, its -wal folded in and
 * removed) of a file that was checked, and is forgotten as soon as the file is opened again: a
 * session that crashes leaves no stamp, so the next open checks in full. It holds what changes
 * when anything writes the file: its inode, size and modification time, and from its header the
 * change counter, the schema cookie and the schema version. Someone who forges all of them
 * (bytes changed in place, the time set back) still meets the background check, with writes
 * refused until it passes.
 */
export class CleanCloses {
  private readonly file: string;

  constructor(dir: string) {
    this.file = join(dir, 'clean-closes.json');
  }

  /** True when path is exactly as this app last closed it, at the current schema version. */
  matches(path: string): boolean {
    const key = keyOf(path);
    const now = stampOf(path);
    return key !== null && now !== null && this.read()[key] === now;
  }

  record(path: string): void {
    const key = keyOf(path);
    const stamp = stampOf(path);
    if (key === null) return;
    const all = this.read();
    delete all[key];
    if (stamp !== null) all[key] = stamp;
    this.write(all);
  }

  forget(path: string): void {
    const key = keyOf(path);
    const all = this.read();
    if (key === null || !(key in all)) return;
    delete all[key];
    this.write(all);
  }

  private read(): Record<string, string> {
    try {
      const raw = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
        return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
      }
    } catch {
      /* none yet, or unreadable: every file gets the full check */
    }
    return {};
  }

  private write(all: Record<string, string>): void {
    // The most recent 50: older entries only cost a full check when their file is opened again.
    const kept = Object.fromEntries(Object.entries(all).slice(-50));
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(kept, null, 2));
    renameSync(tmp, this.file);
  }
}

function keyOf(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** null when the file cannot be stamped: missing, too short, with a -wal holding frames or a -journal beside it, or at another schema version. */
export function stampOf(path: string): string | null {
  try {
    const st = statSync(path);
    try {
      if (statSync(`${path}-wal`).size > 0) return null;
    } catch {
      /* no -wal: closed cleanly */
    }
    // A rollback journal beside it is not what a clean close leaves: SQLite would apply it.
    if (existsSync(`${path}-journal`)) return null;
    const head = Buffer.alloc(100);
    const fd = openSync(path, 'r');
    try {
      if (readSync(fd, head, 0, 100, 0) < 100) return null;
    } finally {
      closeSync(fd);
    }
    const version = head.readUInt32BE(60);
    if (version !== SCHEMA_VERSION) return null;
    return [
      st.dev,
      st.ino,
      st.size,
      Math.floor(st.mtimeMs),
      head.readUInt32BE(24),
      head.readUInt32BE(40),
      version,
    ].join(':');
  } catch {
    return null;
  }
}
