import { basename } from 'node:path';
import type { CaseInfo, HistoryState, UndoResult } from '../../shared/contract';
import { FIELDS, fieldOf, validateRow, type Field, type RowValues } from '../../shared/domain/fields';
import { TABLES, precisionOf, type DatePrecision, type LoggedTable, type TableName } from '../../shared/domain/common';
import { CasefileError } from '../errors';
import { HybridClock } from '../hlc';
import { uuidv7 } from '../ids';
import { putMeta, type Db } from '../db/open';
import { SCHEMA_VERSION } from '../db/migrations';
import { rebuildPays, rebuildSummaries, summaryDelta } from '../dashboard/summaries';
import { stmt } from '../db/statements';
import { ftsStatement, isSearchTable } from '../db/search';
import { applyAttachmentChange, pruneHeld } from '../sources/attachment-rows';
import { changedSince } from './undo-check';
import { currentWindow } from '../window-origin';
import { writeLogEntry } from './change-log';
import { parseCalendarDate } from '../../shared/dates/calendars';
import { splitList } from '../../shared/domain/lists';

/** One field's change, as kept in the change log and on the undo stack. */
export type Change = {
  /** Attached files are logged too, without their bytes (see sources/attachment-rows.ts). */
  tbl: LoggedTable;
  row_id: string;
  op: 'insert' | 'update' | 'delete';
  field: string | null;
  before: unknown;
  after: unknown;
};
/** `held`: attached files whose content the step may need to put back. */
type Step = { label: string; changes: Change[]; held: string[] };
/** One window's Undo and Redo (see window-origin.ts). */
type History = { undo: Step[]; redo: Step[] };
/**
 * What changed: the tables, the row ids when few, and `origin` for bulk work done outside an
 * action (an import's worker). `counts`: the row count, after the change, of each table it added
 * rows to or removed rows from (the tabs' badges read it, so no window recounts a table after an
 * edit). `fields`: when the change only updated rows, the fields it changed (a view neither sorted
 * nor filtered by them keeps its rows where they are, and rereads only the rows named).
 */
export type DataChange = {
  tables: TableName[];
  ids?: string[];
  origin?: 'import';
  counts?: Partial<Record<TableName, number>>;
  fields?: string[];
};
export type ChangeListener = (change: DataChange) => void;

const MAX_UNDO = 200;
/** Above this many ids, change events name only the tables (views refetch what they show). */
const MAX_EVENT_IDS = 500;
/** How long a long action (actionAsync) runs before it lets the event loop serve the windows. */
const STEP_MS = 30;
/** Undo and redo steps of more changes than this run as long actions (undoAsync, redoAsync). */
export const LARGE_STEP = 5_000;

/**
 * An open case file: every write goes through here, so that each one is validated, stamped
 * (author, times, clock), recorded field by field in the change log, undoable, and announced.
 */
export class CaseFile {
  readonly clock: HybridClock;
  /** Each window's steps: Undo and Redo act on the steps made in their own window. */
  private histories = new Map<string, History>();
  private listeners = new Set<ChangeListener>();
  private historyListeners = new Set<() => void>();
  /**
   * Row counts, counted once and then kept from what each action inserted and deleted: counting a
   * million incidents on every edit (the tabs' badges) cost more than the edit. Forgotten when a
   * worker wrote behind this connection's back (announceBulk, the end of a hold on writes).
   */
  private counted = new Map<TableName, number>();

  constructor(
    readonly db: Db,
    readonly path: string,
    private authorName: () => string,
    node: string,
  ) {
    this.clock = new HybridClock(node);
    const last = db.prepare('SELECT max(hlc) h FROM change_log').get() as { h: string | null };
    if (last.h) this.clock.observe(last.h);
  }

  /**
   * While a worker holds the write lock (an import runs in one long transaction), a write from
   * here would wait for SQLite's busy timeout with the event loop blocked and then fail with
   * "database is locked". It is refused at once instead, saying why; nothing is changed.
   */
  private writesHeldBy: string | null = null;
  /** What a refused write says when the hold is not a task writing (a check of the file in progress). */
  private heldMessage: string | null = null;

