import { useEffect, useRef, useState } from 'react';
import { QueueFilter, REVIEW_STATUS_LIST, type ReviewStatus } from './queue-filter';
import { RELIABILITY } from '../../../../shared/domain/fields';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { GradeBadge, STATUS_TEXT, StatusBadge } from '../../components/GradeBadge';
import { UserText } from '../../components/UserText';
import { CitationReview } from './CitationReview';

const TABLES = ['citations', 'annotations', 'sources', 'notes', 'incidents', 'plots', 'figures'] as const;
const PAGE = 200;

/**
 * The review queue: citations filtered by status, source, grade, reviewer and kind of row, worked
 * from the keyboard: j/k next and previous, v verify, d dispute, n needs a better source,
 * u back to unreviewed, c comment.
 */
export function ReviewQueue({ onError }: { onError: (m: string) => void }) {
  const [filter, setFilter] = useState<QueueFilter>(() => QueueFilter.parse({}));
  const [limit, setLimit] = useState(PAGE);
  const [index, setIndex] = useState(0);
  const q = useQuery('review.queue', { filter, limit }, TABLES);
  const sources = useQuery('sources.list', { limit: 5000 }, ['sources']);
  const reviewers = useQuery('review.reviewers', {}, ['annotations']);
  const commentRef = useRef<HTMLTextAreaElement | null>(null);
  const listRef = useRef<HTMLDivElement | null>(null);
  const rows = q.data?.rows ?? [];
  const current = rows[Math.min(index, rows.length - 1)] ?? null;

  useEffect(() => {
    listRef.current?.querySelector('.queue-row.current')?.scrollIntoView({ block: 'nearest' });
  }, [index, current?.id]);

  const set = (patch: Partial<QueueFilter>) => {
    setFilter({ ...filter, ...patch });
    setIndex(0);
    setLimit(PAGE);
  };

  const mark = (status: ReviewStatus) => {
    if (!current) return;
    invoke('review.setStatus', { citationId: current.id, status, comment: null }).catch((e: Error) =>
      onError(e.message),
    );
  };

  const onKey = (e: globalThis.KeyboardEvent) => {
    if (
      (e.target as HTMLElement).closest(
        'input, textarea, select, [contenteditable="true"], [role="dialog"], [role="menu"]',
      ) ||
      e.ctrlKey ||
      e.metaKey ||
      e.altKey
    )
      return;
    const k = e.key.toLowerCase();
    const acts: Record<string, () => void> = {
      j: () => setIndex((i) => Math.min(i + 1, rows.length - 1)),
      arrowdown: () => setIndex((i) => Math.min(i + 1, rows.length - 1)),
      k: () => setIndex((i) => Math.max(i - 1, 0)),
      arrowup: () => setIndex((i) => Math.max(i - 1, 0)),
      v: () => mark('verified'),
      d: () => mark('disputed'),
      n: () => mark('needs_source'),
      u: () => mark('unreviewed'),
      c: () => commentRef.current?.focus(),
    };
    const act = acts[k];
    if (act) {
      e.preventDefault();
      act();
    }
  };

  // The keys work wherever the focus is while the queue is shown (after a click on the Review tab,
  // on a filter, on the detail), except in a field being typed into, which onKey leaves alone.
  const keyHandler = useRef(onKey);
  keyHandler.current = onKey;
  useEffect(() => {
    const listen = (e: globalThis.KeyboardEvent) => {
      if (!e.defaultPrevented) keyHandler.current(e);
    };
    window.addEventListener('keydown', listen);
    return () => window.removeEventListener('keydown', listen);
  }, []);

  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  return (
    <div className="queue" data-testid="review-queue">
      <div className="queue-left">
        <div className="queue-filters" role="group" aria-label="Filter the queue">
          <span className="chips text-chips" aria-label="Status">
            {REVIEW_STATUS_LIST.map((s) => (
              <button
                type="button"
                key={s}
                className={filter.status.includes(s) ? 'on' : ''}
                aria-pressed={filter.status.includes(s)}
                onClick={() => set({ status: toggle(filter.status, s) })}
                data-testid={`filter-status-${s}`}
              >
                {STATUS_TEXT[s]}
              </button>
            ))}
          </span>
          <select
            aria-label="Source"
            value={filter.sourceId ?? ''}
            onChange={(e) => set({ sourceId: e.target.value || null })}
            data-testid="filter-source"
          >
            <option value="">All sources</option>
            {sources.data?.rows.map((s) => (
              <option key={s.id} value={s.id} dir="auto">
                {s.key}
              </option>
            ))}
          </select>
          <select
            aria-label="Reliability"
            value={filter.reliability[0] === undefined ? '' : (filter.reliability[0] ?? '?')}
            onChange={(e) =>
              set({
                reliability:
                  e.target.value === ''
                    ? []
                    : [e.target.value === '?' ? null : (e.target.value as (typeof RELIABILITY)[number])],
              })
            }
            data-testid="filter-reliability"
          >
            <option value="">Any reliability</option>
            {[...RELIABILITY, '?'].map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <select
            aria-label="Credibility"
            value={filter.credibility[0] === undefined ? '' : String(filter.credibility[0] ?? '?')}
            onChange={(e) =>
              set({
                credibility: e.target.value === '' ? [] : [e.target.value === '?' ? null : Number(e.target.value)],
              })
            }
            data-testid="filter-credibility"
          >
            <option value="">Any credibility</option>
            {['1', '2', '3', '4', '5', '6', '?'].map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
          <select
            aria-label="Reviewer"
            value={filter.reviewer ?? ''}
            onChange={(e) => set({ reviewer: e.target.value || null })}
            data-testid="filter-reviewer"
          >
            <option value="">Any reviewer</option>
            {reviewers.data?.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <select
            aria-label="Cited from"
            value={filter.targetTable ?? ''}
            onChange={(e) => set({ targetTable: (e.target.value || null) as QueueFilter['targetTable'] })}
            data-testid="filter-target"
          >
            <option value="">Any row</option>
            <option value="incidents">Incidents</option>
            <option value="plots">Plots</option>
            <option value="figures">Figures</option>
            <option value="notes">Notes</option>
          </select>
          <span className="muted" data-testid="queue-count">
            {q.data ? `${q.data.total.toLocaleString()} citation${q.data.total === 1 ? '' : 's'}` : ''}
          </span>
          <span className="muted small">
            <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>v</kbd> verify · <kbd>d</kbd> dispute · <kbd>n</kbd> needs source ·{' '}
            <kbd>c</kbd> comment
          </span>
        </div>
        <div
          className="queue-list"
          tabIndex={0}
          ref={listRef}
          role="listbox"
          aria-label="Citations to review"
          aria-activedescendant={current ? `q-${current.id}` : undefined}
          data-testid="queue-list"
        >
          {rows.map((r, i) => (
            <div
              key={r.id}
              id={`q-${r.id}`}
              role="option"
              aria-selected={r.id === current?.id}
              className={`queue-row ${r.id === current?.id ? 'current' : ''}`}
              onClick={() => setIndex(i)}
              data-testid="queue-row"
            >
              <GradeBadge reliability={r.source_reliability} credibility={r.credibility} />
              <span>
                <StatusBadge status={r.status} />
                {r.open_threads > 0 && (
                  <span className="muted small" title="open comment threads">
                    {' '}
                    · {r.open_threads} open
                  </span>
                )}
              </span>
              <span>
                <span className="muted">{r.target_table.replace(/s$/, '')}:</span> <UserText text={r.target_label} />
              </span>
              <span>
                <strong>{r.source_key}</strong>{' '}
                {r.quote ? <UserText text={`“${r.quote}”`} /> : <UserText text={r.source_title} className="muted" />}
                {r.anchor.state === 'not-found' && <span className="warn"> ⚠ passage not found</span>}
              </span>
            </div>
          ))}
          {q.data && rows.length === 0 && (
            <p className="muted" style={{ padding: 8 }}>
              Nothing to review with these filters.
            </p>
          )}
          {q.data && q.data.total > rows.length && (
            <button
              type="button"
              style={{ margin: 8 }}
              onClick={() => setLimit((l) => Math.min(l + PAGE, 500))}
              disabled={limit >= 500}
            >
              {limit >= 500
                ? `Showing the first 500 of ${q.data.total.toLocaleString()}: filter to narrow down`
                : `Show more (${rows.length} of ${q.data.total.toLocaleString()})`}
            </button>
          )}
        </div>
      </div>
      {current ? (
        <CitationReview key={current.id} id={current.id} commentRef={commentRef} onError={onError} />
      ) : (
        <aside className="side-panel muted">Choose a citation.</aside>
      )}
    </div>
  );
}
