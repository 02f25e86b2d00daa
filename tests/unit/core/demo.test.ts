import { describe, expect, it } from 'vitest';
import { figuresByAdmin1 } from '../../../src/core/dashboard/figures';
import { session } from '../../helpers';

describe('the demo case file', () => {
  const { s } = session();
  const db = s.caseFile.db;
  const all = <T>(sql: string) => db.prepare(sql).all() as T[];

  it('reports the ISKP incident figures by province in the source order', () => {
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
    // The 2024 Kandahar incident has year precision: it may fall after January 2024, so it is not counted.
    expect(f.bars.find((b) => b.label === 'Kandahar')?.computed).toBe(0);
    expect(all("SELECT value FROM figures WHERE measure LIKE 'Taliban counter-terrorism raids%'")).toEqual([
      { value: 36 },
    ]);
  });

  it('has the 15 interdicted plots by country and by period', () => {
    expect(all('SELECT country, count(*) n FROM plots GROUP BY 1 ORDER BY 1')).toEqual([
      { country: 'Germany', n: 3 },
      { country: 'India', n: 3 },
      { country: 'Iran', n: 4 },
      { country: 'Maldives', n: 1 },
      { country: 'Qatar', n: 1 },
      { country: 'Turkey', n: 3 },
    ]);
    expect(
      all(
        "SELECT coalesce(date, 'before ' || date_before) period, date_precision p, count(*) n FROM plots GROUP BY 1, 2 ORDER BY 1",
      ),
    ).toEqual([
      { period: '2022', p: 'year', n: 5 },
      { period: '2023', p: 'year', n: 6 },
      { period: 'before 2021-08', p: 'unknown', n: 4 },
    ]);
  });

  it('keeps imprecise dates imprecise and leaves unknown fatalities empty', () => {
    expect(all('SELECT count(*) n FROM incidents WHERE fatalities IS NOT NULL')).toEqual([{ n: 0 }]);
    expect(all("SELECT date, date_precision FROM incidents WHERE location = 'Kandahar'")).toEqual([
      { date: '2024', date_precision: 'year' },
    ]);
    expect(all("SELECT attribution, attributed_by FROM incidents WHERE date = '2023-08'")).toEqual([
      { attribution: 'attributed', attributed_by: 'Iranian authorities' },
    ]);
    expect(all("SELECT sub_event_type, date FROM incidents WHERE sub_event_type = 'Arrests'")).toEqual([
      { sub_event_type: 'Arrests', date: '2023-12' },
    ]);
  });

  it('grades every source and cites a source from every record', () => {
    expect(all('SELECT count(*) n FROM sources WHERE reliability IS NULL')).toEqual([{ n: 0 }]);
    for (const t of ['incidents', 'plots', 'figures', 'notes']) {
      expect(
        all(
          `SELECT count(*) n FROM ${t} WHERE id NOT IN (SELECT target_id FROM citations WHERE target_table = '${t}')`,
        ),
        t,
      ).toEqual([{ n: 0 }]);
    }
    expect(all("SELECT language FROM sources WHERE key = 'ime2024'")).toEqual([{ language: 'ru' }]);
  });
});
