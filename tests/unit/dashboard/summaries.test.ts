import type { Database as BetterDb } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { abroad, timeline } from '../../../src/core/dashboard/timeline';
import { eventTypes, incidentsBy } from '../../../src/core/dashboard/incidents';
import { mapPoints } from '../../../src/core/dashboard/map';
import { resetDashboardCache } from '../../../src/core/dashboard/selection';
import { chartSource } from '../../../src/core/dashboard/selection';
import { checkSummaries, rebuildSummaries, useSummaries } from '../../../src/core/dashboard/summaries';
import { ALL_SUMMARIES as SUMMARIES } from '../../../src/core/dashboard/summary-defs';
import type { FilterModel } from '../../../src/shared/contract';
import { session } from '../../helpers';
import { rng } from '../../rng';

const COUNTRIES = ['Afghanistan', 'Iran', 'Pakistan', null];
const ADMIN1 = ['Kabul', 'Herat', 'Fars', 'Punjab', null];
const TYPES = ['Battles', 'Riots', null];
const SUBS = ['Armed clash', 'Mob violence', null];
const ACTORS = ['IS-K', 'Taliban', 'Unknown', null];
const DATES = ['2021-03-04', '2021-03-31', '2021-04-01', '2021-04', '2021', '2022-01-15', '2022-12-31', '2022', null];
const TAGS = ['abroad', 'Abroad; arrests', 'arrests', null];
const PLACES: [number | null, number | null][] = [
  [69.1, 34.5],
  [62.2, 34.3],
  [52.5, 29.6],
  [null, null],
  [69.1, 34.5000001],
];

function incident(r: () => number) {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const [longitude, latitude] = pick(PLACES);
  return {
    country: pick(COUNTRIES),
    admin1: pick(ADMIN1),
    event_type: pick(TYPES),
    sub_event_type: pick(SUBS),
    actor1: pick(ACTORS),
    date: pick(DATES),
    tags: pick(TAGS),
    longitude,
    latitude,
    fatalities: r() < 0.3 ? null : Math.floor(r() * 20),
    attribution: 'unknown',
  };
}

function randomFilter(r: () => number): FilterModel {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const columns: FilterModel['columns'] = {};
  const some = <T>(a: readonly T[]) => a.filter(() => r() < 0.4);
  if (r() < 0.4) columns.admin1 = { type: 'set', values: some(ADMIN1) };
  if (r() < 0.3) columns.country = { type: 'set', values: some(COUNTRIES) };
  if (r() < 0.3) columns.event_type = { type: 'set', values: some(TYPES) };
  if (r() < 0.2) columns.sub_event_type = { type: 'set', values: some(SUBS) };
  if (r() < 0.25) columns.actor1 = { type: 'set', values: some(ACTORS) };
  if (r() < 0.5)
    columns.date = pick([
      { type: 'date' as const, from: '2021-03', to: '2021-04' },
      { type: 'date' as const, from: '2021', to: null },
      { type: 'date' as const, from: null, to: '2021-12' },
      { type: 'date' as const, from: '2021-03-05', to: '2022-01-15' },
      { type: 'text' as const, op: 'blank' as const, value: '' },
    ]);
  if (r() < 0.1) columns.fatalities = { type: 'number', min: 3, max: null };
  return { columns, search: r() < 0.1 ? 'Kabul' : '' };
}

const snapshot = (db: BetterDb) =>
  Object.fromEntries(
    SUMMARIES.map((d) => [
      d.name,
      db
        .prepare(
          `SELECT ${d.keys.join(', ')}, n, f, k FROM ${d.name} ORDER BY ${d.keys.map((k) => `${k} IS NULL, ${k}`).join(', ')}`,
        )
        .all(),
    ]),
  );

afterEach(() => useSummaries(true));

