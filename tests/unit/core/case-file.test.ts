import { describe, expect, it } from 'vitest';
import { HybridClock, decodeHlc } from '../../../src/core/hlc';
import { uuidv7 } from '../../../src/core/ids';
import { session } from '../../helpers';

describe('editing a case file', () => {
  it('stamps rows with a UUIDv7, times, author and clock, and logs each changed field', () => {
    const { s } = session({ demo: false });
    const cf = s.caseFile;
    const row = cf.create('incidents', { date: '2022-10-26', country: 'Iran', fatalities: 2 });
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row).toMatchObject({ author: 'Test Analyst', date_precision: 'day', attribution: 'unknown' });
    cf.update('incidents', row.id as string, { fatalities: 13, admin1: 'Fars' });
    const log = cf.db
      .prepare('SELECT op, field, before, after, author FROM change_log WHERE row_id = ? ORDER BY seq')
      .all(row.id);
    expect(log).toEqual([
      expect.objectContaining({ op: 'insert', field: null, before: null }),
      { op: 'update', field: 'admin1', before: null, after: '"Fars"', author: 'Test Analyst' },
      { op: 'update', field: 'fatalities', before: '2', after: '13', author: 'Test Analyst' },
    ]);
  });

  it('refuses an invalid value, names the field, and writes nothing', () => {
    const { s } = session();
    const cf = s.caseFile;
    const id = (cf.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
    const logBefore = cf.db.prepare('SELECT count(*) n FROM change_log').get();
    expect(() => cf.update('incidents', id, { fatalities: -3 })).toThrow(/Fatalities must be at least 0/);
    expect(() => cf.update('incidents', id, { latitude: 91 })).toThrow(/at most 90/);
    expect(() => cf.update('incidents', id, { date_precision: 'fortnight' })).toThrow(/Precision must be one of/);
    expect(() => cf.update('incidents', id, { date: '2022-02-30' })).toThrow(
      /"2022-02-30" is not a date \(YYYY-MM-DD\)$/,
    );
    // Neither a year, a month nor a day: every form a date may take is named (typed in the grid, or a new row's).
    expect(() => cf.update('incidents', id, { date: '2025-13' })).toThrow(
      /^Date: "2025-13" is not a date \(YYYY, YYYY-MM or YYYY-MM-DD\)$/,
    );
    expect(() => cf.create('sources', { key: 'k1', title: 'T', type: 'research', published: 'March 2025' })).toThrow(
      /^Published: "March 2025" is not a date \(YYYY, YYYY-MM or YYYY-MM-DD\)$/,
    );
    expect(() => cf.update('incidents', id, { external_id: 'X' })).toThrow(/set by the importer/);
    expect(() => cf.update('incidents', id, { nonsense: 1 })).toThrow(/no field "nonsense"/);
    expect(cf.db.prepare('SELECT count(*) n FROM change_log').get()).toEqual(logBefore);
    expect(cf.history().canUndo).toBe(false);
  });

  it('keeps a date and its precision consistent', () => {
    const { s } = session({ demo: false });
    const cf = s.caseFile;
    const row = cf.create('incidents', { date: '2023-08-13' });
    expect(cf.update('incidents', row.id as string, { date_precision: 'month' })).toMatchObject({
      date: '2023-08',
      date_precision: 'month',
    });
    expect(cf.update('incidents', row.id as string, { date: '2024' })).toMatchObject({
      date: '2024',
      date_precision: 'year',
    });
    expect(cf.update('incidents', row.id as string, { date: null })).toMatchObject({
      date: null,
      date_precision: 'unknown',
    });
  });

  it('undoes and redoes edits, adds and deletes (with the citations a delete took along)', () => {
    const { s } = session();
    const cf = s.caseFile;
    const inc = cf.db.prepare("SELECT id FROM incidents WHERE location = 'Kerman'").get() as { id: string };
    const cites = () =>
      (cf.db.prepare('SELECT count(*) n FROM citations WHERE target_id = ?').get(inc.id) as { n: number }).n;
    expect(cites()).toBe(1);
    cf.update('incidents', inc.id, { fatalities: 95 });
    cf.delete('incidents', [inc.id]);
    expect(cf.get('incidents', inc.id)).toBeNull();
    expect(cites()).toBe(0);
    cf.undo();
    expect(cf.get('incidents', inc.id)).toMatchObject({ fatalities: 95 });
    expect(cites()).toBe(1);
    cf.undo();
    expect(cf.get('incidents', inc.id)).toMatchObject({ fatalities: null });
    expect(cf.history()).toMatchObject({ canUndo: false, canRedo: true, redoLabel: 'Edit Fatalities' });
    cf.redo();
    expect(cf.get('incidents', inc.id)).toMatchObject({ fatalities: 95 });
  });

  it('refuses to delete a source that is still cited', () => {
    const { s } = session();
    const src = s.caseFile.db.prepare("SELECT id FROM sources WHERE key = 'ime2024'").get() as { id: string };
    expect(() => s.caseFile.delete('sources', [src.id])).toThrow(/is cited \d+ times/);
  });

  it('announces each change with its tables and ids', () => {
    const { s } = session({ demo: false });
    const seen: unknown[] = [];
    s.subscribe((event, payload) => seen.push([event, payload]));
    const row = s.caseFile.create('plots', { country: 'Germany', stage: 'arrested' });
    expect(seen).toContainEqual(['data.changed', { tables: ['plots'], ids: [row.id], counts: { plots: 1 } }]);
  });
});

describe('hybrid logical clock', () => {
  it('moves forward past a remote clock that runs ahead, and orders events on a clock that stands still', () => {
    let now = 1_000;
    const c = new HybridClock('aaaaaaaaaaaa', () => now);
    const a = c.tick();
    const b = c.tick();
    expect(b > a).toBe(true);
    c.observe('00000000f4240-000005-bbbbbbbbbbbb'); // a colleague's clock, 999 s ahead
    now = 2_000; // our wall clock is still behind theirs
    const d = c.tick();
    expect(decodeHlc(d)).toEqual({ wall: 1_000_000, counter: 6, node: 'aaaaaaaaaaaa' });
    expect(d > '00000000f4240-000005-bbbbbbbbbbbb').toBe(true);
  });

  it('makes v7 ids that sort by time', () => {
    expect(uuidv7(1000) < uuidv7(2000)).toBe(true);
  });
});
