import { useState } from 'react';
import type { PendingConflict } from '../../../../shared/channels/import';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { targetLabel } from './MappingTable';

/** Rows listed at once; the rest are counted, and "all" acts on them too. */
const SHOWN = 500;

const show = (v: PendingConflict['theirs']) =>
  v === null ? '(empty)' : typeof v === 'number' ? v.toLocaleString() : v;
const keyOf = (c: PendingConflict) => `${c.txn}\u0001${c.id}\u0001${c.field}`;
/** When an import ran, as the analyst's locale writes a date and time ('' when the record has none it can read). */
export const when = (at: string | null) =>
  at && !Number.isNaN(Date.parse(at))
    ? new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
    : '';

/**
 * The conflicts of re-imports still waiting for the analyst: fields they edited that a later
 * import said otherwise. Their value is kept until they choose, per field or for many at once:
 * the file's value (an edit, undone with Undo) or their own (the conflict leaves the list). The
 * list survives closing the report and reopening the case file; an edit of the field in the
 * grid settles it as well.
 */
export function ImportConflicts({ onError }: { onError: (message: string) => void }) {
  const { data } = useQuery('import.conflicts', { limit: SHOWN }, ['incidents'], ['import.conflicts.changed']);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  // How many the last "keep mine" settled, in this window or another, while it can be taken back
  // (it is no edit: Undo does not see it).
  const kept = data && data.kept > 0 ? data.kept : null;
  if (!data || (data.total === 0 && kept === null)) return null;

  const shown = data.items;
  const chosen = shown.filter((c) => selected.has(keyOf(c)));
  const allShown = chosen.length === shown.length;
  const settle = (take: 'file' | 'mine', which: PendingConflict[] | 'all') => {
    setBusy(true);
    const input =
      which === 'all'
        ? { take, all: true as const }
        : { take, items: which.map((c) => ({ txn: c.txn, id: c.id, field: c.field })) };
    invoke('import.conflicts.resolve', input)
      .then(() => setSelected(new Set()))
      .catch((e: Error) => onError(e.message))
      .finally(() => setBusy(false));
  };
  const unkeep = () => {
    setBusy(true);
    invoke('import.conflicts.unkeep', {})
      .catch((e: Error) => onError(e.message))
      .finally(() => setBusy(false));
  };
  const toggle = (c: PendingConflict) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(keyOf(c))) next.add(keyOf(c));
      return next;
    });
  const many = data.total > shown.length;

  return (
    <section className="panel import-conflicts" data-testid="import-conflicts-panel" aria-label="Import conflicts">
      <h2>Your edits that an import disagrees with ({data.total.toLocaleString()})</h2>
      <p className="muted">
        You changed these fields after importing them, and a later import of the same events says otherwise. Your value
        is kept until you choose. Taking the file&rsquo;s value is an edit you can undo; keeping yours removes the
        conflict from this list, and you can list it again right after (a later revision that still disagrees is listed
        again too).
      </p>
      {kept !== null && (
        <p className="kept-note" data-testid="conflicts-kept">
          Kept your value{kept === 1 ? '' : 's'} for {kept.toLocaleString()} field{kept === 1 ? '' : 's'}.{' '}
          <button type="button" data-testid="conflicts-unkeep" disabled={busy} onClick={unkeep}>
            List {kept === 1 ? 'it' : 'them'} again
          </button>
        </p>
      )}
      {shown.length > 0 && (
        <>
          <div className="import-actions conflict-actions">
            <button
              type="button"
              data-testid="conflicts-take-selected"
              disabled={busy || chosen.length === 0}
              onClick={() => settle('file', chosen)}
            >
              Use the file&rsquo;s value{chosen.length > 1 ? `s (${chosen.length})` : ''}
            </button>
            <button
              type="button"
              data-testid="conflicts-keep-selected"
              disabled={busy || chosen.length === 0}
              onClick={() => settle('mine', chosen)}
            >
              Keep mine{chosen.length > 1 ? ` (${chosen.length})` : ''}
            </button>
            {many && (
              <>
                <span className="muted">The first {shown.length.toLocaleString()} are listed.</span>
                <button
                  type="button"
                  data-testid="conflicts-take-all"
                  disabled={busy}
                  onClick={() => settle('file', 'all')}
                >
                  Use the file&rsquo;s for all {data.total.toLocaleString()}
                </button>
                <button
                  type="button"
                  data-testid="conflicts-keep-all"
                  disabled={busy}
                  onClick={() => settle('mine', 'all')}
                >
                  Keep mine for all {data.total.toLocaleString()}
                </button>
              </>
            )}
          </div>
          <div className="import-table-wrap">
            <table className="import-table" data-testid="import-conflicts">
              <thead>
                <tr>
                  <th>
                    <input
                      type="checkbox"
                      aria-label="Select every conflict listed"
                      data-testid="conflicts-select-all"
                      checked={allShown}
                      onChange={() => setSelected(allShown ? new Set() : new Set(shown.map(keyOf)))}
                    />
                  </th>
                  <th>Event</th>
                  <th>Field</th>
                  <th>The file says</th>
                  <th>You have</th>
                  <th>Import</th>
                  <th>Line</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => (
                  <tr key={keyOf(c)} data-testid="conflict-row">
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${c.externalId} ${targetLabel(c.field)}`}
                        checked={selected.has(keyOf(c))}
                        onChange={() => toggle(c)}
                      />
                    </td>
                    <td dir="auto">{c.externalId}</td>
                    <td>{targetLabel(c.field)}</td>
                    <td className="cell" dir="auto" title={String(show(c.theirs))}>
                      {show(c.theirs)}
                    </td>
                    <td className="cell" dir="auto" title={String(show(c.yours))}>
                      {show(c.yours)}
                    </td>
                    <td className="import-of" title={c.file ?? ''}>
                      <span dir="auto">{c.file ?? 'an import'}</span> <span className="muted">{when(c.at)}</span>
                    </td>
                    <td className="line">{c.line.toLocaleString()}</td>
                    <td className="conflict-choice">
                      <button
                        type="button"
                        data-testid="conflict-take"
                        disabled={busy}
                        onClick={() => settle('file', [c])}
                      >
                        Use the file&rsquo;s
                      </button>
                      <button
                        type="button"
                        data-testid="conflict-keep"
                        disabled={busy}
                        onClick={() => settle('mine', [c])}
                      >
                        Keep mine
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
