import { createHash } from 'node:crypto';
import type { FieldDiff } from '../../shared/channels/exchange';
import { MAX_ATTACHMENT_BYTES } from '../../shared/channels/sources';
import type { RowValues } from '../../shared/domain/fields';
import type { Db } from '../db/open';
import { LOGGED_COLS } from '../sources/attachment-rows';
import { decideField, decidePresence, sortEntries, whoOf, type LogEntry } from './merge-decisions';
import type { MineDeleted } from './plan-deps';
import { planItem as item } from './plan-item';
import type { PlannedItem } from './types';

const ID_OK = `id NOT GLOB '*[^0-9a-f-]*' AND length(id) = 36`;
const MEDIA = new Set(['application/pdf', 'text/html', 'text/plain']);
/**
 * Their extracted text is taken as it is, within a bound: a 40 MB text file gives at most 40M
 * characters, and a PDF is read for at most 2000 pages (extract.ts), far less than this.
 */
const MAX_TEXT = 48 * 1024 * 1024;

/**
 * Attached files in a merge plan. A file is added, removed, or moved to another source (sources
 * merged); its content never changes (a new version is a new file). Only the rows' metadata is
 * read here, never all the content at once; the content of each file of theirs to be added is
 * read once, to check it against its size and checksum and the limits an attached file has.
 * Their text is taken as it is (it is what their copy of Casefile read from the same bytes).
 */
export function planAttachments(mine: Db, theirs: Db, items: PlannedItem[], mineDeleted: MineDeleted): void {
  const cols = LOGGED_COLS.join(', ');
  const rowsOf = (db: Db) =>
    new Map(
      (db.prepare(`SELECT ${cols} FROM attachments WHERE ${ID_OK} ORDER BY id`).all() as RowValues[]).map((r) => [
        r.id as string,
        r,
      ]),
    );
  const m = rowsOf(mine);
  const t = rowsOf(theirs);
  const log = (db: Db) =>
    db.prepare(
      "SELECT seq, hlc, author, op, field, after FROM change_log WHERE tbl = 'attachments' AND row_id = ? ORDER BY hlc, seq",
    );
  const mineLog = log(mine);
  const theirsLog = log(theirs);
  const entries = (stmt: typeof mineLog, id: string) => sortEntries(stmt.all(id) as LogEntry[]);
  const content = theirs.prepare('SELECT data, text FROM attachments WHERE id = ?');
  const sameOnSource = mine.prepare('SELECT name FROM attachments WHERE source_id = ? AND sha256 = ?');
  const keyOf = theirs.prepare('SELECT key FROM sources WHERE id = ?');
  const sourceIn = (db: Db) => db.prepare('SELECT key, title FROM sources WHERE id = ?');
  const [mineSource, theirsSource] = [sourceIn(mine), sourceIn(theirs)];
  /** A source id as the review shows it: "key: title" from either file (their text, clipped), or null. */
  const sourceShown = (id: unknown): string | null => {
    if (typeof id !== 'string') return null;
    const r = (mineSource.get(id) ?? theirsSource.get(id)) as { key: unknown; title: unknown } | undefined;
    if (!r || typeof r.key !== 'string') return 'a source in neither file';
    return `${r.key.slice(0, 80)}: ${typeof r.title === 'string' ? r.title.slice(0, 200) : ''}`;
  };

  const check = (b: RowValues): string | null => {
    if (typeof b.size !== 'number' || b.size <= 0 || b.size > MAX_ATTACHMENT_BYTES)
      return `its size is not what an attached file may have (at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB)`;
    if (
      typeof b.name !== 'string' ||
      b.name.length > 1000 ||
      typeof b.media_type !== 'string' ||
      !MEDIA.has(b.media_type)
    )
      return 'its name or type is not one Casefile gives an attached file';
    if (typeof b.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(b.sha256)) return 'its checksum is not readable';
    const c = content.get(b.id) as { data: unknown; text: unknown };
    // No bytes: held on the team hub (schema 9), fetched and checked against the checksum when opened.
    if (c.data !== null) {
      if (!(c.data instanceof Buffer) || c.data.length !== b.size) return 'its content is not the size it claims';
      if (createHash('sha256').update(c.data).digest('hex') !== b.sha256)
        return 'its content does not match its checksum';
    }
    if (c.text !== null && typeof c.text !== 'string') return 'its text is not text';
    if (typeof c.text === 'string' && c.text.length > MAX_TEXT)
      return `its text is longer than Casefile reads from a file (${MAX_TEXT / 1024 / 1024}M characters)`;
    const same = sameOnSource.get(b.source_id, b.sha256) as { name: string } | undefined;
    if (same) return `the same file is already attached to that source in your file (as "${same.name.slice(0, 200)}")`;
    return null;
  };

  for (const [id, b] of t) {
    const a = m.get(id);
    const ml = entries(mineLog, id);
    const tl = entries(theirsLog, id);
    if (a) {
      if (a.source_id === b.source_id) continue;
      const v = decideField('source_id', a.source_id, b.source_id, ml, tl);
      if (v.verdict === 'mine') continue;
      const f: FieldDiff = {
        field: 'source_id',
        label: 'Source',
        base: v.base ?? null,
        mine: a.source_id ?? null,
        theirs: b.source_id ?? null,
        mineBy: whoOf(v.mineBy, a),
        theirsBy: whoOf(v.theirsBy, b),
        conflict: v.verdict === 'conflict',
        shown: { base: sourceShown(v.base), mine: sourceShown(a.source_id), theirs: sourceShown(b.source_id) },
      };
      const x = item('attachments', a, {
        kind: f.conflict ? 'conflict' : 'changed',
        fields: [f],
        mineHlc: a.hlc as string,
        theirsRow: b,
      });
      // The review names the source it moves to (the field's values are ids, which apply needs).
      const key = (keyOf.get(b.source_id) as { key: string } | undefined)?.key;
      x.label = `${x.label}: moved to ${key ? `source ${key.slice(0, 80)}` : 'another source'}`;
      items.push(x);
      continue;
    }
    const v = decidePresence(ml, tl);
    if (v.verdict === 'deleted') mineDeleted.set(`attachments:${id}`, b);
    else if (v.verdict === 'conflict') {
      items.push(
        item('attachments', b, {
          kind: 'conflict',
          rowConflict: 'you-deleted',
          reason: `You removed this file; ${v.presentBy?.author ?? 'they'} moved it to another source after.`,
          by: whoOf(v.absentBy),
          row: b,
          problem: check(b),
          theirsRow: b,
        }),
      );
    } else
      items.push(
        item('attachments', b, { kind: 'added', by: whoOf(v.presentBy, b), row: b, problem: check(b), theirsRow: b }),
      );
  }
  for (const [id, a] of m) {
    if (t.has(id)) continue;
    const tl = entries(theirsLog, id);
    if (tl.length === 0) continue; // you attached it
    const v = decidePresence(tl, entries(mineLog, id));
    if (v.verdict === 'deleted')
      items.push(item('attachments', a, { kind: 'deleted', by: whoOf(v.absentBy), row: a, mineHlc: a.hlc as string }));
    else if (v.verdict === 'conflict') {
      items.push(
        item('attachments', a, {
          kind: 'conflict',
          rowConflict: 'they-deleted',
          reason: `${v.absentBy?.author ?? 'They'} removed this file; you moved it to another source after.`,
          by: whoOf(v.absentBy),
          row: a,
          mineHlc: a.hlc as string,
        }),
      );
    }
  }
}
