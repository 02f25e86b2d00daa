import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { cursorOf, orderBySql, orderKey } from '../../../src/core/grid/keyset';
import { keyAfterSkip, rowPosition } from '../../../src/core/grid/seek';
import { invalidateTables } from '../../../src/core/grid/view-cache';
import { seek } from '../../../src/core/grid/seek';
import { whereSql } from '../../../src/core/grid/filter-sql';
import type { FilterModel, SortModel } from '../../../src/shared/contract';
import { bigSession, dropSortIndexes } from './fixtures';

const E: FilterModel = { columns: {}, search: '' };

/** The naive reference: the same order with OFFSET (fine for a test, never for the grid). */
function naive(db: Database.Database, sort: SortModel, filter: FilterModel, offset: number, limit: number): string[] {
  const w = whereSql('incidents', filter);
  return (
    db
      .prepare(
        `SELECT id FROM incidents WHERE ${w.sql} ORDER BY ${orderBySql(orderKey(db, 'incidents', sort))} LIMIT ? OFFSET ?`,
      )
      .all(...w.params, limit, offset) as { id: string }[]
  ).map((r) => r.id);
}

const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r.id as string);
const OFFSETS = [0, 1, 99, 100, 101, 250, 599, 777, 1100, 1233, 1234, 1300];

