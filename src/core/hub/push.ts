import type pg from 'pg';
import type { RowValues } from '../../shared/domain/fields';
import { CasefileError } from '../errors';
import type { Db } from '../db/open';
import { same } from '../exchange/merge-decisions';
import { pushAttachments, type Uploaded } from './attachment-sync';
import { columnsOf, fieldNames, HUB_TABLES, hubEntryProblem, type HubLogEntry, type HubTable } from './columns';

const BATCH = 500;
const LOG_BATCH = 1000;

export type Access = 'edit' | 'review';
export type PushResult = {
  head: number;
  rows: number;
  deleted: number;
  entries: number;
  /** Of those entries, how many the file held under another name: the hub recorded them under the role. */
  renamed: number;
  /** The bytes of attached files the hub did not hold, sent once by content hash. */
  uploaded: Uploaded;
};
export type Pushed = PushResult & {
  maxSeq: number;
  /** Local entries that only restate the hub's rows (see pushLog), to forget once pushed. */ restating: number[];
  /** Local entries the hub recorded under the role (see pushLog), to record so here too once pushed. */
  toRename: number[];
};
export type PushState = {
  caseId: string;
  head: number;
  pushedSeq: number | null;
  role: string;
  access: Access;
  /** Local change-log positions written by merging pulls (first, last), see pushLog. */
  pulled: readonly (readonly [number, number])[];
};

/** The hub moved since this laptop pulled: pull again, then push (sync.ts does). */
export class Raced extends Error {}

/** The tables whose change-log entries travel: attached files' too (logged without their bytes). */
const LOGGED: readonly string[] = [...HUB_TABLES, 'attachments'];
const tablesFor = (access: Access): readonly string[] => (access === 'edit' ? LOGGED : ['annotations']);

/**
 * Pushes what this case file changed since its last push, in ONE PostgreSQL transaction: the
 * case's row is locked first, and if its head is not the one this laptop last pulled (another
 * laptop pushed meanwhile) nothing is written and Raced is thrown. Otherwise every row touched
 * since the last push (by the change log) is compared with the hub's copy, field by field; only
 * rows that differ are written (inserted or replaced whole) or deleted, then the change-log
 * entries the hub lacks are appended, and the head moves on by one. A push that dies midway
 * (killed, network gone) is rolled back by PostgreSQL: the hub is as it was.
 *
 * Rights are the hub's (row-level security). A reviewer's push that would change anything but
 * annotations is refused here first, saying which rows, so that it fails with a useful message
 * rather than the server's.
 */
