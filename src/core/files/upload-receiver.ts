import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  fstatSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { refuse } from '../errors';

/**
 * Files chosen in the browser reach the core as numbered chunks over the socket (browser mode has
 * no path to the analyst's file) and are written into this process's private temporary folder
 * (0700, its files 0600). Exports meant for the browser to download are written there too and
 * read back in chunks. The folder goes when the process ends, and one left by a process that was
 * killed goes at the next start.
 */
export const UPLOAD_LIMIT = 512 * 1024 * 1024;
/** Decoded bytes per chunk at most: a chunk, in base64 inside JSON, stays far below the socket's 64 MiB frame. */
export const CHUNK_LIMIT = 4 * 1024 * 1024;
const MAX_OPEN = 8;
/** An upload with no chunk for this long is dropped when another begins. */
const STALE_MS = 10 * 60_000;
const PREFIX = 'casefile-files-';

type Upload = {
  id: string;
  name: string;
  size: number;
  path: string;
  fd: number;
  received: number;
  next: number;
  touched: number;
};

/** A name from the browser as a plain file name: no folder, no control or direction characters, no leading dots. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .slice(0, 180);
  return clean || 'received-file';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary folders of Casefile processes that are gone (killed before they could). */
export function sweepStale(root = tmpdir()): number {
  let removed = 0;
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    return 0;
  }
  for (const n of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(n);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    const dir = join(root, n);
    try {
      const st = statSync(dir);
      // Only ours: a folder of another user on a shared machine is not this process's to remove.
      if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) continue;
      rmSync(dir, { recursive: true, force: true });
      removed++;
    } catch {
      /* gone already, or not ours to remove */
    }
  }
  return removed;
}

