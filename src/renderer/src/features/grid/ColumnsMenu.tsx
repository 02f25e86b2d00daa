import { useEffect, useRef, useState } from 'react';
import type { GridApi } from 'ag-grid-community';
import { FIELDS, type Field } from '../../../../shared/domain/fields';
import type { GridTable } from '../../../../shared/domain/common';

/**
 * Which columns the grid shows (AG Grid Community has no column chooser). Hidden columns are part
 * of the saved layout; a filter on a hidden column still applies.
 */
export function ColumnsMenu({ table, api }: { table: GridTable; api: GridApi | null }) {
  const [open, setOpen] = useState(false);
  const [, redraw] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  const fields = FIELDS[table] as readonly Field[];
  return (
    <div className="columns-menu" ref={ref}>
      <button type="button" aria-expanded={open} data-testid="columns-menu" onClick={() => setOpen(!open)}>
        Columns
      </button>
      {open && api && (
        <div className="popover" role="menu" aria-label="Columns shown">
          {fields.map((f) => (
            <label key={f.name}>
              <input
                type="checkbox"
                checked={api.getColumn(f.name)?.isVisible() ?? false}
                onChange={(e) => {
                  api.setColumnsVisible([f.name], e.target.checked);
                  redraw((n) => n + 1);
                }}
              />
              {f.label}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}
