import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { SourceSummary } from '../../../../shared/channels/sources';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';

/** Sources listed at once; the search narrows a large library to what fits. */
const SHOWN = 100;

type Chosen = Pick<SourceSummary, 'id' | 'key' | 'title' | 'reliability'>;

/**
 * The source to cite, found by title, authors or key through the library's own search (folded, so
 * "mazar" finds "Mazār"), in a list of fixed height: a library of thousands never pushes the
 * dialog's buttons off the screen. Arrow keys in the search box move the choice, Enter keeps it.
 */
export function SourcePicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const list = useQuery('sources.list', { search, limit: SHOWN }, ['sources']);
  const rows = useMemo(() => list.data?.rows ?? [], [list.data]);
  const listId = useId();
  const listRef = useRef<HTMLUListElement>(null);

  // An existing citation's source, named even when the search leaves it out of the list.
  useEffect(() => {
    if (!value || chosen?.id === value) return;
    const inList = rows.find((r) => r.id === value);
    if (inList) return setChosen(inList);
    let live = true;
    invoke('sources.get', { id: value })
      .then(
        (r) =>
          live &&
          r &&
          setChosen({
            id: value,
            key: String(r.key),
            title: String(r.title),
            reliability: (r.reliability as Chosen['reliability']) ?? null,
          }),
      )
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [value, chosen, rows]);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [value]);

  const choose = (s: Chosen) => {
    setChosen(s);
    onChange(s.id);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const i = rows.findIndex((r) => r.id === value);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = rows[e.key === 'ArrowDown' ? Math.min(rows.length - 1, i + 1) : Math.max(0, i - 1)];
      if (next) choose(next);
      e.preventDefault();
    } else if (e.key === 'Enter') {
      // Enter in the search box picks (the first match if none is chosen); it never submits.
      e.preventDefault();
      if (i < 0 && rows[0]) choose(rows[0]);
    }
  };

  const total = list.data?.total ?? 0;
  return (
    <div className="source-picker">
      <label htmlFor={`${listId}-search`}>Source</label>
      <p className="picked-source" data-testid="cite-chosen" aria-live="polite">
        {chosen && chosen.id === value ? (
          <>
            <span className="grade">{chosen.reliability ?? '?'}</span> <b>{chosen.key}</b> ·{' '}
            <span dir="auto">{chosen.title}</span>
          </>
        ) : (
          <span className="muted">No source chosen yet.</span>
        )}
      </p>
      <input
        id={`${listId}-search`}
        type="search"
        dir="auto"
        autoFocus
        placeholder="Search by title, authors or key…"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        onKeyDown={onKey}
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={value ? `${listId}-${value}` : undefined}
        data-testid="cite-source-search"
      />
      <ul
        className="source-options"
        role="listbox"
        id={listId}
        ref={listRef}
        aria-label="Sources"
        data-testid="cite-source-list"
      >
        {rows.map((s) => (
          <li
            key={s.id}
            id={`${listId}-${s.id}`}
            role="option"
            aria-selected={s.id === value}
            className={s.id === value ? 'on' : ''}
            onClick={() => choose(s)}
            data-testid="cite-source-option"
          >
            <span className="grade">{s.reliability ?? '?'}</span>
            <span className="option-key">{s.key}</span>
            <span className="option-title" dir="auto">
              {s.title}
              {s.authors ? <span className="muted"> · {s.authors}</span> : null}
            </span>
          </li>
        ))}
      </ul>
      <p className="muted small" data-testid="cite-source-count">
        {!list.data
          ? ''
          : total === 0
            ? search.trim()
              ? `No source matches “${search.trim()}”.`
              : 'The library has no source yet: add one in Sources.'
            : total > rows.length
              ? `${rows.length} of ${total.toLocaleString()} sources shown: type to narrow.`
              : `${total.toLocaleString()} source${total === 1 ? '' : 's'}${search.trim() ? ' match' : ''}.`}
      </p>
    </div>
  );
}
