import { describe, expect, it } from 'vitest';
import { typedValue } from '../../../src/shared/domain/typed';
import { fieldOf } from '../../../src/shared/domain/fields';
import { session } from '../../helpers';

describe('a date typed in another calendar', () => {
  it('is stored as the Gregorian day, the text as typed kept in a date_original tag; undo puts both back', () => {
    const { s } = session({ demo: false });
    const cf = s.caseFile;
    const row = cf.create('incidents', { date: '۱۲ اسد ۱۴۰۲', actor1: 'ولایت خراسان', tags: 'abroad' });
    expect(row).toMatchObject({ date: '2023-08-03', date_precision: 'day', tags: 'abroad; date_original=۱۲ اسد ۱۴۰۲' });
    const id = row.id as string;
    expect(cf.update('incidents', id, { date: '15 صفر 1445 هـ' })).toMatchObject({
      date: '2023-08-31',
      tags: 'abroad; date_original=15 صفر 1445 هـ',
    });
    expect(cf.update('incidents', id, { date: '22 марта 2024 г.' })).toMatchObject({
      date: '2024-03-22',
      tags: 'abroad; date_original=22 марта 2024 г.',
    });
    cf.undo();
    expect(cf.get('incidents', id)).toMatchObject({ date: '2023-08-31', tags: 'abroad; date_original=15 صفر 1445 هـ' });
    // A day the calendar lacks is refused, naming the field; nothing changes.
    expect(() => cf.update('incidents', id, { date: '1402/12/30' })).toThrow(
      'Date: "1402/12/30" is not a day of the Solar Hijri calendar',
    );
    expect(cf.get('incidents', id)).toMatchObject({ date: '2023-08-31' });
    // A plain ISO date stays as it is, with no tag added.
    expect(cf.update('incidents', id, { date: '2024-01-03', tags: null })).toMatchObject({
      date: '2024-01-03',
      tags: null,
    });
  });

  it('passes the grid editor’s check (the core converts it), and a bad one is refused there already', () => {
    const f = fieldOf('incidents', 'date')!;
    expect(typedValue(f, '1402/05/12')).toEqual({ ok: true, value: '1402/05/12' });
    expect(typedValue(f, '1402/12/30')).toEqual({
      ok: false,
      message: '"1402/12/30" is not a day of the Solar Hijri calendar',
    });
    expect(typedValue(f, 'March')).toMatchObject({ ok: false });
  });
});
