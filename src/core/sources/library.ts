import type { SourceSummary } from '../../shared/channels/sources';
import { parseCitations } from '../../shared/markdown/citations';
import { FIELDS, type RowValues } from '../../shared/domain/fields';
import { duplicateKey, isValidKey } from '../biblio/formats';
import type { CaseFile, Tx } from '../write/case-file';
import { CasefileError } from '../errors';
import type { Db } from '../db/open';
import { ftsQuery } from '../grid/filter-sql';
import { moveAttachments, removeInTx } from './attachments';

/**
 * The source library: create and edit with key rules, find and merge duplicates, delete or
 * reassign. Each operation is one action (one transaction, one undo step, one change event).
 */

const SUMMARY = `SELECT s.id, s.key, s.title, s.authors, s.published, s.type, s.reliability, s.language, s.url,
  (SELECT count(*) FROM citations c WHERE c.source_id = s.id) AS cites,
  (SELECT count(*) FROM attachments a WHERE a.source_id = s.id) AS attachments
  FROM sources s`;

export function listSources(
  db: Db,
  o: { search: string; reliability: (string | null)[]; limit: number },
): { rows: SourceSummary[]; total: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const q = ftsQuery(o.search.trim());
  if (q) {
    where.push('s.rowid IN (SELECT rowid FROM sources_fts WHERE sources_fts MATCH ?)');
    params.push(q);
  }
  if (o.reliability.length) {
    const letters = o.reliability.filter((r): r is string => r !== null);
    const parts = [];
    if (letters.length) {
      parts.push('s.reliability IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(letters));
    }
    if (letters.length !== o.reliability.length) parts.push('s.reliability IS NULL');
    where.push(`(${parts.join(' OR ')})`);
  }
  const w = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) n FROM sources s${w}`).get(...params) as { n: number }).n;
  const rows = db
    .prepare(`${SUMMARY}${w} ORDER BY s.key COLLATE NOCASE, s.id LIMIT ?`)
    .all(...params, o.limit) as SourceSummary[];
  return { rows, total };
}

export function sourceKeys(db: Db) {
  return db.prepare('SELECT key, title, authors, published FROM sources ORDER BY key COLLATE NOCASE').all() as {
    key: string;
    title: string;
    authors: string | null;
    published: string | null;
  }[];
}

function checkKey(db: Db, key: unknown, id: string | null): void {
  if (typeof key !== 'string' || !isValidKey(key)) {
    throw new CasefileError(
      'validation',
      `Key "${String(key ?? '')}" is not a valid citation key: letters, digits and _, with : . - + / inside, at most 64 characters`,
      'key',
    );
  }
  const other = db.prepare('SELECT title FROM sources WHERE key = ? AND id IS NOT ?').get(key, id) as
    { title: string } | undefined;
  if (other) throw new CasefileError('validation', `Key "${key}" is already used by "${other.title}"`, 'key');
}

/** Creates a source (id null) or edits one; renaming its key renames it in every note that cites it. */
export function saveSource(cf: CaseFile, id: string | null, values: RowValues): RowValues {
  if (id === null) {
    checkKey(cf.db, values.key, null);
    return cf.action('Add source', (tx) => tx.insert('sources', { type: 'research', ...values }));
  }
  const current = cf.get('sources', id);
  if (!current) throw new CasefileError('not_found', `no source ${id}`);
  if ('key' in values && values.key !== current.key) checkKey(cf.db, values.key, id);
  const label = Object.keys(values)
    .map((n) => FIELDS.sources.find((f) => f.name === n)?.label ?? n)
    .join(', ');
  return cf.action(`Edit source ${label}`, (tx) => {
    const row = tx.update('sources', id, values);
    if (row.key !== current.key) renameKeysInNotes(tx, cf.db, new Map([[current.key as string, row.key as string]]));
    return row;
  });
}

/**
 * Rewrites `@old` as `@new` in every note that cites it, at the offsets the citation parser
 * gives, so that text merely containing the key (an email, a code span) is left alone.
 */
export function renameKeysInNotes(tx: Tx, db: Db, renames: Map<string, string>): number {
  if (renames.size === 0) return 0;
  const notes = db.prepare('SELECT id, body FROM notes WHERE body IS NOT NULL').all() as { id: string; body: string }[];
  let n = 0;
  for (const note of notes) {
    if (![...renames.keys()].some((k) => note.body.includes(k))) continue;
    const edits: { start: number; end: number; key: string }[] = [];
    for (const cluster of parseCitations(note.body)) {
      for (const item of cluster.items) {
        const to = renames.get(item.key);
        if (to !== undefined) edits.push({ start: item.keyStart, end: item.keyEnd, key: to });
      }
    }
    if (edits.length === 0) continue;
    let body = note.body;
    for (const e of edits.sort((a, b) => b.start - a.start)) {
      // A key written with braces (@{key}) keeps its braces: only the key itself is replaced.
      const written = body.slice(e.start, e.end);
      const braced = written.startsWith('{') && written.endsWith('}');
      body = body.slice(0, e.start) + (braced ? `{${e.key}}` : e.key) + body.slice(e.end);
    }
    tx.update('notes', note.id, { body });
    n++;
  }
  return n;
}

/** Groups of sources that look like the same work (folded title and year), for merging. */
export function findDuplicates(db: Db): { match: string; ids: string[] }[] {
  const rows = db.prepare('SELECT id, title, published FROM sources ORDER BY created_at, id').all() as {
    id: string;
    title: string;
    published: string | null;
  }[];
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    const k = duplicateKey(r);
    groups.set(k, [...(groups.get(k) ?? []), r.id]);
  }
  return [...groups].filter(([, ids]) => ids.length > 1).map(([match, ids]) => ({ match, ids }));
}

/** Moves citations (and note keys) from `from` to `to` inside a transaction; returns how many. */
function moveCitations(tx: Tx, db: Db, from: RowValues, to: RowValues): number {
  const ids = db.prepare('SELECT id FROM citations WHERE source_id = ?').all(from.id) as { id: string }[];
  for (const c of ids) tx.update('citations', c.id, { source_id: to.id as string });
  renameKeysInNotes(tx, db, new Map([[from.key as string, to.key as string]]));
  return ids.length;
}

/**
 * Merges duplicates into the kept source: their citations (and notes' keys) move to it, its
 * empty fields are filled from them, their attached files move to it, and they are deleted.
 * Undo brings the merged sources back with their files.
 */
export function mergeSources(
  cf: CaseFile,
  keepId: string,
  mergeIds: string[],
): { citations: number; attachments: number } {
  const keep = cf.get('sources', keepId);
  if (!keep) throw new CasefileError('not_found', `no source ${keepId}`);
  const others = [...new Set(mergeIds)]
    .filter((id) => id !== keepId)
    .map((id) => {
      const r = cf.get('sources', id);
      if (!r) throw new CasefileError('not_found', `no source ${id}`);
      return r;
    });
  if (others.length === 0)
    throw new CasefileError('validation', 'choose at least one other source to merge into this one');
  return cf.action(`Merge ${others.length + 1} sources into ${String(keep.key)}`, (tx) => {
    let citations = 0;
    let attachments = 0;
    const fill: RowValues = {};
    const notes: string[] = keep.notes ? [String(keep.notes)] : [];
    for (const o of others) {
      citations += moveCitations(tx, cf.db, o, keep);
      attachments += moveAttachments(tx, cf.db, o.id as string, keepId);
      for (const f of FIELDS.sources) {
        if (f.name === 'key' || f.name === 'notes' || f.name === 'published_precision') continue;
        if ((keep[f.name] ?? null) === null && fill[f.name] === undefined && (o[f.name] ?? null) !== null) {
          fill[f.name] = o[f.name];
          if (f.name === 'published') fill.published_precision = o.published_precision;
        }
      }
      if (o.notes && !notes.includes(String(o.notes))) notes.push(`(from ${String(o.key)}) ${String(o.notes)}`);
      tx.delete('sources', o.id as string);
    }
    const joined = notes.join('\n\n') || null;
    if (joined !== (keep.notes ?? null)) fill.notes = joined;
    if (Object.keys(fill).length) tx.update('sources', keepId, fill);
    return { citations, attachments };
  });
}

/**
 * Deletes a source. While citations point at it the delete is refused, unless they are
 * reassigned to another source; attached files go only when asked.
 */
export function deleteSource(
  cf: CaseFile,
  id: string,
  o: { reassignTo: string | null; deleteAttachments: boolean },
): { reassigned: number; attachments: number } {
  const src = cf.get('sources', id);
  if (!src) throw new CasefileError('not_found', `no source ${id}`);
  const cited = (cf.db.prepare('SELECT count(*) n FROM citations WHERE source_id = ?').get(id) as { n: number }).n;
  let target: RowValues | null = null;
  if (o.reassignTo !== null) {
    if (o.reassignTo === id) throw new CasefileError('validation', 'a source cannot be reassigned to itself');
    target = cf.get('sources', o.reassignTo);
    if (!target) throw new CasefileError('not_found', `no source ${o.reassignTo} to reassign the citations to`);
  } else if (cited > 0) {
    throw new CasefileError(
      'conflict',
      `"${String(src.title)}" is cited ${cited} time${cited === 1 ? '' : 's'}: reassign those citations to another source, or delete them first`,
    );
  }
  const files = (cf.db.prepare('SELECT count(*) n FROM attachments WHERE source_id = ?').get(id) as { n: number }).n;
  if (files > 0 && !o.deleteAttachments) {
    throw new CasefileError(
      'conflict',
      `"${String(src.title)}" has ${files} attached file${files === 1 ? '' : 's'}: confirm deleting ${files === 1 ? 'it' : 'them'} too`,
    );
  }
  return cf.action(`Delete source ${String(src.key)}`, (tx) => {
    const reassigned = target ? moveCitations(tx, cf.db, src, target) : 0;
    const files = cf.db.prepare('SELECT id FROM attachments WHERE source_id = ?').all(id) as { id: string }[];
    for (const f of files) removeInTx(tx, cf.db, f.id);
    tx.delete('sources', id);
    return { reassigned, attachments: files.length };
  });
}
