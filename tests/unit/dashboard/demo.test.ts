import { describe, expect, it } from 'vitest';
import { abroad, timeline } from '../../../src/core/dashboard/timeline';
import { eventTypes, incidentsBy } from '../../../src/core/dashboard/incidents';
import { figuresByAdmin1 } from '../../../src/core/dashboard/figures';
import { mapPoints } from '../../../src/core/dashboard/map';
import { plotsSummary } from '../../../src/core/dashboard/plots';
import { EMPTY_FILTER } from '../../../src/shared/contract';
import { session } from '../../helpers';

/** The "done when", on the demo case file, each number checked against SQL. */
describe('dashboard aggregates on the demo case file', () => {
  const { s } = session();
  const db = s.caseFile.db;
  const n = (sql: string, ...p: unknown[]) => (db.prepare(sql).get(...p) as { n: number }).n;

  it('shows the reported ISKP figures by province in the source order, beside the case file counts', () => {
    const f = figuresByAdmin1(db);
    expect(f.total).toBe(1826);
    expect(f.bars.map((b) => [b.label, b.value])).toEqual([
      ['Kabul', 245],
      ['Takhar', 177],
      ['Panjshir', 154],
      ['Badakhshan', 107],
      ['Baghlan', 107],
      ['Kandahar', 93],
      ['Nangarhar', 90],
      ['Parwan', 79],
      ['Balkh', 68],
      ['Kapisa', 65],
      ['Herat', 54],
      ['Kunar', 51],
      ['Ghazni', 50],
      ['Helmand', 48],
    ]);
    expect(f.bars.reduce((s, b) => s + b.value, 0)).toBe(1388);
    // Herat and Helmand are spelt Hirat and Hilmand on the map: matched, not dropped.
    expect(f.unmatched).toEqual([]);
    expect(f.bars.find((b) => b.label === 'Herat')?.matchedAs).toBe('Hirat');
    // The one Afghan incident (Kandahar, 2024, year precision) may fall after January 2024.
    expect(f.bars.every((b) => b.computed === 0)).toBe(true);
    expect(f.computedTotal).toBe(0);
    expect(f.periodStart).toBe('2022-07');
    expect(f.sources.titles).toHaveLength(1);
  });

  it('shows the 15 plots by country, by period (4 before August 2021) and by stage', () => {
    const p = plotsSummary(db, EMPTY_FILTER);
    expect(p.total).toBe(15);
    expect(Object.fromEntries(p.byCountry.bars.map((b) => [b.label, b.value]))).toEqual({
      India: 3,
      Iran: 4,
      Germany: 3,
      Maldives: 1,
      Qatar: 1,
      Turkey: 3,
    });
    for (const b of p.byCountry.bars)
      expect(b.value).toBe(n('SELECT count(*) n FROM plots WHERE country = ?', b.label));
    expect(p.byCountry.bars.find((b) => b.label === 'Maldives')?.key).toBe('Maldives');
    expect(p.byPeriod.periods.map((x) => [x.label, x.kind, x.value])).toEqual([
      ['before Aug 2021', 'before', 4],
      ['2022', 'year', 5],
      ['2023', 'year', 6],
    ]);
    expect(p.byStage.stages.find((x) => x.stage === 'arrested')?.value).toBe(15);
    expect(p.byCountry.sources.titles.length).toBe(1);
  });

  it('puts the nine incidents outside Afghanistan on the abroad timeline, at their precision', () => {
    const a = abroad(db, EMPTY_FILTER, null);
    expect(a.home).toBe('Afghanistan');
    expect(a.total).toBe(n("SELECT count(*) n FROM incidents WHERE country <> 'Afghanistan'"));
    expect(a.total).toBe(9);
    expect(a.items.map((i) => `${i.country} ${i.period}`)).toEqual([
      'Maldives 2020-02',
      'Maldives 2020-04',
      'Tajikistan 2022',
      'Uzbekistan 2022',
      'Iran 2022-10',
      'Iran 2023-08',
      'Austria 2023-12',
      'Iran 2024-01',
      'Russia 2024-03',
    ]);
    const taj = a.items.find((i) => i.country === 'Tajikistan')!;
    expect([taj.precision, taj.start, taj.end]).toEqual(['year', '2022-01-01', '2022-12-31']);
    expect(a.items.find((i) => i.country === 'Russia')?.label).toBe('Krasnogorsk (Crocus City Hall)');
    // Another home country: Afghanistan's Kandahar incident is now abroad; Iran's stay abroad
    // only because the demo tags them "abroad" (the tag counts whatever the country).
    const fromIran = abroad(db, EMPTY_FILTER, 'Iran');
    expect(fromIran.items.some((i) => i.country === 'Afghanistan')).toBe(true);
    expect(fromIran.total).toBe(10);
    // Through the case file API, which keeps the dashboard's summary tables current.
    const iran = db.prepare("SELECT id FROM incidents WHERE country = 'Iran'").pluck().all() as string[];
    s.caseFile.action('Untag', (tx) => iran.forEach((id) => tx.update('incidents', id, { tags: null })));
    expect(abroad(db, EMPTY_FILTER, 'Iran').items.some((i) => i.country === 'Iran')).toBe(false);
  });

  it('counts incidents by country, event type and actor as SQL does', () => {
    const c = incidentsBy(db, 'country', EMPTY_FILTER);
    for (const b of c.bars) expect(b.value).toBe(n('SELECT count(*) n FROM incidents WHERE country = ?', b.label));
    expect(c.total).toBe(10);
    const e = eventTypes(db, EMPTY_FILTER);
    for (const t of e.types)
      for (const sub of t.subs)
        expect(sub.value).toBe(
          n('SELECT count(*) n FROM incidents WHERE event_type = ? AND sub_event_type = ?', t.type, sub.sub),
        );
    const a = incidentsBy(db, 'actor1', EMPTY_FILTER, 1);
    expect(a.bars).toHaveLength(1);
    expect(a.bars[0]!.value + a.others.value).toBe(10);
    expect(a.others.groups).toBe(1);
  });

  it("says how the demo's month and year dates are counted in each bucket", () => {
    const m = timeline(db, EMPTY_FILTER, 'month');
    expect(m.counted).toBe(n('SELECT count(*) n FROM incidents WHERE length(date) = 7'));
    expect(m.notShown).toEqual({ month: 0, year: 3, unknown: 0 });
    const w = timeline(db, EMPTY_FILTER, 'week');
    expect(w.counted).toBe(0);
    expect(w.notShown).toEqual({ month: 7, year: 3, unknown: 0 });
    const y = timeline(db, EMPTY_FILTER, 'year');
    expect(y.counted).toBe(10);
    expect(y.buckets.map((b) => b.key)).toEqual(['2020', '2021', '2022', '2023', '2024']);
    expect(y.series.reduce((s, x) => s + x.values[2]!, 0)).toBe(
      n("SELECT count(*) n FROM incidents WHERE date LIKE '2022%'"),
    );
  });

  it('maps the located incidents and counts those without coordinates', () => {
    const m = mapPoints(db, EMPTY_FILTER, [-180, -90, 180, 90], 0.01);
    expect(m.points.reduce((s, p) => s + p[2], 0)).toBe(
      n('SELECT count(*) n FROM incidents WHERE latitude IS NOT NULL AND longitude IS NOT NULL'),
    );
    expect(m.withoutCoords).toBe(n('SELECT count(*) n FROM incidents WHERE latitude IS NULL OR longitude IS NULL'));
    expect(m.total).toBe(10);
    // The two Shiraz incidents share a place: one point of two, named.
    expect(m.points.find((p) => p[4] === 'Shiraz')?.[2]).toBe(2);
  });
});
