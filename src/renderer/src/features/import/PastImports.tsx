import { useState } from 'react';
import type { ImportRecordView } from '../../../../shared/channels/import';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { useTask } from '../../lib/use-task';
import { when } from './ImportConflicts';

const FORMATS: Record<string, string> = { acled: 'ACLED', gtd: 'GTD', ucdp: 'UCDP GED', csv: 'mapped table' };

/**
 * The imports recorded in the case file, newest first, each with "Remove its rows": what an
 * analyst needs after importing the wrong file, since an import is no Undo step. The removal is
 * one undoable step that runs with its progress and a Stop; an import too large for one step
 * (more than 250,000 incidents) is removed for good instead, after a plainer warning. Rows the
 * import only updated keep their updates, and the sources it created stay in the library.
 */
export function PastImports({ onError }: { onError: (message: string) => void }) {
  const { data } = useQuery('import.past', {}, ['incidents'], []);
  const [asking, setAsking] = useState<string | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  const [stopping, setStopping] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const task = useTask();
  const progress = task.progress;
  if (!data || data.items.length === 0) return null;

  const remove = (r: ImportRecordView) => {
    const permanent = !r.removable;
    setAsking(null);
    setSaid(null);
    setRunning(r.txn);
    setStopping(false);
    invoke('import.remove', { txn: r.txn, permanent, taskId: task.start() })
      .then(({ removed }) =>
        setSaid(
          removed === 0
            ? `None of the rows ${r.file} added are in the case file any more.`
            : `Removed ${removed.toLocaleString()} incident${removed === 1 ? '' : 's'} that ${r.file} added, with their citations.${permanent ? '' : ' Undo brings them back.'}`,
        ),
      )
      .catch((e: Error) => (e.message === 'Cancelled' ? setSaid('Stopped: nothing was removed.') : onError(e.message)))
      .finally(() => setRunning(null));
  };
  const stop = () => {
    setStopping(true);
    task.stop().catch((e: Error) => onError(e.message));
  };

  return (
    <section className="panel past-imports" data-testid="past-imports" aria-label="Earlier imports">
      <h2>Earlier imports</h2>
      {said && (
        <p className="past-imports-said" role="status" data-testid="past-imports-said">
          {said}
        </p>
      )}
      <div className="import-table-wrap">
        <table className="import-table">
          <thead>
            <tr>
              <th>When</th>
              <th>File</th>
              <th>Kind</th>
              <th>By</th>
              <th>Added</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.items.map((r) => (
              <tr key={r.txn} data-testid="past-imports-row">
                <td className="when">{when(r.at)}</td>
                <td className="cell" dir="auto" title={r.file}>
                  {r.file}
                </td>
                <td>{FORMATS[r.format] ?? r.format}</td>
                <td className="cell" dir="auto">
                  {r.author ?? ''}
                </td>
                <td className="num">{r.imported.toLocaleString()}</td>
                <td className="num">{r.updated.toLocaleString()}</td>
                <td className="past-import-action">
                  {r.removed ? (
                    <span className="muted" data-testid="import-removed">
                      Its rows were removed for good{r.removed.at ? ` on ${when(r.removed.at)}` : ''}
                      {r.removed.by ? ` by ${r.removed.by}` : ''}.
                    </span>
                  ) : running === r.txn ? (
                    <span className="removing" role="status" data-testid="import-remove-progress">
                      <span className="muted">{stopping ? 'Stopping…' : (progress?.message ?? 'Removing…')}</span>{' '}
                      <button type="button" data-testid="import-remove-stop" disabled={stopping} onClick={stop}>
                        Stop
                      </button>
                    </span>
                  ) : asking === r.txn ? (
                    <span className="confirm" data-testid="import-remove-confirm">
                      Remove the incidents it added that are still here, with their citations? Rows it updated keep
                      their updates; its sources stay in the library.{' '}
                      {r.removable ? (
                        'Undo brings them back.'
                      ) : (
                        <strong>
                          This cannot be undone: it added more than one Undo step can hold, and the Undo history is
                          cleared. The change log keeps the id of each row removed.
                        </strong>
                      )}{' '}
                      <button
                        type="button"
                        className="danger"
                        data-testid="import-remove-yes"
                        onClick={() => remove(r)}
                      >
                        Remove them
                      </button>{' '}
                      <button type="button" data-testid="import-remove-no" onClick={() => setAsking(null)}>
                        Keep them
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      data-testid="import-remove"
                      disabled={running !== null || r.imported === 0}
                      title={
                        r.removable
                          ? undefined
                          : 'It added more incidents than one Undo step can hold: they can be removed, but not brought back.'
                      }
                      onClick={() => setAsking(r.txn)}
                    >
                      {r.removable ? 'Remove its rows…' : 'Remove its rows for good…'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