  private afterHold = new Map<string, () => void>();

  holdWrites(reason: string, message?: string): () => void {
    this.writesHeldBy = reason;
    this.heldMessage = message ?? null;
    return () => {
      if (this.writesHeldBy !== reason) return;
      this.writesHeldBy = null;
      this.heldMessage = null;
      // A worker may have written rows meanwhile (an import, even one stopped half-way).
      this.counted.clear();
      const queued = [...this.afterHold.values()];
      this.afterHold.clear();
      for (const fn of queued) {
        try {
          fn();
        } catch (e) {
          console.error('[casefile] a write queued during a task failed:', e);
        }
      }
    };
  }

  /** Runs a small bookkeeping write (a saved layout) now, or when the task holding writes ends; the last one per key wins. */
  whenWritable(key: string, fn: () => void): void {
    if (this.writesHeldBy === null) fn();
    else this.afterHold.set(key, fn);
  }

  checkWritable(): void {
    if (this.writesHeldBy !== null) {
      if (this.heldMessage !== null) throw new CasefileError('conflict', this.heldMessage);
      throw new CasefileError(
        'conflict',
        `${this.writesHeldBy} is writing to this case file; nothing was changed. Try again when it has finished (or cancel it).`,
      );
    }
  }

  get author(): string {
    return this.authorName();
  }

  info(): CaseInfo {
    const counts: Record<string, number> = {};
    for (const t of TABLES) counts[t] = this.countOf(t);
    return { path: this.path, title: this.title(), schemaVersion: SCHEMA_VERSION, counts };
  }

  /** A table's row count (see `counted`). */
  countOf(t: TableName): number {
    let n = this.counted.get(t);
    if (n === undefined) {
      n = stmt(this.db, `SELECT count(*) FROM ${t}`).pluck().get() as number;
      this.counted.set(t, n);
    }
    return n;
  }

  title(): string {
    const r = this.db.prepare("SELECT value FROM meta WHERE key = 'title'").get() as { value: string } | undefined;
    return r?.value ?? basename(this.path).replace(/\.casefile$/, '');
  }

  setMeta(key: string, value: string): void {
    putMeta(this.db, key, value);
  }

  onChange(l: ChangeListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Some window's Undo or Redo changed: each window asks for its own (history()). */
  onHistory(l: () => void): () => void {
    this.historyListeners.add(l);
    return () => this.historyListeners.delete(l);
  }

  get(table: TableName, id: string): RowValues | null {
    return (stmt(this.db, `SELECT * FROM ${table} WHERE id = ?`).get(id) as RowValues | undefined) ?? null;
  }

  // ---- writes -------------------------------------------------------------------------

  /**
   * Runs `fn` as one user action: one SQLite transaction, one undo step, one change event.
   * If fn throws, nothing is written and nothing is announced.
   */
  action<T>(label: string, fn: (tx: Tx) => T, opts: { undoable?: boolean } = {}): T {
    this.checkWritable();
    const tx = new Tx(this);
    const result = this.db.transaction(() => {
      const r = fn(tx);
      tx.flushSummaries();
      tx.flushLog();
      return r;
    })();
    this.committed(label, tx, opts.undoable !== false);
    return result;
  }

  /**
   * action() for long work (a merge that brings a colleague's whole import): the same one
   * transaction, undo step and change event, but `fn` awaits `step()` between rows, which lets
   * the event loop serve every window once per STEP_MS and, once `signal` is aborted, ends the
   * work with "Cancelled" and rolls everything back. Other writes are refused meanwhile, with
   * `reason` (holdWrites): they would land inside this transaction.
   */
  async actionAsync<T>(
    label: string,
    fn: (tx: Tx, step: () => Promise<void>) => Promise<T>,
    opts: { reason: string; signal?: AbortSignal; undoable?: boolean },
  ): Promise<T> {
    const { reason, signal } = opts;
    this.checkWritable();
    const release = this.holdWrites(reason);
    const tx = new Tx(this);
    let last = performance.now();
    const step = async () => {
      if (performance.now() - last < STEP_MS) return;
      await new Promise((resolve) => setImmediate(resolve));
      last = performance.now();
      if (signal?.aborted) throw new CasefileError('refused', 'Cancelled');
    };
    let result: T;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        result = await fn(tx, step);
        tx.flushSummaries();
        tx.flushLog();
        this.db.exec('COMMIT');
      } catch (e) {
        if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      release();
    }
    this.committed(label, tx, opts.undoable !== false);
    return result;
  }

