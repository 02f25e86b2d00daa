import type { CitationView, CiteTarget, QueueFilter, ReviewStatus } from '../../shared/channels/sources';
import { CITE_TARGETS, fieldOf, type RowValues } from '../../shared/domain/fields';
import { parseCitations } from '../../shared/markdown/citations';
import type { CaseFile } from '../write/case-file';
import { CasefileError } from '../errors';
import type { Db } from '../db/open';
import { anchorOf, contextFor, sourceTexts } from './anchor';

/**
 * Citations as the UI shows them: with their source, grade, review status and where their
 * passage is in the attached text; and the checks a new or edited citation must pass.
 */

/**
 * The latest annotation that set a status is the citation's status; its author the reviewer.
 * CROSS JOIN keeps citations the outer loop (SQLite does not reorder it): the queue pages them in
 * id order and stops after a page. Left to the planner, it scanned the few sources and joined
 * their citations, then sorted all of them: 4.4 s for a page at 2.3M citations.
 */
const BASE = `SELECT c.id, c.source_id, c.target_table, c.target_id, c.field, c.locator_type, c.locator, c.quote, c.prefix, c.suffix,
  c.translation, c.credibility, c.author, c.created_at,
  s.key AS source_key, s.title AS source_title, s.reliability AS source_reliability,
  coalesce(st.status, 'unreviewed') AS status, st.author AS reviewer,
  (SELECT count(*) FROM annotations a WHERE a.citation_id = c.id AND a.parent_id IS NULL AND a.body IS NOT NULL AND a.resolved = 0) AS open_threads,
  CASE c.target_table
    WHEN 'incidents' THEN (SELECT coalesce(i.date, 'undated') || ' · ' || coalesce(i.location, i.admin1, i.country, '?') FROM incidents i WHERE i.id = c.target_id)
    WHEN 'plots' THEN (SELECT coalesce(p.date, 'before ' || p.date_before, 'undated') || ' · ' || p.country FROM plots p WHERE p.id = c.target_id)
    WHEN 'figures' THEN (SELECT f.measure || coalesce(' · ' || f.admin1, '') || ': ' || printf('%g', f.value) FROM figures f WHERE f.id = c.target_id)
    WHEN 'notes' THEN (SELECT n.title FROM notes n WHERE n.id = c.target_id)
  END AS target_label
  FROM citations c
  CROSS JOIN sources s ON s.id = c.source_id
  LEFT JOIN annotations st ON st.id = (SELECT a.id FROM annotations a WHERE a.citation_id = c.id AND a.status IS NOT NULL ORDER BY a.hlc DESC LIMIT 1)`;

type BaseRow = Omit<CitationView, 'grade' | 'anchor' | 'orphaned'> & { target_label: string | null };

export const gradeOf = (reliability: string | null, credibility: number | null) =>
  `${reliability ?? '?'}${credibility ?? '?'}`;

/** Adds grade, anchor and the orphan flag to rows read with BASE. */
function finish(db: Db, rows: BaseRow[]): CitationView[] {
  const texts = new Map<string, ReturnType<typeof sourceTexts>>();
  const noteKeys = new Map<string, Set<string>>();
  return rows.map((r) => {
    let t = texts.get(r.source_id);
    if (!t) texts.set(r.source_id, (t = sourceTexts(db, r.source_id)));
    let orphaned = false;
    if (r.target_table === 'notes') {
      let keys = noteKeys.get(r.target_id);
      if (!keys) {
        const body =
          (db.prepare('SELECT body FROM notes WHERE id = ?').get(r.target_id) as { body: string | null } | undefined)
            ?.body ?? '';
        keys = new Set(parseCitations(body).flatMap((c) => c.items.map((i) => i.key)));
        noteKeys.set(r.target_id, keys);
      }
      orphaned = !keys.has(r.source_key);
    }
    return {
      ...r,
      target_label: r.target_label ?? '(deleted row)',
      grade: gradeOf(r.source_reliability, r.credibility),
      anchor: anchorOf(db, r, t),
      orphaned,
    };
  });
}

