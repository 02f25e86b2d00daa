import type { GridTable } from './common';

export type AliasKind = 'actor' | 'place';

/**
 * The columns that name an actor or a place: a filter or a search on one of them also finds the
 * other names the case file's aliases give the same actor or place.
 */
export const ALIAS_COLUMNS: Readonly<Record<GridTable, Readonly<Record<string, AliasKind>>>> = {
  incidents: {
    actor1: 'actor',
    assoc_actors: 'actor',
    target: 'actor',
    country: 'place',
    admin1: 'place',
    admin2: 'place',
    location: 'place',
  },
  plots: { country: 'place', target_city: 'place' },
  figures: { actor: 'actor', country: 'place', admin1: 'place' },
  sources: {},
};

export function aliasKindOf(table: GridTable, column: string): AliasKind | null {
  return Object.hasOwn(ALIAS_COLUMNS[table], column) ? ALIAS_COLUMNS[table][column]! : null;
}
