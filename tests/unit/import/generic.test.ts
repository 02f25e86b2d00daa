import { describe, expect, it } from 'vitest';
import { validateRow } from '../../../src/shared/domain/fields';
import { checkIncident } from '../../../src/core/import/check';
import { detectTableFormat } from '../../../src/core/import/detect';
import {
  createGenericMapper,
  headerSignature,
  mapGenericRow,
  suggestMapping,
  type ColumnMapping,
} from '../../../src/core/import/generic';
import type { IncidentRecord } from '../../../src/core/import/types';
import { numericDateOrder, parseDate } from '../../../src/core/import/values';

const header = [
  'Incident ID',
  'When',
  'Perpetrator',
  'Killed',
  'Wounded',
  'Province',
  'Lat',
  'Lon',
  'Weapon',
  'Claim',
  'Link',
  'Summary',
  'Notes',
];
const mapping: ColumnMapping = {
  'Incident ID': 'external_id',
  When: 'date',
  Perpetrator: 'actor1',
  Killed: 'fatalities',
  Wounded: 'injuries',
  Province: 'admin1',
  Lat: 'latitude',
  Lon: 'longitude',
  Weapon: 'tags',
  Claim: 'attribution',
  Link: 'sources',
  Summary: 'description',
  Notes: 'description',
};
const base = [
  'K-1',
  '2021-08-26',
  'ISKP',
  '13',
  '',
  'Kabul',
  '34.53',
  '69.18',
  'Suicide vest',
  'claimed',
  'https://a.example; https://b.example',
  'Airport gate bombing.',
  'Figures vary.',
];
const row = (over: Partial<Record<string, string>>) => header.map((h, i) => over[h] ?? base[i] ?? '');

describe('generic mapping', () => {
  it('maps a row by the confirmed mapping', () => {
    const r = mapGenericRow(header, row({}), 2, mapping, { origin: 'my-list.csv' });
    expect(r).toEqual({
      ok: true,
      line: 2,
      timestamp: null,
      externalId: 'K-1',
      sources: ['https://a.example', 'https://b.example'],
      incident: expect.objectContaining({
        date: '2021-08-26',
        date_precision: 'day',
        actor1: 'ISKP',
        fatalities: 13,
        injuries: null,
        admin1: 'Kabul',
        latitude: 34.53,
        longitude: 69.18,
        tags: 'Weapon=Suicide vest',
        attribution: 'claimed',
        description: 'Airport gate bombing.\n\nFigures vary.',
        external_id: 'K-1',
        origin: 'my-list.csv',
      }),
    });
  });

  it('sets the precision from the date written', () => {
    const date = (s: string, dateOrder?: 'dmy' | 'mdy') => {
      const r = mapGenericRow(header, row({ When: s }), 3, mapping, dateOrder ? { dateOrder } : undefined);
      return r.ok ? [r.incident.date, r.incident.date_precision] : r.reason;
    };
    expect(date('2021-08')).toEqual(['2021-08', 'month']);
    expect(date('2021')).toEqual(['2021', 'year']);
    expect(date('August 2021')).toEqual(['2021-08', 'month']);
    expect(date('26 August 2021')).toEqual(['2021-08-26', 'day']);
    expect(date('26-Aug-21')).toEqual(['2021-08-26', 'day']);
    expect(date('August 26, 2021')).toEqual(['2021-08-26', 'day']);
    expect(date('2021-08-26T10:15:00Z')).toEqual(['2021-08-26', 'day']);
    // The importer holds such a row until the file settles the order, and names the choice if it never does.
    expect(date('09/05/2020')).toBe('"When": ambiguous date "09/05/2020": it could be day/month or month/day');
    expect(date('09/05/2020', 'dmy')).toEqual(['2020-05-09', 'day']);
    expect(date('09/05/2020', 'mdy')).toEqual(['2020-09-05', 'day']);
    expect(date('')).toEqual([null, 'unknown']);
    expect(date('late summer')).toMatch(/not a date/);
  });

  it('lets a precision column truncate the date, never invent precision', () => {
    const h = ['date', 'precision'];
    const m = { date: 'date', precision: 'date_precision' } as const;
    const map = (d: string, p: string) => mapGenericRow(h, [d, p], 4, m);
    expect(map('2021-08-26', 'month')).toMatchObject({
      ok: true,
      incident: { date: '2021-08', date_precision: 'month' },
    });
    expect(map('2021-08-26', 'Year')).toMatchObject({ ok: true, incident: { date: '2021', date_precision: 'year' } });
    expect(map('2021-08-26', '2')).toMatchObject({
      ok: true,
      incident: { date: '2021-08-26', date_precision: 'week' },
    });
    expect(map('2021-08', 'day')).toMatchObject({ ok: false, field: 'date' });
    expect(map('2021-08-26', 'sometimes')).toMatchObject({ ok: false, field: 'date_precision' });
  });

  it('refuses bad numbers and enum values with the column named', () => {
    expect(mapGenericRow(header, row({ Killed: 'abc' }), 5, mapping)).toEqual({
      ok: false,
      line: 5,
      field: 'fatalities',
      reason: '"Killed": "abc" is not a number',
    });
    expect(mapGenericRow(header, row({ Killed: '2.5' }), 5, mapping)).toMatchObject({
      ok: false,
      field: 'fatalities',
      reason: '"Killed": "2.5" is not a whole number',
    });
    expect(mapGenericRow(header, row({ Lat: '95' }), 5, mapping)).toMatchObject({ ok: false, field: 'latitude' });
    expect(mapGenericRow(header, row({ Claim: 'maybe' }), 5, mapping)).toMatchObject({
      ok: false,
      field: 'attribution',
    });
    expect(mapGenericRow(header, row({ Claim: 'Claimed' }), 5, mapping)).toMatchObject({
      ok: true,
      incident: { attribution: 'claimed' },
    });
    expect(mapGenericRow(header, row({ Claim: 'NA' }), 5, mapping)).toMatchObject({
      ok: true,
      incident: { attribution: 'unknown' },
    });
  });

  it('refuses a mapping to a field that does not exist', () => {
    expect(() => createGenericMapper(header, { When: 'when' as never })).toThrow(/unknown field "when"/);
  });

  it('matches mapping names to the header case-insensitively and ignores columns the file lacks', () => {
    const r = mapGenericRow(['DATE', 'Country'], ['2020', 'Iraq'], 2, {
      date: 'date',
      country: 'country',
      missing: 'actor1',
    });
    expect(r).toMatchObject({ ok: true, incident: { date: '2020', country: 'Iraq', actor1: null, origin: 'CSV' } });
  });
});

