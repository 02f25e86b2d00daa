import type { Statement } from 'better-sqlite3';
import type { ColumnFilter, FilterModel } from '../../shared/contract';
import { periodOf, whereSql } from '../grid/filter-sql';
import { ALL_SUMMARIES, gridCell, keyExpr, SUMMARIES, type SummaryDef } from './summary-defs';
import type { Db } from '../db/open';

/**
 * The dashboard's summary tables (migration 004): which one answers a chart, and keeping them
 * current. Every write to incidents goes through Tx (case-file.ts), which calls summaryDelta with
 * the row before and after; a bulk import brings them current once at its end
 * (summariesAfterImport); a file opened from disk is checked (checkSummaries) and rebuilt when its
 * summaries disagree with its incidents, in the task worker that checks the file when opened
 * through Session.openChecked (exchange/received.ts), where a colleague's file is always rebuilt;
 * copies written with raw SQL (export, import by copying) are rebuilt by their tasks.
 */

type Row = Record<string, unknown>;
type Stmts = {
  list: readonly SummaryDef[];
  derive: Statement;
  add: Map<string, { upd: Statement; ins: Statement; del: Statement }>;
};
const stmts = new WeakMap<Db, Stmts | null>();

/** Columns of an incident that some summary reads: a change to none of them changes no summary. */
const READ = [
  'country',
  'admin1',
  'event_type',
  'sub_event_type',
  'actor1',
  'date',
  'tags',
  'longitude',
  'latitude',
  'fatalities',
] as const;

/** The summaries a connection's file has: 004's from schema 4, the map grid from 6. */
function summariesOf(db: Db): readonly SummaryDef[] {
  const v = db.pragma('user_version', { simple: true }) as number;
  return v >= 6 ? ALL_SUMMARIES : v >= 4 ? SUMMARIES : [];
}

function prepared(db: Db): Stmts | null {
  let s = stmts.get(db);
  if (s === undefined && !hasSummaries(db)) stmts.set(db, (s = null));
  if (s === undefined) {
    // The derived keys are computed by SQLite with the same expressions as a rebuild, so that a
    // delta lands on exactly the row a rebuild would make.
    const derive = db.prepare(
      `SELECT CASE WHEN length(@d) = 10 THEN substr(@d, 1, 7) ELSE @d END month, coalesce(length(@d), 0) dlen,
              (instr(';' || replace(lower(coalesce(@t, '')), ' ', '') || ';', ';abroad;') > 0) abroad,
              ${gridCell('@x', 180)} gx, ${gridCell('@y', 90)} gy`,
    );
    const list = summariesOf(db);
    const add = new Map<string, Stmts['add'] extends Map<string, infer V> ? V : never>();
    for (const d of list) {
      const match = d.keys.map((k) => `${k} IS ?`).join(' AND ');
      add.set(d.name, {
        upd: db.prepare(`UPDATE ${d.name} SET n = n + ?, f = f + ?, k = k + ? WHERE ${match} RETURNING n`),
        ins: db.prepare(
          `INSERT INTO ${d.name} (${d.keys.join(', ')}, n, f, k) VALUES (${d.keys.map(() => '?').join(', ')}, ?, ?, ?)`,
        ),
        del: db.prepare(`DELETE FROM ${d.name} WHERE ${match} AND n <= 0`),
      });
    }
    stmts.set(db, (s = { list, derive, add }));
  }
  return s;
}

type Derived = { month: string | null; dlen: number; abroad: number; gx: number | null; gy: number | null };

function keyValues(d: SummaryDef, row: Row, derived: Derived): unknown[] {
  return d.keys.map((k) =>
    k === 'date'
      ? d.grain === 'month'
        ? derived.month
        : (row.date ?? null)
      : k === 'dlen'
        ? derived.dlen
        : k === 'abroad'
          ? derived.abroad
          : k === 'gx'
            ? derived.gx
            : k === 'gy'
              ? derived.gy
              : (row[k] ?? null),
  );
}

function bump(s: Stmts, d: SummaryDef, key: unknown[], fat: number | null, sign: 1 | -1): void {
  const st = s.add.get(d.name)!;
  const after = st.upd.get(sign, sign * (fat ?? 0), sign * (fat === null ? 0 : 1), ...key) as { n: number } | undefined;
  if (!after) {
    if (sign > 0) st.ins.run(...key, 1, fat ?? 0, fat === null ? 0 : 1);
    return;
  }
  if (after.n <= 0) st.del.run(...key);
}

/**
 * Brings every summary in step with one incident's change: `before` null for an insert, `after`
 * null for a delete. Inside the caller's transaction; two indexed writes per summary whose key
 * or fatalities changed (an edit of the actor touches only the actors' summaries).
 */
