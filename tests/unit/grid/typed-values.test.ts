import { describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { fieldOf, type Field } from '../../../src/shared/domain/fields';
import { typedValue } from '../../../src/shared/domain/typed';
import { session } from '../../helpers';

const field = (table: 'incidents' | 'sources' | 'figures', name: string) => fieldOf(table, name) as Field;

describe('a typed value is stored exactly as typed or refused with the reason', () => {
  it('refuses what a number field would otherwise round, reinterpret or drop', () => {
    const fatalities = field('incidents', 'fatalities');
    expect(typedValue(fatalities, '12')).toEqual({ ok: true, value: 12 });
    expect(typedValue(fatalities, '')).toEqual({ ok: true, value: null });
    expect(typedValue(fatalities, '12.5')).toEqual({ ok: false, message: '"12.5" is not a whole number' });
    expect(typedValue(fatalities, '1e3')).toEqual({ ok: false, message: '"1e3" is not a whole number' });
    expect(typedValue(fatalities, 'ninety')).toEqual({ ok: false, message: '"ninety" is not a whole number' });
    expect(typedValue(fatalities, '-3')).toEqual({ ok: false, message: 'Fatalities must be at least 0' });
    const lat = field('incidents', 'latitude');
    expect(typedValue(lat, '34.5553')).toEqual({ ok: true, value: 34.5553 });
    expect(typedValue(lat, '3.4e1')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^"3.4e1" is not a number/),
    });
    expect(typedValue(lat, '34,5')).toMatchObject({ ok: false });
    expect(typedValue(lat, '91')).toEqual({ ok: false, message: 'Lat must be at most 90' });
    expect(typedValue(field('figures', 'value'), '1e3')).toMatchObject({ ok: false });
  });

  it('refuses a date, a precision or a grade that is not one', () => {
    const date = field('incidents', 'date');
    expect(typedValue(date, '2023-03')).toEqual({ ok: true, value: '2023-03' });
    expect(typedValue(date, '2023-13')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^"2023-13" is not a date/),
    });
    expect(typedValue(date, '2023-02-30')).toMatchObject({ ok: false });
    expect(typedValue(date, 'March 2023')).toMatchObject({ ok: false });
    expect(typedValue(field('incidents', 'date_precision'), 'monthly')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/is not one of: day, week/),
    });
    expect(typedValue(field('incidents', 'date_precision'), '')).toEqual({
      ok: false,
      message: 'Precision is required',
    });
    expect(typedValue(field('sources', 'reliability'), 'G')).toMatchObject({ ok: false });
    expect(typedValue(field('sources', 'reliability'), 'b')).toEqual({ ok: true, value: 'B' });
  });

  it('the core refuses a rows.update of 12.5 for a whole-number field, and a pasted 1e3 or 12.5, changing nothing', async () => {
    const { s } = session();
    const h = makeHandlers(s, 'test');
    const cf = s.caseFile;
    const id = (cf.db.prepare('SELECT id FROM incidents ORDER BY rowid LIMIT 1').get() as { id: string }).id;
    const before = JSON.stringify(cf.get('incidents', id));
    expect(await dispatch(h, 'rows.update', { table: 'incidents', id, values: { fatalities: 12.5 } })).toMatchObject({
      ok: false,
      error: { code: 'validation', field: 'fatalities' },
    });
    expect(await dispatch(h, 'rows.update', { table: 'incidents', id, values: { fatalities: '12' } })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    const paste = (columns: string[], cells: string[]) =>
      dispatch(h, 'rows.paste', { table: 'incidents', columns, rows: [{ id, cells }] });
    expect(await paste(['fatalities'], ['1e3'])).toMatchObject({
      ok: false,
      error: { message: 'row 1, column Fatalities: "1e3" is not a whole number' },
    });
    expect(await paste(['fatalities'], ['12.5'])).toMatchObject({
      ok: false,
      error: { message: 'row 1, column Fatalities: "12.5" is not a whole number' },
    });
    expect(await paste(['latitude'], ['3.4e1'])).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^row 1, column Lat: "3.4e1" is not a number/) },
    });
    expect(JSON.stringify(cf.get('incidents', id))).toBe(before);
  });
});
