import { useState } from 'react';
import type { AliasSuggestion } from '../../../../shared/channels/aliases';
import { UserText } from '../../components/UserText';

/**
 * One suggestion: the names that look alike with the rows each covers. The analyst picks the
 * name to keep and which names to join, then accepts, or rejects (the names stay apart and the
 * suggestion is not offered again).
 */
export function SuggestionCard({
  s,
  onAccept,
  onReject,
}: {
  s: AliasSuggestion;
  onAccept: (entity: string, names: string[]) => void;
  onReject: (names: string[]) => void;
}) {
  // The name to keep: an actor or place the case file already has, else the most common name.
  const [keep, setKeep] = useState((s.names.find((n) => n.entity !== null) ?? s.names[0]!).name);
  const [on, setOn] = useState<Set<string>>(() => new Set(s.names.map((n) => n.name)));
  const chosen = s.names.filter((n) => on.has(n.name)).map((n) => n.name);
  const total = s.names.reduce((a, n) => a + n.rows, 0);
  return (
    <li className="suggestion" data-testid="suggestion">
      <div className="suggestion-head">
        <span className="status">{s.kind}</span>
        <span className="muted small">{total.toLocaleString()} rows</span>
      </div>
      <table className="suggestion-names">
        <thead>
          <tr>
            <th scope="col">Join</th>
            <th scope="col">Keep as name</th>
            <th scope="col">Name</th>
            <th scope="col" className="num">
              Rows
            </th>
          </tr>
        </thead>
        <tbody>
          {s.names.map((n) => (
            <tr key={n.name}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Join ${n.name}`}
                  checked={on.has(n.name)}
                  onChange={(e) => {
                    const next = new Set(on);
                    if (e.target.checked) next.add(n.name);
                    else next.delete(n.name);
                    setOn(next);
                  }}
                />
              </td>
              <td>
                <input
                  type="radio"
                  name={`keep-${s.kind}-${s.key}`}
                  aria-label={`Keep ${n.name} as the name`}
                  checked={keep === n.name}
                  onChange={() => setKeep(n.name)}
                />
              </td>
              <td>
                <UserText text={n.name} />
                {n.entity !== null && <span className="muted small"> (with its other names)</span>}
              </td>
              <td className="num">{n.rows.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="item-buttons">
        <button
          type="button"
          className="primary"
          disabled={chosen.length < 2 && !chosen.some((c) => c !== keep)}
          onClick={() => onAccept(keep, chosen)}
          data-testid="suggestion-accept"
        >
          Accept: one {s.kind}
        </button>
        <button type="button" onClick={() => onReject(s.names.map((n) => n.name))} data-testid="suggestion-reject">
          Reject: keep apart
        </button>
      </div>
    </li>
  );
}