export function citationsFor(db: Db, table: CiteTarget | 'sources', id: string): CitationView[] {
  const rows =
    table === 'sources'
      ? db.prepare(`${BASE} WHERE c.source_id = ? ORDER BY c.target_table, c.rowid`).all(id)
      : db.prepare(`${BASE} WHERE c.target_table = ? AND c.target_id = ? ORDER BY c.rowid`).all(table, id);
  return finish(db, rows as BaseRow[]);
}

export function citationView(db: Db, id: string): CitationView | null {
  const r = db.prepare(`${BASE} WHERE c.id = ?`).get(id) as BaseRow | undefined;
  return r ? finish(db, [r])[0]! : null;
}

/** The review queue: citations in creation order, filtered, a page at a time (keyset on id). */
export function reviewQueue(
  db: Db,
  f: QueueFilter,
  after: string | null,
  limit: number,
): { rows: CitationView[]; next: string | null; total: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const inList = listCondition(where, params);
  inList('v.status', f.status as ReviewStatus[]);
  if (f.reviewer) {
    where.push('v.reviewer = ?');
    params.push(f.reviewer);
  }
  citationConditions(
    f,
    {
      reliability: 'v.source_reliability',
      credibility: 'v.credibility',
      source: 'v.source_id',
      target: 'v.target_table',
    },
    where,
    params,
  );
  // A grade filter: the citations of the sources of that grade, through the index on source_id.
  if (f.reliability.length > 0) {
    const bySource: string[] = [];
    listCondition(bySource, params)('s.reliability', f.reliability);
    where.push(`v.source_id IN (SELECT s.id FROM sources s WHERE ${bySource[0]!})`);
  }
  // A status other than unreviewed, or a reviewer: only on citations someone set a status on, a
  // few, found from the annotations instead of scanning every citation in id order.
  if (onlyReviewed(f)) where.push('v.id IN (SELECT citation_id FROM annotations WHERE status IS NOT NULL)');
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = queueTotal(db, f);
  const page = after ? `${w ? `${w} AND` : 'WHERE'} v.id > ?` : w;
  const rows = db
    .prepare(`SELECT * FROM (${BASE}) v ${page} ORDER BY v.id LIMIT ?`)
    .all(...params, ...(after ? [after] : []), limit) as BaseRow[];
  const next = rows.length === limit ? rows.at(-1)!.id : null;
  return { rows: finish(db, rows), next, total };
}