export function summaryDelta(db: Db, before: Row | null, after: Row | null): void {
  if (before && after && READ.every((c) => (before[c] ?? null) === (after[c] ?? null))) return;
  const s = prepared(db);
  if (!s) return;
  const derive = (row: Row | null) =>
    row
      ? (s.derive.get({
          d: row.date ?? null,
          t: row.tags ?? null,
          x: row.longitude ?? null,
          y: row.latitude ?? null,
        }) as Derived)
      : null;
  const fatOf = (row: Row | null) => (row && typeof row.fatalities === 'number' ? row.fatalities : null);
  const [db0, db1] = [derive(before), derive(after)];
  const [f0, f1] = [fatOf(before), fatOf(after)];
  for (const d of s.list) {
    const k0 = before ? keyValues(d, before, db0!) : null;
    const k1 = after ? keyValues(d, after, db1!) : null;
    if (k0 && k1 && k0.every((v, i) => v === k1[i])) {
      // Same group, other fatalities: one update in place.
      if (f0 !== f1)
        s.add.get(d.name)!.upd.get(0, (f1 ?? 0) - (f0 ?? 0), (f1 === null ? 0 : 1) - (f0 === null ? 0 : 1), ...k0);
      continue;
    }
    if (k0) bump(s, d, k0, f0, -1);
    if (k1) bump(s, d, k1, f1, 1);
  }
}

/**
 * The columns a fill reads, copied once into a narrow TEMP table (one pass over the incidents, not
 * one per summary), with the derived keys computed there once per incident: the month, the
 * stored date's length, tagged abroad (migration 004's expressions).
 */
const MONTH_GRAIN = SUMMARIES.find((d) => d.grain === 'month')!;
const REBUILD_FROM = `CREATE TEMP TABLE dash_rebuild AS SELECT country, admin1, event_type, sub_event_type, actor1, date,
  ${keyExpr(MONTH_GRAIN, 'date')} AS month, ${keyExpr(MONTH_GRAIN, 'dlen')} AS dlen, ${keyExpr(MONTH_GRAIN, 'abroad')} AS abroad,
  longitude, latitude, fatalities FROM incidents`;

function fillSql(d: SummaryDef): string {
  const cols = d.keys.map((k) => (k === 'date' && d.grain === 'month' ? 'month' : k));
  return `INSERT INTO ${d.name} (${d.keys.join(', ')}, n, f, k) SELECT ${cols.join(', ')}, count(*), coalesce(sum(fatalities), 0), count(fatalities)
    FROM temp.dash_rebuild GROUP BY ${cols.map((_, i) => i + 1).join(', ')}`;
}

/**
 * Summaries whose keys are a subset of a finer one's with the same date grain: filled by adding
 * up the finer one's rows (tens of thousands to a few hundred thousand) instead of grouping every
 * incident again. Sums of counts are the counts; NULL keys group alike in both.
 */
const ROLLUPS: Record<string, string> = {
  dash_actors: 'dash_actor_months',
  dash_places: 'dash_cells',
  dash_months: 'dash_cells',
  dash_abroad: 'dash_months',
  // The grid's cells from the exact positions (derived keys computed from the finer one's columns).
  dash_grid: 'dash_points',
};

function rollupSql(d: SummaryDef, from: SummaryDef): string {
  const exprs = d.keys.map((k) => (from.keys.includes(k) ? k : keyExpr(d, k)));
  return `INSERT INTO ${d.name} (${d.keys.join(', ')}, n, f, k) SELECT ${exprs.join(', ')}, sum(n), sum(f), sum(k) FROM ${from.name} GROUP BY ${exprs.map((_, i) => i + 1).join(', ')}`;
}

/** Page cache while rebuilding (KiB): a million incidents' sorts then stay in memory instead of spilling to temp files. */
const REBUILD_CACHE_KIB = 128 * 1024;

/**
 * Empties and refills every summary from the incidents: one pass over them into a narrow copy, a
 * group-by of it per summary that no finer summary holds, and the others added up from those.
 */
export function rebuildSummaries(db: Db): void {
  const cache = db.pragma('cache_size', { simple: true }) as number;
  if (cache < 0 && -cache < REBUILD_CACHE_KIB) db.pragma(`cache_size = -${REBUILD_CACHE_KIB}`);
  try {
    db.transaction(() => {
      db.exec('DROP TABLE IF EXISTS temp.dash_rebuild');
      db.exec(REBUILD_FROM);
      const done = new Set<string>();
      const list = summariesOf(db);
      const fill = (d: SummaryDef) => {
        if (done.has(d.name)) return;
        const from = list.find((x) => x.name === ROLLUPS[d.name]);
        if (from) fill(from);
        db.exec(`DELETE FROM ${d.name}`);
        db.exec(from ? rollupSql(d, from) : fillSql(d));
        done.add(d.name);
      };
      for (const d of list) fill(d);
      db.exec('DROP TABLE temp.dash_rebuild');
    })();
  } finally {
    db.pragma(`cache_size = ${cache}`);
  }
}