export class FileReceiver {
  private dir: string | null = null;
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly root = tmpdir(),
    readonly limit = UPLOAD_LIMIT,
  ) {
    sweepStale(root);
  }

  /** The private folder, made on first use. */
  folder(): string {
    if (!this.dir || !existsSync(this.dir)) {
      this.dir = mkdtempSync(join(this.root, `${PREFIX}${process.pid}-`));
      // mkdtemp makes it 0700 already on POSIX; said again so that a umask cannot widen it.
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    }
    return this.dir;
  }

  begin(name: string, size: number): { id: string; limit: number; chunk: number } {
    if (!Number.isSafeInteger(size) || size < 0) throw refuse('the file size is not a whole number of bytes');
    if (size > this.limit)
      throw refuse(
        `${safeFileName(name)} is ${mb(size)}: files chosen in the browser may be at most ${mb(this.limit)}. Type its path on this computer instead.`,
      );
    this.dropStale();
    if (this.uploads.size >= MAX_OPEN)
      throw refuse(`${MAX_OPEN} files are being received already; wait for them to finish`);
    const id = randomUUID();
    const holder = join(this.folder(), id);
    mkdirSync(holder, { mode: 0o700 });
    const path = join(holder, safeFileName(name));
    const fd = openSync(path, 'wx', 0o600);
    this.uploads.set(id, { id, name: basename(path), size, path, fd, received: 0, next: 0, touched: Date.now() });
    return { id, limit: this.limit, chunk: CHUNK_LIMIT };
  }

  chunk(id: string, index: number, data: string): { received: number; size: number } {
    const u = this.get(id);
    if (index !== u.next) {
      this.abort(id);
      throw refuse(
        `${u.name}: part ${index + 1} arrived where part ${u.next + 1} was expected; the file was not received, choose it again`,
      );
    }
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length > CHUNK_LIMIT || u.received + bytes.length > u.size) {
      this.abort(id);
      throw refuse(`${u.name}: more bytes arrived than the ${mb(u.size)} announced; the file was not received`);
    }
    writeSync(u.fd, bytes);
    u.received += bytes.length;
    u.next++;
    u.touched = Date.now();
    return { received: u.received, size: u.size };
  }

  /** The received file's path. `keepIn`: moved there (a name not yet taken) to outlive this process. */
  finish(id: string, keepIn?: string): { path: string; name: string; size: number } {
    const u = this.get(id);
    if (u.received !== u.size) {
      this.abort(id);
      throw refuse(
        `${u.name}: ${u.received.toLocaleString('en-US')} of ${u.size.toLocaleString('en-US')} bytes arrived; the file was not received`,
      );
    }
    closeSync(u.fd);
    this.uploads.delete(id);
    if (!keepIn) return { path: u.path, name: u.name, size: u.size };
    mkdirSync(keepIn, { recursive: true });
    const target = freeName(keepIn, u.name);
    try {
      renameSync(u.path, target);
    } catch {
      // Another disk: rename cannot cross it. Copy by streams of bytes, then remove.
      copyInto(u.path, target);
      rmSync(u.path, { force: true });
    }
    rmSync(join(this.folder(), id), { recursive: true, force: true });
    return { path: target, name: basename(target), size: u.size };
  }

  abort(id: string): void {
    const u = this.uploads.get(id);
    if (!u) return;
    this.uploads.delete(id);
    try {
      closeSync(u.fd);
    } catch {
      /* closed already */
    }
    rmSync(join(this.folder(), id), { recursive: true, force: true });
  }

  /** A fresh path in the private folder for a file the browser will download. */
  target(name: string): string {
    const holder = join(this.folder(), randomUUID());
    mkdirSync(holder, { mode: 0o700 });
    return join(holder, safeFileName(name));
  }

  /** Bytes of a file in the private folder, from `offset`: how the browser downloads what the core wrote. */
  read(path: string, offset: number, length = CHUNK_LIMIT): { data: string; size: number; done: boolean } {
    const p = this.inside(path);
    const fd = openSync(p, 'r');
    try {
      const size = fstatSync(fd).size;
      const n = Math.max(0, Math.min(length, CHUNK_LIMIT, size - offset));
      const buf = Buffer.alloc(n);
      const got = n > 0 ? readSync(fd, buf, 0, n, offset) : 0;
      return { data: buf.subarray(0, got).toString('base64'), size, done: offset + got >= size };
    } finally {
      closeSync(fd);
    }
  }

  /** Removes a received or downloaded file (and its holder folder); only inside the private folder. */
  discard(path: string): void {
    const p = this.inside(path);
    rmSync(resolve(p, '..'), { recursive: true, force: true });
  }

  /** Everything: at the end of the process. */
  close(): void {
    for (const id of [...this.uploads.keys()]) this.abort(id);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  private inside(path: string): string {
    const root = this.dir ? resolve(this.dir) : null;
    const p = resolve(path);
    const rel = root ? relative(root, p) : '..';
    // One holder folder and one file name below the private folder, nothing else.
    if (!root || rel.startsWith('..') || isAbsolute(rel) || rel.split(/[\\/]/).length !== 2)
      throw refuse(`${path} is not a file Casefile received or wrote for this browser`);
    return p;
  }

  private get(id: string): Upload {
    const u = this.uploads.get(id);
    if (!u) throw refuse('that file is not being received (it finished, failed or was cancelled)');
    return u;
  }

  private dropStale(): void {
    const now = Date.now();
    for (const u of [...this.uploads.values()]) if (now - u.touched > STALE_MS) this.abort(u.id);
  }
}

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}

/** `name`, or `name (2)`, `name (3)`... before its extension: never over a file that exists. */
export function freeName(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 1; ; i++) {
    const p = join(dir, i === 1 ? name : `${stem} (${i})${ext}`);
    if (!existsSync(p)) return p;
  }
}

function copyInto(from: string, to: string): void {
  const src = openSync(from, 'r');
  const dst = openSync(to, 'wx', 0o600);
  try {
    const buf = Buffer.alloc(1024 * 1024);
    let n: number;
    while ((n = readSync(src, buf, 0, buf.length, null)) > 0) writeSync(dst, buf, 0, n);
  } finally {
    closeSync(src);
    closeSync(dst);
  }
}