describe('headerSignature and suggestMapping', () => {
  it('is stable across order, case and spaces, and differs for other columns', () => {
    const a = headerSignature(['Date', 'Actor', 'Killed']);
    expect(a).toMatch(/^h1:[0-9a-f]{32}$/);
    expect(headerSignature([' killed', 'date ', 'ACTOR'])).toBe(a);
    expect(headerSignature(['Date', 'Actor', 'Wounded'])).not.toBe(a);
  });

  it('guesses the obvious fields by name, each scalar field once', () => {
    expect(
      suggestMapping([
        'Event Date',
        'Perpetrator',
        'Group',
        'Killed',
        'Wounded',
        'City',
        'Lat',
        'Lng',
        'Source',
        'URL',
        'Summary',
        'Colour',
      ]),
    ).toEqual({
      'Event Date': 'date',
      Perpetrator: 'actor1',
      Group: null,
      Killed: 'fatalities',
      Wounded: 'injuries',
      City: 'location',
      Lat: 'latitude',
      Lng: 'longitude',
      Source: 'sources',
      URL: 'sources',
      Summary: 'description',
      Colour: null,
    });
  });

  it("maps a column named exactly as a field before a synonym of it (Casefile's own export has id and external_id)", () => {
    expect(suggestMapping(['id', 'date', 'external_id', 'origin'])).toMatchObject({
      id: null,
      date: 'date',
      external_id: 'external_id',
    });
    expect(suggestMapping(['ID', 'Date'])).toMatchObject({ ID: 'external_id' });
  });
});

describe('detectTableFormat', () => {
  it('tells ACLED layouts, GTD and other tables apart', () => {
    const acled = [
      'event_id_cnty',
      'event_date',
      'year',
      'time_precision',
      'disorder_type',
      'event_type',
      'sub_event_type',
      'actor1',
      'country',
      'fatalities',
    ];
    expect(detectTableFormat(acled)).toEqual({ format: 'acled', layout: 'current' });
    expect(
      detectTableFormat(['GWNO', 'EVENT_ID_CNTY', 'EVENT_DATE', 'EVENT_TYPE', 'ACTOR1', 'COUNTRY', 'FATALITIES']),
    ).toEqual({ format: 'acled', layout: '2015' });
    expect(detectTableFormat(['eventid', 'iyear', 'imonth', 'iday', 'country_txt'])).toEqual({ format: 'gtd' });
    expect(detectTableFormat(['Date', 'Actor'])).toEqual({ format: 'csv' });
  });
});

describe('values and checks', () => {
  it('parseDate only accepts partial dates when asked', () => {
    expect(parseDate('2020-05')).toMatchObject({ ok: false });
    expect(parseDate('2020-05', { partial: true })).toEqual({ ok: true, date: '2020-05', precision: 'month' });
    expect(parseDate('2020-13', { partial: true })).toMatchObject({ ok: false });
  });

  it('checkIncident agrees with validateRow', () => {
    const good: IncidentRecord = {
      date: '2021-08',
      date_precision: 'month',
      event_type: null,
      sub_event_type: null,
      actor1: 'ISKP',
      assoc_actors: null,
      target: null,
      attribution: 'claimed',
      attributed_by: null,
      confidence: null,
      country: null,
      admin1: null,
      admin2: null,
      location: null,
      latitude: 34,
      longitude: 69,
      geo_precision: 1,
      fatalities: 0,
      injuries: null,
      description: null,
      tags: null,
      external_id: null,
      origin: 'CSV',
    };
    const cases: IncidentRecord[] = [
      good,
      { ...good, date: '2021-08-26' },
      { ...good, date_precision: 'unknown' },
      { ...good, latitude: 91 },
      { ...good, geo_precision: 4 },
      { ...good, fatalities: -1 },
      { ...good, fatalities: 1.5 },
      { ...good, attribution: 'maybe' as never },
      { ...good, actor1: 'x'.repeat(10_001) },
      { ...good, date: null, date_precision: 'unknown' },
    ];
    for (const c of cases) expect(checkIncident(c)).toEqual(validateRow('incidents', c));
    expect(checkIncident(good)).toBeNull();
  });
});

describe('the order of day and month a numeric date shows', () => {
  it('says day first, month first, either, or nothing', () => {
    expect(
      [
        '25/05/2020',
        '05/25/2020',
        '09/05/2020',
        '9.5.20',
        '05/05/2020',
        '13/13/2020',
        '00/05/2020',
        '2020-05-09',
        '9 May 2020',
      ].map(numericDateOrder),
    ).toEqual(['dmy', 'mdy', 'either', 'either', null, null, null, null, null]);
  });
});
