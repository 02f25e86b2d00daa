import { useState } from 'react';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { UserText } from '../../components/UserText';
import { SuggestionCard } from './SuggestionCard';
import type { AliasEntity } from '../../../../shared/channels/aliases';
import '../sources/sources.css';
import './aliases.css';

const DEPS = ['aliases', 'incidents', 'plots', 'figures', 'sources'] as const;
type Kind = 'actor' | 'place';

/**
 * Aliases: the names of each actor and place, who added each and from which source, and the
 * suggestions (names that look like one) for the analyst to accept or reject. Nothing here joins
 * names without a click; every change is one undoable step.
 */
export function AliasesArea({ onError }: { onError: (m: string) => void }) {
  const [kind, setKind] = useState<Kind>('actor');
  const list = useQuery('aliases.list', { kind }, DEPS);
  const sug = useQuery('aliases.suggestions', { limit: 50 }, DEPS);
  const run = (p: Promise<unknown>) => p.catch((e: Error) => onError(e.message));
  return (
    <div className="aliases" data-testid="aliases-area">
      <section className="aliases-suggestions" aria-label="Suggestions">
        <h2>Suggestions</h2>
        <p className="muted small">
          Names in this case file that look like one actor or place: nothing is joined until you accept.
        </p>
        {sug.error && <p className="error">{sug.error}</p>}
        {sug.data?.length === 0 && (
          <p className="muted" data-testid="no-suggestions">
            No suggestions.
          </p>
        )}
        <ul className="suggestion-list">
          {sug.data?.map((s) => (
            <SuggestionCard
              key={`${s.kind}:${s.key}`}
              s={s}
              onAccept={(entity, names) => run(invoke('aliases.accept', { kind: s.kind, entity, names }))}
              onReject={(names) => run(invoke('aliases.reject', { kind: s.kind, names }))}
            />
          ))}
        </ul>
      </section>
      <section className="aliases-names" aria-label="Names">
        <div className="toolbar">
          <div role="tablist" className="review-tabs">
            {(['actor', 'place'] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                aria-selected={kind === k}
                className={kind === k ? 'on' : ''}
                onClick={() => setKind(k)}
                data-testid={`aliases-tab-${k}`}
              >
                {k === 'actor' ? 'Actors' : 'Places'}
              </button>
            ))}
          </div>
          <button
            type="button"
            onClick={() => run(invoke('aliases.starter', {}))}
            data-testid="aliases-starter"
            title="The demo's actors and Afghanistan's provinces, in Latin and Arabic script"
          >
            Add starter list
          </button>
        </div>
        <AddAlias kind={kind} onError={onError} />
        {list.error && <p className="error">{list.error}</p>}
        <ul className="entity-list" data-testid="entity-list">
          {list.data?.map((e) => (
            <EntityRow key={e.entity} e={e} onRemove={(id) => run(invoke('aliases.remove', { id }))} />
          ))}
        </ul>
        {list.data?.length === 0 && (
          <p className="muted">No {kind === 'actor' ? 'actor' : 'place'} has other names yet.</p>
        )}
      </section>
    </div>
  );
}

function EntityRow({ e, onRemove }: { e: AliasEntity; onRemove: (id: string) => void }) {
  return (
    <li className="entity" data-testid="entity">
      <strong>
        <UserText text={e.entity} />
      </strong>
      <ul className="alias-names">
        {e.names
          .filter((n) => n.name !== e.entity)
          .map((n) => (
            <li key={n.id} data-testid="alias-name">
              <UserText text={n.name} className="alias-name" />
              <span className={`status origin-${n.origin}`}>
                {n.origin === 'starter' ? 'starter list' : n.origin === 'suggestion' ? 'accepted suggestion' : 'added'}
              </span>
              <span className="muted small">
                <UserText text={n.author} />
                {n.sourceKey && (
                  <>
                    {' '}
                    · source <UserText text={n.sourceKey} />
                  </>
                )}
              </span>
              <button type="button" className="link" aria-label={`Remove ${n.name}`} onClick={() => onRemove(n.id)}>
                remove
              </button>
            </li>
          ))}
      </ul>
    </li>
  );
}

function AddAlias({ kind, onError }: { kind: Kind; onError: (m: string) => void }) {
  const [name, setName] = useState('');
  const [sameAs, setSameAs] = useState('');
  const submit = () =>
    invoke('aliases.add', { kind, name, sameAs })
      .then(() => {
        setName('');
        setSameAs('');
      })
      .catch((e: Error) => onError(e.message));
  return (
    <form
      className="add-alias"
      onSubmit={(ev) => {
        ev.preventDefault();
        void submit();
      }}
    >
      <input
        dir="auto"
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder="Name (e.g. ISKP)"
        aria-label="Name"
        data-testid="alias-name-input"
      />
      <span className="muted">is the same {kind} as</span>
      <input
        dir="auto"
        value={sameAs}
        onChange={(e) => setSameAs(e.target.value)}
        placeholder="Other name"
        aria-label="Same as"
        data-testid="alias-same-input"
      />
      <button type="submit" disabled={!name.trim() || !sameAs.trim()} data-testid="alias-add">
        Add
      </button>
    </form>
  );
}
