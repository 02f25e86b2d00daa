import { LOGGED_TABLES, TABLES, type LoggedTable, type TableName } from '../../shared/domain/common';
import { FIELDS, validateRow, type Field, type RowValues } from '../../shared/domain/fields';
import type { FieldDiff, MergeResult, Resolutions, Side } from '../../shared/channels/exchange';
import type { CaseFile, Tx } from '../write/case-file';
import { CasefileError } from '../errors';
import { decodeHlc } from '../hlc';
import {
  addAttachmentItem,
  mineAttachment,
  moveAttachmentItem,
  removeAttachmentItem,
  removeFilesOf,
} from './apply-attachments';
import { stmt } from '../db/statements';
import { extraFields, extraValue } from './fields';
import { resultCounter } from './report';
import { freeKey, withSourceAlias } from './source-twins';
import type { MergePlan, PlannedItem } from './types';
import type { Statement } from 'better-sqlite3';
import { copyMissingEntries, writeLogEntry } from '../write/change-log';

export type Choices = { resolutions: Resolutions; acceptNonConflicting: boolean; prefer?: Side };
export type ApplyOptions = { signal?: AbortSignal; onProgress?: (done: number, total: number) => void };

const PROGRESS_MS = 100;

const DELETE_ORDER: readonly LoggedTable[] = [
  'aliases',
  'attachments',
  'annotations',
  'citations',
  'incidents',
  'plots',
  'figures',
  'notes',
  'sources',
];
const INSERT_ORDER: readonly LoggedTable[] = [
  'sources',
  'attachments',
  'incidents',
  'plots',
  'figures',
  'notes',
  'citations',
  'annotations',
  'aliases',
];

/**
 * Applies a reviewed plan to the open case file as one action: one transaction, one undo step,
 * one change event. Inside it:
 * - their deletions, additions and field values you chose, through the same Tx calls as edits
 *   (validated, logged under your name, undoable);
 * - their change-log entries this file lacks, inserted as they were (their authors and clock
 *   values): provenance, and what makes merging the same file again change nothing;
 * - for each difference where you kept yours, a log entry saying so, stamped after theirs, so a
 *   later merge (in either direction) knows your value is the newer decision.
 * Before writing, the clock observes their latest clock value, so everything written here and
 * after sorts after their history however far their clock was ahead.
 *
 * A merge can bring a colleague's whole import (hundreds of thousands of rows, tens of seconds):
 * it runs as CaseFile.actionAsync, which lets the windows be served between rows, reports
 * `onProgress` (changes done of all), and rolls everything back when `signal` is aborted.
 */