/**
 * A delta costs about six times what a rebuild spends per incident (measured at a million: a
 * rebuild 25 s, a delta 0.15 ms): an import that wrote more than a sixth of the file rebuilds.
 * Under a thousand rows, deltas take well under a second whatever the file.
 */
const REBUILD_SHARE = 6;
const ALWAYS_DELTA = 1_000;

/** Whether rebuilding the summaries costs less than `changed` incidents' deltas, in this file. */
export function rebuildPays(db: Db, changed: number): boolean {
  if (changed <= ALWAYS_DELTA || !hasSummaries(db)) return false;
  const total = db.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
  return changed * REBUILD_SHARE > total;
}

/**
 * After a bulk import (inside its transaction, before COMMIT): the import wrote incidents without
 * Tx, so the summaries learn of them here. A large import rebuilds them; a small one into a large
 * file applies the import's own rows as deltas, found from its change log entries (inserted rows
 * as they are now; updated rows also as they were, from the logged values before). `changed`: how
 * many incidents the import inserted or updated, when the caller counted them.
 */
export function summariesAfterImport(db: Db, txn: string, changed?: number): void {
  if (!hasSummaries(db)) return;
  // The writer knows how many incidents it inserted or updated; counting them again from the log
  // sorted every entry of a large import (a row written twice in one import is counted twice,
  // which only leans toward the rebuild, right either way).
  const touched =
    changed ??
    (db
      .prepare(`SELECT count(DISTINCT row_id) FROM change_log WHERE txn = ? AND tbl = 'incidents'`)
      .pluck()
      .get(txn) as number);
  if (touched === 0) return;
  if (rebuildPays(db, touched)) return rebuildSummaries(db);
  const log = db
    .prepare(`SELECT row_id, op, field, before FROM change_log WHERE txn = ? AND tbl = 'incidents' ORDER BY seq`)
    .all(txn) as { row_id: string; op: string; field: string | null; before: string | null }[];
  const rows = new Map<string, { inserted: boolean; before: Row }>();
  for (const e of log) {
    let r = rows.get(e.row_id);
    if (!r) rows.set(e.row_id, (r = { inserted: e.op === 'insert', before: {} }));
    // The first logged value of a field is what it was before the import.
    if (e.op === 'update' && e.field && !(e.field in r.before))
      r.before[e.field] = e.before === null ? null : JSON.parse(e.before);
  }
  const get = db.prepare(`SELECT ${READ.join(', ')} FROM incidents WHERE id = ?`);
  for (const [id, r] of rows) {
    const now = (get.get(id) as Row | undefined) ?? null;
    if (r.inserted) summaryDelta(db, null, now);
    else if (now) summaryDelta(db, { ...now, ...r.before }, now);
  }
}

/**
 * Whether the summaries agree with the incidents, cheaply: each summary's totals (incidents,
 * fatalities, incidents with a number) must be the table's. A file from elsewhere, or one written
 * by an older Casefile behind this one's back, fails this and is rebuilt (ensureSummaries).
 */
export function checkSummaries(db: Db): boolean {
  const want = db
    .prepare('SELECT count(*) n, coalesce(sum(fatalities), 0) f, count(fatalities) k FROM incidents')
    .get() as { n: number; f: number; k: number };
  return summariesOf(db).every((d) => {
    const got = db
      .prepare(
        `SELECT coalesce(sum(n), 0) n, coalesce(sum(f), 0) f, coalesce(sum(k), 0) k, count(*) rows, coalesce(min(n), 1) least FROM ${d.name}`,
      )
      .get() as { n: number; f: number; k: number; rows: number; least: number };
    return got.n === want.n && got.f === want.f && got.k === want.k && got.least > 0;
  });
}

/** On open: rebuilds the summaries when they disagree with the incidents. Returns whether it did. */
export function ensureSummaries(db: Db): boolean {
  if (checkSummaries(db)) return false;
  rebuildSummaries(db);
  return true;
}

// ---- which summary answers a chart ---------------------------------------------------------

/** What a chart groups by: summary key names; 'date' with the grain it needs. */
export type Need = { keys: readonly string[]; grain?: 'day' | 'month' };