  /** After an action's commit: its undo step and its change event. */
  private committed(label: string, tx: Tx, undoable: boolean): void {
    if (tx.changes.length === 0) return;
    if (undoable) {
      const held = tx.changes.filter((c) => c.tbl === 'attachments').map((c) => c.row_id);
      const h = this.historyOf(currentWindow());
      h.undo.push({ label, changes: tx.changes, held });
      const dropped = [...(h.undo.length > MAX_UNDO ? [h.undo.shift()!] : []), ...h.redo];
      h.redo = [];
      this.pruneDropped(dropped);
    }
    this.announce(tx.changes);
  }

  create(table: TableName, values: RowValues): RowValues {
    return this.action(`Add ${singular(table)}`, (tx) => tx.insert(table, values));
  }

  update(table: TableName, id: string, values: RowValues): RowValues {
    const names = Object.keys(values);
    return this.action(`Edit ${names.map((n) => fieldOf(table, n)?.label ?? n).join(', ')}`, (tx) =>
      tx.update(table, id, values),
    );
  }

  delete(table: TableName, ids: string[]): number {
    return this.action(`Delete ${ids.length} ${ids.length === 1 ? singular(table) : table}`, (tx) => {
      let n = 0;
      for (const id of ids) n += tx.delete(table, id) ? 1 : 0;
      return n;
    });
  }

  private historyOf(window: string): History {
    let h = this.histories.get(window);
    if (!h) this.histories.set(window, (h = { undo: [], redo: [] }));
    return h;
  }

  /** What Undo and Redo of a window (the caller's, see window-origin.ts) would do. */
  history(window = currentWindow()): HistoryState {
    const h = this.histories.get(window);
    return {
      canUndo: (h?.undo.length ?? 0) > 0,
      canRedo: (h?.redo.length ?? 0) > 0,
      undoLabel: h?.undo.at(-1)?.label ?? null,
      redoLabel: h?.redo.at(-1)?.label ?? null,
    };
  }

  /**
   * Undoes the caller's window's last step. When a field it would put back was changed since
   * (by another window, an import), nothing is done and `changedSince` says what changed: the
   * window asks the analyst, and calls again with `overwrite` to undo it all the same (a row
   * deleted since is then left deleted).
   */
  undo(opts: { overwrite?: boolean } = {}): UndoResult {
    return this.undoOrRedo('undo', opts);
  }

  redo(opts: { overwrite?: boolean } = {}): UndoResult {
    return this.undoOrRedo('redo', opts);
  }

  private undoOrRedo(kind: 'undo' | 'redo', opts: { overwrite?: boolean }): UndoResult {
    const h = this.historyOf(currentWindow());
    const step = h[kind].at(-1);
    if (!step) return this.history();
    const planned = this.plan(kind, step, opts);
    if (!('changes' in planned)) return planned;
    this.replay(`${kind === 'undo' ? 'Undo' : 'Redo'}: ${step.label}`, planned.changes);
    return this.moveStep(h, kind, step);
  }

  /**
   * undo(), and for a step of more than LARGE_STEP changes (a merge that brought thousands of
   * rows) the same between turns of the event loop, telling `onProgress`; other writes wait.
   */
  async undoAsync(
    onProgress?: (done: number, total: number) => void,
    opts: { overwrite?: boolean } = {},
  ): Promise<UndoResult> {
    return this.undoOrRedoAsync('undo', opts, onProgress);
  }

