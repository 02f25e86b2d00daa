import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { acledCsvChunk, acledCsvHeader } from './acled-data';

export const DATA_DIR = join(import.meta.dirname, '.data');
/** Bumped whenever acled-data.ts changes what it writes, so stale files are made again. */
const GENERATOR_VERSION = 1;

/** bench/.data/acled-<rows>-v<version>.csv, written once and reused by later runs. */
export function acledFile(rows: number, seed = 1): { path: string; reused: boolean; ms: number; bytes: number } {
  const path = join(DATA_DIR, `acled-${rows}-s${seed}-v${GENERATOR_VERSION}.csv`);
  if (existsSync(path)) return { path, reused: true, ms: 0, bytes: statSync(path).size };
  mkdirSync(dirname(path), { recursive: true });
  const t0 = performance.now();
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, acledCsvHeader());
    for (let i = 0; i < rows; i += 5000) writeSync(fd, acledCsvChunk(i, Math.min(rows, i + 5000), seed));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return { path, reused: false, ms: performance.now() - t0, bytes: statSync(path).size };
}
