import { validateRow } from '../../shared/domain/fields';
import { CasefileError } from '../errors';
import { readBibtex, writeBibtex } from './bibtex';
import { fromCslItem, toCslJson } from './csl-map';
import { cleanKey, duplicateKey, makeKey, uniqueKey } from './keys';
import { readRis, writeRis } from './ris';
import type { CslItem, ReferenceFormat, SourceForExport, SourceInput } from './types';

export { toCslJson, typeFromCsl, CSL_TYPE_FOR, parseAuthors, nameToText } from './csl-map';
export { duplicateKey, isValidKey, KEY_PATTERN, makeKey } from './keys';
export type { CslItem, ReferenceFormat, SourceForExport, SourceInput } from './types';

/** `index` is the entry's 0-based position in the file (BibTeX entries, RIS records, JSON items). */
export type ImportIssue = { index: number; message: string };

export type ParseResult = {
  format: ReferenceFormat;
  records: SourceInput[];
  /** Entries not imported, and why. */
  errors: ImportIssue[];
  /** Entries imported with a change worth telling: a key made up or renamed. */
  warnings: ImportIssue[];
  /** `records[index]` looks like the earlier `records[of]`: same folded title, same year. */
  duplicates: { index: number; of: number; key: string }[];
  /** The CSL item each record came from, by the same index: what a row has no column for. */
  csl: CslItem[];
};

/** Which format a text is in, by its first significant characters; null if none of the three. */
export function detectReferenceFormat(text: string): ReferenceFormat | null {
  const s = text.replace(/^\uFEFF/, '');
  if (/^\s*[[{]/.test(s)) return 'csl-json';
  if (/^\s*TY {2}- /m.test(s)) return 'ris';
  if (/^\s*@\s*[a-zA-Z]+\s*[{(]/m.test(s)) return 'bibtex';
  return null;
}

/**
 * References from a BibTeX/BibLaTeX, RIS or CSL-JSON text as source rows. Entries that cannot be
 * read or are not valid rows are listed in `errors` and left out; the rest are imported. Keys are
 * the file's citation keys, made valid and unique within the file (uniqueness against the case
 * file is the caller's, which knows its keys); where a file has none, one is made up.
 */
export function parseReferences(text: string, format?: ReferenceFormat): ParseResult {
  const body = text.replace(/^\uFEFF/, '');
  const fmt = format ?? detectReferenceFormat(body);
  if (!fmt) throw new CasefileError('validation', 'not a BibTeX, RIS or CSL-JSON file');
  const read = fmt === 'bibtex' ? readBibtex(body) : fmt === 'ris' ? readRis(body) : readCslJson(body);

  const result: ParseResult = {
    format: fmt,
    records: [],
    errors: [...read.errors],
    warnings: [],
    duplicates: [],
    csl: [],
  };
  const taken = new Set<string>();
  const seen = new Map<string, number>();
  for (const { index, item } of read.entries) {
    const mapped = fromCslItem(item);
    const label = typeof item.id === 'string' || typeof item.id === 'number' ? ` (${item.id})` : '';
    if (!mapped.ok) {
      result.errors.push({ index, message: `entry ${index + 1}${label}: ${mapped.reason}` });
      continue;
    }
    const given = cleanKey(mapped.source.key);
    const key = uniqueKey(given ?? makeKey(mapped.source), taken);
    if (given === null) {
      result.warnings.push({ index, message: `entry ${index + 1}${label}: no usable citation key, given "${key}"` });
    } else if (key !== given) {
      result.warnings.push({
        index,
        message: `entry ${index + 1}: key "${given}" is used twice in the file, renamed "${key}"`,
      });
    }
    const record: SourceInput = { ...mapped.source, key };
    const invalid = validateRow('sources', record);
    if (invalid) {
      taken.delete(key);
      result.errors.push({ index, message: `entry ${index + 1}${label}: ${invalid.message}` });
      continue;
    }
    const dup = duplicateKey(record);
    const first = seen.get(dup);
    if (first === undefined) seen.set(dup, result.records.length);
    else result.duplicates.push({ index: result.records.length, of: first, key: dup });
    result.records.push(record);
    result.csl.push(item);
  }
  result.errors.sort((a, b) => a.index - b.index);
  return result;
}

function readCslJson(text: string): { entries: { index: number; item: CslItem }[]; errors: ImportIssue[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return {
      entries: [],
      errors: [{ index: 0, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` }],
    };
  }
  // An array of items (Zotero, Pandoc), one item, or an object holding `items`.
  const list: unknown[] = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { items?: unknown }).items)
      ? (data as { items: unknown[] }).items
      : [data];
  const entries: { index: number; item: CslItem }[] = [];
  const errors: ImportIssue[] = [];
  list.forEach((item, index) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push({ index, message: `entry ${index + 1}: not a CSL-JSON item` });
      return;
    }
    const it = item as Record<string, unknown>;
    entries.push({
      index,
      item: {
        ...it,
        id: it.id === undefined || it.id === null ? '' : String(it.id),
        type: String(it.type ?? 'document'),
      } as CslItem,
    });
  });
  return { entries, errors };
}

/** The sources as a BibLaTeX, RIS or CSL-JSON file. */
export function exportReferences(sources: readonly SourceForExport[], format: ReferenceFormat): string {
  const items = sources.map(toCslJson);
  if (format === 'csl-json') return JSON.stringify(items, null, 2) + '\n';
  if (format === 'ris') return writeRis(items);
  return writeBibtex(items);
}
