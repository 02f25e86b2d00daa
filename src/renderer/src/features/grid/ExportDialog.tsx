import { useRef, useState } from 'react';
import type { SortModel } from '../../../../shared/contract';
import { exportExtension, type ExportFormat, type ExportLayout } from '../../../../shared/channels/grid';
import type { GridTable } from '../../../../shared/domain/common';
import { invoke } from '../../lib/api';
import { getFilter } from '../../lib/filter-store';
import { useQuery } from '../../lib/use-query';
import { downloadFromCore, hasSystemDialog } from '../../lib/files';
import { FileChooser } from '../files/FileChooser';
import { useFocusTrap } from '../../lib/use-focus-trap';
import '../files/files.css';
import { useTask } from '../../lib/use-task';

type Props = {
  table: GridTable;
  sort: SortModel;
  viewCount: number | null;
  onClose: () => void;
  onError: (m: string) => void;
};

/** The folder and base name of a path, whichever separator it uses. */
function split(path: string): { dir: string; base: string; sep: string } {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return { dir: path.slice(0, i), base: path.slice(i + 1).replace(/\.casefile$/i, ''), sep: path[i] ?? '/' };
}

/**
 * Export of the current view (its filters, search and sort) or of the whole table, to CSV, XLSX
 * or JSON. The core writes the file: to the path chosen (the system's dialog in the desktop app)
 * or typed, by default beside the case file; in browser mode by default to its private folder,
 * from which the browser downloads it. Big tables are written in a worker, with progress and a Cancel.
 */
