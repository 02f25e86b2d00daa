import { TABLES, type TableName } from '../../shared/domain/common';
import { validateRow, type RowValues } from '../../shared/domain/fields';
import type { FieldDiff, Who } from '../../shared/channels/exchange';
import { CasefileError } from '../errors';
import { decodeHlc } from '../hlc';
import type { Db } from '../db/open';
import { extraFields, mergedFields } from './fields';
import {
  decideField,
  decidePresence,
  latestCommon,
  sortEntries,
  touching,
  valueAfter,
  whoOf,
  type LogEntry,
} from './merge-decisions';
import { planAttachments } from './plan-attachments';
import { linkDependents, type MineDeleted } from './plan-deps';
import { planItem as item } from './plan-item';
import { planCounts, settleBookkeeping } from './report';
import { aliasOf, sameSource, withSourceAlias } from './source-twins';
import type { MergePlan, PlannedItem } from './types';

const CHUNK = 2000;
const HIGH = '\uffff';
/** Ids Casefile makes are UUIDs; anything else in a received file is left out (and said so). */
const ID_OK = `id NOT GLOB '*[^0-9a-f-]*'`;
const DAY = 86_400_000;

type Progress = (done: number, total: number | null, message: string) => void;

/**
 * The most rows one merge may add, change or delete. The plan holds an item for each, in its
 * worker and then in the app until the merge is applied or discarded: about 2 KB each at the
 * peak (measured: 329,000 additions, 740 MB). A colleague's file that carries a million-incident
 * import adds 3.3M rows (with their citations); planning it ran out of memory after two minutes.
 * It is now refused as soon as the count is passed, with what to do instead.
 */
export const MAX_ITEMS = 1_000_000;

/**
 * Compares two case files row by row (matched by id, read in id order a chunk at a time) and
 * field by field, deciding each difference from the change logs (see merge-decisions.ts). Reads only;
 * runs in a task worker on two read-only connections, each inside one read transaction so that
 * both are seen at one moment.
 *
 * `theirs` has `mine` attached as schema "mine" (tasks.ts does it). The rows of both sides are
 * read through it, so that SQLite can leave out every row whose merged fields are the same on
 * both sides (an index lookup and a column compare per row): such a row can make no item, and
 * most rows of two copies of one case file are such rows. Only rows that differ, or are on one
 * side only, come to JS. Both connections' snapshots start together, before the first page.
 */
