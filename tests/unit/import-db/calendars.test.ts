import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/pipeline';
import { parseCalendarDate } from '../../../src/shared/dates/calendars';
import { AUTHOR, NODE, freshCase, withDb } from './helpers';

describe('dates in the calendars sources use', () => {
  it('reads Solar Hijri, Hijri and month names in ru/fa/ps/ar to the Gregorian day', () => {
    const day = (t: string) => (parseCalendarDate(t) as { date: string }).date;
    // 12 Asad (Mordad) 1402 = 3 August 2023: Iranian and Afghan month names, Pashto, Persian digits.
    for (const t of ['1402/05/12', '۱۴۰۲/۰۵/۱۲', '12 اسد 1402', '۱۲ مرداد ۱۴۰۲', '12 زمری 1402', '1402/05/12 هـ.ش'])
      expect(day(t)).toBe('2023-08-03');
    // 15 Safar 1445 (Umm al-Qura) = 31 August 2023; 1 Muharram 1446 = 7 July 2024.
    expect(day('15 صفر 1445 هـ')).toBe('2023-08-31');
    expect(day('1445/02/15')).toBe('2023-08-31');
    expect(day('1 محرم 1446')).toBe('2024-07-07');
    // Gregorian with the month in Russian, Arabic (Levantine and Egyptian), Persian.
    expect(day('22 марта 2024 г.')).toBe('2024-03-22');
    expect(day('22 آذار 2024')).toBe('2024-03-22');
    expect(day('22 مارس 2024')).toBe('2024-03-22');
    expect(day('۲۲ مارس ۲۰۲۴')).toBe('2024-03-22');
    // A day the calendar lacks is refused: 1402 is a common year (29 Esfand), 1403 a leap year.
    expect(parseCalendarDate('1402/12/30')).toEqual({ error: '"1402/12/30" is not a day of the Solar Hijri calendar' });
    expect(day('1403/12/30')).toBe('2025-03-20');
    // A Solar month spans two Gregorian months: only its year is certain.
    expect(parseCalendarDate('اسد 1402')).toEqual({ date: '2023', precision: 'year', calendar: 'persian' });
    expect(parseCalendarDate('2023-08-03')).toBeNull();
  });

  it('an imported table keeps the Gregorian date and the original text beside it (tags)', async () => {
    const { file, dir } = freshCase();
    const data = join(dir, 'moi-statements.csv');
    writeFileSync(
      data,
      [
        'date,actor,province,note',
        '1402/05/12,ISKP,Kabul,MoI statement',
        '۱۲ اسد ۱۴۰۲,ولایت خراسان,کابل,بیانیه',
        '15 صفر 1445 هـ,ISKP,Nangarhar,Amaq',
        '22 марта 2024 г.,ИГИЛ-Хорасан,Moscow Oblast,ТАСС',
        '1402/12/30,ISKP,Kabul,bad day',
        '2023-08-03,ISKP,Kabul,ISO',
      ].join('\n'),
    );
    const r = await importFile(file, data, {
      author: AUTHOR,
      node: NODE,
      inWorker: false,
      format: 'csv',
      mapping: { date: 'date', actor: 'actor1', province: 'admin1', note: 'description' },
    });
    expect(r).toMatchObject({ imported: 5, skipped: 1 });
    expect(r.errors).toEqual([{ line: 6, reason: '"date": "1402/12/30" is not a day of the Solar Hijri calendar' }]);
    withDb(file, (db) => {
      const rows = db.prepare('SELECT date, date_precision p, tags FROM incidents ORDER BY rowid').all();
      expect(rows).toEqual([
        { date: '2023-08-03', p: 'day', tags: 'date_original=1402/05/12' },
        { date: '2023-08-03', p: 'day', tags: 'date_original=۱۲ اسد ۱۴۰۲' },
        { date: '2023-08-31', p: 'day', tags: 'date_original=15 صفر 1445 هـ' },
        { date: '2024-03-22', p: 'day', tags: 'date_original=22 марта 2024 г.' },
        { date: '2023-08-03', p: 'day', tags: null },
      ]);
    });
  });
});
