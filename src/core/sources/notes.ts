import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { findBidiControls, hasBidiHazard } from '../../shared/markdown/bidi';
import { isolate } from '../../shared/text/display-text';
import { parseCitations, renderNote, type CitationCluster, type LocatorLabel } from '../../shared/markdown/citations';
import { LOCATOR_TYPES, type RowValues } from '../../shared/domain/fields';
import type { CitationClusterInput, CslStyleName } from '../biblio/citeproc';
import { renderCitations } from '../biblio/citeproc-node';
import { toCslJson, type CslItem, type SourceForExport } from '../biblio/formats';
import type { CaseFile, Tx } from '../write/case-file';
import { CasefileError } from '../errors';
import type { Db } from '../db/open';

/**
 * Analytic notes: Markdown with Pandoc citations. Saving a note brings its `citations` rows in
 * line with the keys it cites, so review covers notes like any other row; rendering formats the
 * citations and bibliography with citeproc here in the core, so the renderer needs no citeproc.
 */

type LocatorType = (typeof LOCATOR_TYPES)[number];
type Wanted = { source_id: string; locator_type: LocatorType | null; locator: string | null };

function locatorOf(label: LocatorLabel | null, locator: string | null): Pick<Wanted, 'locator_type' | 'locator'> {
  if (!locator) return { locator_type: null, locator: null };
  const l = label ?? 'page';
  if ((LOCATOR_TYPES as readonly string[]).includes(l)) return { locator_type: l as LocatorType, locator };
  return { locator_type: 'other', locator: `${l} ${locator}` };
}

function sourcesByKey(db: Db, keys: string[]): Map<string, RowValues> {
  const rows = db
    .prepare('SELECT * FROM sources WHERE key IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(keys)) as RowValues[];
  return new Map(rows.map((r) => [r.key as string, r]));
}

/**
 * One citation row per source and locator the note cites. An existing row is kept where it
 * still matches (its review stays with it), re-pointed where only the locator changed, and
 * deleted where the note no longer cites its source, unless someone has reviewed or discussed
 * it: then it stays, shown as no longer in the note, so that a review is never silently lost.
 */
export function syncNoteCitations(tx: Tx, db: Db, noteId: string, body: string): void {
  const clusters = parseCitations(body);
  const keys = [...new Set(clusters.flatMap((c) => c.items.map((i) => i.key)))];
  const byKey = sourcesByKey(db, keys);
  const wanted: Wanted[] = [];
  const seen = new Set<string>();
  for (const c of clusters) {
    for (const i of c.items) {
      const s = byKey.get(i.key);
      if (!s) continue;
      const w = { source_id: s.id as string, ...locatorOf(i.label, i.locator) };
      const k = JSON.stringify(w);
      if (!seen.has(k)) {
        seen.add(k);
        wanted.push(w);
      }
    }
  }
  type Existing = Wanted & { id: string; reviewed: number };
  let existing = db
    .prepare(
      `SELECT c.id, c.source_id, c.locator_type, c.locator, (SELECT count(*) FROM annotations a WHERE a.citation_id = c.id) AS reviewed
       FROM citations c WHERE c.target_table = 'notes' AND c.target_id = ? ORDER BY c.rowid`,
    )
    .all(noteId) as Existing[];
  const take = (pred: (e: Existing) => boolean): Existing | undefined => {
    const i = existing.findIndex(pred);
    return i === -1 ? undefined : existing.splice(i, 1)[0];
  };
  const unmatched: Wanted[] = [];
  for (const w of wanted) {
    if (!take((e) => e.source_id === w.source_id && e.locator_type === w.locator_type && e.locator === w.locator))
      unmatched.push(w);
  }
  for (const w of unmatched) {
    const e = take(
      (x) =>
        x.source_id === w.source_id &&
        !wanted.some(
          (y) => y.source_id === x.source_id && y.locator === x.locator && y.locator_type === x.locator_type,
        ),
    );
    if (e) tx.update('citations', e.id, { locator_type: w.locator_type, locator: w.locator });
    else
      tx.insert('citations', {
        source_id: w.source_id,
        target_table: 'notes',
        target_id: noteId,
        locator_type: w.locator_type,
        locator: w.locator,
      });
  }
  existing = existing.filter((e) => e.reviewed === 0);
  for (const e of existing) tx.delete('citations', e.id);
}

export function saveNote(cf: CaseFile, id: string | null, title: string, body: string): RowValues {
  if (id !== null && !cf.get('notes', id)) throw new CasefileError('not_found', `no note ${id}`);
  return cf.action(id === null ? 'Add note' : 'Edit note', (tx) => {
    const row = id === null ? tx.insert('notes', { title, body }) : tx.update('notes', id, { title, body });
    syncNoteCitations(tx, cf.db, row.id as string, body);
    return row;
  });
}

export function listNotes(db: Db) {
  return db
    .prepare(
      `SELECT n.id, n.title, n.updated_at, n.author,
        (SELECT count(*) FROM citations c WHERE c.target_table = 'notes' AND c.target_id = n.id) AS citations
       FROM notes n ORDER BY n.updated_at DESC, n.id`,
    )
    .all() as { id: string; title: string; updated_at: string; author: string; citations: number }[];
}

/** A CSL item for formatting: the analyst's notes and Casefile's marks are not for a bibliography. */
function itemFor(row: RowValues): CslItem {
  const item = toCslJson(row as unknown as SourceForExport);
  delete item.note;
  delete item.keyword;
  return isolateControls(item);
}

/**
 * Every string of the item that holds a direction override or embedding, closed off in an
 * isolate (FSI ... PDI): an author "\u202EAmaq" would otherwise reverse the year, the title and
 * the rest of the reference or citation after it.
 */
function isolateControls<T>(v: T): T {
  if (typeof v === 'string') return (hasBidiHazard(v) ? isolate(v) : v) as T;
  if (Array.isArray(v)) return v.map(isolateControls) as T;
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isolateControls(x)])) as T;
  return v;
}

