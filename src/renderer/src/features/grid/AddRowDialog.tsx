import { useFocusTrap } from '../../lib/use-focus-trap';
import { useRef, useState } from 'react';
import type { GridTable } from '../../../../shared/domain/common';
import { invoke } from '../../lib/api';
import { requiredFields } from './columns';

type Props = { table: GridTable; onClose: () => void; onCreated: (id: string) => void };

/**
 * Asks for the fields a new row cannot be saved without, then creates it through the core. A
 * table without such fields (incidents) gets its row from the Add row button directly.
 */
export function AddRowDialog({ table, onClose, onCreated }: Props) {
  // Modal for the keyboard and assistive technology: focus stays inside, Escape closes.
  const trap = useRef<HTMLDivElement>(null);
  const onTrapKey = useFocusTrap(trap, () => onClose());
  const fields = requiredFields(table);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, f.values?.[0] ?? ''])),
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    const out: Record<string, string | number | null> = {};
    for (const f of fields) {
      const v = values[f.name] ?? '';
      out[f.name] = f.kind === 'int' || f.kind === 'real' ? (v === '' ? null : Number(v)) : v === '' ? null : v;
    }
    try {
      const row = await invoke('rows.create', { table, values: out });
      onClose();
      onCreated(row.id as string);
    } catch (e) {
      // Said once, in the dialog beside the fields (not again in a toast behind it).
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop" role="presentation" ref={trap} onKeyDown={onTrapKey}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={`New ${table} row`}
        data-testid="add-row-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2>New row</h2>
        {fields.map((f, i) => (
          <label key={f.name}>
            {f.label}
            {f.values ? (
              <select value={values[f.name]} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
                {f.values.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            ) : (
              <input
                autoFocus={i === 0}
                dir="auto"
                value={values[f.name]}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              />
            )}
          </label>
        ))}
        {error && (
          <p className="error" role="alert" data-testid="add-row-error">
            {error}
          </p>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            Add
          </button>
        </div>
      </form>
    </div>
  );
}