describe('dashboard summary tables', () => {
  it('stay equal to a rebuild through inserts, edits, deletes, undo and redo', () => {
    const { s } = session({ demo: false });
    const cf = s.caseFile;
    const r = rng(7);
    const ids = cf.action('Add', (tx) =>
      Array.from({ length: 250 }, () => tx.insert('incidents', incident(r)).id as string),
    );
    for (let i = 0; i < 60; i++) {
      const id = ids[Math.floor(r() * ids.length)]!;
      if (!cf.get('incidents', id)) continue;
      if (r() < 0.2) cf.delete('incidents', [id]);
      else {
        const next = incident(r);
        const keys = Object.keys(next).filter(() => r() < 0.4) as (keyof typeof next)[];
        cf.update('incidents', id, Object.fromEntries(keys.map((k) => [k, next[k]])));
      }
      if (r() < 0.2) cf.undo();
      if (r() < 0.1) cf.redo();
    }
    expect(checkSummaries(cf.db)).toBe(true);
    const kept = snapshot(cf.db);
    rebuildSummaries(cf.db);
    expect(snapshot(cf.db)).toEqual(kept);
  });

  it('stay equal to a rebuild when one action changes more incidents than deltas pay for (a merge), and through its undo', () => {
    const { s } = session({ demo: false });
    const cf = s.caseFile;
    const r = rng(5);
    cf.action('Add', (tx) => Array.from({ length: 200 }, () => tx.insert('incidents', incident(r))));
    // 1,500 at once into a file of 200: rebuilt once at the end of the action, not 1,500 deltas.
    const ids = cf.action('Merge', (tx) =>
      Array.from({ length: 1_500 }, () => tx.insert('incidents', incident(r)).id as string),
    );
    const check = () => {
      expect(checkSummaries(cf.db)).toBe(true);
      const kept = snapshot(cf.db);
      rebuildSummaries(cf.db);
      expect(snapshot(cf.db)).toEqual(kept);
    };
    check();
    // Inside the action, the summaries followed the deletes and edits as well as the inserts.
    cf.action('Tidy', (tx) => {
      for (const id of ids.slice(0, 1_200)) tx.delete('incidents', id);
      for (const id of ids.slice(1_200, 1_300)) tx.update('incidents', id, { actor1: 'Renamed', fatalities: 3 });
    });
    check();
    cf.undo();
    check();
    cf.undo();
    check();
    expect(cf.db.prepare('SELECT sum(n) FROM dash_actors').pluck().get() as number).toBe(200);
  });

  it('answer every chart as the incidents do, for random filters', () => {
    const { s } = session({ demo: false });
    const db = s.caseFile.db;
    const r = rng(11);
    s.caseFile.action('Add', (tx) => Array.from({ length: 400 }, () => tx.insert('incidents', incident(r))));
    const charts = (f: FilterModel) => ({
      admin1: incidentsBy(db, 'admin1', f),
      country: incidentsBy(db, 'country', f),
      actor1: incidentsBy(db, 'actor1', f, 3),
      events: eventTypes(db, f),
      week: timeline(db, f, 'week'),
      month: timeline(db, f, 'month'),
      quarter: timeline(db, f, 'quarter'),
      year: timeline(db, f, 'year'),
      abroad: abroad(db, f, 'Afghanistan'),
      map: mapPoints(db, f, [-180, -90, 180, 90], 1),
      zoomed: mapPoints(db, f, [60, 30, 70, 40], 0.001),
    });
    let summarised = 0;
    for (let i = 0; i < 60; i++) {
      const f = randomFilter(r);
      useSummaries(true);
      if (chartSource(db, f, [], { keys: ['admin1', 'country'] }).summary) summarised++;
      resetDashboardCache(db);
      const fast = charts(f);
      useSummaries(false);
      resetDashboardCache(db);
      expect(fast, JSON.stringify(f)).toEqual(charts(f));
    }
    // Both paths were compared: most random filters are answered from a summary, some are not.
    expect(summarised).toBeGreaterThan(20);
    expect(summarised).toBeLessThan(60);
  });

  it('are found stale when a file was changed behind the core, and rebuilt', () => {
    const { s } = session();
    const db = s.caseFile.db;
    expect(checkSummaries(db)).toBe(true);
    db.prepare('DELETE FROM incidents WHERE rowid = (SELECT min(rowid) FROM incidents)').run();
    expect(checkSummaries(db)).toBe(false);
    rebuildSummaries(db);
    expect(checkSummaries(db)).toBe(true);
  });
});
