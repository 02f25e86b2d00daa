import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFile, type ImportOptions } from '../../../src/core/import/pipeline';
import { createCaseFileDb } from '../../../src/core/db/open';
import { tempDir } from '../../helpers';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
export const fixture = (name: string) => join(FIXTURES, name);
export const AUTHOR = 'Importing Analyst';
export const NODE = 'a1b2c3d4e5f6';

/** A new, empty case file on disk (closed: the import opens its own connection). */
export function freshCase(): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'case.casefile');
  createCaseFileDb(file).close();
  return { dir, file };
}

export type Db = Database.Database;
export function openDb(file: string): Db {
  return new Database(file, { readonly: true, fileMustExist: true });
}

/** Reads a case file with a throwaway connection. */
export function withDb<T>(file: string, fn: (db: Db) => T): T {
  const db = openDb(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * Every row of every table (the FTS shadow tables and SQLite's statistics included), in rowid
 * order: two snapshots are equal when the case file's content is the same.
 */
export function snapshot(db: Db): Record<string, unknown[]> {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
    )
    .all() as { name: string }[];
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const withoutRowid = /WITHOUT ROWID/i.test(
      (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql,
    );
    out[name] = db.prepare(`SELECT * FROM "${name}"${withoutRowid ? '' : ' ORDER BY rowid'}`).all();
  }
  return out;
}

export const count = (db: Db, sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;

/**
 * Starts an import of `data` into `file` and cancels it at its first progress report with rows
 * in it; once the import has refused with "Cancelled", resolves with the rows it had reached.
 */
export async function importCancelledEarly(
  file: string,
  data: string,
  opts: Omit<ImportOptions, 'author' | 'node' | 'signal' | 'onProgress'> = {},
): Promise<number> {
  const ac = new AbortController();
  let rows = 0;
  const p = importFile(file, data, {
    author: AUTHOR,
    node: NODE,
    ...opts,
    signal: ac.signal,
    onProgress: (pr) => {
      rows = pr.rows;
      if (pr.rows > 0) ac.abort();
    },
  });
  await expect(p).rejects.toThrow('Cancelled');
  return rows;
}

/** acled-current.csv as ACLED would send it after revising AFG70001 (and AFG70002 without a new timestamp), with more text swapped if asked. */
export function revisedAcled(dir: string, extraLine = '', swaps: [string, string][] = []): string {
  let text = readFileSync(fixture('acled-current.csv'), 'utf8');
  const swap = (from: string, to: string) => {
    expect(text).toContain(from);
    text = text.replace(from, to);
  };
  swap('Pajhwok Afghan News; Tolo News; Pajhwok Afghan News', 'Pajhwok Afghan News; Tolo News; Reuters');
  swap(',6,NA,1672700000,', ',9,NA,1672709999,');
  swap(',3,,1669100000,', ',4,,1669100000,');
  for (const [from, to] of swaps) swap(from, to);
  const p = join(dir, 'acled-revised.csv');
  writeFileSync(p, text + extraLine);
  return p;
}
