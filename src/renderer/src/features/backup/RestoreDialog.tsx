import { useState } from 'react';
import type { BackupItem } from '../../../../shared/channels/settings-backups';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { folderOf } from '../exchange/format';
import { Modal } from '../shell/Modal';

const REASON: Record<BackupItem['reason'], string> = {
  open: 'when opened',
  merge: 'before a merge',
  removal: 'before a removal for good',
  manual: 'made by hand',
};
const when = (at: string) =>
  new Date(at).toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
const n = (b: BackupItem, t: string) => (b.counts[t] ?? 0).toLocaleString();
const stamp = (at: string) => at.slice(0, 16).replace('T', ' ').replace(':', '');

/**
 * "Restore from backup…": the open case file's backups with their time and row counts; the chosen
 * one is restored into a new file (never over the open one) and opened.
 */
export function RestoreDialog({ onClose, onDone }: { onClose: () => void; onDone: (message: string) => void }) {
  const info = useQuery('app.info', {}, []);
  const list = useQuery('backup.list', {}, []);
  const [chosen, setChosen] = useState<BackupItem | null>(null);
  const [out, setOut] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = info.data?.caseFile?.path ?? '';
  const stem = path.slice(folderOf(path).length).replace(/\.casefile$/i, '') || 'case';

  const choose = (b: BackupItem) => {
    setChosen(b);
    setOut(`${folderOf(path)}${stem} (restored ${stamp(b.at)}).casefile`);
  };
  const backUpNow = () => {
    setBusy('Backing up…');
    setError(null);
    invoke('backup.now', {})
      .then(() => list.refresh())
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(null));
  };
  const restore = () => {
    if (!chosen) return;
    setBusy('Restoring…');
    setError(null);
    invoke('backup.restore', { backup: chosen.path, out })
      .then((r) => onDone(`Restored the backup of ${when(chosen.at)} into ${r.path}; you are now working in it.`))
      .catch((e: Error) => {
        setError(e.message);
        setBusy(null);
      });
  };

  const items = list.data?.items ?? [];
  return (
    <Modal
      title="Restore from backup"
      onClose={onClose}
      testId="restore-dialog"
      wide
      footer={
        <>
          <button type="button" onClick={backUpNow} disabled={!!busy} data-testid="backup-now">
            Back up now
          </button>
          <button
            type="button"
            onClick={restore}
            disabled={!chosen || !out.trim() || !!busy}
            data-testid="restore-confirm"
          >
            Restore and open
          </button>
        </>
      }
    >
      <p className="muted">
        Backups of <code>{path}</code>, newest first. A backup is restored into a new file beside it; the open case file
        is left as it is.
        {list.data && !list.data.enabled && ' Automatic backups are off (Settings); Back up now still makes one.'}
      </p>
      {list.data?.lastError && (
        <p className="error" role="alert" data-testid="backup-last-error">
          {list.data.lastError}
        </p>
      )}
      {list.error && <p className="error">{list.error}</p>}
      {list.data && items.length === 0 && <p data-testid="restore-none">No backups of this case file yet.</p>}
      {items.length > 0 && (
        <table className="restore-list" data-testid="restore-list">
          <thead>
            <tr>
              <th>Made</th>
              <th>Why</th>
              <th className="num">Incidents</th>
              <th className="num">Plots</th>
              <th className="num">Sources</th>
              <th className="num">Figures</th>
              <th className="num">Citations</th>
              <th className="num">Notes</th>
            </tr>
          </thead>
          <tbody>
            {items.map((b) => (
              <tr
                key={b.path}
                className={chosen?.path === b.path ? 'chosen' : ''}
                onClick={() => choose(b)}
                data-testid="restore-item"
              >
                <td>
                  <label className="inline">
                    <input
                      type="radio"
                      name="backup"
                      checked={chosen?.path === b.path}
                      onChange={() => choose(b)}
                      aria-label={`Backup of ${when(b.at)}`}
                    />
                    {when(b.at)}
                  </label>
                </td>
                <td>{REASON[b.reason]}</td>
                <td className="num">{n(b, 'incidents')}</td>
                <td className="num">{n(b, 'plots')}</td>
                <td className="num">{n(b, 'sources')}</td>
                <td className="num">{n(b, 'figures')}</td>
                <td className="num">{n(b, 'citations')}</td>
                <td className="num">{n(b, 'notes')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen && (
        <label>
          Restore into the new file
          <input
            value={out}
            onChange={(e) => setOut(e.target.value)}
            dir="auto"
            data-testid="restore-out"
            spellCheck={false}
          />
        </label>
      )}
      {busy && <p role="status">{busy}</p>}
      {error && (
        <p className="error" role="alert" data-testid="restore-error">
          {error}
        </p>
      )}
      <p className="muted">
        Backups are kept in {list.data?.folder ?? 'the settings folder'}: the last {list.data?.keep ?? 10} (as set in
        Settings) and one a week for five weeks, at most 2 GB per case file.
      </p>
    </Modal>
  );
}
