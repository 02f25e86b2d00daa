import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ADMIN1_COUNTRIES,
  MAP_ATTRIBUTION,
  admin1CountryOf,
  admin1MapFile,
  admin1Regions,
  countryAliases,
  normalizeAdmin1,
  normalizeCountry,
  type Admin1Country,
} from '../../../src/shared/geo/admin1';

const mapsDir = new URL('../../../resources/maps/', import.meta.url);
function featureNames(file: string): Set<string> {
  const data = JSON.parse(readFileSync(new URL(file, mapsDir), 'utf8')) as {
    features: { properties: { name: string } }[];
  };
  return new Set(data.features.map((f) => f.properties.name));
}
const afgNames = featureNames('admin1-AFG.json');
const worldNames = featureNames('world-110m.json');
const countries = Object.keys(ADMIN1_COUNTRIES) as Admin1Country[];

describe('normalizeAdmin1', () => {
  it("resolves every alias in the table to a province that exists in that country's map", () => {
    for (const country of countries) {
      const names = featureNames(admin1MapFile(country));
      for (const region of admin1Regions[country]) {
        for (const spelling of [region.name, ...region.aliases]) {
          const m = normalizeAdmin1(country, spelling);
          expect(m, `${country} ${spelling}`).toEqual({ key: region.iso, display: region.name, matched: true });
          expect(names.has(m.display ?? '')).toBe(true);
        }
      }
    }
  });

  it("places the seed case's 14 provinces, as ACLED spells them, on the Afghanistan map", () => {
    const seed = [
      'Kabul',
      'Takhar',
      'Panjshir',
      'Badakhshan',
      'Baghlan',
      'Kandahar',
      'Nangarhar',
      'Parwan',
      'Balkh',
      'Kapisa',
      'Herat',
      'Kunar',
      'Ghazni',
      'Helmand',
    ];
    for (const name of seed) {
      const m = normalizeAdmin1('Afghanistan', name);
      expect(m.matched, name).toBe(true);
      expect(afgNames.has(m.display ?? ''), name).toBe(true);
    }
  });

  it('maps the usual ACLED and GTD spellings onto Natural Earth names', () => {
    const cases: [string, string, string][] = [
      ['Herat', 'Hirat', 'AF-HER'],
      ['Helmand', 'Hilmand', 'AF-HEL'],
      ['Paktia', 'Paktya', 'AF-PIA'],
      ['Paktika', 'Paktika', 'AF-PKA'],
      ['Jowzjan', 'Jawzjan', 'AF-JOW'],
      ['Sar-e-Pul', 'Sari Pul', 'AF-SAR'],
      ['Sar-e Pol', 'Sari Pul', 'AF-SAR'],
      ['Maidan Wardak', 'Wardak', 'AF-WAR'],
      ['Urozgan', 'Uruzgan', 'AF-URU'],
      ['Panjsher', 'Panjshir', 'AF-PAN'],
      ['Daikundi', 'Daykundi', 'AF-DAY'],
      ['Nimruz', 'Nimroz', 'AF-NIM'],
      ['Khowst', 'Khost', 'AF-KHO'],
      ['Qandahar', 'Kandahar', 'AF-KAN'],
      ['Bamian', 'Bamyan', 'AF-BAM'],
    ];
    for (const [input, display, key] of cases) {
      expect(normalizeAdmin1('Afghanistan', input), input).toEqual({ key, display, matched: true });
    }
  });

  it('ignores case, diacritics, spacing and province wrappers', () => {
    for (const input of ['HERAT', 'Herāt', '  hirat ', 'Herat Province', 'Wilayat-e Herat', 'Velayat-e Hirat']) {
      expect(normalizeAdmin1('AFG', input).display, input).toBe('Hirat');
    }
    expect(normalizeAdmin1('af', 'sar e pul').display).toBe('Sari Pul');
  });

  it("accepts ISO 3166-2 codes, but not another country's", () => {
    expect(normalizeAdmin1('Afghanistan', 'AF-KAB')).toEqual({ key: 'AF-KAB', display: 'Kabul', matched: true });
    expect(normalizeAdmin1(null, 'af-pan')).toEqual({ key: 'AF-PAN', display: 'Panjshir', matched: true });
    expect(normalizeAdmin1('Pakistan', 'AF-KAB').matched).toBe(false);
  });

  it('returns an unknown name unmatched, with its text for the caller to show', () => {
    expect(normalizeAdmin1('Afghanistan', 'Atlantis Province')).toEqual({
      key: null,
      display: 'Atlantis Province',
      matched: false,
    });
    expect(normalizeAdmin1('India', 'Punjab')).toEqual({ key: null, display: 'Punjab', matched: false });
    expect(normalizeAdmin1('Afghanistan', null)).toEqual({ key: null, display: null, matched: false });
    expect(normalizeAdmin1('Afghanistan', '   ')).toEqual({ key: null, display: null, matched: false });
  });

  it('scopes names to the country given, and matches without one only when unambiguous', () => {
    expect(normalizeAdmin1('Pakistan', 'Helmand').matched).toBe(false);
    expect(normalizeAdmin1(null, 'Helmand').display).toBe('Hilmand');
    expect(normalizeAdmin1('Islamic Republic of Pakistan', 'NWFP').display).toBe('Khyber Pakhtunkhwa');
    expect(normalizeAdmin1('Iran (Islamic Republic of)', 'Sistan and Baluchistan').key).toBe('IR-13');
    expect(normalizeAdmin1('Uzbekistan', 'Tashkent').key).toBe('UZ-TO');
    expect(normalizeAdmin1('Uzbekistan', 'Tashkent City').key).toBe('UZ-TK');
  });
});