  /** redo(), as undoAsync is undo(). */
  async redoAsync(
    onProgress?: (done: number, total: number) => void,
    opts: { overwrite?: boolean } = {},
  ): Promise<UndoResult> {
    return this.undoOrRedoAsync('redo', opts, onProgress);
  }

  private async undoOrRedoAsync(
    kind: 'undo' | 'redo',
    opts: { overwrite?: boolean },
    onProgress?: (done: number, total: number) => void,
  ): Promise<UndoResult> {
    const h = this.historyOf(currentWindow());
    const step = h[kind].at(-1);
    if (!step || step.changes.length <= LARGE_STEP) return this.undoOrRedo(kind, opts);
    const planned = this.plan(kind, step, opts);
    if (!('changes' in planned)) return planned;
    const Kind = kind === 'undo' ? 'Undo' : 'Redo';
    await this.replayAsync(`${Kind}: ${step.label}`, planned.changes, `The ${kind} of “${step.label}”`, onProgress);
    return this.moveStep(h, kind, step);
  }

  /**
   * The changes that undo (or redo) a step, once checked against the file as it is now: a field
   * changed since the step is not overwritten without the analyst's word.
   */
  private plan(kind: 'undo' | 'redo', step: Step, opts: { overwrite?: boolean }): { changes: Change[] } | UndoResult {
    const changes = kind === 'undo' ? invert(step.changes) : step.changes;
    const check = changedSince(this, changes);
    if (check.conflicts.length > 0 && !opts.overwrite) {
      const more = check.conflicts.length > 3 ? `, and ${check.conflicts.length - 3} more` : '';
      const what = `${check.conflicts.slice(0, 3).join('; ')}${more}`;
      return {
        ...this.history(),
        changedSince: `Since “${step.label}”, another window (or an import) changed what ${kind === 'undo' ? 'Undo' : 'Redo'} would put back: ${what}.`,
      };
    }
    return { changes: changes.filter((c) => !check.skip.has(c)) };
  }

  /**
   * Moves the step just undone or redone to the other list, and tells every window. Only once
   * it has been replayed: an undo refused (another task holds the file) keeps its step.
   */
  private moveStep(h: History, from: 'undo' | 'redo', step: Step): HistoryState {
    const i = h[from].lastIndexOf(step);
    if (i !== -1) h[from].splice(i, 1);
    h[from === 'undo' ? 'redo' : 'undo'].push(step);
    this.announceHistory();
    return this.history();
  }

  /** Applies changes as recorded (undo and redo are changes too: they go in the log). */
  private replay(label: string, changes: Change[]): void {
    this.action(
      label,
      (tx) => {
        for (const c of changes) tx.apply(c);
      },
      { undoable: false },
    );
  }

