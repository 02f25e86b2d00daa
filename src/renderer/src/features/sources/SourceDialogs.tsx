import { useFocusTrap } from '../../lib/use-focus-trap';
import { useRef, useState } from 'react';
import type { Row } from '../../../../shared/contract-base';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { UserText } from '../../components/UserText';

/**
 * Deleting a source: refused by the core while citations point at it, so this asks where they
 * should go instead; attached files are deleted only when ticked.
 */
export function DeleteSourceDialog({
  source,
  onClose,
  onDeleted,
}: {
  source: Row;
  onClose: () => void;
  onDeleted: () => void;
}) {
  // Modal for the keyboard and assistive technology: focus stays inside, Escape closes.
  const trap = useRef<HTMLDivElement>(null);
  const onTrapKey = useFocusTrap(trap, () => onClose());
  const id = String(source.id);
  const cites = useQuery('citations.list', { table: 'sources', id }, ['citations']);
  const files = useQuery('attachments.list', { sourceId: id }, ['sources']);
  const others = useQuery('sources.list', { limit: 5000 }, ['sources']);
  const [target, setTarget] = useState('');
  const [withFiles, setWithFiles] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const n = cites.data?.length ?? 0;
  const f = files.data?.length ?? 0;

  const submit = async () => {
    try {
      await invoke('sources.delete', { id, reassignTo: target || null, deleteAttachments: withFiles });
      onDeleted();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="dialog-backdrop" role="presentation" ref={trap} onKeyDown={onTrapKey}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Delete source"
        data-testid="delete-source-dialog"
      >
        <h2>Delete source</h2>
        <p>
          <UserText text={String(source.title)} />
        </p>
        {n > 0 ? (
          <label>
            It is cited {n} time{n === 1 ? '' : 's'}. Reassign {n === 1 ? 'that citation' : 'those citations'} (and the
            notes&apos; keys) to:
            <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="reassign-to">
              <option value="">Choose a source…</option>
              {others.data?.rows
                .filter((s) => s.id !== id)
                .map((s) => (
                  <option key={s.id} value={s.id} dir="auto">
                    {s.key} · {s.title.slice(0, 80)}
                  </option>
                ))}
            </select>
          </label>
        ) : (
          <p className="muted">Nothing cites it.</p>
        )}
        {f > 0 && (
          <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
            <input
              type="checkbox"
              checked={withFiles}
              onChange={(e) => setWithFiles(e.target.checked)}
              data-testid="delete-files"
            />
            Also delete its {f} attached file{f === 1 ? '' : 's'}
          </label>
        )}
        {error && (
          <p className="error" data-testid="delete-error">
            {error}
          </p>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            disabled={(n > 0 && !target) || (f > 0 && !withFiles)}
            onClick={() => void submit()}
            data-testid="confirm-delete-source"
          >
            {n > 0 ? 'Reassign and delete' : 'Delete'}
          </button>
        </div>
      </div>
    </div>
  );
}

/** Groups of sources that look like one work: choose the one to keep, merge the others into it. */
export function DuplicatesDialog({
  groups,
  onClose,
  onError,
}: {
  groups: { match: string; ids: string[] }[];
  onClose: () => void;
  onError: (m: string) => void;
}) {
  // Modal for the keyboard and assistive technology: focus stays inside, Escape closes.
  const trap = useRef<HTMLDivElement>(null);
  const onTrapKey = useFocusTrap(trap, () => onClose());
  const all = useQuery('sources.list', { limit: 5000 }, ['sources', 'citations']);
  const byId = new Map((all.data?.rows ?? []).map((s) => [s.id, s]));
  const [keep, setKeep] = useState<Record<string, string>>({});

  const merge = async (g: { match: string; ids: string[] }) => {
    const kept = keep[g.match] ?? g.ids[0]!;
    try {
      await invoke('sources.merge', { keep: kept, merge: g.ids.filter((i) => i !== kept) });
      if (groups.length <= 1) onClose();
    } catch (e) {
      onError((e as Error).message);
    }
  };

  return (
    <div className="dialog-backdrop" role="presentation" ref={trap} onKeyDown={onTrapKey}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Possible duplicates"
        data-testid="duplicates-dialog"
        style={{ maxWidth: 720 }}
      >
        <h2>Possible duplicates</h2>
        <p className="muted small">
          Same title (ignoring case, punctuation and accents) and year. Merging moves every citation to the kept source,
          fills its empty fields from the others, and deletes them.
        </p>
        {groups.map((g) => (
          <fieldset key={g.match} data-testid="duplicate-group">
            {g.ids.map((id) => {
              const s = byId.get(id);
              return (
                <label key={id} style={{ display: 'flex', gap: 6, alignItems: 'baseline' }}>
                  <input
                    type="radio"
                    name={g.match}
                    checked={(keep[g.match] ?? g.ids[0]) === id}
                    onChange={() => setKeep({ ...keep, [g.match]: id })}
                  />
                  <span>
                    <strong>{s?.key}</strong> <UserText text={s?.title} />{' '}
                    <span className="muted small">
                      ({s?.published ?? 'n.d.'}, cited {s?.cites ?? 0})
                    </span>
                  </span>
                </label>
              );
            })}
            <button type="button" onClick={() => void merge(g)} data-testid="merge-group">
              Merge into the chosen one
            </button>
          </fieldset>
        ))}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

export type ImportResult = {
  name: string;
  imported: number;
  duplicates: number;
  errors: string[];
  warnings: string[];
  format: string;
};

export function ImportResultDialog({ result, onClose }: { result: ImportResult; onClose: () => void }) {
  // Modal for the keyboard and assistive technology: focus stays inside, Escape closes.
  const trap = useRef<HTMLDivElement>(null);
  const onTrapKey = useFocusTrap(trap, () => onClose());
  return (
    <div className="dialog-backdrop" role="presentation" ref={trap} onKeyDown={onTrapKey}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label="Import result" data-testid="import-result">
        <h2 dir="auto">{result.name}</h2>
        <p>
          {result.format}: imported {result.imported}, skipped {result.duplicates} already in the library
          {result.errors.length ? `, ${result.errors.length} not readable` : ''}.
        </p>
        {(result.errors.length > 0 || result.warnings.length > 0) && (
          <ul className="import-result">
            {result.errors.map((e, i) => (
              <li key={`e${i}`} className="error" dir="auto">
                {e}
              </li>
            ))}
            {result.warnings.map((w, i) => (
              <li key={`w${i}`} className="warn" dir="auto">
                {w}
              </li>
            ))}
          </ul>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose} autoFocus>
            OK
          </button>
        </div>
      </div>
    </div>
  );
}
