import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/pipeline';
import { detectTableFormat } from '../../../src/core/import/detect';
import { splitArticles } from '../../../src/core/import/ucdp';
import { AUTHOR, NODE, freshCase, withDb } from './helpers';

/** UCDP GED's CSV header (version 23.1/24.1), in its order. */
const HEADER =
  'id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob'.split(
    ',',
  );

const q = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function ged(rows: Record<string, string>[]): string {
  return `${HEADER.join(',')}\r\n${rows.map((r) => HEADER.map((h) => q(r[h] ?? '')).join(',')).join('\r\n')}\r\n`;
}

const BASE = {
  year: '2022',
  active_year: '1',
  code_status: 'Clear',
  region: 'Asia',
  country: 'Afghanistan',
  country_id: '700',
  event_clarity: '1',
  number_of_sources: '2',
  gwnoa: '',
  gwnob: '',
};
const ROWS: Record<string, string>[] = [
  {
    ...BASE,
    id: '412345',
    relid: 'AFG-2022-1-412-1',
    type_of_violence: '3',
    conflict_name: 'IS - civilians',
    dyad_name: 'IS - civilians',
    side_a: 'IS',
    side_b: 'Civilians',
    source_article:
      '"Pajhwok,2022-09-05,Blast near Russian embassy; 6 killed";"BBC Monitoring South Asia,2022-09-06,Kabul blast"',
    source_headline: 'Suicide blast near the Russian embassy in Kabul',
    where_prec: '1',
    where_coordinates: 'Kabul city',
    adm_1: 'Kabul province',
    adm_2: 'Kabul district',
    latitude: '34.531094',
    longitude: '69.162796',
    date_prec: '1',
    date_start: '2022-09-05 00:00:00.000',
    date_end: '2022-09-05 00:00:00.000',
    deaths_a: '1',
    deaths_b: '0',
    deaths_civilians: '5',
    deaths_unknown: '0',
    best: '6',
    high: '8',
    low: '6',
  },
  {
    ...BASE,
    year: '2021',
    id: '412346',
    type_of_violence: '1',
    conflict_name: 'Afghanistan: Government',
    side_a: 'Government of Afghanistan',
    side_b: 'Taleban',
    source_article: 'Xinhua,2021-08-30,Clashes in Panjshir',
    source_headline: 'جنگ در دره پنجشیر',
    where_prec: '4',
    where_coordinates: 'Panjshir province',
    adm_1: 'Panjshir province',
    latitude: '35.3',
    longitude: '69.8',
    date_prec: '2',
    date_start: '2021-08-26',
    date_end: '2021-08-30',
    best: '20',
    high: '35',
    low: '12',
  },
  {
    ...BASE,
    id: '412347',
    type_of_violence: '2',
    side_a: 'IS',
    side_b: 'Taleban',
    source_article: 'UN, 2022',
    where_prec: '6',
    where_coordinates: 'Afghanistan',
    latitude: '33.8',
    longitude: '66.0',
    date_prec: '4',
    date_start: '2022-03-01',
    date_end: '2022-03-31',
    best: '3',
    high: '3',
    low: '3',
    event_clarity: '2',
  },
  {
    ...BASE,
    id: '412348',
    type_of_violence: '3',
    side_a: 'IS',
    side_b: 'Civilians',
    source_article: 'HRW report',
    date_prec: '5',
    date_start: '2021-11-01',
    date_end: '2022-02-28',
    best: '40',
    high: '60',
    low: '30',
  },
  {
    ...BASE,
    id: '455001',
    year: '2024',
    country: 'Russia (Soviet Union)',
    country_id: '365',
    region: 'Europe',
    type_of_violence: '3',
    side_a: 'IS',
    side_b: 'Civilians',
    source_article: 'ТАСС,2024-03-22,Теракт в «Крокус Сити Холле»',
    source_headline: 'Теракт в «Крокус Сити Холле»',
    where_prec: '1',
    where_coordinates: 'Krasnogorsk town',
    adm_1: 'Moscow Oblast',
    latitude: '55.8218',
    longitude: '37.3311',
    date_prec: '1',
    date_start: '2024-03-22',
    date_end: '2024-03-22',
    best: '145',
    high: '145',
    low: '145',
  },
  {
    ...BASE,
    id: '412349',
    type_of_violence: '3',
    side_a: 'IS',
    side_b: 'Civilians',
    date_prec: '1',
    date_start: '2022-05-01',
    date_end: '2022-05-01',
    best: 'many',
    high: '',
    low: '',
  },
  {
    ...BASE,
    id: '412350',
    type_of_violence: '3',
    side_a: 'IS',
    side_b: 'Civilians',
    date_prec: '1',
    date_start: '2022-05-02',
    date_end: '2022-05-02',
    best: '9',
    high: '8',
    low: '2',
  },
];

const run = (file: string, data: string) => importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false });

