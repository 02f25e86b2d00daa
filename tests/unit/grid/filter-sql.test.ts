import { describe, expect, it } from 'vitest';
import { countRows } from '../../../src/core/grid/seek';
import { ftsQuery, whereSql } from '../../../src/core/grid/filter-sql';
import type { FilterModel } from '../../../src/shared/contract';
import { session } from '../../helpers';

const f = (columns: FilterModel['columns'], search = ''): FilterModel => ({ columns, search });

describe('filter model -> SQL', () => {
  it('puts every value in a parameter, never in the SQL text', () => {
    const hostile = "x' OR 1=1; DROP TABLE incidents; --";
    const w = whereSql(
      'incidents',
      f(
        {
          country: { type: 'text', op: 'contains', value: hostile },
          admin1: { type: 'set', values: [hostile, 'Kabul', null] },
          event_type: { type: 'set', values: [hostile] },
          fatalities: { type: 'number', min: 1, max: 9 },
          date: { type: 'date', from: '2022-07', to: '2023' },
        },
        hostile,
      ),
    );
    expect(w.sql).not.toContain('DROP');
    expect(w.sql).not.toContain('1=1');
    expect(w.params).toContain(hostile);
    expect(w.params.some((p) => typeof p === 'string' && p.includes('Kabul'))).toBe(true);
    const { s } = session();
    expect(() =>
      countRows(s.caseFile.db, 'incidents', f({ country: { type: 'text', op: 'contains', value: hostile } })),
    ).not.toThrow();
    expect(s.caseFile.info().counts.incidents).toBe(10);
  });

  it('refuses a column name that is not a field of the table', () => {
    for (const name of [
      'id; DROP TABLE incidents',
      'rowid',
      '__proto__',
      'constructor',
      'description) OR (1',
      'title',
      'hlc',
    ]) {
      expect(() => whereSql('incidents', f({ [name]: { type: 'text', op: 'contains', value: 'x' } }))).toThrow(
        /has no column/,
      );
    }
    expect(() => whereSql('sources', f({ fatalities: { type: 'number', min: 1, max: null } }))).toThrow(
      /has no column "fatalities"/,
    );
  });

  it('refuses a filter of the wrong kind for the column', () => {
    expect(() => whereSql('incidents', f({ country: { type: 'number', min: 1, max: null } }))).toThrow(
      /not a number column/,
    );
    expect(() => whereSql('incidents', f({ fatalities: { type: 'date', from: '2020', to: null } }))).toThrow(
      /not a date column/,
    );
    expect(() => whereSql('incidents', f({ date: { type: 'date', from: '20-07', to: null } }))).toThrow(
      /Date: "20-07" is not a date/,
    );
    expect(() => whereSql('incidents', f({ date: { type: 'date', from: '2022-02-30', to: null } }))).toThrow(
      /not a calendar date/,
    );
  });

  it('counts a date at month or year precision in a range only when its whole period lies inside', () => {
    const { s } = session({ demo: false });
    const cf = s.caseFile;
    for (const date of [
      '2022',
      '2022-06',
      '2022-07',
      '2022-07-01',
      '2022-07-31',
      '2022-08-15',
      '2022-09-30',
      '2022-10',
      '2022-12',
      null,
    ])
      cf.create('incidents', { date, description: String(date) });
    const dates = (from: string | null, to: string | null) =>
      (
        cf.db
          .prepare(
            `SELECT date FROM incidents WHERE ${whereSql('incidents', f({ date: { type: 'date', from, to } })).sql} ORDER BY date`,
          )
          .all(...whereSql('incidents', f({ date: { type: 'date', from, to } })).params) as { date: string }[]
      ).map((r) => r.date);
    expect(dates('2022-07', '2022-09')).toEqual(['2022-07', '2022-07-01', '2022-07-31', '2022-08-15', '2022-09-30']);
    expect(dates('2022-07-01', '2022-09-30')).toEqual([
      '2022-07',
      '2022-07-01',
      '2022-07-31',
      '2022-08-15',
      '2022-09-30',
    ]);
    expect(dates('2022-07-02', '2022-09-29')).toEqual(['2022-07-31', '2022-08-15']);
    expect(dates('2022', '2022')).toEqual([
      '2022',
      '2022-06',
      '2022-07',
      '2022-07-01',
      '2022-07-31',
      '2022-08-15',
      '2022-09-30',
      '2022-10',
      '2022-12',
    ]);
    expect(dates('2022-01-01', '2022-12-31')).toEqual(dates('2022', '2022'));
    expect(dates(null, '2022-07')).toEqual(['2022-06', '2022-07', '2022-07-01', '2022-07-31']);
    expect(dates('2022-10', null)).toEqual(['2022-10', '2022-12']);
  });

  it('set filters match exact values and (blank) as NULL; an empty set matches nothing', () => {
    const { s } = session();
    const db = s.caseFile.db;
    const n = (columns: FilterModel['columns']) => countRows(db, 'incidents', f(columns));
    const all = n({});
    const iran = n({ country: { type: 'set', values: ['Iran'] } });
    expect(iran).toBeGreaterThan(0);
    expect(n({ country: { type: 'set', values: ['iran'] } })).toBe(0);
    const noAdmin = (db.prepare('SELECT count(*) n FROM incidents WHERE admin1 IS NULL').get() as { n: number }).n;
    expect(n({ admin1: { type: 'set', values: [null] } })).toBe(noAdmin);
    expect(n({ admin1: { type: 'set', values: [] } })).toBe(0);
    const geo1 = (db.prepare('SELECT count(*) n FROM incidents WHERE geo_precision IN (1, 2)').get() as { n: number })
      .n;
    expect(n({ geo_precision: { type: 'set', values: ['1', '2'] } })).toBe(geo1);
    expect(
      n({
        country: {
          type: 'set',
          values: [
            'Iran',
            'Maldives',
            'Afghanistan',
            'Pakistan',
            'Tajikistan',
            'Russia',
            'Turkey',
            'Uzbekistan',
            'Germany',
            'Austria',
            'Sweden',
            'United States',
          ],
        },
      }),
    ).toBeLessThanOrEqual(all);
  });

  it('searches with FTS5 in Latin, Cyrillic and Arabic script, diacritics and spelling variants folded', () => {
    const { s } = session({ demo: false });
    const cf = s.caseFile;
    const rows = [
      'Attack in Mazār-e Sharīf',
      'Нападение на мечеть в Кабуле',
      'Ёлка у штаба',
      'أعلن تنظيم الدولة الإسلامية مسؤوليته',
      'هجوم على مستشفى في كابل',
    ];
    for (const description of rows) cf.create('incidents', { description });
    const hits = (q: string) =>
      (
        cf.db
          .prepare(`SELECT description FROM incidents WHERE ${whereSql('incidents', f({}, q)).sql}`)
          .all(...whereSql('incidents', f({}, q)).params) as { description: string }[]
      ).map((r) => r.description);
    expect(hits('mazar sharif')).toEqual([rows[0]]);
    expect(hits('МЕЧЕТЬ')).toEqual([rows[1]]);
    expect(hits('кабул')).toEqual([rows[1]]);
    expect(hits('ёлка')).toEqual([rows[2]]);
    expect(hits('الاسلامية')).toEqual([rows[3]]);
    expect(hits('الإسلامية')).toEqual([rows[3]]);
    expect(hits('الدَّولة')).toEqual([rows[3]]);
    expect(hits('مستشفى كابل')).toEqual([rows[4]]);
    expect(hits('"(*) OR -')).toEqual([]);
    expect(hits('kabul NEAR')).toEqual([]);
  });

  it('finds vowelled Arabic without its marks, and Persian keheh/yeh as Arabic kaf/yeh, both ways', () => {
    const { s } = session({ demo: false });
    const cf = s.caseFile;
    // A magazine quoting scripture with full harakat and a shadda; a Dari report typed with a Persian keyboard.
    const vowelled = cf.create('incidents', { description: 'قَالَ الكِتَابُ المُقَدَّسُ', location: 'كابُل' });
    const persian = cf.create('incidents', { description: 'حمله در کابل', actor1: 'ولایت خراسان' });
    const hits = (q: string) => {
      const w = whereSql('incidents', f({}, q));
      return (
        cf.db.prepare(`SELECT id FROM incidents WHERE ${w.sql} ORDER BY rowid`).all(...w.params) as { id: string }[]
      ).map((r) => r.id);
    };
    expect(hits('الكتاب')).toEqual([vowelled.id]);
    expect(hits('المقدس')).toEqual([vowelled.id]);
    expect(hits('الكِتَابُ')).toEqual([vowelled.id]);
    // کابل (keheh) and كابل (kaf) are one word to a reader: each spelling finds both rows.
    expect(hits('کابل')).toEqual([vowelled.id, persian.id]);
    expect(hits('كابل')).toEqual([vowelled.id, persian.id]);
    expect(hits('ولايت')).toEqual([persian.id]);
    // An edit keeps the folded index current.
    cf.update('incidents', vowelled.id as string, { description: 'بَيَانٌ' });
    expect(hits('الكتاب')).toEqual([]);
    expect(hits('بيان')).toEqual([vowelled.id]);
  });

  it('finds an incident by the title of a source it cites', () => {
    const { s } = session({ demo: false });
    const cf = s.caseFile;
    const src = cf.create('sources', { key: 'pajhwok2024', title: 'Pajhwok Afghan News', type: 'news' });
    const other = cf.create('sources', { key: 'amaq', title: 'Amaq News Agency', type: 'propaganda' });
    const a = cf.create('incidents', { description: 'Blast at a checkpoint' });
    const b = cf.create('incidents', { description: 'Rocket fire reported by Pajhwok' });
    cf.create('incidents', { description: 'Unrelated' });
    cf.create('citations', { source_id: src.id, target_table: 'incidents', target_id: a.id });
    cf.create('citations', { source_id: other.id, target_table: 'incidents', target_id: b.id });
    const hits = (q: string) => {
      const w = whereSql('incidents', f({}, q));
      return (
        cf.db.prepare(`SELECT id FROM incidents WHERE ${w.sql} ORDER BY rowid`).all(...w.params) as { id: string }[]
      ).map((r) => r.id);
    };
    expect(hits('pajhwok')).toEqual([a.id, b.id]);
    expect(hits('amaq')).toEqual([b.id]);
    expect(hits('afghan news')).toEqual([a.id]);
    expect(countRows(cf.db, 'incidents', f({}, 'amaq agency'))).toBe(1);
  });

  it('turns search text into a query with no FTS5 syntax in it', () => {
    expect(ftsQuery('  ')).toBeNull();
    expect(ftsQuery('-- * ()')).toBeNull();
    expect(ftsQuery('a "b" c*')).toBe('"a"* AND "b"* AND "c*"*');
    expect(ftsQuery('OR NOT')).toBe('"OR"* AND "NOT"*');
    expect(ftsQuery('الاسلامية')).toContain('"الإسلامية"*');
    expect(ftsQuery('ёж')).toBe('("ёж"* OR "еж"*)');
  });
});
