import { useEffect, useRef, useState } from 'react';
import { FIELDS, type Field } from '../../../../shared/domain/fields';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { useOnLeave } from '../../lib/use-on-leave';
import { CitationList } from '../citations/CitationList';
import { BidiWarning } from '../../components/UserText';
import { hasBidiHazard } from '../../../../shared/markdown/bidi';
import { Attachments } from './Attachments';
import { DeleteSourceDialog } from './SourceDialogs';

const EDITABLE = (FIELDS.sources as readonly Field[]).filter((f) => f.name !== 'published_precision');
type Form = Record<string, string>;

const toForm = (row: Record<string, unknown> | null | undefined): Form =>
  Object.fromEntries(
    EDITABLE.map((f) => [
      f.name,
      row?.[f.name] === null || row?.[f.name] === undefined
        ? f.name === 'type' && !row
          ? 'research'
          : ''
        : String(row[f.name]),
    ]),
  );

/** Asks the open editor to let the library move elsewhere: `proceed` runs once its edits are saved or discarded. */
export type LeaveEditor = (proceed: () => void) => void;

const sameForm = (a: Form, b: Form) => EDITABLE.every((f) => (a[f.name] ?? '') === (b[f.name] ?? ''));

/**
 * One source: its fields, its attached files, and what cites it. `id` null: a new source.
 *
 * Edits are never dropped silently. Moving to another source (leaveRef) saves them first; when
 * they cannot be saved (a required field emptied, a bad date) the editor stays, says why, and
 * offers to discard them. Leaving the tab saves them too (a failure is reported). A change of
 * the stored row (another window, undo) updates the fields the analyst has not touched.
 */
export function SourceEditor({
  id,
  leaveRef,
  onSaved,
  onDeleted,
  onError,
}: {
  id: string | null;
  leaveRef: React.RefObject<LeaveEditor | null>;
  onSaved: (id: string) => void;
  onDeleted: () => void;
  onError: (m: string) => void;
}) {
  const row = useQuery('sources.get', { id: id ?? '00000000-0000-7000-8000-000000000000' }, ['sources']);
  const current = id ? row.data : null;
  const [form, setForm] = useState<Form>(() => toForm(null));
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  /** Where the analyst asked to go while the edits could not be saved. */
  const [blocked, setBlocked] = useState<(() => void) | null>(null);
  /** The form as last loaded from the stored row: what "no edit" means. */
  const base = useRef<Form>(toForm(null));
  const formRef = useRef(form);
  formRef.current = form;

  // The form follows the stored row when it changes (another window's edit, undo), field by field:
  // a field the analyst is editing keeps their text, the others take the new value (so that saving
  // their edit does not write the old values of the others back).
  useEffect(() => {
    if (current === undefined) return;
    const next = toForm(current);
    const was = base.current;
    const f = formRef.current;
    const merged: Form = Object.fromEntries(
      EDITABLE.map((x) => [
        x.name,
        (f[x.name] ?? '') === (was[x.name] ?? '') ? (next[x.name] ?? '') : (f[x.name] ?? ''),
      ]),
    );
    base.current = next;
    formRef.current = merged;
    if (!sameForm(merged, f)) setForm(merged);
  }, [current]);

  /** The fields that differ from the stored row; for a new source, every field. */
  const changes = (f: Form): Record<string, string | null> | null => {
    const values: Record<string, string | null> = {};
    for (const field of EDITABLE) {
      const v = f[field.name]?.trim() ?? '';
      const before =
        current?.[field.name] === null || current?.[field.name] === undefined ? '' : String(current[field.name]);
      if (!id || v !== before) values[field.name] = v === '' ? null : v;
    }
    return id && Object.keys(values).length === 0 ? null : values;
  };

  const write = async (f: Form): Promise<string | null> => {
    const values = changes(f);
    if (!values) return id;
    const saved = await invoke('sources.save', { id, values });
    base.current = f;
    return String(saved.id);
  };

  const save = async () => {
    try {
      const saved = await write(form);
      setError(null);
      setBlocked(null);
      if (saved) onSaved(saved);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  useEffect(() => {
    leaveRef.current = (proceed) => {
      const f = formRef.current;
      if (sameForm(f, base.current)) return proceed();
      write(f).then(
        () => proceed(),
        (e: Error) => {
          setError(`Not saved: ${e.message}`);
          setBlocked(() => proceed);
        },
      );
    };
    return () => {
      leaveRef.current = null;
    };
  });

  // Leaving the tab (the editor unmounts with the library) or closing the window: the edits are
  // saved, or the failure said.
  useOnLeave(() => {
    const f = formRef.current;
    if (sameForm(f, base.current)) return;
    write(f).catch((e: Error) => onError(`${f.key || 'The new source'}: not saved: ${e.message}`));
  });

  const discard = () => {
    const go = blocked;
    // Before the move unmounts this editor, which would otherwise save what was discarded.
    formRef.current = base.current;
    setForm(base.current);
    setError(null);
    setBlocked(null);
    go?.();
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
              <select
                value={form[f.name]}
                onChange={(e) => setForm({ ...form, [f.name]: e.target.value })}
                data-testid={`source-${f.name}`}
              >
                {!f.required && <option value="">—</option>}
                {f.values.map((v) => (
                  <option key={v} value={v}>
                    {v.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            ) : f.kind === 'longtext' ? (
              <textarea
                rows={3}
                dir="auto"
                value={form[f.name]}
                onChange={(e) => setForm({ ...form, [f.name]: e.target.value })}
                data-testid={`source-${f.name}`}
              />
            ) : (
              <input
                dir="auto"
                value={form[f.name]}
                placeholder={
                  f.kind === 'date' ? 'YYYY, YYYY-MM or YYYY-MM-DD' : f.name === 'accessed' ? 'YYYY-MM-DD' : undefined
                }
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
      {error && (
        <p className="error" role="alert" data-testid="source-error">
          {error}{' '}
          {blocked && (
            <button type="button" onClick={discard} data-testid="source-discard">
              Discard my changes
            </button>
          )}
        </p>
      )}
      {id && current && (
        <>
          <h3>Attached files</h3>
          <Attachments sourceId={id} onError={onError} />
          <h3>Cited by</h3>
          <CitationList table="sources" id={id} onError={onError} />
        </>
      )}
      {deleting && id && current && (
        <DeleteSourceDialog
          source={current}
          onClose={() => setDeleting(false)}
          onDeleted={() => {
            formRef.current = base.current;
            onDeleted();
          }}
        />
      )}
    </aside>
  );
}