describe('UCDP GED import', () => {
  it('is recognised from its header alone, not mistaken for ACLED or GTD', () => {
    expect(detectTableFormat(HEADER)).toEqual({ format: 'ucdp' });
    expect(detectTableFormat(HEADER.map((h) => h.toUpperCase()))).toEqual({ format: 'ucdp' });
  });

  it('maps best as fatalities with low/high beside it, sides as actors, articles as sources, date_prec as precision; names the rows it skips', async () => {
    const { file, dir } = freshCase();
    const data = join(dir, 'ged241-afg.csv');
    writeFileSync(data, ged(ROWS));
    const r = await run(file, data);
    expect(r).toMatchObject({ format: 'ucdp', imported: 5, skipped: 2 });
    expect(r.errors).toEqual([
      { line: 7, reason: 'best "many" is not a count of deaths' },
      { line: 8, reason: 'best 9 is not between low 2 and high 8' },
    ]);
    withDb(file, (db) => {
      const row = (id: string) =>
        db.prepare("SELECT * FROM incidents WHERE origin = 'UCDP' AND external_id = ?").get(id) as Record<
          string,
          unknown
        >;
      expect(row('412345')).toMatchObject({
        date: '2022-09-05',
        date_precision: 'day',
        event_type: 'One-sided violence',
        actor1: 'IS',
        target: 'Civilians',
        fatalities: 6,
        country: 'Afghanistan',
        admin1: 'Kabul province',
        admin2: 'Kabul district',
        location: 'Kabul city',
        latitude: 34.531094,
        longitude: 69.162796,
        geo_precision: 1,
        description: 'Suicide blast near the Russian embassy in Kabul',
      });
      expect(String(row('412345').tags).split('; ')).toEqual(
        expect.arrayContaining(['deaths_low=6', 'deaths_high=8', 'deaths_civilians=5', 'conflict=IS - civilians']),
      );
      // A 2-6 day range: week precision at its middle day, the range kept.
      expect(row('412346')).toMatchObject({
        date: '2021-08-28',
        date_precision: 'week',
        geo_precision: 3,
        description: 'جنگ در دره پنجشیر',
        fatalities: 20,
      });
      expect(String(row('412346').tags)).toContain('date_range=2021-08-26..2021-08-30');
      expect(row('412347')).toMatchObject({
        date: '2022-03',
        date_precision: 'month',
        event_type: 'Non-state violence',
      });
      expect(String(row('412347').tags)).toContain('event_clarity=low');
      // Longer than a month and across two years: the date is unknown, the range is kept.
      expect(row('412348')).toMatchObject({ date: null, date_precision: 'unknown', fatalities: 40 });
      expect(String(row('412348').tags)).toContain('date_range=2021-11-01..2022-02-28');
      expect(row('455001')).toMatchObject({
        country: 'Russia (Soviet Union)',
        admin1: 'Moscow Oblast',
        fatalities: 145,
        description: 'Теракт в «Крокус Сити Холле»',
      });
      // Each article is a source, a ";" inside a quoted title staying in it; each cited by its row.
      const cites = db
        .prepare(
          `SELECT s.title FROM citations c JOIN sources s ON s.id = c.source_id JOIN incidents i ON i.id = c.target_id WHERE i.external_id = '412345' AND s.type <> 'dataset' ORDER BY s.title`,
        )
        .pluck()
        .all();
      expect(cites).toEqual([
        '"BBC Monitoring South Asia,2022-09-06,Kabul blast"',
        '"Pajhwok,2022-09-05,Blast near Russian embassy; 6 killed"',
      ]);
      // The file itself is a dataset source, named for UCDP.
      expect(db.prepare("SELECT authors FROM sources WHERE type = 'dataset'").pluck().all()).toEqual([
        'Uppsala Conflict Data Program (UCDP)',
      ]);
    });
  });

  it('re-imported by event id: a revised estimate updates its row, the rest stay unchanged', async () => {
    const { file, dir } = freshCase();
    const data = join(dir, 'ged.csv');
    writeFileSync(data, ged(ROWS.slice(0, 5)));
    await run(file, data);
    const revised = ROWS.slice(0, 5).map((r) => (r.id === '412345' ? { ...r, best: '7', high: '9' } : r));
    writeFileSync(data, ged(revised));
    const r = await run(file, data);
    expect(r).toMatchObject({ imported: 0, updated: 1, unchanged: 4, skipped: 0 });
    withDb(file, (db) => {
      expect(db.prepare("SELECT count(*) FROM incidents WHERE origin = 'UCDP'").pluck().get()).toBe(5);
      const a = db.prepare("SELECT fatalities, tags FROM incidents WHERE external_id = '412345'").get() as {
        fatalities: number;
        tags: string;
      };
      expect(a.fatalities).toBe(7);
      expect(a.tags).toContain('deaths_high=9');
    });
  });

  it('splits source_article at semicolons outside quotes only', () => {
    expect(splitArticles('"A,2020-01-01,X; Y";B,2020-01-02,Z; B,2020-01-02,Z')).toEqual([
      '"A,2020-01-01,X; Y"',
      'B,2020-01-02,Z',
    ]);
    expect(splitArticles(null)).toEqual([]);
  });
});