export function computePlan(
  mine: Db,
  theirs: Db,
  theirsName: string,
  progress: Progress = () => undefined,
  maxItems = MAX_ITEMS,
): MergePlan {
  mine.exec('BEGIN');
  theirs.exec('BEGIN');
  try {
    // A deferred transaction takes its snapshot at its first read: both now, one after the other.
    theirs.prepare('SELECT (SELECT count(*) FROM main.meta) + (SELECT count(*) FROM mine.meta)').get();
    mine.prepare('SELECT count(*) FROM meta').get();
    const log = (db: Db) =>
      db.prepare(
        'SELECT seq, hlc, author, op, field, after FROM change_log WHERE tbl = ? AND row_id = ? ORDER BY hlc, seq',
      );
    const mineLog = log(mine);
    const theirsLog = log(theirs);
    const entries = (stmt: typeof mineLog, tbl: TableName, id: string) => sortEntries(stmt.all(tbl, id) as LogEntry[]);
    const logsOf = (stmt: typeof mineLog, tbl: TableName, ids: string[]) =>
      sortEntries(ids.flatMap((id) => stmt.all(tbl, id) as LogEntry[]));
    const items: PlannedItem[] = [];
    const mineDeleted: MineDeleted = new Map();
    const aliases: Record<string, string> = {};
    const mineKeyHolder = mine.prepare('SELECT * FROM sources WHERE key = ? AND id <> ?');
    const theirsKeyHolder = theirs.prepare('SELECT 1 FROM main.sources WHERE key = ? AND id <> ?');
    const warnings: string[] = [];

    for (const [ti, tbl] of TABLES.entries()) {
      progress(ti, TABLES.length, `Comparing ${tbl}`);
      const fields = mergedFields(tbl);
      const bookkeeping = new Set(extraFields(tbl).map((f) => f.name));
      // Same as both() compares: every merged field, NULL equal to NULL, text byte for byte.
      const equal = fields.map((f) => `o.${f.name} IS s.${f.name} COLLATE BINARY`).join(' AND ');
      const pageOf = (side: 'main' | 'mine', other: 'main' | 'mine') =>
        theirs.prepare(
          `SELECT s.* FROM ${side}.${tbl} s WHERE s.id > ? AND s.${ID_OK}
           AND NOT EXISTS (SELECT 1 FROM ${other}.${tbl} o WHERE o.id = s.id AND ${equal}) ORDER BY s.id LIMIT ${CHUNK}`,
        );
      // A row only in your file that their log never names makes no item (onlyMine: "you added
      // it"). When their file knows few of this table's rows (a team hub's pull of what changed
      // since the last), only the rows it knows are read from yours, not all of yours: the same
      // items, without a pass over a million rows of yours for each few rows of theirs.
      const known = (side: string) => theirs.prepare(`SELECT count(*) FROM ${side}.${tbl}`).pluck().get() as number;
      const theirsKnow =
        known('main') +
        (theirs.prepare('SELECT count(*) FROM main.change_log WHERE tbl = ?').pluck().get(tbl) as number);
      const pageMine =
        theirsKnow * 4 < known('mine')
          ? theirs.prepare(
              `SELECT s.* FROM mine.${tbl} s WHERE s.id > ? AND s.${ID_OK}
               AND s.id IN (SELECT id FROM main.${tbl} UNION SELECT row_id FROM main.change_log WHERE tbl = '${tbl}')
               AND NOT EXISTS (SELECT 1 FROM main.${tbl} o WHERE o.id = s.id AND ${equal}) ORDER BY s.id LIMIT ${CHUNK}`,
            )
          : pageOf('mine', 'main');
      const pageTheirs = pageOf('main', 'mine');
      const bad = (theirs.prepare(`SELECT count(*) n FROM ${tbl} WHERE NOT (${ID_OK})`).get() as { n: number }).n;
      if (bad > 0)
        warnings.push(`${bad} ${tbl} rows of their file have ids Casefile does not make; they were left out.`);

      /**
       * A row both files hold (`b` may be their twin of your source, under its own id: `ids`
       * are the ids whose history counts, both sides' after a merge that joined them).
       */
      const both = (a: RowValues, b: RowValues, ids: string[] = [a.id as string]) => {
        // Their citation of a twin source cites yours: the same value.
        const diffs = fields.filter(
          (f) => !same(a[f.name], f.name === 'source_id' ? (aliasOf(aliases, b[f.name]) ?? b[f.name]) : b[f.name]),
        );
        if (diffs.length === 0) return;
        const ml = logsOf(mineLog, tbl, ids);
        const tl = logsOf(theirsLog, tbl, ids);
        const out: FieldDiff[] = [];
        for (const f of diffs) {
          const v = decideField(f.name, a[f.name], b[f.name], ml, tl);
          if (v.verdict === 'mine') continue;
          out.push({
            field: f.name,
            label: f.label,
            base: v.base ?? null,
            mine: a[f.name] ?? null,
            theirs: b[f.name] ?? null,
            mineBy: whoOf(v.mineBy, a),
            theirsBy: whoOf(v.theirsBy, b),
            conflict: v.verdict === 'conflict',
          });
        }
        const kept = settleBookkeeping(out, bookkeeping);
        if (kept.length === 0) return;
        let reason: string | null = null;
        if (tbl === 'sources') {
          const k = kept.find((d) => d.field === 'key');
          const holder = k ? (mineKeyHolder.get(k.theirs, a.id) as RowValues | undefined) : undefined;
          if (k && holder) {
            k.conflict = true;
            reason = `Their key “${String(k.theirs)}” is the key of another source in your file (“${String(holder.title)}”): keep yours for the key, or change that source's key first.`;
          }
        }
        const merged: RowValues = { ...a };
        for (const d of kept) merged[d.field] = d.theirs;
        items.push(
          item(tbl, a, {
            kind: kept.some((d) => d.conflict) ? 'conflict' : 'changed',
            fields: kept,
            reason,
            problem: validateRow(tbl, merged)?.message ?? null,
            mineHlc: a.hlc as string,
            theirsRow: b,
          }),
        );
      };

      /** Their source, under a key your file gives to another source of yours (source-twins.ts). */
      const twin = (mineRow: RowValues, b: RowValues, presentBy: Who | null) => {
        if (sameSource(mineRow, b)) {
          aliases[b.id as string] = mineRow.id as string;
          both(mineRow, { ...b, id: mineRow.id, key: mineRow.key }, [mineRow.id as string, b.id as string]);
          return;
        }
        const key = String(b.key);
        items.push(
          item(tbl, b, {
            kind: 'conflict',
            rowConflict: 'same-key',
            reason: `Your file has another source under the key “${key}”: “${String(mineRow.title)}”. Take theirs to add it under a free key (${key}-2 or the next free one); keep yours to leave theirs out, with what cites it.`,
            by: presentBy,
            row: b,
            problem: validateRow(tbl, b)?.message ?? null,
            theirsRow: b,
          }),
        );
      };

      const onlyTheirs = (b: RowValues) => {
        const id = b.id as string;
        const ml = entries(mineLog, tbl, id);
        const tl = entries(theirsLog, tbl, id);
        const v = decidePresence(ml, tl);
        const mineTwin =
          tbl === 'sources' && v.verdict !== 'deleted'
            ? (mineKeyHolder.get(b.key, id) as RowValues | undefined)
            : undefined;
        if (v.verdict === 'deleted') {
          mineDeleted.set(`${tbl}:${id}`, b);
        } else if (mineTwin) {
          twin(mineTwin, b, whoOf(v.presentBy, b));
        } else if (v.verdict === 'conflict') {
          items.push(
            item(tbl, b, {
              kind: 'conflict',
              rowConflict: 'you-deleted',
              reason: `You deleted this ${noun(tbl)}; ${v.presentBy?.author ?? 'they'} changed it ${ml.length ? 'after' : 'and it has no history here'}.`,
              fields: editsSince(tbl, b, tl, ml, 'theirs'),
              by: whoOf(v.absentBy),
              row: b,
              problem: validateRow(tbl, b)?.message ?? null,
              theirsRow: b,
            }),
          );
        } else {
          items.push(
            item(tbl, b, {
              kind: 'added',
              by: whoOf(v.presentBy, b),
              problem: validateRow(tbl, b)?.message ?? null,
              theirsRow: withSourceAlias(links(b), aliases),
              readAtApply: true,
            }),
          );
        }
      };

      const onlyMine = (a: RowValues) => {
        const id = a.id as string;
        const tl = entries(theirsLog, tbl, id);
        if (tl.length === 0) return; // you added it
        // Your twin of a source of theirs: compared with it, from their side (onlyTheirs).
        if (tbl === 'sources' && theirsKeyHolder.get(a.key, id)) return;
        const ml = entries(mineLog, tbl, id);
        const v = decidePresence(tl, ml);
        if (v.verdict === 'deleted') {
          items.push(item(tbl, a, { kind: 'deleted', by: whoOf(v.absentBy), row: a, mineHlc: a.hlc as string }));
        } else if (v.verdict === 'conflict') {
          items.push(
            item(tbl, a, {
              kind: 'conflict',
              rowConflict: 'they-deleted',
              reason: `${v.absentBy?.author ?? 'They'} deleted this ${noun(tbl)}; you changed it after.`,
              fields: editsSince(tbl, a, ml, tl, 'mine'),
              by: whoOf(v.absentBy),
              row: a,
              mineHlc: a.hlc as string,
            }),
          );
        }
      };

      // A table of a colleague's import has hundreds of thousands of rows that differ: told as they go.
      let differing = 0;
      for (let cursor = ''; ;) {
        const m = pageMine.all(cursor) as RowValues[];
        const h = pageTheirs.all(cursor) as RowValues[];
        if (m.length === 0 && h.length === 0) break;
        if (differing > 0)
          progress(ti, TABLES.length, `Comparing ${tbl}: ${differing.toLocaleString('en-US')} rows that differ so far`);
        const lastM = m.length === CHUNK ? (m.at(-1)!.id as string) : HIGH;
        const lastH = h.length === CHUNK ? (h.at(-1)!.id as string) : HIGH;
        const bound = lastM < lastH ? lastM : lastH;
        let i = 0;
        let j = 0;
        for (;;) {
          const a = i < m.length && (m[i]!.id as string) <= bound ? m[i]! : null;
          const b = j < h.length && (h[j]!.id as string) <= bound ? h[j]! : null;
          if (!a && !b) break;
          differing++;
          if (a && b && a.id === b.id) {
            both(a, b);
            i++;
            j++;
          } else if (a && (!b || (a.id as string) < (b.id as string))) {
            onlyMine(a);
            i++;
          } else {
            onlyTheirs(b!);
            j++;
          }
        }
        if (items.length > maxItems) throw tooMany(theirsName, maxItems);
        if (bound === HIGH) break;
        cursor = bound;
      }
    }

    progress(TABLES.length, TABLES.length, 'Comparing attached files, checking citations and comments');
    planAttachments(mine, theirs, items, mineDeleted);
    for (const x of items)
      if (x.kind === 'added' && x.tbl === 'attachments' && x.theirsRow)
        x.theirsRow = withSourceAlias(x.theirsRow, aliases);
    linkDependents(items, mine, theirs, mineDeleted);

    // Their history that this file lacks is kept on merge; count it and its authors for the review.
    const missing = `FROM change_log t WHERE NOT EXISTS (SELECT 1 FROM mine.change_log m WHERE m.tbl = t.tbl AND m.row_id = t.row_id AND m.field IS t.field AND m.hlc = t.hlc AND m.author = t.author AND m.op = t.op)`;
    const theirLogEntries = (theirs.prepare(`SELECT count(*) n ${missing}`).get() as { n: number }).n;
    const authors = (
      theirs.prepare(`SELECT DISTINCT substr(author, 1, 200) a ${missing} LIMIT 20`).all() as { a: string }[]
    ).map((r) => r.a);
    const theirsMaxHlc = maxClock(theirs);
    if (theirsMaxHlc) {
      const ahead = decodeHlc(theirsMaxHlc).wall - Date.now();
      if (ahead > DAY) {
        warnings.push(
          `Their file has changes stamped up to ${new Date(decodeHlc(theirsMaxHlc).wall).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round(ahead / DAY)} days ahead of this computer's clock. Nothing is lost: edits are ordered by their history, and your next edits are stamped after theirs.`,
        );
      }
    }
    const title =
      (
        theirs.prepare("SELECT substr(value, 1, 200) v FROM meta WHERE key = 'title'").get() as
          { v: string } | undefined
      )?.v ?? theirsName.replace(/\.casefile$/i, '');
    return {
      theirsName,
      theirsTitle: title,
      authors,
      theirLogEntries,
      theirsMaxHlc,
      items,
      sourceAliases: aliases,
      counts: planCounts(items),
      warnings,
    };
  } finally {
    mine.exec('COMMIT');
    theirs.exec('COMMIT');
  }
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

function tooMany(theirsName: string, max: number): CasefileError {
  return new CasefileError(
    'refused',
    `${theirsName} would add, change or delete more than ${max.toLocaleString('en-US')} rows of your case file: more than one merge can take. Nothing was changed. Ask for it in parts (Export for a colleague with a filter, such as a range of dates; casefile export --where), or import the data it was imported from.`,
  );
}

/** What the plan keeps of a row it adds, beside its id: the ids it points at (plan-deps.ts checks those). */
const LINKS = ['source_id', 'target_table', 'target_id', 'citation_id'] as const;
function links(r: RowValues): RowValues {
  const out: RowValues = {};
  for (const k of LINKS) if (k in r) out[k] = r[k];
  return out;
}
const noun = (tbl: TableName) =>
  tbl === 'sources' ? 'source' : tbl === 'annotations' ? 'comment' : tbl.replace(/s$/, '');

/** The first readable clock value from the top of their log (a hostile text value is skipped). */
function maxClock(db: Db): string | null {
  for (const { hlc } of db.prepare('SELECT hlc FROM change_log ORDER BY hlc DESC LIMIT 50').all() as {
    hlc: string;
  }[]) {
    try {
      decodeHlc(hlc);
      return hlc;
    } catch {
      /* not a clock value */
    }
  }
  return null;
}

/** The fields one side changed since both last agreed on the row, for a row the other deleted. */
function editsSince(
  tbl: TableName,
  row: RowValues,
  log: LogEntry[],
  otherLog: LogEntry[],
  side: 'mine' | 'theirs',
): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const f of mergedFields(tbl)) {
    const own = touching(log, f.name);
    const base = latestCommon(own, touching(otherLog, f.name));
    const since = own.filter((e) => e.op === 'update' && (!base || e.hlc > base.hlc));
    if (since.length === 0) continue;
    const b = base ? valueAfter(base, f.name) : { known: false, value: undefined };
    if (b.known && same(b.value, row[f.name])) continue;
    const who = whoOf(since.at(-1)!);
    out.push({
      field: f.name,
      label: f.label,
      base: b.value ?? null,
      mine: side === 'mine' ? (row[f.name] ?? null) : null,
      theirs: side === 'theirs' ? (row[f.name] ?? null) : null,
      mineBy: side === 'mine' ? who : null,
      theirsBy: side === 'theirs' ? who : null,
      conflict: false,
    });
  }
  return out;
}
