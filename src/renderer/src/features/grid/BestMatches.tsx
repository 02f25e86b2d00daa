import { useEffect, useState } from 'react';
import type { FilterModel } from '../../../../shared/contract';
import { hasBidiHazard } from '../../../../shared/markdown/bidi';
import { invoke, subscribe } from '../../lib/api';
import { BidiWarning } from '../../components/UserText';
import { RowDetail } from './RowDetail';

type Match = { row: Record<string, unknown>; score: number; snippet: string };
export type SearchableTable = 'incidents' | 'sources';

const OPEN = '\u0002';
const CLOSE = '\u0003';
const LIMIT = 100;

/**
 * The search's best matches by relevance, beside the grid (which keeps the table's own order):
 * each with what it is and a snippet of its text, the terms found marked. A click opens that
 * row's citations; the list follows the search, the column filters and every change to the data.
 * (The row opened keeps the text it was listed with until the list is shown again.)
 *
 * Snippets are someone else's text: split on the core's marker characters and shown as text
 * nodes, never as markup, with the usual warning when they carry direction controls.
 */
export function BestMatches({
  table,
  filter,
  onClose,
  onError,
}: {
  table: SearchableTable;
  filter: FilterModel;
  onClose: () => void;
  onError: (m: string) => void;
}) {
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [open, setOpen] = useState<Match | null>(null);
  const [version, setVersion] = useState(0);
  const key = JSON.stringify(filter);

  useEffect(() => subscribe('data.changed', (p) => p.tables.includes(table) && setVersion((v) => v + 1)), [table]);
  useEffect(() => {
    let live = true;
    invoke('rows.best', { table, filter: JSON.parse(key) as FilterModel, limit: LIMIT })
      .then((r) => live && setMatches(r.matches))
      .catch((e: Error) => live && onError(e.message));
    return () => {
      live = false;
    };
  }, [table, key, version, onError]);
  useEffect(() => setOpen(null), [key]);

  if (open !== null) {
    return (
      <div className="best-matches" data-testid="best-matches">
        <button type="button" className="link" data-testid="best-back" onClick={() => setOpen(null)}>
          ← Best matches
        </button>
        <p className="best-item best-opened" data-testid="best-opened">
          <span className="best-what" dir="auto">
            {describe(table, open.row)}
          </span>
          <Snippet text={open.snippet} />
        </p>
        <RowDetail table={table} id={String(open.row.id)} onError={onError} />
      </div>
    );
  }
  return (
    <aside className="best-matches" data-testid="best-matches" aria-label="Best matches">
      <header>
        <h3>Best matches</h3>
        <button
          type="button"
          className="link"
          aria-label="Close best matches"
          data-testid="best-close"
          onClick={onClose}
        >
          ×
        </button>
      </header>
      <p className="small muted">
        {matches === null
          ? 'Ranking…'
          : matches.length === 0
            ? 'No row’s own text matches.'
            : `The ${matches.length === LIMIT ? `first ${LIMIT}` : matches.length} by relevance to the search words.`}
      </p>
      <ol>
        {(matches ?? []).map((m) => (
          <li key={String(m.row.id)}>
            <button type="button" className="best-item" data-testid="best-item" onClick={() => setOpen(m)}>
              <span className="best-what" dir="auto">
                {describe(table, m.row)}
              </span>
              <Snippet text={m.snippet} />
            </button>
          </li>
        ))}
      </ol>
    </aside>
  );
}

/** A match's snippet: marked terms in <mark>, the rest as text. */
function Snippet({ text }: { text: string }) {
  const parts: { s: string; hit: boolean }[] = [];
  for (const piece of text.split(OPEN)) {
    const end = piece.indexOf(CLOSE);
    if (end === -1) parts.push({ s: piece, hit: false });
    else
      parts.push({ s: piece.slice(0, end), hit: true }, { s: piece.slice(end + 1).replaceAll(CLOSE, ''), hit: false });
  }
  const plain = parts.map((p) => p.s).join('');
  return (
    <>
      {hasBidiHazard(plain) && <BidiWarning text={plain} />}
      <span className="best-snippet" dir="auto" data-testid="best-snippet">
        {parts.map((p, i) => (p.hit ? <mark key={i}>{p.s}</mark> : p.s))}
      </span>
    </>
  );
}

function describe(table: SearchableTable, r: Record<string, unknown>): string {
  const s = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
  if (table === 'sources') return [s(r.key), s(r.title)].filter(Boolean).join(' · ');
  const place = [s(r.location), s(r.admin1), s(r.country)].filter((x, i, a) => x && a.indexOf(x) === i).join(', ');
  const killed = typeof r.fatalities === 'number' ? `${r.fatalities} killed` : null;
  return [s(r.date) ?? 'no date', place || null, s(r.event_type), killed].filter(Boolean).join(' · ');
}