  private async replayAsync(
    label: string,
    changes: Change[],
    reason: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<void> {
    let reported = -Infinity;
    await this.actionAsync(
      label,
      async (tx, step) => {
        for (const [i, c] of changes.entries()) {
          tx.apply(c);
          const t = performance.now();
          if (t - reported >= 100) {
            reported = t;
            onProgress?.(i + 1, changes.length);
          }
          await step();
        }
        onProgress?.(changes.length, changes.length);
      },
      { reason, undoable: false },
    );
  }

  private announce(changes: Change[]): void {
    // An attached file shows as part of its source (its list, its citations' passages).
    const tables = [
      ...new Set(changes.flatMap((c): TableName[] => (c.tbl === 'attachments' ? ['sources', 'citations'] : [c.tbl]))),
    ];
    const idSet = new Set(
      changes.flatMap((c) =>
        c.tbl === 'attachments'
          ? [c.row_id, String(((c.after ?? c.before) as { source_id?: string } | null)?.source_id)]
          : [c.row_id],
      ),
    );
    const ids = idSet.size <= MAX_EVENT_IDS ? [...idSet] : undefined;
    // Counts follow inserts and deletes; a table counted only now already holds them.
    const delta = new Map<TableName, number>();
    for (const c of changes) {
      if (c.op === 'update' || c.tbl === 'attachments') continue;
      delta.set(c.tbl, (delta.get(c.tbl) ?? 0) + (c.op === 'insert' ? 1 : -1));
    }
    const counts: Partial<Record<TableName, number>> = {};
    for (const [t, d] of delta) {
      const known = this.counted.get(t);
      if (known !== undefined) this.counted.set(t, known + d);
      counts[t] = this.countOf(t);
    }
    const fields =
      delta.size === 0 && changes.every((c) => c.op === 'update' && c.tbl !== 'attachments')
        ? [...new Set(changes.map((c) => c.field!))]
        : undefined;
    const change: DataChange = {
      tables,
      ...(ids ? { ids } : {}),
      ...(delta.size > 0 ? { counts } : {}),
      ...(fields ? { fields } : {}),
    };
    for (const l of this.listeners) l(change);
    this.announceHistory();
  }

  /**
   * Announces rows a worker wrote behind this connection's back (an import, a removal for good),
   * by table alone: every view of those tables refetches. The one way besides an action that a
   * change is announced, so that data.changed has one producer (Session relays it).
   */
  announceBulk(tables: TableName[]): void {
    const counts: Partial<Record<TableName, number>> = {};
    for (const t of tables) {
      this.counted.delete(t);
      counts[t] = this.countOf(t);
    }
    for (const l of this.listeners) l({ tables, origin: 'import', counts });
  }

  /**
   * After a change no undo step holds that may remove rows earlier steps touch (the removal for
   * good of a large import, done by a worker): the undo and redo steps go, and every window is told.
   */
  forgetHistory(): void {
    const dropped = [...this.histories.values()].flatMap((h) => [...h.undo, ...h.redo]);
    this.histories.clear();
    this.pruneDropped(dropped);
    this.announceHistory();
  }

  /** Steps that left both stacks: attached files only they still held are let go (pruneHeld). */
  private pruneDropped(dropped: Step[]): void {
    if (dropped.some((s) => s.held.length > 0))
      pruneHeld(
        this.db,
        new Set([...this.histories.values()].flatMap((h) => [...h.undo, ...h.redo]).flatMap((s) => s.held)),
      );
  }

  /** Every window's Undo and Redo follow: after each action, and after undo and redo move their step. */
  private announceHistory(): void {
    for (const l of this.historyListeners) l();
  }
}

function singular(t: TableName): string {
  return t === 'sources' ? 'source' : t.replace(/s$/, '');
}

function invert(changes: Change[]): Change[] {
  return changes
    .slice()
    .reverse()
    .map((c) => ({
      ...c,
      op: c.op === 'insert' ? 'delete' : c.op === 'delete' ? 'insert' : 'update',
      before: c.after,
      after: c.before,
    }));
}

const TRUNCATE: Record<DatePrecision, number | null> = { day: 10, week: 10, month: 7, year: 4, unknown: 0 };

/** A write transaction in progress: collects the changes it makes. */
export class Tx {
  readonly changes: Change[] = [];
  private logged = 0;
  /** Each incident's change, before and after, for the summaries at the end of the action (flushSummaries). */
  private summaries: [RowValues | null, RowValues | null][] = [];
  readonly txn = uuidv7();
  private readonly now = new Date().toISOString();

  constructor(private readonly cf: CaseFile) {}