export async function applyMerge(
  cf: CaseFile,
  plan: MergePlan,
  theirsPath: string,
  choices: Choices,
  opts: ApplyOptions = {},
): Promise<MergeResult> {
  const byKey = new Map(plan.items.map((x) => [x.key, x]));
  const unresolved = new Set<string>();
  const rowSide = (x: PlannedItem, seen = 0): Side => {
    const r = choices.resolutions[x.key];
    if (r) return r;
    if (x.follows && seen < 8) {
      const p = byKey.get(x.follows);
      if (p) return rowSide(p, seen + 1);
    }
    if (x.rowConflict) {
      if (choices.prefer) return choices.prefer;
      unresolved.add(x.label);
      return 'mine';
    }
    return choices.acceptNonConflicting ? 'theirs' : 'mine';
  };
  const fieldSide = (x: PlannedItem, f: FieldDiff): Side => {
    const r = choices.resolutions[`${x.key}:${f.field}`] ?? choices.resolutions[x.key];
    if (r) return r;
    if (f.conflict) {
      if (choices.prefer) return choices.prefer;
      unresolved.add(`${x.label} (${f.label})`);
      return 'mine';
    }
    return choices.acceptNonConflicting ? 'theirs' : 'mine';
  };
  const rows = new Map<string, Side>();
  const fields = new Map<string, Side>();
  for (const x of plan.items) {
    if (x.kind === 'added' || x.kind === 'deleted' || x.rowConflict) rows.set(x.key, rowSide(x));
    else {
      for (const f of x.fields) if (!f.follows) fields.set(`${x.key}:${f.field}`, fieldSide(x, f));
      // A bookkeeping field goes with its row: theirs when any of their values is taken.
      const taken = x.fields.some((f) => !f.follows && fields.get(`${x.key}:${f.field}`) === 'theirs');
      for (const f of x.fields) if (f.follows) fields.set(`${x.key}:${f.field}`, taken ? 'theirs' : 'mine');
    }
  }
  if (unresolved.size > 0) {
    const n = unresolved.size;
    throw new CasefileError(
      'conflict',
      `${n} conflict${n === 1 ? ' has' : 's have'} no choice yet (${[...unresolved].slice(0, 3).join('; ')}${n > 3 ? '; …' : ''}). Choose yours or theirs for each; nothing was merged.`,
    );
  }
  if (plan.theirsMaxHlc) cf.clock.observe(plan.theirsMaxHlc);
  // Their (private, checked) copy, attached only to read their history: this build of SQLite
  // takes no URI filenames, so it cannot be attached read-only; nothing here writes to it.
  // Refused here, before the ATTACH (which SQLite refuses inside another task's transaction), with the task's reason.
  cf.checkWritable();
  cf.db.prepare('ATTACH DATABASE ? AS theirs_file').run(theirsPath);
  try {
    return await cf.actionAsync(
      `Merge ${plan.theirsName}`,
      async (tx, step) => {
        // Each item is looked at twice: checked, then applied.
        const total = plan.items.length * 2;
        let done = 0;
        let reported = -Infinity;
        const tick = async () => {
          done++;
          const t = performance.now();
          if (t - reported >= PROGRESS_MS) {
            reported = t;
            opts.onProgress?.(Math.min(done, total), total);
          }
          await step();
        };
        // Inside the transaction, with other writes held: nothing can change between this check and the merge.
        for (const x of plan.items) {
          await tick();
          if (
            (((x.tbl === 'attachments' ? mineAttachment(cf, x.id) : cf.get(x.tbl, x.id))?.hlc as string | undefined) ??
              null) !== x.mineHlc
          ) {
            throw new CasefileError(
              'conflict',
              `Your case file changed since the merge was reviewed (“${x.label}”). Review the merge again; nothing was merged.`,
            );
          }
        }
        const { out, count } = resultCounter(plan);
        const aliases = plan.sourceAliases ?? {};
        const keyHolder = cf.db.prepare('SELECT id, title FROM sources WHERE key = ? AND id <> ?');
        const mark = markerWriter(cf, tx);
        const theirRow = theirRows(cf);
        const ofTable = (t: LoggedTable) => plan.items.filter((x) => x.tbl === t);

        // Files they moved to another source move first: the source they left may be deleted next.
        const moved = new Set<string>();
        for (const x of plan.items.filter((i) => i.tbl === 'attachments' && !i.rowConflict && i.fields.length > 0)) {
          await tick();
          const f = x.fields[0]!;
          if (
            fields.get(`${x.key}:${f.field}`) === 'theirs' &&
            cf.get('sources', String(f.theirs)) &&
            !moveAttachmentItem(tx, cf, x.id, f)
          ) {
            moved.add(x.key);
            count(x.tbl, 'updated');
          }
        }

        for (const t of DELETE_ORDER) {
          for (const x of ofTable(t).filter((i) => i.kind === 'deleted' || i.rowConflict === 'they-deleted')) {
            await tick();
            if (rows.get(x.key) === 'mine') {
              const row = t === 'attachments' ? mineAttachment(cf, x.id) : cf.get(t, x.id);
              if (row) mark(x, 'insert', null, null, row);
              continue;
            }
            try {
              if (t === 'sources') removeFilesOf(tx, cf, x.id);
              if (t === 'attachments' ? removeAttachmentItem(tx, cf, x.id) : tx.delete(t, x.id)) count(t, 'deleted');
            } catch (e) {
              throw new CasefileError(
                'conflict',
                `“${x.label}” cannot be deleted as they did: ${(e as Error).message}. Keep yours for it; nothing was merged.`,
              );
            }
          }
        }

        for (const t of INSERT_ORDER) {
          for (const x of ofTable(t).filter(
            (i) => i.kind === 'added' || i.rowConflict === 'you-deleted' || i.rowConflict === 'same-key',
          )) {
            await tick();
            if (t === 'attachments' ? mineAttachment(cf, x.id) : cf.get(t, x.id)) continue;
            const missing = x.problem ?? missingParent(cf, t, withSourceAlias(x.theirsRow!, aliases));
            if (rows.get(x.key) === 'mine' || missing) {
              if (missing && rows.get(x.key) === 'theirs') out.skipped.push(`${x.label}: ${missing}`);
              // Declining a row of theirs is a decision: logged, so the next merge does not offer it again.
              mark(x, 'delete', null, null, null);
              continue;
            }
            // What cites a source of theirs that is one of yours cites yours.
            const r = withSourceAlias(x.readAtApply ? theirRow(x) : x.theirsRow!, aliases);
            if (t === 'attachments') {
              const why = addAttachmentItem(tx, cf, r, rowMeta(r));
              if (why) out.skipped.push(`${x.label}: ${why}`);
              else count(t, 'added');
              continue;
            }
            const values: RowValues = {};
            for (const f of FIELDS[t] as readonly Field[]) values[f.name] = r[f.name] ?? null;
            if (t === 'sources' && typeof values.key === 'string' && keyHolder.get(values.key, x.id)) {
              // A key is unique: their different source with a key of yours gets a free one, said so.
              const key = values.key;
              values.key = freeKey(key, (k) => keyHolder.get(k, x.id) !== undefined);
              out.notes.push(
                `${x.label}: added under the key “${values.key}” (“${key}” is another source in your file)`,
              );
            }
            tx.insert(t, values, rowMeta(r));
            for (const f of extraFields(t))
              stmt(cf.db, `UPDATE ${t} SET ${f.name} = ? WHERE id = ?`).run(extraValue(r[f.name]), x.id);
            count(t, 'added');
          }
        }

        for (const x of plan.items.filter((i) => i.kind === 'changed' || (i.kind === 'conflict' && !i.rowConflict))) {
          await tick();
          if (x.tbl === 'attachments') {
            // An attached file's one changing field: the source it belongs to (to one they added).
            for (const f of moved.has(x.key) ? [] : x.fields) {
              if (fields.get(`${x.key}:${f.field}`) === 'mine') {
                if (f.conflict) mark(x, 'update', f.field, f.theirs, f.mine);
                continue;
              }
              const why = moveAttachmentItem(tx, cf, x.id, f);
              if (why) out.skipped.push(`${x.label}: ${why}`);
              else count(x.tbl, 'updated');
            }
            continue;
          }
          const cur = cf.get(x.tbl, x.id);
          if (!cur) {
            out.skipped.push(`${x.label}: deleted by this merge, so their changes to it were not applied`);
            continue;
          }
          const take = x.fields.filter((f) => fields.get(`${x.key}:${f.field}`) === 'theirs');
          const key = x.tbl === 'sources' ? take.find((f) => f.field === 'key') : undefined;
          const holder =
            key && typeof key.theirs === 'string'
              ? (keyHolder.get(key.theirs, x.id) as { title: string } | undefined)
              : undefined;
          if (holder) {
            throw new CasefileError(
              'conflict',
              `“${x.label}”: their key “${String(key!.theirs)}” is the key of another source in your file (“${holder.title}”). Keep yours for the key; nothing was merged.`,
              'key',
            );
          }
          const next: RowValues = { ...cur };
          for (const f of take) next[f.field] = f.theirs;
          const p = validateRow(x.tbl, next);
          if (take.length > 0 && p) {
            throw new CasefileError(
              'validation',
              `Merging “${x.label}” as chosen would leave it invalid: ${p.message}. Choose the same side for related fields (a date and its precision); nothing was merged.`,
              p.field,
            );
          }
          const extra = new Set(extraFields(x.tbl).map((f) => f.name));
          for (const f of take) {
            const after = extra.has(f.field) ? extraValue(f.theirs) : (f.theirs ?? null);
            tx.apply({ tbl: x.tbl, row_id: x.id, op: 'update', field: f.field, before: cur[f.field] ?? null, after });
          }
          if (take.length > 0) count(x.tbl, 'updated');
          for (const f of x.fields)
            if (f.conflict && fields.get(`${x.key}:${f.field}`) === 'mine')
              mark(x, 'update', f.field, f.theirs, f.mine);
        }

        opts.onProgress?.(total, total);
        copyTheirLog(cf);
        return out;
      },
      { reason: `The merge of ${plan.theirsName}`, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
  } finally {
    // Not when the case file was closed meanwhile (its connection, and the attachment, are gone).
    if (cf.db.open) cf.db.prepare('DETACH DATABASE theirs_file').run();
  }
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

function markerWriter(cf: CaseFile, tx: Tx) {
  return (
    x: PlannedItem,
    op: 'insert' | 'update' | 'delete',
    field: string | null,
    before: unknown,
    after: unknown,
  ) => {
    writeLogEntry(cf.db, {
      hlc: cf.clock.tick(),
      txn: tx.txn,
      author: cf.author,
      tbl: x.tbl,
      row_id: x.id,
      op,
      field,
      before: json(before),
      after: json(after),
    });
  };
}

/**
 * Reads their whole row from their copy (attached as theirs_file), for an addition the plan kept
 * only the ids of. Statements are this merge's own: the attachment goes when it ends.
 */
function theirRows(cf: CaseFile): (x: PlannedItem) => RowValues {
  const byTable = new Map<LoggedTable, Statement>();
  return (x) => {
    let st = byTable.get(x.tbl);
    if (!st) byTable.set(x.tbl, (st = cf.db.prepare(`SELECT * FROM theirs_file.${x.tbl} WHERE id = ?`)));
    const r = st.get(x.id) as RowValues | undefined;
    if (!r)
      throw new CasefileError(
        'conflict',
        `“${x.label}” is no longer in their copy of the file. Review the merge again; nothing was merged.`,
      );
    return r;
  };
}

/** A citation or comment whose parent is not in the file (it stayed deleted): why, or null. */
function missingParent(cf: CaseFile, t: LoggedTable, r: RowValues): string | null {
  if (t === 'citations') {
    if (!cf.get('sources', String(r.source_id))) return 'the source it cites is not in your file';
    if (
      (TABLES as readonly unknown[]).includes(r.target_table) &&
      !cf.get(r.target_table as TableName, String(r.target_id))
    )
      return 'the row it supports is not in your file';
  }
  if (t === 'annotations' && !cf.get('citations', String(r.citation_id)))
    return 'the citation it comments on is not in your file';
  if (t === 'attachments' && !cf.get('sources', String(r.source_id)))
    return 'the source it belongs to is not in your file';
  return null;
}

/** Their row's own id, times, author and clock value travel with it (checked: it is their text). */
function rowMeta(r: RowValues): Partial<Record<'id' | 'created_at' | 'updated_at' | 'author' | 'hlc', string>> {
  const m: Partial<Record<'id' | 'created_at' | 'updated_at' | 'author' | 'hlc', string>> = { id: String(r.id) };
  for (const k of ['created_at', 'updated_at'] as const)
    if (typeof r[k] === 'string' && /^[\x20-\x7e]{1,40}$/.test(r[k])) m[k] = r[k];
  if (typeof r.author === 'string' && r.author.length <= 200) m.author = r.author;
  if (typeof r.hlc === 'string') {
    try {
      decodeHlc(r.hlc);
      m.hlc = r.hlc;
    } catch {
      /* a clock value this version cannot read: a fresh one is stamped */
    }
  }
  return m;
}

/** Their change-log entries this file lacks, as they were, oldest first. */
function copyTheirLog(cf: CaseFile): number {
  return copyMissingEntries(cf.db, 'theirs_file', LOGGED_TABLES);
}
