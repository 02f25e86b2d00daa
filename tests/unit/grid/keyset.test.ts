import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { orderBySql, orderKey, page } from '../../../src/core/grid/keyset';
import { whereSql } from '../../../src/core/grid/filter-sql';
import type { Cursor, FilterModel, SortModel } from '../../../src/shared/contract';
import { bigSession, dropSortIndexes } from './fixtures';

const E: FilterModel = { columns: {}, search: '' };

type Row = {
  id: string;
  date: string | null;
  fatalities: number | null;
  event_type: string | null;
  admin1: string | null;
};

/** SQLite's own order for the sort (NULL first ascending, last descending), then id: the reference. */
function sortedInJs(rows: Row[], sort: SortModel): Row[] {
  const cmp = (a: unknown, b: unknown) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : (a as string) < (b as string) ? -1 : 1;
  return rows.slice().sort((x, y) => {
    for (const s of sort) {
      const c = cmp(x[s.colId as keyof Row], y[s.colId as keyof Row]);
      if (c !== 0) return s.sort === 'desc' ? -c : c;
    }
    return 0;
  });
}

function walk(db: Database.Database, sort: SortModel, filter: FilterModel, limit: number): Row[] {
  const out: Row[] = [];
  let after: Cursor | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const p = page(db, 'incidents', { sort, filter, after, limit });
    out.push(...(p.rows as Row[]));
    if (!p.next) return out;
    after = p.next;
  }
  throw new Error('did not end');
}

const SORTS: SortModel[] = [
  [],
  [{ colId: 'date', sort: 'asc' }],
  [{ colId: 'date', sort: 'desc' }],
  [{ colId: 'fatalities', sort: 'asc' }],
  [{ colId: 'fatalities', sort: 'desc' }],
  [{ colId: 'event_type', sort: 'asc' }],
  [{ colId: 'event_type', sort: 'desc' }],
  [
    { colId: 'admin1', sort: 'desc' },
    { colId: 'fatalities', sort: 'asc' },
  ],
];

