import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/pipeline';
import { ACLED_HEADER, acledLine } from './acled-gen';
import { AUTHOR, NODE, count, fixture, freshCase, withDb, type Db } from './helpers';

// The worker path is the one the app takes; most checks here run in-process (the same code) to keep the suite quick.
const run = (file: string, name: string, inWorker = false) =>
  importFile(file, fixture(name), { author: AUTHOR, node: NODE, inWorker });

type Inc = Record<string, unknown>;
const incident = (db: Db, ext: string) => db.prepare('SELECT * FROM incidents WHERE external_id = ?').get(ext) as Inc;
/** Titles of the sources an incident cites, sorted. */
const citedTitles = (db: Db, id: unknown) =>
  (
    db
      .prepare(
        "SELECT s.title FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.target_table = 'incidents' AND c.target_id = ? ORDER BY s.title",
      )
      .all(id) as { title: string }[]
  ).map((r) => r.title);

/** What every import must leave: one txn in the change log, one insert per row, search index and statistics built. */
function checkBookkeeping(db: Db, expected: { incidents: number; sources: number; citations: number }) {
  const log = db
    .prepare('SELECT tbl, op, count(*) n, count(DISTINCT txn) txns FROM change_log GROUP BY tbl, op ORDER BY tbl')
    .all();
  expect(log).toEqual([
    { tbl: 'citations', op: 'insert', n: expected.citations, txns: 1 },
    { tbl: 'incidents', op: 'insert', n: expected.incidents, txns: 1 },
    { tbl: 'sources', op: 'insert', n: expected.sources, txns: 1 },
  ]);
  expect(count(db, 'SELECT count(DISTINCT txn) n FROM change_log')).toBe(1);
  // The insert is logged without a copy of the row (the row holds the values): who, when, which row.
  const row = db.prepare('SELECT * FROM incidents ORDER BY rowid LIMIT 1').get() as Inc;
  const logged = db
    .prepare("SELECT after, author, hlc FROM change_log WHERE row_id = ? AND op = 'insert'")
    .get(row.id) as { after: string | null; author: string; hlc: string };
  expect(logged.after).toBeNull();
  expect(
    count(
      db,
      "SELECT count(*) n FROM change_log WHERE tbl IN ('incidents', 'citations') AND (before IS NOT NULL OR after IS NOT NULL)",
    ),
  ).toBe(0);
  expect(logged.author).toBe(AUTHOR);
  expect(logged.hlc).toBe(row.hlc);
  expect(row.author).toBe(AUTHOR);
  expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(String(row.hlc)).toMatch(new RegExp(`-${NODE}$`));
  expect(row.created_at).toBe(row.updated_at);
  // Every imported row cites the dataset; every citation is ungraded and unlocated.
  expect(
    count(
      db,
      "SELECT count(*) n FROM citations WHERE credibility IS NOT NULL OR locator IS NOT NULL OR target_table <> 'incidents'",
    ),
  ).toBe(0);
  expect(
    count(
      db,
      "SELECT count(*) n FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.target_id = i.id AND s.type = 'dataset')",
    ),
  ).toBe(0);
  expect(count(db, 'SELECT count(*) n FROM sources WHERE reliability IS NOT NULL')).toBe(0);
  // FTS rebuilt, ANALYZE run.
  expect(
    count(
      db,
      "SELECT count(*) n FROM incidents_fts WHERE incidents_fts MATCH 'afghanistan OR libya OR colombia OR kabul'",
    ),
  ).toBeGreaterThan(0);
  expect(count(db, "SELECT count(*) n FROM sources_fts WHERE sources_fts MATCH 'export'")).toBe(1);
  expect(count(db, "SELECT count(*) n FROM sqlite_stat1 WHERE tbl = 'incidents'")).toBeGreaterThan(0);
}

