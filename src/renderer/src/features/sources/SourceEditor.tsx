import { useEffect, useState } from 'react';
import { FIELDS, type Field } from '../../../../shared/domain/fields';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { CitationList } from '../citations/CitationList';
import { BidiWarning } from '../citations/UserText';
import { hasBidiHazard } from '../../../../shared/markdown/bidi';
import { Attachments } from './Attachments';
import { DeleteSourceDialog } from './SourceDialogs';

const EDITABLE = (FIELDS.sources as readonly Field[]).filter((f) => f.name !== 'published_precision');
type Form = Record<string, string>;

const toForm = (row: Record<string, unknown> | null | undefined): Form =>
  Object.fromEntries(EDITABLE.map((f) => [f.name, row?.[f.name] === null || row?.[f.name] === undefined ? (f.name === 'type' && !row ? 'research' : '') : String(row[f.name])]));

/** One source: its fields, its attached files, and what cites it. `id` null: a new source. */
export function SourceEditor({ id, onSaved, onDeleted, onError }: { id: string | null; onSaved: (id: string) => void; onDeleted: () => void; onError: (m: string) => void }) {
  const row = useQuery('sources.get', { id: id ?? '00000000-0000-7000-8000-000000000000' }, ['sources']);
  const current = id ? row.data : null;
  const [form, setForm] = useState<Form>(() => toForm(null));
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  // The form follows the stored row when it changes (another window's edit, undo).
  useEffect(() => {
    if (current !== undefined) setForm(toForm(current));
  }, [current]);

  const save = async () => {
    const values: Record<string, string | null> = {};
    for (const f of EDITABLE) {
      const v = form[f.name]?.trim() ?? '';
      const before = current?.[f.name] === null || current?.[f.name] === undefined ? '' : String(current[f.name]);
      if (!id || v !== before) values[f.name] = v === '' ? null : v;
    }
    if (id && Object.keys(values).length === 0) return;
    try {
      const saved = await invoke('sources.save', { id, values });
      setError(null);
      onSaved(String(saved.id));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <aside className="side-panel" aria-label="Source" data-testid="source-editor">
      <h3>{id ? 'Source' : 'New source'}</h3>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {EDITABLE.map((f) => (
          <label key={f.name} style={{ display: 'contents' }}>
            <span>
              {f.label}
              {f.required ? ' *' : ''}
            </span>
            {f.values ? (
              <select value={form[f.name]} onChange={(e) => setForm({ ...form, [f.name]: e.target.value })} data-testid={`source-${f.name}`}>
                {!f.required && <option value="">—</option>}
                {f.values.map((v) => (
                  <option key={v} value={v}>
                    {v.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            ) : f.kind === 'longtext' ? (
              <textarea rows={3} dir="auto" value={form[f.name]} onChange={(e) => setForm({ ...form, [f.name]: e.target.value })} data-testid={`source-${f.name}`} />
            ) : (
              <input
                dir="auto"
                value={form[f.name]}
                placeholder={f.kind === 'date' ? 'YYYY, YYYY-MM or YYYY-MM-DD' : f.name === 'accessed' ? 'YYYY-MM-DD' : undefined}
                onChange={(e) => setForm({ ...form, [f.name]: e.target.value })}
                data-testid={`source-${f.name}`}
              />
            )}
          </label>
        ))}
        <span />
        <div className="item-buttons">
          <button type="submit" data-testid="source-save">
            {id ? 'Save' : 'Add source'}
          </button>
          {id && (
            <button type="button" onClick={() => setDeleting(true)} data-testid="source-delete">
              Delete…
            </button>
          )}
        </div>
      </form>
      {hasBidiHazard(form.title ?? '') && <BidiWarning text={form.title} />}
      {error && <p className="error" data-testid="source-error">{error}</p>}
      {id && current && (
        <>
          <h3>Attached files</h3>
          <Attachments sourceId={id} onError={onError} />
          <h3>Cited by</h3>
          <CitationList table="sources" id={id} onError={onError} />
        </>
      )}
      {deleting && id && current && <DeleteSourceDialog source={current} onClose={() => setDeleting(false)} onDeleted={onDeleted} />}
    </aside>
  );
}
