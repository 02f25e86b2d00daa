import { basename } from 'node:path';
import type { z } from 'zod';
import type { ImportPreview as ImportPreviewSchema } from '../../shared/channels/import';
import type { Db } from '../db/open';
import { headerSignature, suggestMapping } from './generic';
import { fileError, openTable } from './open-table';
import { rememberedDateOrder, rememberedMapping } from './pipeline';
import { numericDateOrder, type DateOrder } from './values';

/**
 * What the Import area shows before anything is written: the header, the first rows, the format
 * recognised from the header, and for a generic table the column mapping to confirm (the one
 * remembered for files with the same header, else a guess from the column names) and how its
 * dates such as `09/05/2020` are read: remembered with the mapping, or seen in the first
 * DATE_SAMPLE_ROWS rows (a file that writes `25/05/2020` anywhere there is day first). The shape
 * is the channel's (shared/channels/import.ts).
 */
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

export const PREVIEW_ROWS = 20;
/** Rows read for the order of dates: enough to meet a day above 12 in any table dated by day. */
export const DATE_SAMPLE_ROWS = 2000;
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
  const evidence = { dmy: 0, mdy: 0, either: 0, sampled: 0 };
  const example: Record<DateOrder, { value: string; line: number } | null> = { dmy: null, mdy: null };
  const generic = detected.format === 'csv';
  // ACLED's 2015-era files write 15/01/2015: its event_date is sampled too (a generic table's every cell).
  const acledDate =
    detected.format === 'acled' ? reader.header.findIndex((h) => h.trim().toLowerCase() === 'event_date') : -1;
  const sampling = generic || acledDate !== -1;
  try {
    for await (const b of reader.batches()) {
      for (const r of b.rows) {
        if (rows.length < PREVIEW_ROWS) {
          for (const c of r.cells) chars += c.length + 1;
          rows.push({
            line: r.line,
            cells: r.cells.map((c) => (c.length > PREVIEW_CELL ? `${c.slice(0, PREVIEW_CELL)}…` : c)),
          });
        }
        if (!sampling) continue;
        evidence.sampled++;
        let either = false;
        for (const c of generic ? r.cells : [r.cells[acledDate] ?? '']) {
          const o = c.length <= 12 ? numericDateOrder(c.trim()) : null;
          if (o === 'either') either = true;
          else if (o !== null) {
            evidence[o]++;
            example[o] ??= { value: c.trim(), line: r.line };
          }
        }
        if (either) evidence.either++;
      }
      if (rows.length >= PREVIEW_ROWS && (!sampling || evidence.sampled >= DATE_SAMPLE_ROWS)) break;
    }
  } catch (e) {
    throw fileError(path, e);
  } finally {
    await reader.close();
  }
  const header = reader.header;
  let mapping: ImportPreview['mapping'] = null;
  let mappingSource: ImportPreview['mappingSource'] = null;
  let dates: ImportPreview['dates'] = null;
  if (generic) {
    const remembered = rememberedMapping(db, header);
    mapping = remembered ?? suggestMapping(header);
    mappingSource = remembered ? 'remembered' : 'suggested';
    const order = remembered ? rememberedDateOrder(db, header) : undefined;
    // Seen: one order only. Both seen (two columns written differently) decides nothing.
    const seen = evidence.dmy > 0 && evidence.mdy === 0 ? 'dmy' : evidence.mdy > 0 && evidence.dmy === 0 ? 'mdy' : null;
    dates = {
      order: order !== undefined ? order : seen,
      source: order !== undefined ? 'remembered' : seen ? 'detected' : null,
      either: evidence.either,
      sampled: evidence.sampled,
      example: order === undefined && seen ? example[seen] : null,
    };
  } else if (sampling && (evidence.dmy > 0 || evidence.mdy > 0 || evidence.either > 0)) {
    // An ACLED file whose dates need an order (the 2015 layout); files dated `28 December 2022` need none.
    const seen = evidence.dmy > 0 && evidence.mdy === 0 ? 'dmy' : evidence.mdy > 0 && evidence.dmy === 0 ? 'mdy' : null;
    dates = {
      order: seen,
      source: seen ? 'detected' : null,
      either: evidence.either,
      sampled: evidence.sampled,
      example: seen ? example[seen] : null,
    };
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
    dates,
    totalBytes: reader.totalBytes,
    estimatedRows,
  };
}
