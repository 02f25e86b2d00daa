import { useEffect, useMemo, useState } from 'react';
import type { ColumnFilter } from '../../../../../shared/contract';
import type { GridTable } from '../../../../../shared/domain/common';
import { invoke } from '../../../lib/api';
import { getFilter } from '../../../lib/filter-store';
import { aliasKindOf } from '../../../../../shared/domain/aliases';

type Value = { value: string | null; count: number };
type Props = {
  table: GridTable;
  column: string;
  model: ColumnFilter | null;
  onModelChange: (m: ColumnFilter | null) => void;
  /** Changes each time the popup opens: the list is read again (other filters may have changed). */
  opened: number;
};

const label = (v: string | null) => (v === null ? '(blank)' : v);

/**
 * The set filter AG Grid Community lacks: the column's values with their counts under the other
 * filters (from the core, `rows.distinct`), a search within them, select all / none. No model
 * means every value; a list means only those. A column with more values than the list shows
 * (actors) cannot be "all but one" without knowing them all, so there a click picks that value.
 */
export function SetFilter({ table, column, model, onModelChange, opened }: Props) {
  const [search, setSearch] = useState('');
  const [data, setData] = useState<{ values: Value[]; truncated: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // AG Grid makes the component when a filter is set from outside (a saved layout, the
    // dashboard), long before anyone opens it: the values are read when the popup opens.
    if (opened === 0) return;
    let live = true;
    const t = setTimeout(
      () => {
        invoke('rows.distinct', { table, column, filter: getFilter(table), search, limit: 1000 })
          .then((d) => live && (setData(d), setError(null)))
          .catch((e: Error) => live && setError(e.message));
      },
      search ? 200 : 0,
    );
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [table, column, search, opened]);

  const values = useMemo(
    () =>
      (data?.values ?? [])
        .slice()
        .sort((a, b) => (a.value === null ? -1 : b.value === null ? 1 : a.value.localeCompare(b.value))),
    [data],
  );
  const selected = model?.type === 'set' ? new Set(model.values) : null;
  // On a column naming actors or places, a ticked name also brings the other names its aliases
  // give it, unless the analyst asks for exactly the names ticked ("exact").
  const named = aliasKindOf(table, column) !== null;
  const exact = model?.type === 'set' && model.exact === true;
  const setModel = (values: (string | null)[]) =>
    onModelChange({ type: 'set', values, ...(exact ? { exact: true } : {}) });
  const complete = data !== null && !data.truncated && search === '';
  const isOn = (v: string | null) => selected === null || selected.has(v);

  const set = (next: Set<string | null>) => {
    if (complete && values.every((v) => next.has(v.value))) onModelChange(null);
    else setModel([...next]);
  };
  const toggle = (v: string | null) => {
    if (selected === null) {
      if (complete) set(new Set(values.map((x) => x.value).filter((x) => x !== v)));
      else setModel([v]);
      return;
    }
    const next = new Set(selected);
    if (next.has(v)) next.delete(v);
    else next.add(v);
    set(next);
  };
  const selectShown = (on: boolean) => {
    if (search === '') return on ? onModelChange(null) : setModel([]);
    const next = new Set(selected ?? []);
    for (const v of values) {
      if (on) next.add(v.value);
      else next.delete(v.value);
    }
    set(next);
  };

  return (
    <div className="set-filter">
      <input
        type="search"
        dir="auto"
        placeholder="Search values…"
        aria-label="Search values"
        data-testid="set-filter-search"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <div className="set-filter-actions">
        <button type="button" data-testid="set-filter-all" onClick={() => selectShown(true)}>
          {search ? 'Select shown' : 'Select all'}
        </button>
        <button type="button" data-testid="set-filter-none" onClick={() => selectShown(false)}>
          {search ? 'Clear shown' : 'Select none'}
        </button>
      </div>
      {named && (
        <label
          className="set-filter-exact small"
          title="Off: a ticked name also finds the rows that name the same actor or place another way (Aliases area)"
        >
          <input
            type="checkbox"
            data-testid="set-filter-exact"
            checked={exact}
            disabled={model?.type !== 'set'}
            onChange={(e) =>
              model?.type === 'set' &&
              onModelChange({ type: 'set', values: model.values, ...(e.target.checked ? { exact: true } : {}) })
            }
          />{' '}
          Only these names (not their aliases)
        </label>
      )}
      {error && <p className="error">{error}</p>}
      <ul className="set-filter-list" role="listbox" aria-multiselectable="true" aria-label="Values">
        {values.map((v) => (
          <li key={String(v.value)} role="option" aria-selected={isOn(v.value)}>
            <label>
              <input
                type="checkbox"
                checked={isOn(v.value)}
                onChange={() => toggle(v.value)}
                data-testid="set-filter-value"
                data-value={label(v.value)}
              />
              <span dir="auto" className={v.value === null ? 'muted' : undefined}>
                {label(v.value)}
              </span>
              <span className="set-filter-count">{v.count.toLocaleString()}</span>
            </label>
          </li>
        ))}
      </ul>
      {data?.truncated && (
        <p className="muted small">The {values.length.toLocaleString()} most common values; search to find others.</p>
      )}
      {data && values.length === 0 && <p className="muted small">No values.</p>}
    </div>
  );
}