/** A date filter a month-grain summary answers: whole months (or blank / not blank). */
function monthAligned(f: ColumnFilter): boolean {
  if (f.type === 'text') return f.op === 'blank' || f.op === 'notBlank' || f.value === '';
  if (f.type !== 'date') return false;
  try {
    if (f.from && !periodOf(f.from, 'Date').first.endsWith('-01')) return false;
    if (f.to) {
      const last = periodOf(f.to, 'Date').last;
      if (periodOf(last.slice(0, 7), 'Date').last !== last) return false;
    }
  } catch {
    return false; // not a date: the plain SQL says so
  }
  return true;
}

/** Usable after migration 004 (a connection to an older file, read-only, has none). */
function hasSummaries(db: Db): boolean {
  return (db.pragma('user_version', { simple: true }) as number) >= 4;
}

/** For tests and the benchmark: answer from the incidents only. */
let disabled = false;
export function useSummaries(on: boolean): void {
  disabled = !on;
}

/**
 * The smallest summary that holds every column the chart groups by and every column the filter
 * reads, with a date grain fine enough; null when none does (text search, a filter on another
 * column, a date range that is not whole months on a chart that has only months...).
 */
export function pickSummary(db: Db, filter: FilterModel, need: Need): SummaryDef | null {
  if (disabled || filter.search.trim() || !hasSummaries(db)) return null;
  const keys = new Set(need.keys);
  let grain = need.grain ?? (keys.has('date') ? 'day' : null);
  for (const [col, f] of Object.entries(filter.columns)) {
    keys.add(col);
    if (col === 'date' && !monthAligned(f)) grain = 'day';
    else if (col === 'date' && grain === null) grain = 'month';
  }
  const fits = summariesOf(db).filter((d) => {
    for (const k of keys) if (!d.keys.includes(k) && !(k === 'dlen' && d.grain === 'day')) return false;
    return !keys.has('date') || d.grain === 'day' || grain === 'month';
  });
  if (fits.length <= 1) return fits[0] ?? null;
  // The list is ordered by the sizes typical data gives; the file's own statistics (ANALYZE)
  // overrule it: coordinates geocoded per incident make dash_points as large as the incidents.
  const rows = summaryRowCounts(db);
  return fits.reduce((best, d) => ((rows.get(d.name) ?? Infinity) < (rows.get(best.name) ?? Infinity) ? d : best));
}

/** Row counts of the summaries from sqlite_stat1, when ANALYZE has run (empty otherwise). */
function summaryRowCounts(db: Db): Map<string, number> {
  const out = new Map<string, number>();
  const hasStats = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'").get();
  if (!hasStats) return out;
  for (const r of db.prepare("SELECT tbl, stat FROM sqlite_stat1 WHERE tbl LIKE 'dash\\_%' ESCAPE '\\'").all() as {
    tbl: string;
    stat: string;
  }[]) {
    const n = Number.parseInt(r.stat, 10);
    if (Number.isFinite(n)) out.set(r.tbl, Math.max(out.get(r.tbl) ?? 0, n));
  }
  return out;
}

export type SummarySql = { def: SummaryDef; from: string; where: string; params: (string | number | null)[] };

/** Filtered columns in the order their index is tried: the likely most selective first. */
const SEEK_ORDER = ['actor1', 'admin1', 'longitude', 'date', 'country', 'event_type', 'sub_event_type'];

/** A filter an index range answers: a set without NULL, or a date range. */
function seekable(f: ColumnFilter): boolean {
  return (
    (f.type === 'set' && f.values.length > 0 && !f.values.includes(null)) ||
    (f.type === 'date' && (f.from !== null || f.to !== null))
  );
}

/**
 * The filter as a WHERE clause on the summary (its columns have the incidents' names and values),
 * and the index to read it by. The planner, left alone, likes to skip-scan a summary's key index
 * for a range on its fifth column; the index that leads with the filtered column reads only the
 * matching rows.
 */
export function summaryWhere(def: SummaryDef, filter: FilterModel): SummarySql {
  const w = whereSql('incidents', filter);
  const indexes = [def.keys, ...def.indexes].map((cols, i) => ({
    lead: cols[0]!,
    name: i === 0 ? `${def.name}_key` : `${def.name}_${cols.join('_')}`,
  }));
  const col = SEEK_ORDER.find(
    (c) => filter.columns[c] && seekable(filter.columns[c]!) && indexes.some((ix) => ix.lead === c),
  );
  const ix = col ? indexes.find((i) => i.lead === col)! : null;
  return { def, from: ix ? `${def.name} INDEXED BY ${ix.name}` : def.name, where: w.sql, params: w.params };
}
