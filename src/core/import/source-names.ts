import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { SOURCE_TYPES } from '../../shared/domain/fields';

/**
 * How the names in a data file's source columns (ACLED `source`, GTD `scite1..3`) become rows of
 * the source library. A name is matched to an existing source by its exact title, so a source
 * the analyst already graded is reused, and a re-import finds the sources the first one made.
 */
export type SourceType = (typeof SOURCE_TYPES)[number];
export type ImportFormat = 'acled' | 'gtd' | 'ucdp' | 'csv';

const PREFIX: Record<ImportFormat, string> = { acled: 'acled', gtd: 'gtd', ucdp: 'ucdp', csv: 'csv' };

/** Outlets whose name says a government or an international body speaks (ACLED names them as they are). */
const OFFICIAL =
  /\b(ministry|ministries|government|governor|president|presidency|police|army|armed forces|military|defen[cs]e|interior|embassy|united nations|unama|ocha|unhcr|security council|official|department of|prime minister|parliament|court)\b/i;
/** Channels of the armed groups themselves: their statements are claims, not reporting. */
const PROPAGANDA = /\b(amaq|al-naba|al naba|nashir|islamic state media|a'maq|al-hayat media|telegram channel)\b/i;

export function sourceTypeFor(format: ImportFormat, name: string): SourceType {
  if (PROPAGANDA.test(name)) return 'propaganda';
  // A GTD citation is a whole reference ("Title," Outlet, date): its outlet is nearly always the press.
  if (format !== 'gtd' && OFFICIAL.test(name)) return 'official_report';
  return 'news';
}

/** Lower-case ASCII words joined by '-', diacritics dropped; '' when nothing Latin is left. */
export function slug(s: string, max = 48): string {
  const out = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return out.length <= max ? out : out.slice(0, max).replace(/-+$/, '');
}

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/**
 * A key for a named source: `acled-src-tolo-news`. The same name always gives the same key; when
 * that key is taken by another title (or the slug is empty, as for a name in Arabic script), a
 * hash of the exact name is added, which is stable too.
 */
export function sourceKeyCandidates(format: ImportFormat, name: string): string[] {
  const s = slug(name);
  const base = `${PREFIX[format]}-src`;
  const hashed = `${base}-${s ? `${s}-` : ''}${shortHash(name)}`;
  return s ? [`${base}-${s}`, hashed] : [hashed];
}

export type DatasetSource = { key: string; title: string; authors: string | null };

/** The source that stands for the imported file itself, cited by every row it brought in. */
export function datasetSource(format: ImportFormat, dataPath: string): DatasetSource {
  const name = basename(dataPath);
  if (format === 'acled')
    return {
      key: `acled-data-${slug(name, 80) || shortHash(name)}`,
      title: `ACLED export ${name}`,
      authors: 'Armed Conflict Location & Event Data (ACLED)',
    };
  if (format === 'gtd')
    return {
      key: `gtd-data-${slug(name, 80) || shortHash(name)}`,
      title: `GTD export ${name}`,
      authors: 'START, Global Terrorism Database (GTD)',
    };
  if (format === 'ucdp')
    return {
      key: `ucdp-data-${slug(name, 80) || shortHash(name)}`,
      title: `UCDP GED export ${name}`,
      authors: 'Uppsala Conflict Data Program (UCDP)',
    };
  return { key: `csv-data-${slug(name, 80) || shortHash(name)}`, title: `Imported file ${name}`, authors: null };
}

const DATASET_NAME: Partial<Record<ImportFormat, RegExp>> = {
  acled: /\bACLED\b|Armed Conflict Location/i,
  gtd: /\bGTD\b|Global Terrorism Database/i,
  ucdp: /\bUCDP\b|Uppsala Conflict Data/i,
};

/**
 * Whether a source of the case file already stands for this dataset, so that an ACLED or GTD
 * import cites it instead of adding a second one (the demo's "Armed Conflict Location & Event
 * Data (ACLED): Afghanistan", or the source an earlier import of another ACLED file made). Which
 * file each row came from is kept by the import history. A generic table is its own dataset.
 */
export function standsForDataset(
  format: ImportFormat,
  s: { type: string; key: string; title: string; authors: string | null },
): boolean {
  const name = DATASET_NAME[format];
  if (name === undefined || s.type !== 'dataset') return false;
  return (
    s.key === PREFIX[format] ||
    s.key.startsWith(`${PREFIX[format]}-data-`) ||
    name.test(s.title) ||
    (s.authors !== null && name.test(s.authors))
  );
}