/** Formatting every cluster of a long note is slow and repetitive: identical clusters are formatted once, up to this many. */
const MAX_DISTINCT_CLUSTERS = 2000;

function clusterInput(c: CitationCluster, id: string): CitationClusterInput {
  return {
    id,
    inText: c.inText,
    items: c.items.map((i) => ({
      id: i.key,
      ...(i.locator ? { locator: i.locator, label: i.label ?? 'page' } : {}),
      ...(i.prefix ? { prefix: i.prefix } : {}),
      ...(i.suffix ? { suffix: i.suffix } : {}),
      ...(i.suppressAuthor ? { suppressAuthor: true } : {}),
    })),
  };
}

/** citeproc's HTML for one citation as the text renderNote escapes and inserts. */
function plain(html: string): string {
  let s = '';
  const walk = (n: DefaultTreeAdapterMap['node']) => {
    if (n.nodeName === '#text') s += (n as DefaultTreeAdapterMap['textNode']).value;
    else if ('childNodes' in n) for (const c of n.childNodes) walk(c);
  };
  walk(parseFragment(html) as unknown as DefaultTreeAdapterMap['node']);
  return s;
}

export function renderNoteHtml(db: Db, markdown: string, style: CslStyleName) {
  const clusters = parseCitations(markdown);
  const keys = [...new Set(clusters.flatMap((c) => c.items.map((i) => i.key)))];
  const items = [...sourcesByKey(db, keys).values()].map(itemFor);
  const signatureOf = (c: CitationCluster) =>
    JSON.stringify([c.inText, c.items.map((i) => [i.key, i.prefix, i.suffix, i.locator, i.label, i.suppressAuthor])]);
  const distinct = new Map<string, string>();
  const inputs: CitationClusterInput[] = [];
  const idOf = clusters.map((c) => {
    const sig = signatureOf(c);
    let id = distinct.get(sig);
    if (id === undefined && distinct.size < MAX_DISTINCT_CLUSTERS) {
      id = `c${distinct.size}`;
      distinct.set(sig, id);
      inputs.push(clusterInput(c, id));
    }
    return id;
  });
  const r = renderCitations(items, inputs, style, 'html');
  const text = new Map<string, string>();
  const html = renderNote(markdown, (_c, index) => {
    const id = idOf[index];
    const formatted = id === undefined ? '' : (r.citations[id] ?? '');
    if (!formatted) return null;
    let t = text.get(id!);
    if (t === undefined) text.set(id!, (t = plain(formatted)));
    return t;
  });
  const bidi = findBidiControls(markdown)
    .filter((b) => b.kind !== 'mark')
    .slice(0, 100)
    .map((b) => ({ index: b.index, name: b.name }));
  return { html, bibliography: r.bibliography, missing: [...new Set(r.missing)], bidi };
}

/** A file name from a title: letters and digits of any script, dashes between. */
export function fileBaseOf(title: string): string {
  const base = title
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return base || 'note';
}

/**
 * A note for Pandoc: the Markdown with a YAML header naming its bibliography and style, and the
 * bibliography (the sources it cites) as CSL-JSON, to be written beside it.
 */
export function noteExportBundle(
  db: Db,
  id: string,
  style: CslStyleName,
): { fileBase: string; markdown: string; cslJson: string } {
  const note = db.prepare('SELECT title, body FROM notes WHERE id = ?').get(id) as
    { title: string; body: string | null } | undefined;
  if (!note) throw new CasefileError('not_found', `no note ${id}`);
  const body = note.body ?? '';
  const keys = [...new Set(parseCitations(body).flatMap((c) => c.items.map((i) => i.key)))];
  const items = [...sourcesByKey(db, keys).values()].map((r) => toCslJson(r as unknown as SourceForExport));
  const fileBase = fileBaseOf(note.title);
  // JSON strings are valid YAML double-quoted scalars: a title with colons or quotes stays one value.
  const header = [
    '---',
    `title: ${JSON.stringify(note.title)}`,
    `bibliography: ${JSON.stringify(`${fileBase}.json`)}`,
    `csl: ${JSON.stringify(`${style}.csl`)}`,
    '---',
    '',
  ];
  return {
    fileBase,
    markdown: `${header.join('\n')}\n${body.replace(/\r\n?/g, '\n')}\n`,
    cslJson: JSON.stringify(items, null, 2) + '\n',
  };
}
