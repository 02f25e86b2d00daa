import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { CITE_TARGETS, type RowValues } from '../../shared/domain/fields';
import { createCaseFileDb, type Db } from '../db/open';
import { rebuildSearch } from '../db/search';
import { HUB_TABLES, ID_RE, selectList, type HubTable } from './columns';
import { hubError } from './connect';
import { copyAttachmentsById } from './attachment-sync';
import { lastPosition } from './position';
import {
  LOG_SELECT,
  malformed,
  PAGE,
  readCaseHead,
  rowWriter,
  writeEntries,
  type HubEntryRow,
  type Snapshot,
} from './snapshot';

/** Attached files' rows travel beside the tables columns.ts lists (attachment-sync.ts): a table of the hub all the same. */
const ATTACHMENTS = 'attachments' as HubTable;

/**
 * What a laptop that has everything up to the hub's position `since` lacks, as a case file
 * holding only that: the rows changed, added or deleted after `since` (named by the change-log
 * entries after it, and by the rows' own position stamps, hub migration 4), each with its WHOLE
 * history; the rows they hang from (a citation's source and target, a comment's citation); and
 * the citations of changed rows with their comments. Pushes to a case take turns on the case's
 * row lock, so every position a later push takes comes after those this pull sees.
 *
 * The three-way merge then decides each row as from the whole case: a row's decision reads only
 * that row's two versions and two histories. The rows left out (unchanged since the last pull)
 * are rows this file has, with no history on "their" side, which the merge leaves as they are
 * (plan.ts, onlyMine: "you added it"). Parents and citations come along for the merge's checks
 * across rows (plan-deps.ts): a row the analyst deleted that a colleague's new citation points at
 * is offered back, and a deleted row a colleague changed comes back with its citations.
 *
 * Read in one repeatable-read transaction, checked row by row and entry by entry like a whole
 * snapshot (snapshot.ts), ids a page at a time.
 */
export async function readChanges(
  client: pg.Client,
  caseId: string,
  since: number,
  dir: string,
  name: string,
): Promise<Snapshot> {
  const path = join(dir, name);
  const db = createCaseFileDb(path);
  let head = 0;
  let rows = 0;
  let entries = 0;
  let pos = since;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      head = await readCaseHead(client, db, caseId);
      pos = await lastPosition(client, caseId, since);
      const wanted = await changedRows(client, caseId, since, pos);
      await addDependents(client, caseId, wanted);
      // One transaction of the private file: a comment is read before the citation it hangs from
      // (parentsLast), so the links are checked when it commits.
      db.exec('BEGIN');
      db.pragma('defer_foreign_keys = ON');
      // Attached files' rows (their bytes stay on the hub until opened) first: their sources are read with the others.
      const files = await copyAttachmentsById(client, db, caseId, [...wanted.get(ATTACHMENTS)!], malformed);
      rows += files.rows;
      for (const id of files.sources) wanted.get('sources')!.add(id);
      for (const t of parentsLast(HUB_TABLES)) rows += await copyRows(client, db, caseId, t, wanted);
      for (const t of [...HUB_TABLES, ATTACHMENTS])
        entries += await copyHistory(client, db, caseId, t, [...wanted.get(t)!]);
      try {
        db.exec('COMMIT');
      } catch (e) {
        throw malformed(`rows that point at rows it did not send: ${(e as Error).message}`);
      }
      await client.query('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    rebuildSearch(db);
    db.close();
    return { path, head, rows, entries, pos };
  } catch (e) {
    db.close();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    throw hubError(e, 'Reading the changes from the hub');
  }
}

/**
 * Rows named by the entries after `since` (up to `upTo`, the snapshot's last), and rows stamped
 * after it (a row changed on the hub without an entry is read, and checked, all the same), per table.
 */