describe('seek (jumps to any row)', () => {
  for (const withIndexes of [false, true])
    it(`returns what OFFSET would, at any offset, for each sort and filter (${withIndexes ? 'with' : 'without'} the sort indexes)`, async () => {
      const { s } = bigSession(1234);
      const db = s.caseFile.db;
      // With the indexes the migrations make, or without the sort indexes.
      if (!withIndexes) dropSortIndexes(db);
      const sorts: SortModel[] = [
        [],
        [{ colId: 'date', sort: 'asc' }],
        [{ colId: 'date', sort: 'desc' }],
        [{ colId: 'fatalities', sort: 'desc' }],
        [{ colId: 'event_type', sort: 'asc' }],
      ];
      const filters: FilterModel[] = [
        E,
        { columns: { event_type: { type: 'set', values: ['Battles', null] } }, search: '' },
        { columns: {}, search: 'event' },
      ];
      for (const sort of sorts) {
        for (const filter of filters) {
          // Jumps in a scrambled order, so that some start from the view's start and some from keys it learnt.
          for (const offset of [777, ...OFFSETS]) {
            const r = await seek(db, 'incidents', { sort, filter, offset, limit: 37 });
            expect(ids(r.rows)).toEqual(naive(db, sort, filter, offset, 37));
          }
        }
      }
      const r = await seek(db, 'incidents', { sort: [], filter: E, offset: 0, limit: 5 });
      expect(r.total).toBe(1234);
    });

  it('steps to the key of the m-th row after any key, in slices that continue exactly where the last stopped', async () => {
    const { s } = bigSession(1234);
    const db = s.caseFile.db;
    for (const sort of [
      [{ colId: 'date', sort: 'desc' }],
      [{ colId: 'fatalities', sort: 'asc' }],
      [{ colId: 'event_type', sort: 'desc' }],
      [],
    ] as SortModel[]) {
      const k = orderKey(db, 'incidents', sort);
      const v = { table: 'incidents' as const, sort, filter: E };
      const all = db.prepare(`SELECT *, rowid AS _rowid FROM incidents ORDER BY ${orderBySql(k)}`).all() as Record<
        string,
        unknown
      >[];
      // From the start and from keys inside runs of equal values, across the segments of a key.
      for (const from of [-1, 0, 5, 99, 600, 1200]) {
        const after = from < 0 ? null : cursorOf(k, all[from]!);
        for (const m of [1, 2, 37, 100, 633, 1233]) {
          const target = all[from + m];
          expect(keyAfterSkip(db, v, k, after, m)).toEqual(target ? cursorOf(k, target) : null);
        }
      }
      // Jumps made in slices of 37, 100 and 250 rows read what OFFSET reads.
      for (const slice of [37, 100, 250]) {
        invalidateTables(db, ['incidents']); // a fresh view: nothing known but its start
        for (const offset of [1100, 250, 1233, 7, 640]) {
          expect(ids((await seek(db, 'incidents', { sort, filter: E, offset, limit: 20, slice })).rows)).toEqual(
            naive(db, sort, E, offset, 20),
          );
        }
      }
    }
  });

  it('stays right after edits, inserts, deletes, undo and another connection writing', async () => {
    const { s, file } = bigSession(1234);
    const cf = s.caseFile;
    const db = cf.db;
    const sort: SortModel = [{ colId: 'fatalities', sort: 'desc' }];
    const check = async () => {
      for (const offset of OFFSETS)
        expect(ids((await seek(db, 'incidents', { sort, filter: E, offset, limit: 50 })).rows)).toEqual(
          naive(db, sort, E, offset, 50),
        );
    };
    await check();
    const victim = naive(db, sort, E, 1000, 1)[0]!;
    cf.update('incidents', victim, { fatalities: 999 });
    await check();
    cf.update('incidents', victim, { description: 'not a sort column' });
    await check();
    cf.delete('incidents', naive(db, sort, E, 500, 3));
    await check();
    cf.create('incidents', { fatalities: 3, description: 'new' });
    await check();
    cf.undo();
    cf.undo();
    await check();
    const other = new Database(file);
    other
      .prepare('UPDATE incidents SET fatalities = 500 WHERE id = (SELECT id FROM incidents ORDER BY rowid LIMIT 1)')
      .run();
    other.close();
    await check();
    expect((await seek(db, 'incidents', { sort, filter: E, offset: 0, limit: 1 })).rows[0]!.fatalities).toBe(999);
  });

  it('answers an offset past the end with no rows', async () => {
    const { s } = bigSession(30);
    const r = await seek(s.caseFile.db, 'incidents', { sort: [], filter: E, offset: 30, limit: 10 });
    expect(r).toEqual({ rows: [], next: null, total: 30 });
  });

  it("finds a row's position in any view, as OFFSET order numbers it, and none where the view leaves it out", () => {
    const { s } = bigSession(600);
    const cf = s.caseFile;
    const db = cf.db;
    // Rows with NULLs in the sorted columns and ties, made by hand like the grid's Add row.
    const blank = cf.create('incidents', {}).id as string;
    const tied = cf.create('incidents', { fatalities: 0, event_type: 'Battles', description: 'tied' }).id as string;
    const sorts: SortModel[] = [
      [],
      [{ colId: 'date', sort: 'asc' }],
      [{ colId: 'date', sort: 'desc' }],
      [{ colId: 'fatalities', sort: 'desc' }],
      [
        { colId: 'event_type', sort: 'asc' },
        { colId: 'fatalities', sort: 'asc' },
      ],
    ];
    const filters: FilterModel[] = [
      E,
      { columns: { event_type: { type: 'set', values: ['Battles'] } }, search: '' },
      { columns: {}, search: 'tied' },
    ];
    const sample = [blank, tied, ...naive(db, [], E, 0, 600).filter((_, i) => i % 97 === 0)];
    let found = 0;
    for (const sort of sorts) {
      for (const filter of filters) {
        const order = naive(db, sort, filter, 0, 10_000);
        for (const id of sample) {
          const at = order.indexOf(id);
          expect(rowPosition(db, 'incidents', { sort, filter, id })).toBe(at === -1 ? null : at);
          if (at !== -1) found++;
        }
      }
    }
    // The sample is in some views and not in others: both answers were checked.
    expect(found).toBeGreaterThan(sorts.length * 3);
    expect(found).toBeLessThan(sorts.length * filters.length * sample.length);
    expect(
      rowPosition(db, 'incidents', { sort: [], filter: E, id: '00000000-0000-7000-8000-000000000000' }),
    ).toBeNull();
  });
});
