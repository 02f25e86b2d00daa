import { basename } from 'node:path';
import type { Db } from '../open';
import { headerSignature, suggestMapping } from './generic';
import { fileError, openTable } from './open-table';
import { rememberedMapping } from './pipeline';
import type { ImportFormat } from './source-names';

/**
 * What the Import area shows before anything is written: the header, the first rows, the format
 * recognised from the header, and for a generic table the column mapping to confirm (the one
 * remembered for files with the same header, else a guess from the column names).
 */
export type ImportPreview = {
  path: string;
  fileName: string;
  kind: 'csv' | 'xlsx';
  encoding: 'utf8' | 'windows-1252';
  format: ImportFormat;
  layout: string | null;
  header: string[];
  rows: { line: number; cells: string[] }[];
  signature: string;
  mapping: Record<string, string | null> | null;
  mappingSource: 'remembered' | 'suggested' | null;
  totalBytes: number | null;
  estimatedRows: number | null;
};

export const PREVIEW_ROWS = 20;
/** Preview cells are for reading at a glance; a 10,000-character note is cut here (the import keeps it whole). */
const PREVIEW_CELL = 500;

export async function previewImport(db: Db, path: string): Promise<ImportPreview> {
  let opened: Awaited<ReturnType<typeof openTable>>;
  try {
    opened = await openTable(path, { batchSize: PREVIEW_ROWS });
  } catch (e) {
    throw fileError(path, e);
  }
  const { reader, detected, kind } = opened;
  const rows: ImportPreview['rows'] = [];
  let chars = 0;
  try {
    for await (const b of reader.batches()) {
      for (const r of b.rows) {
        if (rows.length >= PREVIEW_ROWS) break;
        for (const c of r.cells) chars += c.length + 1;
        rows.push({ line: r.line, cells: r.cells.map((c) => (c.length > PREVIEW_CELL ? `${c.slice(0, PREVIEW_CELL)}…` : c)) });
      }
      if (rows.length >= PREVIEW_ROWS) break;
    }
  } catch (e) {
    throw fileError(path, e);
  } finally {
    await reader.close();
  }
  const header = reader.header;
  let mapping: ImportPreview['mapping'] = null;
  let mappingSource: ImportPreview['mappingSource'] = null;
  if (detected.format === 'csv') {
    const remembered = rememberedMapping(db, header);
    mapping = remembered ?? suggestMapping(header);
    mappingSource = remembered ? 'remembered' : 'suggested';
  }
  // The size of a CSV over the size of its first rows; a workbook is compressed, so no estimate.
  const headerChars = header.reduce((n, h) => n + h.length + 1, 0);
  const estimatedRows =
    kind === 'csv' && reader.totalBytes !== null && rows.length > 0
      ? rows.length < PREVIEW_ROWS
        ? rows.length
        : Math.max(rows.length, Math.round((reader.totalBytes - headerChars) / (chars / rows.length)))
      : null;
  return {
    path,
    fileName: basename(path),
    kind,
    encoding: reader.encoding,
    format: detected.format,
    layout: detected.format === 'acled' ? detected.layout : null,
    header,
    rows,
    signature: headerSignature(header),
    mapping,
    mappingSource,
    totalBytes: reader.totalBytes,
    estimatedRows,
  };
}