async function changedRows(
  client: pg.Client,
  caseId: string,
  since: number,
  upTo: number,
): Promise<Map<HubTable, Set<string>>> {
  const wanted = new Map<HubTable, Set<string>>([...HUB_TABLES, ATTACHMENTS].map((t) => [t, new Set<string>()]));
  const add = (tbl: string, id: unknown, where: string) => {
    const set = wanted.get(tbl as HubTable);
    // Said as the entry's or row's own check says it (columns.ts): the same message, whichever read met it.
    if (!set) throw malformed(`${where}, tbl: not a table of a case file`);
    if (typeof id !== 'string' || !ID_RE.test(id)) throw malformed(`${where}, row_id: not an id Casefile makes`);
    set.add(id);
  };
  // Distinct ids only: as many as the rows this pull reads anyway.
  const range = [caseId, String(since), String(upTo)];
  const r = await client.query<{ tbl: string; row_id: string; pos: string }>(
    `SELECT tbl, row_id, min(pos)::text AS pos FROM casefile.change_log
     WHERE case_id = $1 AND pos > $2::bigint AND pos <= $3::bigint GROUP BY tbl, row_id`,
    range,
  );
  for (const e of r.rows) add(e.tbl, e.row_id, `change log entry ${e.pos}`);
  for (const t of [...HUB_TABLES, ATTACHMENTS]) {
    const s = await client.query<{ id: string }>(
      `SELECT id FROM casefile.${t} WHERE case_id = $1 AND changed_pos > $2::bigint AND changed_pos <= $3::bigint`,
      range,
    );
    for (const row of s.rows) {
      if (typeof row.id !== 'string' || !ID_RE.test(row.id))
        throw malformed(`${t} row ${String(row.id).slice(0, 40)}, field id: not an id Casefile makes`);
      wanted.get(t)!.add(row.id);
    }
  }
  return wanted;
}

/**
 * The citations of changed rows, and the comments of those citations: a row you deleted that a
 * colleague changed is offered back with what you deleted along with it (plan-deps.ts), which
 * the merge finds among their citations of it.
 */
async function addDependents(client: pg.Client, caseId: string, wanted: Map<HubTable, Set<string>>): Promise<void> {
  const citations = wanted.get('citations' as HubTable);
  const annotations = wanted.get('annotations' as HubTable);
  if (!citations || !annotations) return;
  const targets = CITE_TARGETS.flatMap((t) => [...(wanted.get(t as HubTable) ?? [])]);
  for (let i = 0; i < targets.length; i += PAGE) {
    const r = await client.query<{ id: string }>(
      'SELECT id FROM casefile.citations WHERE case_id = $1 AND target_id = ANY($2::text[])',
      [caseId, targets.slice(i, i + PAGE)],
    );
    for (const row of r.rows) citations.add(row.id);
  }
  const cited = [...citations];
  for (let i = 0; i < cited.length; i += PAGE) {
    const r = await client.query<{ id: string }>(
      'SELECT id FROM casefile.annotations WHERE case_id = $1 AND citation_id = ANY($2::text[])',
      [caseId, cited.slice(i, i + PAGE)],
    );
    for (const row of r.rows) annotations.add(row.id);
  }
}

/** Tables that point at others first (their rows add their parents to what is read), sources last. */
function parentsLast(tables: readonly HubTable[]): HubTable[] {
  const rank = (t: string) => (t === 'annotations' ? 0 : t === 'citations' ? 1 : t === 'sources' ? 3 : 2);
  return [...tables].sort((a, b) => rank(a) - rank(b));
}

/** The row a link of `r` points at, as [table, id], for the links a merge checks (plan-deps.ts). */
function parentsOf(r: RowValues): [string, unknown][] {
  const out: [string, unknown][] = [];
  if ('source_id' in r) out.push(['sources', r.source_id]);
  if ('citation_id' in r) out.push(['citations', r.citation_id]);
  if ('target_table' in r) out.push([String(r.target_table), r.target_id]);
  return out;
}

async function copyRows(
  client: pg.Client,
  db: Db,
  caseId: string,
  t: HubTable,
  wanted: Map<HubTable, Set<string>>,
): Promise<number> {
  const ids = [...wanted.get(t)!].sort();
  const write = rowWriter(db, t);
  let n = 0;
  for (let i = 0; i < ids.length; i += PAGE) {
    const page = await client.query<RowValues>(
      `SELECT ${selectList(t)} FROM casefile.${t} WHERE case_id = $1 AND id = ANY($2::text[]) ORDER BY id`,
      [caseId, ids.slice(i, i + PAGE)],
    );
    db.transaction(() => write(page.rows))();
    for (const r of page.rows)
      for (const [pt, id] of parentsOf(r)) {
        const set = wanted.get(pt as HubTable);
        // A parent's table read before this one (a comment's citation is read after it): never, by parentsLast.
        if (set && typeof id === 'string' && ID_RE.test(id)) set.add(id);
      }
    n += page.rows.length;
  }
  return n;
}

/** Every entry of the rows read (their whole history: the merge's base is found in it). */
async function copyHistory(client: pg.Client, db: Db, caseId: string, t: HubTable, ids: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += PAGE) {
    const page = await client.query<HubEntryRow>(
      `${LOG_SELECT} WHERE case_id = $1 AND tbl = $2 AND row_id = ANY($3::text[]) ORDER BY change_log.pos`,
      [caseId, t, ids.slice(i, i + PAGE)],
    );
    db.transaction(() => writeEntries(db, page.rows))();
    n += page.rows.length;
  }
  return n;
}
