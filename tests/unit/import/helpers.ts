import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { TableReader, TableRow } from '../../../src/core/import/types';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
export const fixture = (name: string) => join(FIXTURES, name);

let dir: string | null = null;
// Registered from each test file that imports this module: the scratch files (up to ~50 MB) go with it.
afterAll(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});
/** A file in a scratch folder under the OS temp dir (large inputs are made at run time, not committed). */
export function tmpFile(name: string, content: string | Buffer): string {
  dir ??= mkdtempSync(join(tmpdir(), 'casefile-import-'));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export function tmpPath(name: string): string {
  dir ??= mkdtempSync(join(tmpdir(), 'casefile-import-'));
  return join(dir, name);
}

export async function allRows(reader: TableReader): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for await (const b of reader.batches()) out.push(...b.rows);
  return out;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & { line?: number | null; problem?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { line?: number | null; problem?: string };
  }
  throw new Error('expected a rejection');
}
