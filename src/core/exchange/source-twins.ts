import type { RowValues } from '../../shared/domain/fields';

/**
 * Two case files that each imported the same dataset, or that were each started from the demo,
 * hold the same sources under different ids but the same key (`acled-src-tolonews`). A key is
 * unique in a case file, so such a source of theirs cannot be added beside yours: it is the same
 * source when the titles agree too (spacing and case aside), and their citations of it cite
 * yours. A key that names a different work on each side is a conflict for the analyst.
 */
export function sameSource(mine: RowValues, theirs: RowValues): boolean {
  return norm(mine.title) !== '' && norm(mine.title) === norm(theirs.title);
}

const norm = (v: unknown) =>
  typeof v === 'string' ? v.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase() : '';

/** The first of `key-2`, `key-3`, ... that no source uses. */
export function freeKey(key: string, taken: (k: string) => boolean): string {
  for (let n = 2; ; n++) {
    const k = `${key}-${n}`;
    if (!taken(k)) return k;
  }
}

/** Your id for their source id, where their source is one of yours (own keys only: ids are their text). */
export function aliasOf(aliases: Readonly<Record<string, string>>, id: unknown): string | undefined {
  return typeof id === 'string' && Object.hasOwn(aliases, id) ? aliases[id] : undefined;
}

/** Their row with its source id pointing at yours where their source is the same as yours. */
export function withSourceAlias(r: RowValues, aliases: Readonly<Record<string, string>>): RowValues {
  const to = aliasOf(aliases, r.source_id);
  return to ? { ...r, source_id: to } : r;
}