  insert(
    table: TableName,
    values: RowValues,
    meta?: Partial<Record<'id' | 'created_at' | 'updated_at' | 'author' | 'hlc', string>>,
  ): RowValues {
    const fields = FIELDS[table] as readonly Field[];
    const row: RowValues = {};
    for (const f of fields) row[f.name] = values[f.name] === undefined ? defaultFor(table, f) : values[f.name];
    for (const k of Object.keys(values))
      if (!fields.some((f) => f.name === k)) throw new CasefileError('validation', `${table} has no field "${k}"`, k);
    normalizeDates(table, row, null);
    check(table, row);
    const hlc = meta?.hlc ?? this.cf.clock.tick();
    const full: RowValues = {
      id: meta?.id ?? uuidv7(),
      created_at: meta?.created_at ?? this.now,
      updated_at: meta?.updated_at ?? this.now,
      author: meta?.author ?? this.cf.author,
      hlc,
      ...row,
    };
    const cols = Object.keys(full);
    stmt(this.cf.db, `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
      ...cols.map((c) => sqlValue(full[c])),
    );
    ftsAdd(this.cf.db, table, full.id as string);
    if (table === 'incidents') this.summaries.push([null, full]);
    this.changes.push({ tbl: table, row_id: full.id as string, op: 'insert', field: null, before: null, after: full });
    return full;
  }

  update(table: TableName, id: string, values: RowValues): RowValues {
    const current = this.cf.get(table, id);
    if (!current) throw new CasefileError('not_found', `no ${table} row ${id}`);
    const fields = FIELDS[table] as readonly Field[];
    const next: RowValues = { ...current };
    for (const [k, v] of Object.entries(values)) {
      const f = fields.find((x) => x.name === k);
      if (!f) throw new CasefileError('validation', `${table} has no field "${k}"`, k);
      if (f.readonly)
        throw new CasefileError('validation', `${f.label} is set by the importer and cannot be edited`, k);
      next[k] = v;
    }
    normalizeDates(table, next, values);
    check(table, next);
    const changed = fields.filter((f) => !same(current[f.name], next[f.name]));
    if (changed.length === 0) return current;
    const hlc = this.cf.clock.tick();
    const sets = changed.map((f) => `${f.name} = ?`).join(', ');
    ftsRemove(this.cf.db, table, id);
    stmt(this.cf.db, `UPDATE ${table} SET ${sets}, updated_at = ?, author = ?, hlc = ? WHERE id = ?`).run(
      ...changed.map((f) => sqlValue(next[f.name])),
      this.now,
      this.cf.author,
      hlc,
      id,
    );
    ftsAdd(this.cf.db, table, id);
    if (table === 'incidents') this.summaries.push([current, next]);
    for (const f of changed)
      this.changes.push({
        tbl: table,
        row_id: id,
        op: 'update',
        field: f.name,
        before: current[f.name] ?? null,
        after: next[f.name] ?? null,
      });
    return this.cf.get(table, id)!;
  }

  delete(table: TableName, id: string): boolean {
    const current = this.cf.get(table, id);
    if (!current) return false;
    // Citations and annotations hang off a row; deleting the row takes them along, and the
    // change log keeps each of them so that undo restores them too.
    if (table === 'incidents' || table === 'plots' || table === 'figures' || table === 'notes') {
      const cites = stmt(this.cf.db, 'SELECT id FROM citations WHERE target_table = ? AND target_id = ?').all(
        table,
        id,
      ) as { id: string }[];
      for (const c of cites) this.delete('citations', c.id);
    }
    if (table === 'citations') {
      const anns = stmt(
        this.cf.db,
        'SELECT id FROM annotations WHERE citation_id = ? ORDER BY parent_id IS NOT NULL DESC',
      ).all(id) as { id: string }[];
      for (const a of anns) this.delete('annotations', a.id);
    }
    if (table === 'sources') {
      const n = (stmt(this.cf.db, 'SELECT count(*) n FROM citations WHERE source_id = ?').get(id) as { n: number }).n;
      if (n > 0)
        throw new CasefileError(
          'conflict',
          `"${String(current.title)}" is cited ${n} time${n === 1 ? '' : 's'}; reassign or delete those citations first`,
        );
    }
    ftsRemove(this.cf.db, table, id);
    stmt(this.cf.db, `DELETE FROM ${table} WHERE id = ?`).run(id);
    if (table === 'incidents') this.summaries.push([current, null]);
    this.changes.push({ tbl: table, row_id: id, op: 'delete', field: null, before: current, after: null });
    return true;
  }

  /** Applies a recorded change (undo/redo, later merge) with the same bookkeeping as an edit. */
  apply(c: Change): void {
    // The dashboard's summaries follow an incident as it was and as it is (dashboard/summaries.ts).
    const old = c.tbl === 'incidents' && c.op !== 'insert' ? this.cf.get(c.tbl, c.row_id) : null;
    if (c.tbl === 'attachments') {
      applyAttachmentChange(this.cf.db, c, () => this.cf.clock.tick(), { now: this.now, author: this.cf.author });
      this.changes.push({ ...c, ...(c.op === 'insert' ? { before: null } : c.op === 'delete' ? { after: null } : {}) });
    } else if (c.op === 'insert') {
      const row = c.after as RowValues;
      const cols = Object.keys(row);
      stmt(this.cf.db, `INSERT INTO ${c.tbl} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
        ...cols.map((k) => sqlValue(row[k])),
      );
      ftsAdd(this.cf.db, c.tbl, c.row_id);
      if (c.tbl === 'incidents') this.summaries.push([null, this.cf.get(c.tbl, c.row_id)]);
      this.changes.push({ ...c, before: null });
    } else if (c.op === 'delete') {
      ftsRemove(this.cf.db, c.tbl, c.row_id);
      stmt(this.cf.db, `DELETE FROM ${c.tbl} WHERE id = ?`).run(c.row_id);
      if (old) this.summaries.push([old, null]);
      this.changes.push({ ...c, after: null });
    } else {
      const hlc = this.cf.clock.tick();
      ftsRemove(this.cf.db, c.tbl, c.row_id);
      stmt(this.cf.db, `UPDATE ${c.tbl} SET ${c.field} = ?, updated_at = ?, author = ?, hlc = ? WHERE id = ?`).run(
        sqlValue(c.after),
        this.now,
        this.cf.author,
        hlc,
        c.row_id,
      );
      ftsAdd(this.cf.db, c.tbl, c.row_id);
      if (old) this.summaries.push([old, this.cf.get(c.tbl, c.row_id)]);
      this.changes.push(c);
    }
  }

