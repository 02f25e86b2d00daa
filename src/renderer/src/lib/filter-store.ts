import { useSyncExternalStore } from 'react';
import { EMPTY_FILTER, type FilterModel } from '../../../shared/contract';
import type { GridTable } from '../../../shared/domain/common';

/**
 * The one filter model per table for the whole window: the grid's column filters and search
 * write it, the dashboard's charts read it and write it (a click on a bar, a brushed period),
 * and both follow it. One object, so "what is filtered" has one answer.
 */
type Listener = () => void;
const models = new Map<GridTable, FilterModel>();
const listeners = new Set<Listener>();

export function getFilter(table: GridTable): FilterModel {
  return models.get(table) ?? EMPTY_FILTER;
}

export function setFilter(table: GridTable, next: FilterModel | ((prev: FilterModel) => FilterModel)): void {
  const prev = getFilter(table);
  const value = typeof next === 'function' ? next(prev) : next;
  if (JSON.stringify(value) === JSON.stringify(prev)) return;
  models.set(table, value);
  for (const l of listeners) l();
}

export function clearFilter(table: GridTable): void {
  setFilter(table, EMPTY_FILTER);
}

function subscribeStore(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The current filter model of a table; re-renders when anyone changes it. */
export function useFilter(table: GridTable): FilterModel {
  return useSyncExternalStore(subscribeStore, () => getFilter(table));
}
