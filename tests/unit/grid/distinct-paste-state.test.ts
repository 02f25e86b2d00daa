import { describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { distinct } from '../../../src/core/grid/distinct';
import type { FilterModel } from '../../../src/shared/contract';
import { session } from '../../helpers';
import { bigSession } from './fixtures';

const E: FilterModel = { columns: {}, search: '' };

describe('set filter values (rows.distinct)', () => {
  it("counts each value under the other filters, not the column's own", () => {
    const { s } = bigSession(300);
    const db = s.caseFile.db;
    const byHand = (where: string) =>
      db
        .prepare(
          `SELECT event_type AS value, count(*) AS count FROM incidents ${where} GROUP BY event_type ORDER BY count DESC, value`,
        )
        .all();
    expect(distinct(db, 'incidents', 'event_type', E).values).toEqual(byHand(''));
    const f: FilterModel = {
      columns: { event_type: { type: 'set', values: ['Riots'] }, admin1: { type: 'set', values: ['Kabul'] } },
      search: '',
    };
    expect(distinct(db, 'incidents', 'event_type', f).values).toEqual(byHand("WHERE admin1 = 'Kabul'"));
    const nulls = distinct(db, 'incidents', 'admin1', E).values.find((v) => v.value === null);
    expect(nulls?.count).toBe(
      (db.prepare('SELECT count(*) n FROM incidents WHERE admin1 IS NULL').get() as { n: number }).n,
    );
    expect(
      distinct(db, 'incidents', 'admin1', E, { search: 'an' })
        .values.map((v) => v.value)
        .sort(),
    ).toEqual(['Nangarhar']);
    expect(distinct(db, 'incidents', 'admin1', E, { limit: 2 })).toMatchObject({ truncated: true });
  });

  it('lists every value of an enum, also those no row has; refuses number columns', () => {
    const { s } = session();
    const r = distinct(s.caseFile.db, 'incidents', 'confidence', E);
    expect(r.values.map((v) => v.value).sort((a, b) => String(a).localeCompare(String(b)))).toEqual(
      expect.arrayContaining(['high', 'medium', 'low']),
    );
    expect(() => distinct(s.caseFile.db, 'incidents', 'fatalities', E)).toThrow(/number column/);
    expect(() => distinct(s.caseFile.db, 'incidents', 'id) FROM sqlite_master --', E)).toThrow(/has no column/);
  });

  it('follows edits (a cached list is dropped when its column changes)', () => {
    const { s } = session();
    const cf = s.caseFile;
    const before = distinct(cf.db, 'incidents', 'country', E).values.find((v) => v.value === 'Iran')!.count;
    const id = (cf.db.prepare("SELECT id FROM incidents WHERE country = 'Iran' LIMIT 1").get() as { id: string }).id;
    cf.update('incidents', id, { country: 'Iraq' });
    expect(distinct(cf.db, 'incidents', 'country', E).values.find((v) => v.value === 'Iran')!.count).toBe(before - 1);
  });
});

describe('paste a block (rows.paste)', () => {
  const setup = () => {
    const { s } = session();
    const h = makeHandlers(s, 'test');
    const ids = (
      s.caseFile.db.prepare('SELECT id FROM incidents ORDER BY rowid LIMIT 3').all() as { id: string }[]
    ).map((r) => r.id);
    // Field values only: an undo is itself a change, with its own time and clock.
    const snapshot = () =>
      JSON.stringify(
        (s.caseFile.db.prepare('SELECT * FROM incidents ORDER BY rowid').all() as Record<string, unknown>[]).map(
          ({ updated_at: _u, hlc: _h, ...r }) => r,
        ),
      );
    return { s, h, ids, snapshot };
  };

  it('saves a valid block in one step that one undo takes back', async () => {
    const { s, h, ids, snapshot } = setup();
    const before = snapshot();
    const r = await dispatch(h, 'rows.paste', {
      table: 'incidents',
      columns: ['fatalities', 'injuries', 'confidence', 'date'],
      rows: [
        { id: ids[0], cells: ['3', '', 'HIGH', '2022-07'] },
        { id: ids[1], cells: [' 4 ', '1', 'low', '28 December 2022'] },
      ],
    });
    expect(r).toEqual({ ok: true, value: { updated: 2 } });
    const a = s.caseFile.get('incidents', ids[0]!)!;
    expect(a).toMatchObject({
      fatalities: 3,
      injuries: null,
      confidence: 'high',
      date: '2022-07',
      date_precision: 'month',
    });
    expect(s.caseFile.get('incidents', ids[1]!)).toMatchObject({
      fatalities: 4,
      injuries: 1,
      date: '2022-12-28',
      date_precision: 'day',
    });
    expect(s.caseFile.history().undoLabel).toBe('Paste 2 × 4 cells');
    s.caseFile.undo();
    expect(snapshot()).toBe(before);
  });

  it('changes nothing when one cell is bad, and names it', async () => {
    const { s, h, ids, snapshot } = setup();
    const before = snapshot();
    const undo = s.caseFile.history();
    const paste = (cells: string[][], columns = ['fatalities', 'confidence']) =>
      dispatch(h, 'rows.paste', {
        table: 'incidents',
        columns,
        firstRow: 5,
        rows: cells.map((c, i) => ({ id: ids[i], cells: c })),
      });
    expect(
      await paste([
        ['1', 'high'],
        ['two', 'low'],
      ]),
    ).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'row 6, column Fatalities: "two" is not a whole number',
        field: 'fatalities',
      },
    });
    expect(
      await paste([
        ['1', 'high'],
        ['2', 'sure'],
      ]),
    ).toMatchObject({
      ok: false,
      error: { message: 'row 6, column Confidence: "sure" is not one of: high, medium, low' },
    });
    expect(
      await paste([
        ['1', 'high'],
        ['-2', 'low'],
      ]),
    ).toMatchObject({ ok: false, error: { message: 'row 6, column Fatalities: Fatalities must be at least 0' } });
    expect(await paste([['1', 'x']], ['fatalities', 'origin'])).toMatchObject({
      ok: false,
      error: { message: 'row 5, column Origin: Origin is set by the importer and cannot be edited' },
    });
    expect(await paste([['1']], ['nope'])).toMatchObject({
      ok: false,
      error: { message: 'incidents has no column "nope"' },
    });
    expect(await paste([['1', 'high', 'extra']])).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/not rectangular/) },
    });
    // Across fields: a week-precision row given a month date is checked on the whole row.
    expect(await paste([['2022-07', 'week']], ['date', 'date_precision'])).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^row 5, column Date: Date: "2022-07" is not a date/) },
    });
    expect(snapshot()).toBe(before);
    expect(s.caseFile.history()).toEqual(undo);
  });
});