  /**
   * Brings the dashboard's summaries in step with the incidents this action changed, once, at its
   * end: a delta per incident (dashboard/summaries.ts), or one rebuild when the action changed
   * so many that a rebuild costs less (a merge that brings a colleague's whole import: 100,000
   * deltas took 40 s, a rebuild takes 2).
   */
  flushSummaries(): void {
    const pending = this.summaries;
    this.summaries = [];
    if (pending.length === 0) return;
    if (rebuildPays(this.cf.db, pending.length)) rebuildSummaries(this.cf.db);
    else for (const [before, after] of pending) summaryDelta(this.cf.db, before, after);
  }

  /** Writes the changes made so far to the change log (once, at commit). */
  flushLog(): void {
    for (; this.logged < this.changes.length; this.logged++) {
      const c = this.changes[this.logged]!;
      writeLogEntry(this.cf.db, {
        hlc: this.cf.clock.tick(),
        txn: this.txn,
        author: this.cf.author,
        tbl: c.tbl,
        row_id: c.row_id,
        op: c.op,
        field: c.field,
        before: json(c.before),
        after: json(c.after),
      });
    }
  }
}

/**
 * Keeps the external-content FTS indexes in step with their tables: the old text is removed
 * before a row changes and the new text added after (FTS5's 'delete' needs the old values).
 */
function ftsAdd(db: Db, table: TableName, id: string): void {
  if (isSearchTable(table)) ftsStatement(db, 'add', table, 'id').run(id);
}

function ftsRemove(db: Db, table: TableName, id: string): void {
  if (isSearchTable(table)) ftsStatement(db, 'delete', table, 'id').run(id);
}

function json(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

function sqlValue(v: unknown): string | number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return JSON.stringify(v);
}

