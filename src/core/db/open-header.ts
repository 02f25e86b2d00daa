import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { CasefileError, refuse } from '../errors';

/**
 * What a case file says about itself before SQLite reads it: its header (the first 100 bytes)
 * and the header of a write-ahead log beside it. Read with plain file I/O, so a file can be
 * refused by its declared size before anything copies or opens it.
 */

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/**
 * Larger than this is refused before anything reads it. It bounds how long the integrity check of
 * a received file may run (its time limit grows with the size), not what an analyst may keep: a
 * global ACLED history with its sources, citations and change log is several GB, and the app must
 * reopen every file it wrote itself. 32 GB is far above that and far below SQLite's own limit.
 */
export const MAX_CASE_FILE_BYTES = 32 * 1024 ** 3;

export type Head = {
  /** The file's size on disk (its length; a sparse file may take less space). */
  size: number;
  pageSize: number;
  /** Page count in the header; 0 when the header does not vouch for it (see `sizeValid`). */
  pages: number;
  /** The in-header page count is authoritative only when its "valid-for" counter matches (SQLite >= 3.7). */
  sizeValid: boolean;
};

/** The size the header declares: page count x page size (the file's length when it declares none). */
export const declaredBytes = (h: Head): number => (h.sizeValid && h.pages > 0 ? h.pages * h.pageSize : h.size);

/** Shorter than its header says: a checkpoint was cut off (a -wal may complete it) or the file was cut. */
export const isShort = (h: Head): boolean => h.sizeValid && h.pages > 0 && h.size < h.pages * h.pageSize;

/** A file's size and header, after the checks that need nothing else. */
export function readHead(path: string, name: string): Head {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw refuse(`${name} is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof CasefileError) throw e;
    throw new CasefileError('not_found', `${name}: no such file`);
  }
  if (size < 512)
    throw refuse(`${name} is not a Casefile case file (${size === 0 ? 'empty' : 'too short to be a database'})`);
  if (size > MAX_CASE_FILE_BYTES)
    throw refuse(`${name} is ${bytes(size)}; Casefile opens case files up to ${bytes(MAX_CASE_FILE_BYTES)}`);
  const head = readAt(path, 0, 100);
  if (head.toString('latin1', 0, 16) !== SQLITE_MAGIC)
    throw refuse(`${name} is not a Casefile case file (not an SQLite database)`);
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0)
    throw refuse(`${name} is damaged: its header gives a page size of ${raw} bytes`);
  const pages = head.readUInt32BE(28);
  const sizeValid = head.readUInt32BE(92) === head.readUInt32BE(24);
  return { size, pageSize, pages: sizeValid ? pages : 0, sizeValid };
}

export type WalHead = { size: number; pageSize: number; frames: number };

/**
 * The header of the -wal beside path, or null when there is none SQLite would read (absent,
 * empty, or not a write-ahead log: SQLite ignores such a file).
 */
export function readWalHead(path: string): WalHead | null {
  const wal = `${path}-wal`;
  let size: number;
  try {
    size = statSync(wal).size;
  } catch {
    return null;
  }
  if (size < 32) return null;
  const h = readAt(wal, 0, 32);
  const magic = h.readUInt32BE(0);
  const pageSize = h.readUInt32BE(8);
  if (
    (magic !== 0x377f0682 && magic !== 0x377f0683) ||
    pageSize < 512 ||
    pageSize > 65536 ||
    (pageSize & (pageSize - 1)) !== 0
  )
    return null;
  return { size, pageSize, frames: Math.floor((size - 32) / (24 + pageSize)) };
}

function readAt(path: string, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, length, offset);
  } finally {
    closeSync(fd);
  }
  return buf;
}

/** A size for people: bytes, KB, MB or GB. */
export function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