describe('importing the ACLED fixtures', () => {
  it('current layout: fields, precisions, timestamps, sources and citations', async () => {
    const { file } = freshCase();
    const r = await run(file, 'acled-current.csv', true);
    expect(r).toEqual({
      format: 'acled',
      layout: 'current',
      imported: 5,
      updated: 0,
      unchanged: 0,
      deletedKept: 0,
      skipped: 0,
      errors: [],
      conflicts: [],
      sourcesCreated: 6,
      citationsCreated: 11,
      dates: null,
    });
    withDb(file, (db) => {
      expect(count(db, 'SELECT count(*) n FROM incidents')).toBe(5);
      const a = incident(db, 'AFG70001');
      expect(a).toMatchObject({
        origin: 'ACLED',
        date: '2022-12-28',
        date_precision: 'day',
        event_type: 'Explosions/Remote violence',
        sub_event_type: 'Suicide bomb',
        actor1: 'Islamic State (Afghanistan)',
        target: 'Civilians (Afghanistan)',
        assoc_actors: 'Hazara Ethnic Group (Afghanistan); Shia Muslim Group (Afghanistan)',
        country: 'Afghanistan',
        admin1: 'Kabul',
        location: 'Kabul - Dasht-e Barchi',
        latitude: 34.5056,
        longitude: 69.1039,
        geo_precision: 1,
        fatalities: 6,
        attribution: 'unknown',
        source_timestamp: 1672700000,
      });
      expect(a.description).toContain('calling the victims "rafidah" (a slur for Shia).\nAt least 6 killed');
      expect(String(a.tags).split('; ')).toEqual(
        expect.arrayContaining([
          'inter1=Rebel group',
          'civilian_targeting=Civilian targeting',
          'disorder_type=Political violence',
        ]),
      );
      expect(incident(db, 'AFG70002')).toMatchObject({
        date: '2022-11-15',
        date_precision: 'week',
        fatalities: 3,
        geo_precision: 2,
        source_timestamp: 1669100000,
      });
      expect(incident(db, 'AFG70003')).toMatchObject({
        date: '2020-05',
        date_precision: 'month',
        fatalities: null,
        admin2: null,
      });
      expect(incident(db, 'AFG70005')).toMatchObject({ date: '2020-05-09', date_precision: 'day', fatalities: 0 });

      const sources = db.prepare('SELECT key, title, type, authors, reliability FROM sources ORDER BY title').all();
      expect(sources).toEqual([
        {
          key: 'acled-data-acled-current-csv',
          title: 'ACLED export acled-current.csv',
          type: 'dataset',
          authors: 'Armed Conflict Location & Event Data (ACLED)',
          reliability: null,
        },
        {
          key: 'acled-src-bakhtar-news-agency',
          title: 'Bakhtar News Agency',
          type: 'news',
          authors: null,
          reliability: null,
        },
        {
          key: 'acled-src-pajhwok-afghan-news',
          title: 'Pajhwok Afghan News',
          type: 'news',
          authors: null,
          reliability: null,
        },
        { key: 'acled-src-rukhshana-media', title: 'Rukhshana Media', type: 'news', authors: null, reliability: null },
        { key: 'acled-src-tolo-news', title: 'Tolo News', type: 'news', authors: null, reliability: null },
        { key: 'acled-src-xinhua', title: 'Xinhua', type: 'news', authors: null, reliability: null },
      ]);
      // "Pajhwok Afghan News; Tolo News; Pajhwok Afghan News": two sources, each cited once.
      expect(citedTitles(db, a.id)).toEqual(['ACLED export acled-current.csv', 'Pajhwok Afghan News', 'Tolo News']);
      expect(citedTitles(db, incident(db, 'AFG70005').id)).toEqual(['ACLED export acled-current.csv', 'Tolo News']);
      checkBookkeeping(db, { incidents: 5, sources: 6, citations: 11 });
    });
  });

  it('2020 layout: numeric actor codes become names, week and month precision', async () => {
    const { file } = freshCase();
    const r = await run(file, 'acled-2020.csv');
    expect(r).toMatchObject({
      format: 'acled',
      layout: '2020',
      imported: 3,
      skipped: 0,
      sourcesCreated: 5,
      citationsCreated: 7,
    });
    withDb(file, (db) => {
      expect(incident(db, 'AFG41001')).toMatchObject({
        date: '2019-08-18',
        date_precision: 'day',
        fatalities: 63,
        target: 'Civilians (Afghanistan)',
        source_timestamp: 1566400000,
      });
      expect(String(incident(db, 'AFG41001').tags)).toContain('inter2=Civilians');
      expect(incident(db, 'AFG41002')).toMatchObject({
        date: '2019-09-02',
        date_precision: 'week',
        admin2: 'Chapa Dara',
        fatalities: 10,
      });
      expect(incident(db, 'AFG41003')).toMatchObject({ date: '2019-10', date_precision: 'month', fatalities: 0 });
      expect(citedTitles(db, incident(db, 'AFG41001').id)).toEqual([
        'ACLED export acled-2020.csv',
        'Pajhwok Afghan News',
        'Reuters',
      ]);
      checkBookkeeping(db, { incidents: 3, sources: 5, citations: 7 });
    });
  });

  it('2015 layout (upper-case names, no timestamp), the same in a worker and in-process', async () => {
    for (const inWorker of [true, false]) {
      const { file } = freshCase();
      const r = await run(file, 'acled-2015.csv', inWorker);
      expect(r).toMatchObject({
        format: 'acled',
        layout: '2015',
        imported: 3,
        skipped: 0,
        sourcesCreated: 4,
        citationsCreated: 7,
      });
      withDb(file, (db) => {
        expect(incident(db, 'LBY1501')).toMatchObject({
          date: '2015-02-24',
          date_precision: 'day',
          fatalities: 40,
          location: 'Al Qubbah',
          source_timestamp: null,
        });
        expect(incident(db, 'LBY1502')).toMatchObject({
          date: '2015-02-15',
          assoc_actors: 'Ansar al-Sharia',
          fatalities: 21,
        });
        expect(incident(db, 'LBY1503')).toMatchObject({ date: '2015-03-03', date_precision: 'week', fatalities: null });
        // Reuters is named by two rows and is one source.
        expect(count(db, "SELECT count(*) n FROM sources WHERE title = 'Reuters'")).toBe(1);
        expect(
          count(
            db,
            "SELECT count(*) n FROM citations c JOIN sources s ON s.id = c.source_id WHERE s.title = 'Reuters'",
          ),
        ).toBe(2);
        checkBookkeeping(db, { incidents: 3, sources: 4, citations: 7 });
      });
    }
  });

  it('accepts a 10,000-character cell and names sources in Arabic script with a stable key', async () => {
    const { file, dir } = freshCase();
    const long = 'x'.repeat(10_000);
    const line = acledLine(1, () => 0.5, { rows: 1 })
      .replace(/"Event 1 near [^"]*"/, `"${long}"`)
      .replace(',Tolo News; Khaama Press,', ',وكالة أعماق; Tolo News,');
    const p = join(dir, 'long.csv');
    writeFileSync(p, `${ACLED_HEADER}\n${line}\n`);
    expect(await importFile(file, p, { author: AUTHOR, node: NODE, inWorker: false })).toMatchObject({
      imported: 1,
      skipped: 0,
    });
    withDb(file, (db) => {
      expect((db.prepare('SELECT length(description) n FROM incidents').get() as { n: number }).n).toBe(10_000);
      const arabic = db.prepare("SELECT key, type FROM sources WHERE title = 'وكالة أعماق'").get() as {
        key: string;
        type: string;
      };
      expect(arabic.key).toMatch(/^acled-src-[0-9a-f]{8}$/);
    });
  });

  it('skips bad rows with their line and reason, and imports the rest', async () => {
    const { file } = freshCase();
    const r = await run(file, 'acled-bad-rows.csv');
    // 09/05/2020 on line 6 is read day first, as 28/12/2020 on line 8 shows.
    expect(r).toMatchObject({
      imported: 3,
      skipped: 5,
      dates: { order: 'dmy', source: 'file', example: { value: '28/12/2020', line: 8 }, heldBack: 1, unsettled: 0 },
    });
    expect(r.errors).toEqual([
      { line: 4, reason: 'event_date: "sometime in May 2020" is not a date Casefile can read' },
      { line: 5, reason: 'fatalities "abc" is not a whole number' },
      { line: 7, reason: 'latitude: Lat must be at most 90' },
      { line: 9, reason: 'time_precision "5" is not 1, 2 or 3' },
      { line: 10, reason: 'event_id_cnty is empty' },
    ]);
  });
});

