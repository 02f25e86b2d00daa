import { admin1Regions } from '../../shared/geo/admin1';
import type { AliasKind } from '../../shared/domain/aliases';

/** One entity of the starter list: the name chosen for it, and its other names. */
export type StarterEntity = { kind: AliasKind; entity: string; names: readonly string[] };

/**
 * The demo case's actors under the names the field's datasets and sources use: ACLED, GTD, the
 * group's own statements (Arabic script), Russian-language reporting.
 */
const ACTORS: StarterEntity[] = [
  {
    kind: 'actor',
    entity: 'Islamic State Khorasan Province',
    names: [
      'Islamic State Khorasan Province (ISKP)',
      'ISKP',
      'IS-K',
      'ISIS-K',
      'ISIL-K',
      'Islamic State (Afghanistan)',
      'Khorasan Chapter of the Islamic State',
      'Wilayat Khurasan',
      'ولایت خراسان',
      'ولاية خراسان',
      'ИГИЛ-Хорасан',
    ],
  },
  {
    kind: 'actor',
    entity: 'Taliban',
    names: ['Islamic Emirate of Afghanistan', 'Taliban (Afghanistan)', 'طالبان', 'Талибан'],
  },
];

/** Dari names of Afghanistan's provinces, by ISO 3166-2 code (the gazetteer holds the Latin spellings). */
const DARI: Readonly<Record<string, string>> = {
  'AF-BDS': 'بدخشان',
  'AF-BDG': 'بادغیس',
  'AF-BGL': 'بغلان',
  'AF-BAL': 'بلخ',
  'AF-BAM': 'بامیان',
  'AF-DAY': 'دایکندی',
  'AF-FRA': 'فراه',
  'AF-FYB': 'فاریاب',
  'AF-GHA': 'غزنی',
  'AF-GHO': 'غور',
  'AF-HEL': 'هلمند',
  'AF-HER': 'هرات',
  'AF-JOW': 'جوزجان',
  'AF-KAB': 'کابل',
  'AF-KAN': 'قندهار',
  'AF-KAP': 'کاپیسا',
  'AF-KHO': 'خوست',
  'AF-KNR': 'کنر',
  'AF-KDZ': 'کندز',
  'AF-LAG': 'لغمان',
  'AF-LOG': 'لوگر',
  'AF-NAN': 'ننگرهار',
  'AF-NIM': 'نیمروز',
  'AF-NUR': 'نورستان',
  'AF-PKA': 'پکتیکا',
  'AF-PIA': 'پکتیا',
  'AF-PAN': 'پنجشیر',
  'AF-PAR': 'پروان',
  'AF-SAM': 'سمنگان',
  'AF-SAR': 'سرپل',
  'AF-TAK': 'تخار',
  'AF-URU': 'ارزگان',
  'AF-WAR': 'وردک',
  'AF-ZAB': 'زابل',
};

/** Afghanistan and its provinces, from the bundled gazetteer (shared/geo/admin1.ts), with their Dari names. */
function places(): StarterEntity[] {
  const out: StarterEntity[] = [{ kind: 'place', entity: 'Afghanistan', names: ['AFG', 'افغانستان', 'Афганистан'] }];
  for (const r of admin1Regions.AFG) {
    const dari = DARI[r.iso];
    out.push({ kind: 'place', entity: r.name, names: [...r.aliases, ...(dari ? [dari] : [])] });
  }
  return out;
}

export function starterList(): StarterEntity[] {
  return [...ACTORS, ...places()];
}