export function ExportDialog({ table, sort, viewCount, onClose, onError }: Props) {
  const info = useQuery('app.info', {}, []);
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [layout, setLayout] = useState<ExportLayout>('casefile');
  const [aliases, setAliases] = useState(false);
  // Incidents and plots also go out as maps (GeoJSON, KML) and as an edge list for link charts.
  const formats: ExportFormat[] =
    table === 'incidents' || table === 'plots'
      ? ['csv', 'xlsx', 'json', 'geojson', 'kml', 'edges']
      : ['csv', 'xlsx', 'json'];
  const [scope, setScope] = useState<'view' | 'table'>('view');
  const [typed, setTyped] = useState<string | null>(null);
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const task = useTask();
  const progress = task.progress;
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [toBrowser, setToBrowser] = useState(!hasSystemDialog);
  const box = useRef<HTMLFormElement>(null);
  const onKeyDown = useFocusTrap(box, () => !busy && onClose());

  const casePath = info.data?.caseFile?.path ?? null;
  // The default path follows the format, layout and scope in the same render (no effect, so the
  // field never shows a stale extension); a typed path keeps its name and takes the format's extension.
  const defaultPath = (() => {
    if (!casePath) return '';
    const { dir, base, sep } = split(casePath);
    const suffix =
      (layout === 'acled' ? '-acled' : scope === 'view' ? '-view' : '') + (format === 'edges' ? '-edges' : '');
    return `${dir}${sep}${base}-${table}${suffix}.${exportExtension(format)}`;
  })();
  const path = typed ?? defaultPath;

  const name = split(path || `${table}.${format}`).base.replace(/^$/, `${table}.${format}`);
  const run = async (chosen = path) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const target = toBrowser ? (await invoke('files.download.target', { name })).path : chosen;
      const r = await invoke('grid.export', {
        table,
        scope,
        format,
        layout,
        sort,
        filter: getFilter(table),
        path: target,
        overwrite: toBrowser || overwrite,
        taskId: task.start(),
        aliases: format === 'edges' && aliases,
      });
      const cut = r.truncatedCells ? ` (${r.truncatedCells} cells cut to Excel's 32,767 characters)` : '';
      if (toBrowser) {
        await downloadFromCore(r.path, name);
        setResult(
          `Wrote ${r.rows.toLocaleString()} ${r.rows === 1 ? 'row' : 'rows'} to ${name}, in this browser's downloads${cut}`,
        );
      } else setResult(`Wrote ${r.rows.toLocaleString()} ${r.rows === 1 ? 'row' : 'rows'} to ${r.path}${cut}`);
    } catch (e) {
      setError((e as Error).message);
      if (!/Cancelled/.test((e as Error).message)) onError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const pct = progress?.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  return (
    <div className="dialog-backdrop" role="presentation">
      <form
        ref={box}
        onKeyDown={onKeyDown}
        aria-modal="true"
        className="dialog export-dialog"
        role="dialog"
        aria-label={`Export ${table}`}
        data-testid="export-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void run();
        }}
      >
        <h2>Export {table}</h2>
        <fieldset disabled={busy}>
          <legend>Rows</legend>
          <label>
            <input
              type="radio"
              name="scope"
              checked={scope === 'view'}
              onChange={() => setScope('view')}
              data-testid="export-scope-view"
            />{' '}
            The current view
            {viewCount !== null ? ` (${viewCount.toLocaleString()} rows, filters and sort applied)` : ''}
          </label>
          <label>
            <input
              type="radio"
              name="scope"
              checked={scope === 'table'}
              onChange={() => setScope('table')}
              data-testid="export-scope-table"
            />{' '}
            The whole table
          </label>
        </fieldset>
        <fieldset disabled={busy}>
          <legend>Format</legend>
          {formats.map((f) => (
            <label key={f}>
              <input
                type="radio"
                name="format"
                checked={format === f}
                onChange={() => {
                  setFormat(f);
                  setTyped((t) => t && t.replace(/\.(csv|xlsx|json|geojson|kml)$/i, `.${exportExtension(f)}`));
                }}
                data-testid={`export-format-${f}`}
              />{' '}
              {f === 'edges' ? 'Edge list (CSV)' : f === 'geojson' ? 'GeoJSON' : f.toUpperCase()}
            </label>
          ))}
          {format === 'edges' && (
            <label title="Each actor and place under the name the Aliases area chose for it, so one group is one node">
              <input
                type="checkbox"
                checked={aliases}
                onChange={(e) => setAliases(e.target.checked)}
                data-testid="export-aliases"
              />{' '}
              Join aliases
            </label>
          )}
          {table === 'incidents' && (format === 'csv' || format === 'xlsx' || format === 'json') && (
            <label title="ACLED's current 31 columns, so the file re-imports as ACLED data">
              <input
                type="checkbox"
                checked={layout === 'acled'}
                onChange={(e) => setLayout(e.target.checked ? 'acled' : 'casefile')}
                data-testid="export-layout-acled"
              />{' '}
              ACLED columns
            </label>
          )}
        </fieldset>
        {!hasSystemDialog && (
          <fieldset disabled={busy}>
            <legend>To</legend>
            <label>
              <input
                type="radio"
                name="to"
                checked={toBrowser}
                onChange={() => setToBrowser(true)}
                data-testid="export-to-browser"
              />{' '}
              This browser&apos;s downloads (<span dir="auto">{name}</span>)
            </label>
            <label>
              <input
                type="radio"
                name="to"
                checked={!toBrowser}
                onChange={() => setToBrowser(false)}
                data-testid="export-to-path"
              />{' '}
              A path on the computer that runs Casefile
            </label>
          </fieldset>
        )}
        {!toBrowser && (
          <>
            <label>
              File
              <span className="path-row">
                <input
                  dir="ltr"
                  className="path-input"
                  value={path}
                  data-testid="export-path"
                  disabled={busy}
                  onChange={(e) => {
                    setTyped(e.target.value);
                  }}
                />
                <FileChooser
                  chooser={{
                    kind: 'save',
                    purpose: 'table-export',
                    title: `Export ${table}`,
                    defaultName: name,
                    extensions: [format],
                  }}
                  testId="export"
                  disabled={busy}
                  onError={setError}
                  onChosen={(p) => {
                    setTyped(p);
                    // The system's dialog asked about replacing an existing file already.
                    setOverwrite(true);
                  }}
                />
              </span>
            </label>
            <label className="inline">
              <input
                type="checkbox"
                checked={overwrite}
                disabled={busy}
                onChange={(e) => setOverwrite(e.target.checked)}
                data-testid="export-overwrite"
              />{' '}
              Replace the file if it exists
            </label>
          </>
        )}
        <p className="muted small">
          Text beginning with =, +, -, @ is written with a leading ' in CSV and XLSX, so a spreadsheet shows it instead
          of running it.
        </p>
        {busy && (
          <div className="progress" data-testid="export-progress">
            <progress max={100} value={pct ?? undefined} />{' '}
            {progress
              ? `${progress.done.toLocaleString()}${progress.total ? ` of ${progress.total.toLocaleString()}` : ''} rows`
              : 'Starting…'}
          </div>
        )}
        {result && (
          <p className="ok" role="status" data-testid="export-result">
            {result}
          </p>
        )}
        {error && (
          <p className="error" role="alert" data-testid="export-error">
            {error}
          </p>
        )}
        <div className="buttons">
          {busy ? (
            <button
              type="button"
              data-testid="export-cancel"
              onClick={() => void task.stop().catch((e: Error) => onError(e.message))}
            >
              Cancel
            </button>
          ) : (
            <button type="button" onClick={onClose}>
              Close
            </button>
          )}
          <button type="submit" disabled={busy || (!toBrowser && path.trim() === '')} data-testid="export-run">
            Export
          </button>
        </div>
      </form>
    </div>
  );
}