describe('importing the GTD fixtures', () => {
  const check = (db: Db, title: string) => {
    const a = incident(db, '201712280001');
    expect(a).toMatchObject({
      origin: 'GTD',
      date: '2017-12-28',
      date_precision: 'day',
      event_type: 'Bombing/Explosion',
      sub_event_type: 'Explosives',
      actor1: 'Khorasan Chapter of the Islamic State',
      attribution: 'claimed',
      country: 'Afghanistan',
      admin1: 'Kabul',
      location: 'Kābul',
      fatalities: 41,
      injuries: 84,
      geo_precision: 1,
      target: 'Private Citizens & Property: Cultural centre',
    });
    expect(a.description).toContain('(ولایت خراسان)');
    expect(citedTitles(db, a.id)).toEqual([
      '"Islamic State claims Kabul blast," Reuters, December 28, 2017.',
      '"Suicide attack hits Kabul cultural centre," Pajhwok Afghan News, December 28, 2017.',
      title,
    ]);
    // Unknown day: month precision; unknown month: year; -9/-99 and "Unknown" are unknown.
    expect(incident(db, '201603000001')).toMatchObject({
      date: '2016-03',
      date_precision: 'month',
      location: null,
      fatalities: null,
      injuries: null,
      attribution: 'unknown',
    });
    expect(incident(db, '199500000001')).toMatchObject({
      date: '1995',
      date_precision: 'year',
      fatalities: 2,
      geo_precision: 2,
    });
    expect(citedTitles(db, incident(db, '199500000001').id)).toEqual([title]);
    expect(count(db, "SELECT count(*) n FROM sources WHERE type = 'news' AND key LIKE 'gtd-src-%'")).toBe(5);
    checkBookkeeping(db, { incidents: 4, sources: 6, citations: 9 });
  };

  it('CSV in UTF-8', async () => {
    const { file } = freshCase();
    expect(await run(file, 'gtd-utf8.csv')).toMatchObject({
      format: 'gtd',
      layout: null,
      imported: 4,
      skipped: 0,
      sourcesCreated: 6,
      citationsCreated: 9,
    });
    withDb(file, (db) => check(db, 'GTD export gtd-utf8.csv'));
  });

  it('XLSX workbook', async () => {
    const { file } = freshCase();
    expect(await run(file, 'gtd.xlsx', true)).toMatchObject({
      format: 'gtd',
      imported: 4,
      skipped: 0,
      sourcesCreated: 6,
      citationsCreated: 9,
    });
    withDb(file, (db) => check(db, 'GTD export gtd.xlsx'));
  });

  it('CSV in Windows-1252', async () => {
    const { file } = freshCase();
    expect(await run(file, 'gtd-cp1252.csv')).toMatchObject({
      format: 'gtd',
      imported: 3,
      skipped: 0,
      sourcesCreated: 2,
      citationsCreated: 4,
    });
    withDb(file, (db) => {
      const titles = (db.prepare("SELECT title FROM sources WHERE type <> 'dataset'").all() as { title: string }[]).map(
        (r) => r.title,
      );
      expect(titles).toEqual(['“Bomba en Bogotá,” El Tiempo, 13 de febrero de 1999.']);
      expect(incident(db, '199902120001')).toMatchObject({ date: '1999-02-12', date_precision: 'day' });
      expect(incident(db, '200008000001')).toMatchObject({ date: '2000-08', date_precision: 'month' });
      checkBookkeeping(db, { incidents: 3, sources: 2, citations: 4 });
    });
  });
});