/** A filter of listed values (null: the column is empty) added to `where`, its parameters to `params`. */
function listCondition(where: string[], params: (string | number)[]) {
  return (col: string, values: (string | number | null)[]) => {
    if (values.length === 0) return;
    const known = values.filter((v) => v !== null);
    const parts: string[] = [];
    if (known.length) {
      parts.push(`${col} IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(known));
    }
    if (known.length !== values.length) parts.push(`${col} IS NULL`);
    where.push(`(${parts.join(' OR ')})`);
  };
}

/** The queue filter's conditions on a citation and its source (grade, credibility, source, row kind), on the columns named. */
function citationConditions(
  f: QueueFilter,
  col: { reliability: string; credibility: string; source: string; target: string },
  where: string[],
  params: (string | number)[],
): void {
  const inList = listCondition(where, params);
  inList(col.reliability, f.reliability);
  inList(col.credibility, f.credibility);
  if (f.sourceId) {
    where.push(`${col.source} = ?`);
    params.push(f.sourceId);
  }
  if (f.targetTable) {
    where.push(`${col.target} = ?`);
    params.push(f.targetTable);
  }
}

/** Whether the filter matches only citations someone set a status on (never-reviewed ones are unreviewed, with no reviewer). */
const onlyReviewed = (f: QueueFilter) =>
  f.reviewer !== null || (f.status.length > 0 && !f.status.includes('unreviewed'));

/** Each reviewed citation's latest status and its author: the same annotation BASE joins as `st`. */
export const REVIEWED = `SELECT a.citation_id AS id, a.status, a.author FROM annotations a
  WHERE a.status IS NOT NULL AND a.id = (SELECT b.id FROM annotations b WHERE b.citation_id = a.citation_id AND b.status IS NOT NULL ORDER BY b.hlc DESC LIMIT 1)`;

/**
 * How many citations the queue's filter matches, without looking up a status for every one: an
 * imported dataset brings millions of citations (2.3M at a million incidents: 9 s to count
 * through BASE, every window frozen meanwhile), and only the few someone reviewed have a status.
 * Those are counted from their annotations; the rest are unreviewed, with no reviewer, and are
 * the filter's citations less the reviewed ones.
 */
function queueTotal(db: Db, f: QueueFilter): number {
  const cond: string[] = [];
  const params: (string | number)[] = [];
  citationConditions(
    f,
    { reliability: 's.reliability', credibility: 'c.credibility', source: 'c.source_id', target: 'c.target_table' },
    cond,
    params,
  );
  const where = (extra: string[]) => ([...cond, ...extra].length ? `WHERE ${[...cond, ...extra].join(' AND ')}` : '');
  const count = (from: string, extra: string[], extraParams: (string | number)[]) =>
    db
      .prepare(`SELECT count(*) ${from} ${where(extra)}`)
      .pluck()
      .get(...params, ...extraParams) as number;
  const citations = 'FROM citations c JOIN sources s ON s.id = c.source_id';
  const reviewed = `FROM (${REVIEWED}) r JOIN citations c ON c.id = r.id JOIN sources s ON s.id = c.source_id`;
  // Reviewed citations the filter matches, by their status and reviewer.
  const matching = count(
    reviewed,
    [
      ...(f.status.length ? ['r.status IN (SELECT value FROM json_each(?))'] : []),
      ...(f.reviewer ? ['r.author = ?'] : []),
    ],
    [...(f.status.length ? [JSON.stringify(f.status)] : []), ...(f.reviewer ? [f.reviewer] : [])],
  );
  if (onlyReviewed(f)) return matching;
  // And the never reviewed: all the filter's citations less the reviewed ones.
  return matching + count(citations, [], []) - count(reviewed, [], []);
}

function checkCitation(cf: CaseFile, row: RowValues): void {
  const table = row.target_table as string;
  if (!(CITE_TARGETS as readonly string[]).includes(table))
    throw new CasefileError('validation', `Cites must be one of: ${CITE_TARGETS.join(', ')}`, 'target_table');
  if (typeof row.target_id !== 'string' || !cf.get(table as CiteTarget, row.target_id)) {
    throw new CasefileError(
      'not_found',
      `no ${table.replace(/s$/, '')} ${String(row.target_id)} to cite from`,
      'target_id',
    );
  }
  if (typeof row.source_id !== 'string' || !cf.get('sources', row.source_id))
    throw new CasefileError('validation', 'Source: choose a source from the library', 'source_id');
  if (row.field !== null && row.field !== undefined && row.field !== '') {
    if (table === 'notes' || !fieldOf(table as CiteTarget, String(row.field))) {
      throw new CasefileError('validation', `Field: ${table} has no field "${String(row.field)}"`, 'field');
    }
  }
}

/** With a quote but no context, the context comes from the attached text where the quote is. */
function withContext(cf: CaseFile, row: RowValues, edited: RowValues): RowValues {
  const quote = typeof row.quote === 'string' ? row.quote : '';
  const noContext = !row.prefix && !row.suffix;
  const quoteEdited = 'quote' in edited && !('prefix' in edited) && !('suffix' in edited);
  if (quote.trim() === '' || !(noContext || quoteEdited)) return {};
  const ctx = contextFor(cf.db, String(row.source_id), quote);
  if (ctx) return { prefix: ctx.prefix || null, suffix: ctx.suffix || null };
  // The old context belonged to the old quote.
  return quoteEdited && !noContext ? { prefix: null, suffix: null } : {};
}

export function createCitation(cf: CaseFile, values: RowValues): RowValues {
  const row = { ...values, field: values.field === '' ? null : (values.field ?? null) };
  checkCitation(cf, row);
  const ctx = withContext(cf, row, row);
  return cf.action('Cite source', (tx) => tx.insert('citations', { ...row, ...ctx }));
}

export function updateCitation(cf: CaseFile, id: string, values: RowValues): RowValues {
  const current = cf.get('citations', id);
  if (!current) throw new CasefileError('not_found', `no citation ${id}`);
  const edited = 'field' in values && values.field === '' ? { ...values, field: null } : values;
  const next = { ...current, ...edited };
  checkCitation(cf, next);
  const ctx = withContext(cf, next, edited);
  return cf.action('Edit citation', (tx) => tx.update('citations', id, { ...edited, ...ctx }));
}
