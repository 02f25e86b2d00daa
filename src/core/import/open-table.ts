import { promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { CasefileError } from '../errors';
import { openCsv } from './csv-stream';
import { detectTableFormat, type DetectedFormat } from './detect';
import type { ImportFormat } from './source-names';
import { ImportError, type TableReader } from './types';
import { openXlsx } from './xlsx-stream';

export type OpenedTable = { reader: TableReader; detected: DetectedFormat; kind: 'csv' | 'xlsx' };

/** A workbook is a ZIP archive: known by its first bytes whatever its name says. */
async function isZip(path: string): Promise<boolean> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(path, 'r');
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    return bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  } catch {
    return false;
  } finally {
    await fh?.close();
  }
}

/**
 * Opens a data file up to its header and recognises its format. CSV is read as UTF-8, except
 * GTD, which some releases ship in Windows-1252: the header is read in 'auto' mode (it is ASCII
 * either way) and a file that turns out not to be GTD is opened again in strict UTF-8 mode, so
 * that bytes that are not UTF-8 in an ACLED or generic file are an error naming their line.
 */
export async function openTable(
  path: string,
  opts: { format?: ImportFormat; signal?: AbortSignal; batchSize?: number } = {},
): Promise<OpenedTable> {
  const { signal, batchSize } = opts;
  if (path.toLowerCase().endsWith('.xlsx') || (await isZip(path))) {
    const reader = await openXlsx(path, { signal, batchSize });
    return { reader, detected: detectTableFormat(reader.header), kind: 'xlsx' };
  }
  if (opts.format === 'acled' || opts.format === 'csv') {
    const reader = await openCsv(path, { signal, batchSize, encoding: 'utf8' });
    return { reader, detected: detectTableFormat(reader.header), kind: 'csv' };
  }
  const reader = await openCsv(path, { signal, batchSize, encoding: 'auto' });
  const detected = detectTableFormat(reader.header);
  if (opts.format === 'gtd' || detected.format === 'gtd') return { reader, detected, kind: 'csv' };
  await reader.close();
  const strict = await openCsv(path, { signal, batchSize, encoding: 'utf8' });
  return { reader: strict, detected: detectTableFormat(strict.header), kind: 'csv' };
}

/** A file-level problem as the user sees it: the file's name, then the line and what is wrong. */
export function fileError(path: string, e: unknown): unknown {
  if (e instanceof ImportError) {
    return e.problem === 'not_found'
      ? new CasefileError('not_found', `${basename(path)}: no such file`)
      : new CasefileError('validation', `${basename(path)}: ${e.message}`);
  }
  return e;
}