function same(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

function defaultFor(table: TableName, f: Field): unknown {
  if (f.name === 'date_precision' || f.name === 'published_precision') return 'unknown';
  if (table === 'incidents' && f.name === 'attribution') return 'unknown';
  if (table === 'plots' && f.name === 'group_link') return 'unknown';
  if (table === 'annotations' && f.name === 'resolved') return 0;
  if (table === 'aliases' && f.name === 'status') return 'same';
  if (table === 'aliases' && f.name === 'origin') return 'analyst';
  return null;
}

/**
 * Keeps a date and its precision consistent: typing "2022-10" sets month precision, choosing a
 * coarser precision truncates the date (a date is never shown more exact than it is known).
 */
function normalizeDates(table: TableName, row: RowValues, edited: RowValues | null): void {
  for (const f of FIELDS[table] as readonly Field[]) {
    if (f.kind !== 'date' || !f.precisionField) continue;
    const p = f.precisionField;
    const date = row[f.name];
    if (typeof date === 'string' && date.trim() === '') row[f.name] = null;
    if ((edited === null || f.name in edited) && typeof date === 'string') fromOtherCalendar(table, f, row);
    const dateEdited = edited ? f.name in edited : true;
    const precEdited = edited ? p in edited : true;
    const d = row[f.name] as string | null;
    if (dateEdited && !precEdited && typeof d === 'string') {
      const implied = precisionOf(d);
      unreadable(f, d);
      const cur = row[p] as DatePrecision;
      if (!(implied === 'day' && cur === 'week')) row[p] = implied;
    } else if (dateEdited && !precEdited && d === null) {
      row[p] = 'unknown';
    } else if (precEdited && !dateEdited && typeof d === 'string') {
      const n = TRUNCATE[row[p] as DatePrecision] ?? null;
      if (n === 0) row[f.name] = null;
      else if (n !== null && d.length > n) row[f.name] = d.slice(0, n);
    }
    if (edited === null && typeof row[f.name] === 'string' && (row[p] === null || row[p] === 'unknown')) {
      unreadable(f, row[f.name] as string);
      row[p] = precisionOf(row[f.name] as string);
    }
  }
}

/**
 * A date typed in another calendar ("1402/05/12", "15 صفر 1445 هـ", "22 марта 2024 г.") is stored
 * as its Gregorian date at the precision it gives; an incident keeps the text as typed in a
 * `date_original=` tag (shared/dates/calendars.ts).
 */
function fromOtherCalendar(table: TableName, f: Field, row: RowValues): void {
  const text = (row[f.name] as string).trim();
  // An ISO date is Gregorian, unless its year (1300-1500) is a Solar Hijri or Hijri one, as an import reads it.
  if (
    /^\d{4}(?:-\d{2}){0,2}$/.test(text) &&
    !(Number(text.slice(0, 4)) >= 1300 && Number(text.slice(0, 4)) <= 1500 && text.length === 10)
  )
    return;
  const c = parseCalendarDate(text);
  if (c === null) return;
  if ('error' in c) throw new CasefileError('validation', `${f.label}: ${c.error}`, f.name);
  row[f.name] = c.date;
  if (table === 'incidents')
    row.tags = [
      ...splitList(row.tags).filter((t) => !t.startsWith('date_original=')),
      `date_original=${text.replace(/;/g, ',')}`,
    ].join('; ');
}

/**
 * A date typed without its precision is read by its shape; one that is neither a year, a month
 * nor a day ("2025-13", "March") is refused naming every form a date may take, rather than as a
 * bad day.
 */
function unreadable(f: Field, d: string): void {
  // A day-shaped one that is no day ("2022-02-30") is refused as a bad day, by validateRow.
  if (precisionOf(d) === 'day' && !/^\d{4}-\d{2}-\d{2}$/.test(d)) {
    throw new CasefileError(
      'validation',
      `${f.label}: "${d.slice(0, 40)}" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)`,
      f.name,
    );
  }
}

function check(table: TableName, row: RowValues): void {
  const problem = validateRow(table, row);
  if (problem) throw new CasefileError('validation', problem.message, problem.field);
}
