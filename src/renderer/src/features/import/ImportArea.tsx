import { useCallback, useEffect, useRef, useState } from 'react';
import { onDropped, takeDropped } from '../../lib/dropped-file';
import { discardReceived, uploadFile, type UploadProgress } from '../../lib/files';
import { FileChooser } from '../files/FileChooser';
import { UploadProgressLine } from '../files/UploadProgressLine';
import '../files/files.css';
import type { DateOrder, ImportFormat, ImportPreview, ImportReport } from '../../../../shared/channels/import';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { useTask } from '../../lib/use-task';
import { DateOrderChoice } from './DateOrderChoice';
import { ImportConflicts } from './ImportConflicts';
import { PastImports } from './PastImports';
import { ImportProgressBar } from './ImportProgressBar';
import { ImportReportView } from './ImportReportView';
import { MappingTable } from './MappingTable';
import { PreviewTable } from './PreviewTable';
import './import.css';

const FORMAT_NAME: Record<ImportFormat, string> = {
  acled: 'ACLED export',
  gtd: 'Global Terrorism Database',
  ucdp: 'UCDP Georeferenced Event Dataset',
  csv: 'Table (columns mapped below)',
};

/**
 * The Import area: a file chosen with Choose… (the system's dialog in the desktop app; in browser
 * mode the browser's, the file then sent to Casefile with its progress), dropped on the window, or
 * a path typed that Casefile can read; a preview of the first rows with the format
 * recognised from the header, the column mapping for any other table, then the import with its
 * progress and Cancel, and the report; below, the conflicts of re-imports waiting for a choice.
 */