describe('normalizeCountry', () => {
  it('maps common dataset spellings onto world-atlas names present in the world map', () => {
    const cases: [string, string][] = [
      ['India', 'India'],
      ['Iran (Islamic Republic of)', 'Iran'],
      ['Islamic Republic of Iran', 'Iran'],
      ['Germany', 'Germany'],
      ['Maldives', 'Maldives'],
      ['Qatar', 'Qatar'],
      ['Türkiye', 'Turkey'],
      ['Turkiye', 'Turkey'],
      ['Turkey', 'Turkey'],
      ['Russian Federation', 'Russia'],
      ['Russia', 'Russia'],
      ['Tajikistan', 'Tajikistan'],
      ['Uzbekistan', 'Uzbekistan'],
      ['Austria', 'Austria'],
      ['Afghanistan', 'Afghanistan'],
      ['United States', 'United States of America'],
      ['Democratic Republic of Congo', 'Dem. Rep. Congo'],
      ['Bosnia and Herzegovina', 'Bosnia and Herz.'],
      ["Cote d'Ivoire", "Côte d'Ivoire"],
    ];
    for (const [input, name] of cases) {
      expect(normalizeCountry(input), input).toEqual({ key: name, display: name, matched: true });
      expect(worldNames.has(name), name).toBe(true);
    }
  });

  it('names only countries the world map has, and no spelling twice', () => {
    const seen = new Map<string, string>();
    for (const [name, aliases] of Object.entries(countryAliases)) {
      expect(worldNames.has(name), name).toBe(true);
      for (const alias of aliases) {
        expect(normalizeCountry(alias).key, alias).toBe(name);
        expect(seen.get(alias), alias).toBeUndefined();
        seen.set(alias, name);
      }
    }
  });

  it('leaves unknown and historical states unmatched rather than guessing', () => {
    expect(normalizeCountry('Soviet Union')).toEqual({ key: null, display: 'Soviet Union', matched: false });
    expect(normalizeCountry(null)).toEqual({ key: null, display: null, matched: false });
  });

  it('finds the admin-1 file for codes and spellings', () => {
    expect(admin1CountryOf('AFG')).toBe('AFG');
    expect(admin1CountryOf('af')).toBe('AFG');
    expect(admin1CountryOf('Iran, Islamic Rep.')).toBe('IRN');
    expect(admin1CountryOf('India')).toBeNull();
  });
});

it('credits Natural Earth and disclaims endorsement of boundaries', () => {
  expect(MAP_ATTRIBUTION).toMatch(/Natural Earth/);
  expect(MAP_ATTRIBUTION).toMatch(/public domain/);
  expect(MAP_ATTRIBUTION).toMatch(/not an endorsement/);
});