export async function pushChanges(client: pg.Client, db: Db, s: PushState): Promise<Pushed> {
  const maxSeq = (db.prepare('SELECT coalesce(max(seq), 0) m FROM change_log').get() as { m: number }).m;
  const touched = touchedRows(db, s.pushedSeq);
  await client.query('BEGIN');
  try {
    const c = await client.query<{ head: string }>(
      'SELECT head::text AS head FROM casefile.cases WHERE id = $1 FOR UPDATE',
      [s.caseId],
    );
    if (!c.rows[0])
      throw new CasefileError('not_found', `The hub has no case ${s.caseId}, or your role has not been granted it`);
    if (Number(c.rows[0].head) !== s.head) throw new Raced();
    let rows = 0;
    let deleted = 0;
    const refused: string[] = [];
    const differ = new Set<string>();
    for (const t of HUB_TABLES) {
      const ids = touched.get(t) ?? [];
      for (let i = 0; i < ids.length; i += BATCH) {
        const r = await pushBatch(client, db, s, t, ids.slice(i, i + BATCH), refused, differ);
        rows += r.written;
        deleted += r.deleted;
      }
    }
    const files = await pushAttachments(client, db, s, refused, differ);
    rows += files.written;
    deleted += files.deleted;
    if (refused.length > 0) {
      throw new CasefileError(
        'refused',
        `Your role ${s.role} reviews this case: it may annotate but not change ${refused.slice(0, 3).join('; ')}${refused.length > 3 ? `; and ${refused.length - 3} more` : ''}. Nothing was pushed; undo those changes (or ask for edit rights) and sync again.`,
      );
    }
    const { added: entries, restating, toRename } = await pushLog(client, db, s, differ);
    let head = s.head;
    if (rows + deleted + entries > 0) {
      const u = await client.query<{ head: string }>(
        'UPDATE casefile.cases SET head = head + 1 WHERE id = $1 RETURNING head::text AS head',
        [s.caseId],
      );
      head = Number(u.rows[0]!.head);
    }
    await client.query('COMMIT');
    return {
      head,
      rows,
      deleted,
      entries,
      renamed: toRename.length,
      uploaded: files.uploaded,
      maxSeq,
      restating,
      toRename,
    };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Ids of each table's rows changed since local change-log position `since` (every row when never pushed). */
function touchedRows(db: Db, since: number | null): Map<HubTable, string[]> {
  const out = new Map<HubTable, string[]>();
  for (const t of HUB_TABLES) {
    const ids =
      since === null
        ? (db.prepare(`SELECT id FROM ${t} ORDER BY id`).pluck().all() as string[])
        : (db
            .prepare('SELECT DISTINCT row_id FROM change_log WHERE seq > ? AND tbl = ? ORDER BY row_id')
            .pluck()
            .all(since, t) as string[]);
    out.set(t, ids);
  }
  return out;
}

async function pushBatch(
  client: pg.Client,
  db: Db,
  s: PushState,
  t: HubTable,
  ids: string[],
  refused: string[],
  differ: Set<string>,
): Promise<{ written: number; deleted: number }> {
  const cols = columnsOf(t);
  const fields = fieldNames(t);
  const local = new Map(
    (
      db
        .prepare(`SELECT ${cols.join(', ')} FROM ${t} WHERE id IN (${ids.map(() => '?').join(', ')})`)
        .all(...ids) as RowValues[]
    ).map((r) => [r.id as string, r]),
  );
  const hubRows = await client.query<RowValues>(
    `SELECT id, ${fields.map((f) => (f === 'source_timestamp' ? `${f}::text AS ${f}` : f)).join(', ')} FROM casefile.${t} WHERE case_id = $1 AND id = ANY($2::text[])`,
    [s.caseId, ids],
  );
  const hub = new Map(hubRows.rows.map((r) => [r.id as string, r]));
  const hubValue = (f: string, v: unknown) => (f === 'source_timestamp' && v !== null ? Number(v) : v);
  const write: RowValues[] = [];
  const gone: string[] = [];
  for (const id of ids) {
    const mine = local.get(id);
    const theirs = hub.get(id);
    if (!mine) {
      if (theirs) gone.push(id);
    } else if (!theirs || fields.some((f) => !same(mine[f], hubValue(f, theirs[f])))) write.push(mine);
  }
  if (write.length + gone.length === 0) return { written: 0, deleted: 0 };
  for (const r of write) differ.add(`${t}:${String(r.id)}`);
  for (const id of gone) differ.add(`${t}:${id}`);
  if (s.access === 'review' && t !== 'annotations') {
    refused.push(
      `${t} (${write.length + gone.length} row${write.length + gone.length === 1 ? '' : 's'}, first ${[...write.map((r) => r.id as string), ...gone][0]})`,
    );
    return { written: 0, deleted: 0 };
  }
  if (write.length > 0) {
    const width = cols.length + 1;
    const values = write
      .map((_, i) => `(${Array.from({ length: width }, (_, j) => `$${i * width + j + 1}`).join(', ')})`)
      .join(', ');
    const params = write.flatMap((r) => [s.caseId, ...cols.map((c) => r[c] ?? null)]);
    const set = cols
      .filter((c) => c !== 'id')
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    await client.query(
      `INSERT INTO casefile.${t} (case_id, ${cols.join(', ')}) VALUES ${values} ON CONFLICT (case_id, id) DO UPDATE SET ${set}`,
      params,
    );
  }
  if (gone.length > 0) {
    const d = await client.query(`DELETE FROM casefile.${t} WHERE case_id = $1 AND id = ANY($2::text[])`, [
      s.caseId,
      gone,
    ]);
    // Row-level security hides the rows a role may not delete: fewer deleted is a refusal, not success.
    if (d.rowCount !== gone.length)
      throw new CasefileError('refused', `Your role ${s.role} may not delete ${t} in this case; nothing was pushed`);
  }
  return { written: write.length, deleted: gone.length };
}

/**
 * Appends the local change-log entries the hub lacks (the same entry twice is kept once); returns
 * how many were new.
 *
 * The hub records every new entry under the role it authenticated, whatever author the laptop
 * wrote (migration-author.ts): an entry this file holds under another name (the name typed on
 * the laptop) is returned in `toRename`, for the sync to record under the role here as well, so
 * that the laptop and the hub hold the same entry. Entries the hub already has under their own
 * author (a colleague's, pulled earlier) are not sent again, and keep their author.
 *
 * Entries that merging a pull wrote are pushed only for rows that now differ from the hub's (a
 * choice made in review, "keep mine", is a new decision the others must see as newer). For every
 * other row the merge only took the hub's own values: its entries (a joining laptop's inserts of
 * every row, say) are no edit of this analyst's, and pushed they would look like one, against a
 * colleague's later deletion, for example.
 */
async function pushLog(
  client: pg.Client,
  db: Db,
  s: PushState,
  differ: ReadonlySet<string>,
): Promise<{ added: number; restating: number[]; toRename: number[] }> {
  const fromPull = (seq: number) => s.pulled.some(([a, b]) => seq >= a && seq <= b);
  const tables = tablesFor(s.access);
  const read = db.prepare(
    `SELECT seq, hlc, txn, author, tbl, row_id, op, field, before, after FROM change_log
     WHERE seq > ? AND tbl IN (${tables.map(() => '?').join(', ')}) ORDER BY seq LIMIT ${LOG_BATCH}`,
  );
  let after = s.pushedSeq ?? 0;
  let added = 0;
  const toRename: number[] = [];
  for (;;) {
    const page = read.all(after, ...tables) as (HubLogEntry & { seq: number })[];
    if (page.length === 0) break;
    after = page.at(-1)!.seq;
    // Entries the hub would refuse when pulled back (a field it does not mirror) stay local.
    const sendable = page.filter(
      (e) => hubEntryProblem(e) === null && (!fromPull(e.seq) || differ.has(`${e.tbl}:${e.row_id}`)),
    );
    const held = await heldUnderOwnName(client, s, sendable);
    const good = sendable.filter((e) => !held.has(e));
    for (const e of good) if (e.author !== s.role) toRename.push(e.seq);
    if (good.length === 0) continue;
    const values = good
      .map((_, i) => `($1, ${Array.from({ length: 9 }, (_, j) => `$${i * 9 + j + 2}`).join(', ')})`)
      .join(', ');
    const params = [
      s.caseId,
      // Sent under the role: the hub records that anyway (stamp_entry), and an entry already under
      // the role skips the trigger's lookup of an entry re-sent under its old author, which the
      // planner answers from the case's position index on a table it has no statistics for yet: a
      // scan of the case's history per entry, minutes for a first push of 12,000 incidents.
      ...good.flatMap((e) => [e.hlc, e.txn, s.role, e.tbl, e.row_id, e.op, e.field, e.before, e.after]),
    ];
    const r = await client.query(
      `INSERT INTO casefile.change_log (case_id, hlc, txn, author, tbl, row_id, op, field, before, after) VALUES ${values} ON CONFLICT DO NOTHING`,
      params,
    );
    added += r.rowCount ?? 0;
  }
  return { added, restating: await restating(client, db, s, differ), toRename };
}

/**
 * The entries of `page` under another name than the role that the hub already holds under that
 * name. A case nobody pushed to yet (head 0) holds none: a first push of a large case asks nothing.
 */
async function heldUnderOwnName<E extends HubLogEntry>(
  client: pg.Client,
  s: PushState,
  page: readonly E[],
): Promise<Set<E>> {
  const others = page.filter((e) => e.author !== s.role);
  return others.length === 0 || s.head === 0 ? new Set() : heldOnHub(client, s.caseId, others);
}

/** The entries the hub holds already (the same table, row, field, clock value, author and operation). */
async function heldOnHub<E extends HubLogEntry>(
  client: pg.Client,
  caseId: string,
  entries: readonly E[],
): Promise<Set<E>> {
  const held = new Set<E>();
  for (let i = 0; i < entries.length; i += LOG_BATCH) {
    const some = entries.slice(i, i + LOG_BATCH);
    const col = (k: keyof HubLogEntry) => some.map((e) => e[k]);
    const r = await client.query<{ i: string }>(
      `SELECT x.i::text AS i FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         WITH ORDINALITY AS x(tbl, row_id, field, hlc, author, op, i)
       WHERE EXISTS (SELECT 1 FROM casefile.change_log c WHERE c.case_id = $1 AND c.tbl = x.tbl AND c.row_id = x.row_id
                     AND coalesce(c.field, '') = coalesce(x.field, '') AND c.hlc = x.hlc AND c.author = x.author AND c.op = x.op)`,
      [caseId, col('tbl'), col('row_id'), col('field'), col('hlc'), col('author'), col('op')],
    );
    for (const x of r.rows) held.add(some[Number(x.i) - 1]!);
  }
  return held;
}

/**
 * The entries of the pulls' ranges that only restate the hub: the merge's own (its transaction is
 * not on the hub; the hub's entries it copied in are), for rows now as on the hub. Every table's,
 * a reviewer's too: what a role may not push it must not keep as its own edit either.
 *
 * A merge whose entries for one row went to the hub just now (a row that differs: a conflict
 * settled "keep mine") has its transaction on the hub, but its entries for the other rows do not:
 * those are looked up one by one.
 */
async function restating(client: pg.Client, db: Db, s: PushState, differ: ReadonlySet<string>): Promise<number[]> {
  const read = db.prepare(
    `SELECT seq, hlc, txn, author, tbl, row_id, op, field FROM change_log WHERE seq BETWEEN ? AND ? AND tbl IN (${LOGGED.map(() => '?').join(', ')})`,
  );
  const candidates = s.pulled
    .flatMap(([a, b]) => read.all(a, b, ...LOGGED) as (HubLogEntry & { seq: number })[])
    .filter((e) => !differ.has(`${e.tbl}:${e.row_id}`));
  const txns = [...new Set(candidates.map((c) => c.txn))];
  if (txns.length === 0) return [];
  const onHub = new Set(
    (
      await client.query<{ txn: string }>(
        'SELECT DISTINCT txn FROM casefile.change_log WHERE case_id = $1 AND txn = ANY($2::text[])',
        [s.caseId, txns],
      )
    ).rows.map((r) => r.txn),
  );
  const held = await heldOnHub(
    client,
    s.caseId,
    candidates.filter((c) => onHub.has(c.txn)),
  );
  return candidates.filter((c) => !onHub.has(c.txn) || !held.has(c)).map((c) => c.seq);
}