describe('keyset paging', () => {
  for (const withIndexes of [false, true]) {
    it(`visits every row once, in sort order, across NULLs and ties (${withIndexes ? 'with' : 'without'} the sort indexes)`, () => {
      const { s } = bigSession(400);
      const db = s.caseFile.db;
      // With the indexes the migrations make, or without the sort indexes.
      if (!withIndexes) dropSortIndexes(db);
      const all = db.prepare('SELECT id, date, fatalities, event_type, admin1 FROM incidents').all() as Row[];
      const filters: FilterModel[] = [
        E,
        {
          columns: { fatalities: { type: 'number', min: 0, max: 2 }, admin1: { type: 'set', values: ['Kabul', null] } },
          search: '',
        },
      ];
      for (const sort of SORTS) {
        for (const filter of filters) {
          const w = whereSql('incidents', filter);
          const reference = db
            .prepare(`SELECT id FROM incidents WHERE ${w.sql} ORDER BY ${orderBySql(orderKey(db, 'incidents', sort))}`)
            .all(...w.params) as { id: string }[];
          for (const limit of [1, 7, 100]) {
            const got = walk(db, sort, filter, limit);
            expect(got.map((r) => r.id)).toEqual(reference.map((r) => r.id));
            expect(new Set(got.map((r) => r.id)).size).toBe(got.length);
            // The user's sort holds (the key only breaks its ties).
            const ids = got.map((r) => r.id);
            const subset = filter === E ? all : all.filter((r) => ids.includes(r.id));
            const js = sortedInJs(subset, sort);
            for (const sc of sort)
              expect(got.map((r) => r[sc.colId as keyof Row])).toEqual(js.map((r) => r[sc.colId as keyof Row]));
          }
        }
      }
    });
  }

  it('reads a one-column sort from the index that delivers it, ties broken by rowid or id', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE incidents (id TEXT PRIMARY KEY, date TEXT, event_type TEXT, sub_event_type TEXT, admin1 TEXT, country TEXT, actor1 TEXT, fatalities INTEGER, tags TEXT);
      CREATE INDEX i_date ON incidents (date, id);
      CREATE INDEX i_type ON incidents (event_type);
      CREATE INDEX i_type_more ON incidents (event_type, admin1, date);
      CREATE INDEX i_actor_more ON incidents (actor1, fatalities);
      CREATE INDEX i_country_partial ON incidents (country) WHERE tags IS NOT NULL;`);
    expect(orderKey(db, 'incidents', [{ colId: 'date', sort: 'asc' }])).toEqual({
      cols: [{ col: 'date', desc: false }],
      tie: 'id',
      tieDesc: false,
      index: 'i_date',
    });
    expect(orderKey(db, 'incidents', [])).toEqual({ cols: [], tie: 'id', tieDesc: false });
    expect(orderKey(db, 'incidents', [{ colId: 'event_type', sort: 'desc' }])).toEqual({
      cols: [{ col: 'event_type', desc: true }],
      tie: 'rowid',
      tieDesc: true,
      index: 'i_type',
    });
    // An index with more columns would order ties by them: editing fatalities would move a row
    // in a view sorted by actor. The key stays (actor1, rowid).
    expect(orderKey(db, 'incidents', [{ colId: 'actor1', sort: 'asc' }])).toEqual({
      cols: [{ col: 'actor1', desc: false }],
      tie: 'rowid',
      tieDesc: false,
    });
    // A partial index holds only some rows: it cannot deliver a whole view's order.
    expect(orderKey(db, 'incidents', [{ colId: 'country', sort: 'asc' }])).toEqual({
      cols: [{ col: 'country', desc: false }],
      tie: 'rowid',
      tieDesc: false,
    });
    expect(
      orderKey(db, 'incidents', [
        { colId: 'fatalities', sort: 'asc' },
        { colId: 'date', sort: 'desc' },
      ]),
    ).toEqual({
      cols: [
        { col: 'fatalities', desc: false },
        { col: 'date', desc: true },
      ],
      tie: 'rowid',
      tieDesc: true,
    });
    expect(() => orderKey(db, 'incidents', [{ colId: 'rowid; --', sort: 'asc' }])).toThrow(/has no column/);
    db.close();
  });

  it('keeps a row in its place when a column the view is not sorted on is edited', () => {
    const { s } = bigSession(200);
    const cf = s.caseFile;
    const sort: SortModel = [{ colId: 'event_type', sort: 'asc' }];
    const before = walk(cf.db, sort, E, 50).map((r) => r.id);
    const victim = before[17]!;
    cf.update('incidents', victim, { fatalities: 99, admin1: 'Kunar', date: '2001' });
    expect(walk(cf.db, sort, E, 50).map((r) => r.id)).toEqual(before);
  });

  it('reads a page from the index, not by sorting the table', () => {
    const { s } = bigSession(50);
    const db = s.caseFile.db;
    const k = orderKey(db, 'incidents', [{ colId: 'fatalities', sort: 'desc' }]);
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM incidents WHERE fatalities = ? AND rowid < ? ORDER BY ${orderBySql(k)} LIMIT 100`,
        )
        .all(1, 10) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' ');
    expect(plan).toMatch(/USING INDEX incidents_fatalities/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    const k2 = orderKey(db, 'incidents', [{ colId: 'event_type', sort: 'asc' }]);
    expect(k2).toMatchObject({
      cols: [{ col: 'event_type', desc: false }],
      tie: 'rowid',
      index: 'incidents_event_type',
    });
    const plan2 = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM incidents INDEXED BY incidents_event_type WHERE event_type = ? AND rowid > ? ORDER BY ${orderBySql(k2)} LIMIT 100`,
        )
        .all('B', 1) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' ');
    expect(plan2).not.toMatch(/TEMP B-TREE/);
  });
});
