import { describe, expect, it } from 'vitest';
import { abroad, bucketRange, timeline } from '../../../src/core/dashboard/timeline';
import { addActorName, figuresOtherActors, figuresByAdmin1 } from '../../../src/core/dashboard/figures';
import { eventTypes, incidentsBy } from '../../../src/core/dashboard/incidents';
import { mapPoints } from '../../../src/core/dashboard/map';
import { plotsSummary } from '../../../src/core/dashboard/plots';
import { countRows } from '../../../src/core/grid/seek';
import { EMPTY_FILTER, type FilterModel } from '../../../src/shared/contract';
import { session } from '../../helpers';

/** Chart data checked against SQL counts on small hand-made case files. */
function fixture() {
  const { s } = session({ demo: false });
  const cf = s.caseFile;
  const src = cf.create('sources', { key: 'a', title: 'Source A', type: 'dataset' });
  const other = cf.create('sources', { key: 'b', title: 'Source B', type: 'news' });
  const add = (v: Record<string, unknown>, source = src) => {
    const row = cf.create('incidents', { attribution: 'unknown', ...v });
    cf.create('citations', { source_id: source.id, target_table: 'incidents', target_id: row.id });
    return row;
  };
  add({
    date: '2023-03-01',
    date_precision: 'day',
    country: 'Afghanistan',
    admin1: 'Herat',
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    actor1: 'A',
    fatalities: 3,
    latitude: 34.35,
    longitude: 62.2,
  });
  add({
    date: '2023-03-02',
    date_precision: 'day',
    country: 'Afghanistan',
    admin1: 'Hirat',
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    actor1: 'A',
    fatalities: 1,
    latitude: 34.35,
    longitude: 62.2,
  });
  add({
    date: '2023-03-09',
    date_precision: 'week',
    country: 'Afghanistan',
    admin1: 'Kabul',
    event_type: 'Riots',
    sub_event_type: 'Mob violence',
    actor1: 'B',
    latitude: 34.5,
    longitude: 69.2,
  });
  add(
    {
      date: '2023-03',
      date_precision: 'month',
      country: 'Afghanistan',
      admin1: 'Kabul',
      event_type: 'Riots',
      sub_event_type: 'Mob violence',
      actor1: '<img src=x onerror=alert(1)>',
    },
    other,
  );
  add({
    date: '2023',
    date_precision: 'year',
    country: 'AFG',
    admin1: 'Kabol',
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    actor1: 'A',
    fatalities: 10,
  });
  add({ date: null, date_precision: 'unknown', country: 'Pakistan', admin1: 'Punjab', event_type: null, actor1: 'C' });
  add({
    date: '2023-05-20',
    date_precision: 'day',
    country: 'India',
    admin1: 'Punjab',
    event_type: 'Protests',
    sub_event_type: 'Peaceful protest',
    actor1: 'C',
    latitude: 31,
    longitude: 75,
  });
  add({
    date: '2023-06-01',
    date_precision: 'day',
    country: null,
    admin1: 'Atlantis',
    event_type: 'Protests',
    sub_event_type: 'Peaceful protest',
    tags: 'Abroad ; arrests',
  });
  return { s, cf, db: cf.db, src, other };
}

const f = (columns: FilterModel['columns'], search = ''): FilterModel => ({ columns, search });

