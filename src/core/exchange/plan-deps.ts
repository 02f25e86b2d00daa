import { CITE_TARGETS, type RowValues } from '../../shared/domain/fields';
import type { LoggedTable, TableName } from '../../shared/domain/common';
import type { Db } from '../db/open';
import { whoOf } from './merge-decisions';
import { plural } from './labels';
import { planItem } from './plan-item';
import type { PlannedItem } from './types';

/** Rows you deleted that they still have unchanged (key `tbl:id` -> their row). */
export type MineDeleted = Map<string, RowValues>;

const isTarget = (t: LoggedTable) => (CITE_TARGETS as readonly string[]).includes(t);

/**
 * Rows hang together: citations point at a source and at the row they support, comments at a
 * citation. Taking a row-level change of theirs alone could delete what you added under it, or
 * add what points at nothing. So:
 * - a row they deleted under which you have citations (or comments) they did not delete becomes
 *   a conflict (deleting it would delete those too), and their deletions of what hangs under it
 *   follow your choice for it;
 * - a source they deleted that your file still cites, or holds attached files of (that they did
 *   not remove or move), is a conflict, and their removals of its files follow your choice for it;
 * - a row you deleted that their new citations or comments point at becomes a conflict ("bring
 *   it back?"), and what they added under it follows that choice, as do the citations of it
 *   you deleted along with it;
 * - something of theirs that points at a row in neither file cannot be applied: it says so.
 */
