import {
  duplicateKey,
  exportReferences,
  parseReferences,
  type ReferenceFormat,
  type SourceForExport,
} from '../biblio/formats';
import { uniqueKey } from '../biblio/keys';
import type { CaseFile } from '../write/case-file';
import type { Db } from '../db/open';

/**
 * BibTeX, RIS and CSL-JSON in and out of the source library. Importing the same library twice
 * adds nothing the second time: a reference that looks like a source already in the case file
 * (folded title and year), or like an earlier one in the same file, is counted as a duplicate
 * and skipped; a key already taken by another work is renamed, with a warning.
 */

export type ImportSummary = {
  imported: number;
  duplicates: number;
  errors: string[];
  warnings: string[];
  format: ReferenceFormat;
};

export function importReferences(cf: CaseFile, text: string, format: ReferenceFormat | null): ImportSummary {
  const parsed = parseReferences(text, format ?? undefined);
  const existing = cf.db.prepare('SELECT key, title, published FROM sources').all() as {
    key: string;
    title: string;
    published: string | null;
  }[];
  const known = new Map(existing.map((s) => [duplicateKey(s), s.key]));
  const taken = new Set(existing.map((s) => s.key));
  const inFile = new Set(parsed.duplicates.map((d) => d.index));
  const warnings = parsed.warnings.map((w) => w.message);
  const rows: SourceForExport[] = [];
  let duplicates = 0;
  parsed.records.forEach((r, i) => {
    if (inFile.has(i)) {
      duplicates++;
      return;
    }
    const same = known.get(duplicateKey(r));
    if (same !== undefined) {
      duplicates++;
      return;
    }
    const key = uniqueKey(r.key, taken);
    if (key !== r.key)
      warnings.push(`"${r.title.slice(0, 80)}": key "${r.key}" is already used in the case file, imported as "${key}"`);
    rows.push({ ...r, key });
  });
  if (rows.length > 0) {
    cf.action(`Import ${rows.length} source${rows.length === 1 ? '' : 's'}`, (tx) => {
      for (const r of rows) tx.insert('sources', { ...r });
    });
  }
  return {
    imported: rows.length,
    duplicates,
    errors: parsed.errors.map((e) => e.message),
    warnings,
    format: parsed.format,
  };
}

export function exportSources(db: Db, format: ReferenceFormat, ids: string[] | null): { text: string; count: number } {
  const cols = 'key, title, authors, published, published_precision, url, language, type, reliability, accessed, notes';
  const rows = (
    ids
      ? db
          .prepare(
            `SELECT ${cols} FROM sources WHERE id IN (SELECT value FROM json_each(?)) ORDER BY key COLLATE NOCASE`,
          )
          .all(JSON.stringify(ids))
      : db.prepare(`SELECT ${cols} FROM sources ORDER BY key COLLATE NOCASE`).all()
  ) as SourceForExport[];
  return { text: exportReferences(rows, format), count: rows.length };
}