export function ImportArea({ onError }: { onError: (message: string) => void }) {
  const [path, setPath] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [format, setFormat] = useState<ImportFormat | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [dateOrder, setDateOrder] = useState<DateOrder | null>(null);
  const [loading, setLoading] = useState(false);
  const [running, setRunning] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [report, setReport] = useState<{ report: ImportReport; fileName: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const task = useTask();
  const prefs = useQuery('settings.get', {}, [], ['settings.changed']);
  // A file sent from the browser: removed from Casefile's private folder once imported or replaced.
  const received = useRef<string | null>(null);
  const [sending, setSending] = useState<UploadProgress | null>(null);
  const sendAbort = useRef<AbortController | null>(null);
  const forget = () => {
    if (received.current) discardReceived(received.current);
    received.current = null;
  };

  const doPreview = (target = path) => {
    setLoading(true);
    setProblem(null);
    setReport(null);
    invoke('import.preview', { path: target })
      .then((p) => {
        setPreview(p);
        setFormat(p.format);
        setMapping(p.mapping ?? {});
        // What the file settles or its header confirmed comes first, then the analyst's default (Settings).
        setDateOrder(p.dates ? (p.dates.order ?? prefs.data?.dateOrder ?? null) : null);
      })
      .catch((e: Error) => {
        setPreview(null);
        setProblem(e.message);
      })
      .finally(() => setLoading(false));
  };

  // The latest doPreview (it reads the analyst's date order default), for the drop and upload path.
  const previewLatest = useRef(doPreview);
  previewLatest.current = doPreview;
  const send = useCallback((file: File) => {
    sendAbort.current = new AbortController();
    setProblem(null);
    setPreview(null);
    uploadFile(file, { onProgress: setSending, signal: sendAbort.current.signal })
      .then((r) => {
        forget();
        received.current = r.path;
        setPath(r.path);
        previewLatest.current(r.path);
      })
      .catch((e: Error) => setProblem(e.message === 'Cancelled' ? `${file.name} was not sent: cancelled.` : e.message))
      .finally(() => setSending(null));
  }, []);

  // A CSV or XLSX dropped on the window comes here, now or while this area is open.
  useEffect(() => {
    const take = () => {
      const f = takeDropped('data');
      if (f) send(f);
    };
    take();
    return onDropped('data', take);
  }, [send]);
  useEffect(() => () => forget(), []);

  const doImport = () => {
    if (!preview || !format) return;
    setRunning(true);
    setCancelling(false);
    setProblem(null);
    setReport(null);
    const fileName = preview.fileName;
    invoke('import.run', {
      path: preview.path,
      format,
      taskId: task.start(),
      ...(format === 'csv' ? { mapping, dateOrder } : format === 'acled' && preview.dates ? { dateOrder } : {}),
    })
      .then((r) => {
        setReport({ report: r, fileName });
        setPreview(null);
        forget();
      })
      .catch((e: Error) =>
        e.message === 'Cancelled' ? setProblem('Import cancelled: the case file is as it was.') : setProblem(e.message),
      )
      .finally(() => setRunning(false));
  };

  const cancel = () => {
    setCancelling(true);
    task.stop().catch((e: Error) => onError(e.message));
  };

  const mapped = Object.values(mapping).filter((v) => v !== null).length;
  return (
    <div className="import-area" data-testid="import-area">
      <section className="panel">
        <h2>Import a data file</h2>
        <form
          className="import-path"
          onSubmit={(e) => {
            e.preventDefault();
            if (path.trim() && !running) doPreview();
          }}
        >
          <label htmlFor="import-path">File</label>
          <input
            id="import-path"
            type="text"
            data-testid="import-path"
            placeholder="/path/to/acled-export.csv (CSV or XLSX), or Choose…, or drop it on the window"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            spellCheck={false}
            dir="auto"
            disabled={running}
          />
          <button type="submit" data-testid="import-preview" disabled={!path.trim() || loading || running}>
            {loading ? 'Reading…' : 'Preview'}
          </button>
          <FileChooser
            chooser={{ kind: 'open', purpose: 'data', title: 'Import a data file' }}
            testId="import"
            disabled={running || loading || sending !== null}
            onError={setProblem}
            onChosen={(p, copy) => {
              forget();
              if (copy) received.current = p;
              setPath(p);
              doPreview(p);
            }}
          />
        </form>
        {sending && <UploadProgressLine progress={sending} onCancel={() => sendAbort.current?.abort()} />}
        <p className="muted">
          ACLED (every layout) and GTD files are recognised from their header; any other CSV or XLSX is imported through
          a column mapping.
        </p>
        {problem && (
          <p className="error banner" role="alert" data-testid="import-problem" dir="auto">
            {problem}
          </p>
        )}
      </section>

      {preview && (
        <section className="panel" data-testid="import-preview-panel">
          <h2>
            <span dir="auto">{preview.fileName}</span>
          </h2>
          <div className="import-facts">
            <span data-testid="import-format">
              Format: <b>{FORMAT_NAME[preview.format]}</b>
              {preview.layout ? ` (${preview.layout} layout)` : ''}
            </span>
            <span>
              {preview.kind.toUpperCase()}
              {preview.kind === 'csv' ? `, ${preview.encoding === 'utf8' ? 'UTF-8' : 'Windows-1252'}` : ''}
            </span>
            <span>{preview.header.length} columns</span>
            <span data-testid="import-estimate">
              {preview.estimatedRows === null
                ? 'row count unknown until read'
                : `about ${preview.estimatedRows.toLocaleString()} rows`}
            </span>
            <label>
              Import as{' '}
              <select
                data-testid="import-format-select"
                value={format ?? preview.format}
                onChange={(e) => setFormat(e.target.value as ImportFormat)}
                disabled={running}
              >
                <option value="acled">ACLED</option>
                <option value="gtd">GTD</option>
                <option value="ucdp">UCDP GED</option>
                <option value="csv">Table with a column mapping</option>
              </select>
            </label>
          </div>
          {format === 'csv' && (
            <>
              <p className="muted">
                Map each column to a field, or leave it ignored.
                {preview.mappingSource === 'remembered'
                  ? ' This is the mapping confirmed for files with this header before.'
                  : ' A first guess from the column names: check it.'}
              </p>
              <MappingTable
                preview={preview}
                mapping={mapping}
                onChange={(col, t) => setMapping((m) => ({ ...m, [col]: t }))}
              />
              {!Object.values(mapping).includes('external_id') && (
                <p className="import-dates-note warn" data-testid="import-no-id-warning">
                  No column is mapped to external_id: the rows cannot be found again, so importing this file again will
                  add its rows again.
                </p>
              )}
              <DateOrderChoice dates={preview.dates} value={dateOrder} onChange={setDateOrder} disabled={running} />
            </>
          )}
          {format === 'acled' && preview.dates && (
            <DateOrderChoice dates={preview.dates} value={dateOrder} onChange={setDateOrder} disabled={running} />
          )}
          <h3>First rows</h3>
          <PreviewTable preview={preview} />
          <div className="import-actions" style={{ marginTop: 10 }}>
            <button
              type="button"
              className="primary"
              data-testid="import-run"
              onClick={doImport}
              disabled={running || (format === 'csv' && mapped === 0)}
            >
              Import
            </button>
            <span className="muted">
              Rows already in the case file are updated, never duplicated; your edits are kept. An import is not undone
              with Undo: Earlier imports, at the foot of this tab, removes the rows it added.
            </span>
          </div>
        </section>
      )}

      {running && (
        <section className="panel">
          <ImportProgressBar progress={task.progress} onCancel={cancel} cancelling={cancelling} />
        </section>
      )}

      {report && <ImportReportView report={report.report} fileName={report.fileName} />}
      <ImportConflicts onError={onError} />
      <PastImports onError={onError} />
    </div>
  );
}
