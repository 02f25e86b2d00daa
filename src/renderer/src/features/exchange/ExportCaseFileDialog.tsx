import { useState } from 'react';
import { GRID_TABLES, type GridTable } from '../../../../shared/domain/common';
import type { ExportScope } from '../../../../shared/channels/exchange';
import { invoke } from '../../lib/api';
import { getFilter } from '../../lib/filter-store';
import { downloadFromCore } from '../../lib/files';
import { PathDialog, type SaveHow } from './PathDialog';
import { ProgressLine } from './ProgressLine';
import { useTask } from '../../lib/use-task';

/** The grid's current filters, per table that has one: what "the filtered rows" means. */
function gridScope(): ExportScope {
  const scope: ExportScope = {};
  for (const t of GRID_TABLES as readonly GridTable[]) {
    const f = getFilter(t);
    if (Object.keys(f.columns).length > 0 || f.search.trim() !== '') scope[t] = f;
  }
  return scope;
}

/** File > Export case file: the whole file or the grid's filtered rows, for a colleague. */
export function ExportCaseFileDialog({
  initial,
  onDone,
  onClose,
}: {
  initial: string;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const filtered = gridScope();
  const tables = Object.keys(filtered);
  const [subset, setSubset] = useState(false);
  const [attachments, setAttachments] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const task = useTask();
  const progress = task.progress;

  const name = initial.slice(Math.max(initial.lastIndexOf('/'), initial.lastIndexOf('\\')) + 1);
  const run = async (typed: string, how: SaveHow) => {
    setBusy(true);
    setError(null);
    try {
      // A download is written to Casefile's private folder first, then handed to the browser.
      const path = how === 'download' ? (await invoke('files.download.target', { name })).path : typed;
      const r = await invoke('exchange.export', {
        path,
        scope: subset ? filtered : null,
        attachments,
        taskId: task.start(),
      });
      const n = (t: string) => (r.counts[t] ?? 0).toLocaleString();
      const counts = `${n('incidents')} incidents, ${n('plots')} plots, ${n('figures')} figures, ${n('sources')} sources, ${n('citations')} citations`;
      // Files pulled from the team hub that could not be fetched now: their rows went, their bytes did not.
      const onHub = r.counts.attachments_on_hub ?? 0;
      const lacking =
        onHub > 0
          ? ` Not in it: the bytes of ${onHub.toLocaleString()} attached file${onHub === 1 ? '' : 's'} held on the team hub (open them while the hub can be reached, then export again).`
          : '';
      if (how === 'download') {
        await downloadFromCore(r.path, name);
        onDone(`Exported ${name} to this browser's downloads: ${counts}.${lacking}`);
      } else onDone(`Exported to ${r.path}: ${counts}.${lacking}`);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <PathDialog
      title="Export case file for a colleague"
      label="Save the copy as (a path on this computer)"
      initial={initial}
      confirm="Export"
      testId="export-dialog"
      busy={busy}
      error={error}
      chooser={{ kind: 'save', purpose: 'casefile', title: 'Export case file for a colleague', defaultName: name }}
      download={name}
      onSubmit={(p, how) => void run(p, how)}
      onCancel={() => {
        if (busy) void task.stop().catch(() => undefined);
        onClose();
      }}
    >
      <fieldset className="xc-options" disabled={busy}>
        <label className="xc-check">
          <input
            type="radio"
            name="scope"
            checked={!subset}
            onChange={() => setSubset(false)}
            data-testid="export-whole"
          />
          The whole case file
        </label>
        <label className="xc-check" title={tables.length ? undefined : 'Filter a grid first'}>
          <input
            type="radio"
            name="scope"
            checked={subset}
            disabled={tables.length === 0}
            onChange={() => setSubset(true)}
            data-testid="export-filtered"
          />
          Only the rows filtered in the grid{tables.length ? ` (${tables.join(', ')})` : ' (no filter is set)'}, with
          the sources and citations they need
        </label>
        <label className="xc-check">
          <input
            type="checkbox"
            checked={attachments}
            onChange={(e) => setAttachments(e.target.checked)}
            data-testid="export-attachments"
          />
          Include attached source files
        </label>
      </fieldset>
      <p className="muted xc-note">
        Deleted rows and their text are not in the copy; the history of the rows it holds is, so that your colleague’s
        work can be merged back.
      </p>
      {busy && <ProgressLine progress={progress} fallback="Starting…" />}
    </PathDialog>
  );
}