describe('dashboard aggregates on fixtures', () => {
  it('merges spellings of one province into one bar, and keeps Punjab of India apart from Punjab of Pakistan', () => {
    const { db } = fixture();
    const r = incidentsBy(db, 'admin1', EMPTY_FILTER);
    const hirat = r.bars.find((b) => b.label === 'Hirat')!;
    expect(hirat.value).toBe(2);
    expect(hirat.fatalities).toBe(4);
    expect(hirat.known).toBe(2);
    // Unknown fatalities are not zero: the Kabul bar knows them for one incident of three.
    expect(r.bars.find((b) => b.label === 'Kabul')?.known).toBe(1);
    expect(hirat.values.sort()).toEqual(['Herat', 'Hirat']);
    // AFG and Kabol are Afghanistan and Kabul.
    expect(r.bars.find((b) => b.label === 'Kabul')?.value).toBe(3);
    expect(r.bars.map((b) => b.label)).toEqual(
      expect.arrayContaining(['Punjab (India)', 'Punjab (Pakistan)', 'Atlantis']),
    );
    expect(r.total).toBe(8);
    // Clicking a bar filters on its spellings: the grid then counts what the bar says.
    expect(countRows(db, 'incidents', f({ admin1: { type: 'set', values: hirat.values } }))).toBe(2);
    const c = incidentsBy(db, 'country', EMPTY_FILTER);
    expect(c.bars.find((b) => b.label === 'Afghanistan')).toMatchObject({
      value: 5,
      values: expect.arrayContaining(['Afghanistan', 'AFG']),
    });
    expect(c.bars.find((b) => b.label === '(no country)')?.values).toEqual([null]);
  });

  it('leaves out the filters on its own column and applies the others (cross-filtering)', () => {
    const { db } = fixture();
    const filter = f({ admin1: { type: 'set', values: ['Kabul', 'Kabol'] } });
    // The province chart still shows every province; the others narrow to Kabul.
    expect(incidentsBy(db, 'admin1', filter).total).toBe(8);
    expect(incidentsBy(db, 'country', filter).total).toBe(countRows(db, 'incidents', filter));
    expect(eventTypes(db, filter).types.map((t) => [t.label, t.value])).toEqual([
      ['Riots', 2],
      ['Battles', 1],
    ]);
    const dated = f({ date: { type: 'date', from: '2023-03', to: '2023-03' } });
    // The timeline keeps its whole span when a period is brushed; the rest follow the period.
    expect(timeline(db, dated, 'month').counted).toBe(timeline(db, EMPTY_FILTER, 'month').counted);
    expect(incidentsBy(db, 'country', dated).total).toBe(countRows(db, 'incidents', dated));
    expect(countRows(db, 'incidents', dated)).toBe(4);
    // A full-text search narrows every chart.
    expect(incidentsBy(db, 'admin1', f({}, 'Punjab')).total).toBe(2);
  });

  it('never puts a month-precision date in a week, and says how many it left out', () => {
    const { db } = fixture();
    const w = timeline(db, EMPTY_FILTER, 'week');
    expect(w.counted).toBe(5);
    expect(w.notShown).toEqual({ month: 1, year: 1, unknown: 1 });
    expect(w.buckets[0]).toEqual({ key: '2023-02-27', label: '27 Feb 2023', from: '2023-02-27', to: '2023-03-05' });
    const first = w.series.reduce((s, x) => s + x.values[0]!, 0);
    expect(first).toBe(2);
    // A brushed week selects exactly what its bar counts: the grid's date range takes a row only
    // when the whole period of its date lies inside, so March (month precision) is not in it.
    const wk = w.buckets[0]!;
    expect(countRows(db, 'incidents', f({ date: { type: 'date', from: wk.from, to: wk.to } }))).toBe(2);
    const next = w.buckets[1]!;
    expect(w.series.reduce((s, x) => s + x.values[1]!, 0)).toBe(1);
    expect(countRows(db, 'incidents', f({ date: { type: 'date', from: next.from, to: next.to } }))).toBe(1);
    const m = timeline(db, EMPTY_FILTER, 'month');
    expect(m.counted).toBe(6);
    expect(m.notShown).toEqual({ month: 0, year: 1, unknown: 1 });
    const march = m.buckets.findIndex((b) => b.key === '2023-03');
    expect(m.series.reduce((s, x) => s + x.values[march]!, 0)).toBe(4);
    expect(m.fatalities[march]).toBe(4);
    // May's one incident gives no number: unknown, not 0.
    expect(m.fatalities[m.buckets.findIndex((b) => b.key === '2023-05')]).toBeNull();
    const mb = m.buckets[march]!;
    expect(countRows(db, 'incidents', f({ date: { type: 'date', from: mb.from, to: mb.to } }))).toBe(4);
    const q = timeline(db, EMPTY_FILTER, 'quarter');
    expect(q.buckets.map((b) => [b.key, b.from, b.to])).toEqual([
      ['2023-Q1', '2023-01', '2023-03'],
      ['2023-Q2', '2023-04', '2023-06'],
    ]);
    const y = timeline(db, EMPTY_FILTER, 'year');
    expect(y.counted).toBe(7);
    expect(y.notShown).toEqual({ month: 0, year: 0, unknown: 1 });
  });

  it('fills empty buckets and coarsens a span too long for the bucket', () => {
    expect(bucketRange('month', '2022-11', '2023-02').map((b) => b.key)).toEqual([
      '2022-11',
      '2022-12',
      '2023-01',
      '2023-02',
    ]);
    expect(bucketRange('week', '2024-12-30', '2025-01-06').map((b) => b.to)).toEqual(['2025-01-05', '2025-01-12']);
    const { cf, db } = fixture();
    cf.create('incidents', { date: '1950-01-02', date_precision: 'day', attribution: 'unknown' });
    const t = timeline(db, EMPTY_FILTER, 'week');
    expect(t.coarsened).toBe(true);
    expect(t.bucket).toBe('month');
    expect(t.buckets.length).toBeLessThanOrEqual(1500);
  });

  it('counts as abroad the incidents in another country or tagged abroad', () => {
    const { db } = fixture();
    const a = abroad(db, EMPTY_FILTER, null);
    // Pakistan (undated), India, and the tagged one without a country; AFG is home.
    expect(a.total).toBe(3);
    expect(a.notShown.unknown).toBe(1);
    expect(a.items.map((i) => `${i.country} ${i.period}`)).toEqual(['India 2023-05', '(country not given) 2023-06']);
  });

  it('bins points on the map and keeps the count of incidents without coordinates', () => {
    const { db } = fixture();
    const fine = mapPoints(db, EMPTY_FILTER, [-180, -90, 180, 90], 0.01);
    expect(fine.points.map((p) => p[2]).sort()).toEqual([1, 1, 2]);
    expect(fine.withoutCoords).toBe(4);
    expect(fine.merged).toBe(false);
    const coarse = mapPoints(db, EMPTY_FILTER, [-180, -90, 180, 90], 20);
    expect(coarse.points.reduce((s, p) => s + p[2], 0)).toBe(4);
    expect(coarse.points.length).toBeLessThan(fine.points.length);
    expect(coarse.merged).toBe(true);
    const view = mapPoints(db, EMPTY_FILTER, [60, 30, 65, 40], 0.01);
    expect(view.points).toHaveLength(1);
    expect(view.total).toBe(8);
    expect(view.outside).toBe(2);
  });

  it('names on the source line only the sources of the rows a chart counts', () => {
    const { db } = fixture();
    expect(incidentsBy(db, 'country', EMPTY_FILTER).sources.titles).toEqual(['Source A', 'Source B']);
    expect(incidentsBy(db, 'country', f({ actor1: { type: 'set', values: ['A'] } })).sources.titles).toEqual([
      'Source A',
    ]);
    expect(incidentsBy(db, 'country', f({ actor1: { type: 'set', values: ['nobody'] } })).sources.titles).toEqual([]);
    // Data is data: a hostile actor name comes back verbatim (the renderer escapes it).
    expect(incidentsBy(db, 'actor1', EMPTY_FILTER).bars.map((b) => b.label)).toContain('<img src=x onerror=alert(1)>');
  });

  it('matches reported provinces across spellings and lists the names it cannot place', () => {
    const { cf, db } = fixture();
    const fig = (admin1: string | null, value: number) =>
      cf.create('figures', {
        measure: 'Incidents',
        metric: 'incident_count',
        country: 'Afghanistan',
        admin1,
        period_start: '2023-03',
        period_end: '2023-12',
        value,
      });
    fig(null, 20);
    fig('Herat', 12);
    fig('Kabul', 9);
    fig('Kabulistan', 1);
    const r = figuresByAdmin1(db);
    expect(r.bars.map((b) => [b.label, b.value, b.computed, b.matchedAs])).toEqual([
      ['Herat', 12, 2, 'Hirat'],
      ['Kabul', 9, 2, 'Kabul'], // the year-precision "2023" may lie outside March to December
      ['Kabulistan', 1, 0, null],
    ]);
    expect(r.unmatched).toEqual(['Kabulistan']);
    expect(r.computedTotal).toBe(4);
    expect(r.bars[0]!.values.sort()).toEqual(['Herat', 'Hirat']);
  });

  it('keeps equal reported counts in one order, after a delete is undone too', () => {
    const { cf, db } = fixture();
    const fig = (admin1: string | null, value: number) =>
      cf.create('figures', {
        measure: 'Incidents',
        metric: 'incident_count',
        country: 'Afghanistan',
        admin1,
        period_start: '2023-03',
        period_end: '2023-12',
        value,
      });
    fig(null, 20);
    const herat = fig('Herat', 9);
    fig('Kabul', 9);
    fig('Balkh', 12);
    const order = () => figuresByAdmin1(db).bars.map((b) => b.label);
    expect(order()).toEqual(['Balkh', 'Herat', 'Kabul']);
    // An undone delete puts the row back with a new rowid; the order does not depend on it.
    cf.delete('figures', [herat.id as string]);
    expect(order()).toEqual(['Balkh', 'Kabul']);
    cf.undo();
    expect(order()).toEqual(['Balkh', 'Herat', 'Kabul']);
  });

  it("counts incidents naming any of the actor's names, and names the actors it did not count", () => {
    const { cf, db } = fixture();
    const fig = (admin1: string | null, value: number) =>
      cf.create('figures', {
        measure: 'Incidents',
        metric: 'incident_count',
        actor: 'Group A',
        country: 'Afghanistan',
        admin1,
        period_start: '2023-03',
        period_end: '2023-12',
        value,
      });
    fig(null, 20);
    fig('Herat', 12);
    fig('Kabul', 9);
    // A count of another actor's, listed among the provinces: a name added to "Group A" is not added to it.
    const other = cf.create('figures', {
      measure: 'Incidents',
      metric: 'incident_count',
      actor: 'Other group',
      country: 'Afghanistan',
      admin1: 'Kandahar',
      period_start: '2023-03',
      period_end: '2023-12',
      value: 1,
    });
    // The data names the group "A" (another dataset's name): nothing counts, and the panel says who the incidents do name.
    let r = figuresByAdmin1(db);
    expect(r.actorNames).toEqual(['Group A']);
    expect(r.computedTotal).toBe(0);
    expect(r.bars.map((b) => b.computed)).toEqual([0, 0, 0]);
    // In the country and period only (the year-precision "2023" and other countries are not there); most named first.
    expect(figuresOtherActors(db)).toEqual([
      { name: 'A', count: 2 },
      { name: '<img src=x onerror=alert(1)>', count: 1 },
      { name: 'B', count: 1 },
    ]);
    expect(r.actorFigureIds).toHaveLength(3);
    expect(r.actorFigureIds).not.toContain(other.id);

    expect(addActorName(cf, r.actorFigureIds, ' B ')).toEqual({ updated: 3 });
    r = figuresByAdmin1(db);
    expect(r.actorNames).toEqual(['Group A', 'B']);
    expect(r.bars.map((b) => [b.label, b.computed])).toEqual([
      ['Herat', 0],
      ['Kabul', 1],
      ['Kandahar', 0],
    ]);
    expect(db.prepare('SELECT actor FROM figures WHERE id = ?').pluck().get(other.id)).toBe('Other group');
    expect(r.computedTotal).toBe(1);
    expect(figuresOtherActors(db).map((a) => a.name)).toEqual(['A', '<img src=x onerror=alert(1)>']);
    // Once is enough (names compare without case); one undo step takes the name back from every figure.
    expect(addActorName(cf, r.actorFigureIds, 'b')).toEqual({ updated: 0 });
    expect(cf.history().undoLabel).toBe('Count "B" as Group A');
    cf.undo();
    expect(
      (
        db
          .prepare("SELECT DISTINCT actor FROM figures WHERE metric = 'incident_count' AND actor <> 'Other group'")
          .all() as { actor: string }[]
      ).map((x) => x.actor),
    ).toEqual(['Group A']);
    expect(figuresByAdmin1(db).computedTotal).toBe(0);
    // The separator is not a name, and a figure gone since is refused with nothing changed.
    expect(() => addActorName(cf, r.actorFigureIds, 'A; B')).toThrow(/may not be empty or contain ";"/);
    const gone = cf.create('figures', { measure: 'x', metric: 'incident_count', value: 1 }).id as string;
    cf.delete('figures', [gone]);
    expect(() => addActorName(cf, [...r.actorFigureIds, gone], 'A')).toThrow(/is not in the case file/);
    expect(figuresByAdmin1(db).actorNames).toEqual(['Group A']);
  });

  it('groups plots by period with "before" bounds first and the undated last', () => {
    const { cf, db } = fixture();
    const plot = (v: Record<string, unknown>) => cf.create('plots', { stage: 'planning', group_link: 'unknown', ...v });
    plot({ country: 'Germany', date: '2022-05', date_precision: 'month' });
    plot({ country: 'Deutschland', date: null, date_precision: 'unknown', date_before: '2021-08' });
    plot({ country: 'Narnia', date: null, date_precision: 'unknown' });
    const p = plotsSummary(db, EMPTY_FILTER);
    expect(p.byPeriod.periods.map((x) => x.label)).toEqual(['before Aug 2021', '2022', 'date unknown']);
    const germany = p.byCountry.bars.find((b) => b.key === 'Germany');
    expect(germany?.value).toBe(2);
    expect(p.byCountry.bars.find((b) => b.label === 'Narnia')?.key).toBeNull();
    // A period bar's filter selects its plots.
    expect(countRows(db, 'plots', f({ date_before: { type: 'set', values: ['2021-08'] } }))).toBe(1);
    expect(countRows(db, 'plots', f({ date: { type: 'date', from: '2022', to: '2022' } }))).toBe(1);
    expect(plotsSummary(db, f({ stage: { type: 'set', values: ['arrested'] } })).byCountry.bars).toEqual([]);
  });
});
