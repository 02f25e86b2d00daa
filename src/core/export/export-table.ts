import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute } from 'node:path';
import type { FilterModel, SortModel } from '../../shared/contract';
import type { ExportFormat, ExportLayout } from '../../shared/channels/grid';
import { EMPTY_FILTER } from '../../shared/contract-base';
import type { GridTable } from '../../shared/domain/common';
import { CasefileError } from '../errors';
import type { Db } from '../db/open';
import { whereSql } from '../grid/filter-sql';
import { orderBySql, orderKey } from '../grid/keyset';
import { planFor } from './layout';
import { XLSX_MAX_ROWS, openWriter } from './writers';
import { stage } from './private-temp';
import { writeMapExport } from './map-export';
import { exportExtension } from '../../shared/channels/grid';

export type ExportSpec = {
  table: GridTable;
  /** 'view': the rows the filter selects, in the sort's order; 'table': every row. */
  scope: 'view' | 'table';
  format: ExportFormat;
  layout: ExportLayout;
  sort: SortModel;
  filter: FilterModel;
  /** Edge lists: actors and places under the name their aliases chose. */
  aliases?: boolean;
};
export type ExportResult = { path: string; rows: number; truncatedCells: number };
export type Progress = (p: { done: number; total: number | null; message?: string }) => void;

function querySql(db: Db, spec: ExportSpec): { sql: string; params: (string | number | null)[]; countSql: string } {
  const plan = planFor(spec.table, spec.layout);
  const w = whereSql(spec.table, spec.scope === 'view' ? spec.filter : EMPTY_FILTER);
  const order = orderBySql(orderKey(db, spec.table, spec.sort));
  const select = plan.extraSelect ? `${spec.table}.*, ${plan.extraSelect}` : '*';
  return {
    sql: `SELECT ${select} FROM ${spec.table} WHERE ${w.sql} ORDER BY ${order}`,
    params: w.params,
    countSql: `SELECT count(*) FROM ${spec.table} WHERE ${w.sql}`,
  };
}

export function exportCount(db: Db, spec: ExportSpec): number {
  const q = querySql(db, spec);
  return db
    .prepare(q.countSql)
    .pluck()
    .get(...q.params) as number;
}

/**
 * Writes the rows to `path` (a temporary name; the caller renames it). `materialize` reads all
 * rows before writing: for the main connection, whose statement must not stay open across the
 * awaits of the XLSX writer. A worker streams with its own connection inside a read transaction.
 */
export async function writeExport(
  db: Db,
  spec: ExportSpec,
  path: string,
  o: { signal?: AbortSignal; onProgress?: Progress; materialize?: boolean } = {},
): Promise<{ rows: number; truncatedCells: number }> {
  const { format } = spec;
  if (format === 'geojson' || format === 'kml' || format === 'edges')
    return writeMapExport(db, { ...spec, format, aliases: spec.aliases }, path, o);
  const plan = planFor(spec.table, spec.layout);
  const q = querySql(db, spec);
  const total = db
    .prepare(q.countSql)
    .pluck()
    .get(...q.params) as number;
  if (spec.format === 'xlsx' && total > XLSX_MAX_ROWS) {
    throw new CasefileError(
      'refused',
      `An XLSX sheet holds at most ${XLSX_MAX_ROWS.toLocaleString('en')} rows and this export has ${total.toLocaleString('en')}: export CSV or JSON, or filter the view`,
    );
  }
  const st = db.prepare(q.sql);
  const rows: Iterable<Record<string, unknown>> = o.materialize
    ? (st.all(...q.params) as Record<string, unknown>[])
    : (st.iterate(...q.params) as IterableIterator<Record<string, unknown>>);
  const writer = openWriter(format, path, plan.header, spec.table, plan.xlsx);
  let done = 0;
  let written = false;
  o.onProgress?.({ done: 0, total, message: `Writing ${spec.format.toUpperCase()}` });
  try {
    for (const r of rows) {
      const p = writer.row(plan.cells(r));
      if (p) await p;
      if (++done % 5000 === 0) {
        if (o.signal?.aborted) throw new CasefileError('refused', 'Cancelled');
        o.onProgress?.({ done, total });
      }
    }
    written = true;
  } finally {
    // A cancelled export's file is thrown away: an XLSX's values sheet is not written for it.
    await writer.finish(!written);
  }
  o.onProgress?.({ done, total });
  return { rows: done, truncatedCells: writer.truncatedCells };
}

/**
 * Checks the target of an export. Its name must end in the format's extension: an export writes
 * data files, never a file of another kind (a script, a settings file) whatever path it is handed.
 */
export function exportTarget(path: string, overwrite: boolean, format?: ExportFormat): string {
  if (!isAbsolute(path))
    throw new CasefileError('validation', `Give the full path of the file to write (got "${path.slice(0, 200)}")`);
  if (format && !path.toLowerCase().endsWith(`.${exportExtension(format)}`)) {
    throw new CasefileError(
      'validation',
      `${format === 'edges' ? 'An edge list' : `A ${format.toUpperCase()} export`} is written to a file ending in .${exportExtension(format)}`,
    );
  }
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new CasefileError('not_found', `The folder ${dir} does not exist`);
  if (/\.casefile(-wal|-shm)?$/i.test(path))
    throw new CasefileError(
      'refused',
      'An export is not written over a case file: choose a .csv, .xlsx, .json, .geojson or .kml name',
    );
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new CasefileError('validation', `${path} is a folder`);
    if (!overwrite)
      throw new CasefileError('conflict', `${basename(path)} already exists: choose another name or replace it`);
  }
  return path;
}

/**
 * An export into its final name: written in the app's private folder (private-temp.ts), then
 * moved into place, so a cancelled, failed or killed export never leaves a half-written file
 * under that name or beside it. `write` does the writing (here, or in a worker for big tables).
 */
export async function exportAtomically(
  path: string,
  overwrite: boolean,
  write: (tmp: string) => Promise<{ rows: number; truncatedCells: number }>,
  format?: ExportFormat,
): Promise<ExportResult> {
  const out = exportTarget(path, overwrite, format);
  const staged = stage(out);
  try {
    const r = await write(staged.tmp);
    staged.commit();
    return { path: out, ...r };
  } finally {
    staged.dispose();
  }
}