describe('grid layout per case file (grid.state.*)', () => {
  it('keeps columns, sort and filters, and ignores a damaged saved state', async () => {
    const { s } = session();
    const h = makeHandlers(s, 'test');
    expect(await dispatch(h, 'grid.state.get', { grid: 'incidents' })).toEqual({ ok: true, value: null });
    const state = {
      columns: [
        { colId: 'date', width: 140 },
        { colId: 'fatalities', hide: true },
        { colId: 'country', pinned: 'left' },
      ],
      sort: [{ colId: 'date', sort: 'desc' }],
      filter: { columns: { country: { type: 'set', values: ['Iran'] } }, search: 'shrine' },
    };
    expect(await dispatch(h, 'grid.state.set', { grid: 'incidents', state })).toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(await dispatch(h, 'grid.state.get', { grid: 'incidents' })).toEqual({ ok: true, value: state });
    expect(s.caseFile.history().canUndo).toBe(false);
    s.caseFile.db.prepare("UPDATE grid_state SET state = '{not json' WHERE grid = 'incidents'").run();
    expect(await dispatch(h, 'grid.state.get', { grid: 'incidents' })).toEqual({ ok: true, value: null });
    expect(await dispatch(h, 'grid.state.get', { grid: "x'; DROP TABLE grid_state; --" })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    expect(
      await dispatch(h, 'grid.state.set', {
        grid: 'incidents',
        state: { ...state, columns: [{ colId: 'date', width: 1e9 }] },
      }),
    ).toMatchObject({ ok: false });
  });
});