export function linkDependents(items: PlannedItem[], mine: Db, theirs: Db, mineDeleted: MineDeleted): void {
  const byKey = new Map(items.map((x) => [x.key, x]));
  const citationsOf = mine.prepare('SELECT id FROM citations WHERE target_table = ? AND target_id = ?');
  const commentsOf = mine.prepare('SELECT id FROM annotations WHERE citation_id = ?');
  const citing = mine.prepare('SELECT id FROM citations WHERE source_id = ?');
  const attachmentsOf = mine.prepare('SELECT id FROM attachments WHERE source_id = ?');
  const ids = (stmt: { all: (...a: string[]) => unknown[] }, ...args: string[]) =>
    (stmt.all(...args) as { id: string }[]).map((r) => r.id);
  const deletedByThem = (key: string) => byKey.get(key)?.kind === 'deleted';
  const toTheyDeleted = (x: PlannedItem, why: string) => {
    x.kind = 'conflict';
    x.rowConflict = 'they-deleted';
    x.reason = `${x.by?.author ?? 'They'} deleted this; ${why}.`;
  };

  // Their deletions that would take your additions with them.
  for (const x of items.filter((i) => i.kind === 'deleted' && isTarget(i.tbl))) {
    const kept = ids(citationsOf, x.tbl, x.id).filter((c) => !deletedByThem(`citations:${c}`));
    if (kept.length > 0)
      toTheyDeleted(
        x,
        `your file has ${plural(kept.length, 'citations')} of it that they did not delete (deleting it deletes those too)`,
      );
  }
  for (const x of items.filter((i) => i.kind === 'deleted' && i.tbl === 'citations')) {
    const target = `${String(x.row?.target_table)}:${String(x.row?.target_id)}`;
    if (byKey.get(target)?.rowConflict === 'they-deleted') {
      follow(x, target, 'Deleted with the row it cites: follows your choice for that row.');
      continue;
    }
    const kept = ids(commentsOf, x.id).filter((a) => !deletedByThem(`annotations:${a}`));
    if (kept.length > 0)
      toTheyDeleted(x, `your file has ${plural(kept.length, 'annotations')} on it that they did not delete`);
  }
  for (const x of items.filter((i) => i.kind === 'deleted' && i.tbl === 'annotations')) {
    const parent = `citations:${String(x.row?.citation_id)}`;
    const p = byKey.get(parent);
    if (p?.rowConflict === 'they-deleted' || p?.follows)
      follow(x, parent, 'Deleted with its citation: follows your choice for it.');
  }
  for (const x of items.filter((i) => i.kind === 'deleted' && i.tbl === 'sources')) {
    const cited = ids(citing, x.id).filter((c) => !deletedByThem(`citations:${c}`)).length;
    const files = ids(attachmentsOf, x.id).filter(
      (a) =>
        !deletedByThem(`attachments:${a}`) &&
        !byKey.get(`attachments:${a}`)?.fields.some((f) => f.field === 'source_id'),
    ).length;
    const why = [
      cited ? `your file still cites it ${cited} time${cited === 1 ? '' : 's'}` : '',
      files ? `it has ${files} attached file${files === 1 ? '' : 's'} in your file` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    if (why) toTheyDeleted(x, why);
  }
  for (const x of items.filter((i) => i.kind === 'deleted' && i.tbl === 'attachments')) {
    const source = `sources:${String(x.row?.source_id)}`;
    if (byKey.get(source)?.rowConflict === 'they-deleted')
      follow(x, source, 'Removed with its source: follows your choice for it.');
  }

  // Their additions that point at rows you deleted.
  const exists = new Map<TableName, ReturnType<Db['prepare']>>();
  const existsMine = (tbl: TableName, id: string) => {
    let stmt = exists.get(tbl);
    if (!stmt) exists.set(tbl, (stmt = mine.prepare(`SELECT 1 FROM ${tbl} WHERE id = ?`)));
    return stmt.get(id) !== undefined;
  };
  const bringBack = (key: string, why: string): PlannedItem | null => {
    const existing = byKey.get(key);
    if (existing) return existing;
    const row = mineDeleted.get(key);
    if (!row) return null;
    const tbl = key.slice(0, key.indexOf(':')) as TableName;
    const x = planItem(tbl, row, {
      kind: 'conflict',
      rowConflict: 'you-deleted',
      reason: `You deleted this; ${why}. Bring it back?`,
      row,
      theirsRow: row,
    });
    items.push(x);
    byKey.set(key, x);
    return x;
  };
  const parentOf = (x: PlannedItem, tbl: TableName, id: string, what: string): void => {
    const key = `${tbl}:${id}`;
    if (byKey.get(key)?.kind === 'added' || existsMine(tbl, id)) return;
    const p = bringBack(key, `their new ${what} point${what.endsWith('s') ? '' : 's'} at it`);
    if (p?.rowConflict === 'same-key')
      follow(
        x,
        key,
        'Cites a source of theirs whose key your file gives to another source: added with it, or left out with it.',
      );
    else if (p)
      follow(x, key, `Points at a ${tbl === 'sources' ? 'source' : 'row'} you deleted: follows your choice for it.`);
    else if (!x.problem) x.problem = `It points at a ${tbl.replace(/s$/, '')} (${id}) that is in neither file.`;
  };
  for (const x of items.filter((i) => i.kind === 'added' && i.tbl === 'citations')) {
    const r = x.theirsRow!;
    parentOf(x, 'sources', String(r.source_id), 'citations');
    if (isTarget(r.target_table as TableName))
      parentOf(x, r.target_table as TableName, String(r.target_id), 'citations');
  }
  for (const x of items.filter((i) => i.kind === 'added' && i.tbl === 'annotations'))
    parentOf(x, 'citations', String(x.theirsRow!.citation_id), 'comments');
  for (const x of items.filter((i) => i.kind === 'added' && i.tbl === 'attachments'))
    parentOf(x, 'sources', String(x.theirsRow!.source_id), 'attached files');

  // Rows you deleted that they changed: bringing one back brings back what you deleted with it.
  const theirCitations = theirs.prepare('SELECT * FROM citations WHERE target_table = ? AND target_id = ?');
  const theirComments = theirs.prepare('SELECT * FROM annotations WHERE citation_id = ?');
  for (const x of items.filter((i) => i.rowConflict === 'you-deleted' && isTarget(i.tbl))) {
    for (const c of theirCitations.all(x.tbl, x.id) as RowValues[]) {
      const ck = `citations:${c.id as string}`;
      if (!mineDeleted.has(ck) || byKey.has(ck)) continue;
      const ci = planItem('citations', c, { kind: 'added', row: c, theirsRow: c, by: whoOf(null, c) });
      follow(ci, x.key, 'Deleted with its row: comes back if the row does.');
      items.push(ci);
      byKey.set(ck, ci);
      for (const a of theirComments.all(c.id) as RowValues[]) {
        const ak = `annotations:${a.id as string}`;
        if (!mineDeleted.has(ak) || byKey.has(ak)) continue;
        const ai = planItem('annotations', a, { kind: 'added', row: a, theirsRow: a, by: whoOf(null, a) });
        follow(ai, ck, 'Deleted with its citation: comes back if it does.');
        items.push(ai);
        byKey.set(ak, ai);
      }
    }
  }
}

function follow(x: PlannedItem, parent: string, reason: string): void {
  x.follows = parent;
  x.reason = reason;
}
