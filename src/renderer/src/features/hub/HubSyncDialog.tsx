import { useRef, useState } from 'react';
import type { HubSyncResult } from '../../../../shared/channels/hub';
import { invoke } from '../../lib/api';
import { useFocusTrap } from '../../lib/use-focus-trap';
import { useQuery } from '../../lib/use-query';
import { useTask } from '../../lib/use-task';
import { ProgressLine } from '../exchange/ProgressLine';

const n = (x: number) => x.toLocaleString('en-US');
const rows = (x: number) => `${n(x)} row${x === 1 ? '' : 's'}`;

/** A sync's result in a line: what came from the hub, what went to it. */
export function syncText(r: HubSyncResult): string {
  const pulled = r.pulled ? r.pulled.added + r.pulled.updated + r.pulled.deleted : 0;
  const pushed = r.pushed ? r.pushed.rows + r.pushed.deleted : 0;
  const created = r.created ? ' (a new hub case: grant it to colleagues with casefile hub grant)' : '';
  // The hub records changes under the role it authenticated, not the name typed here: said, as it renames them here too.
  const renamed = r.pushed?.renamed ?? 0;
  const recorded =
    renamed > 0
      ? ` Your changes (${n(renamed)} history ${renamed === 1 ? 'entry' : 'entries'}) are recorded under ${r.role}, the role the hub signed you in as, here as on the hub.`
      : '';
  return `Synced with hub case ${r.caseId}${created} as ${r.role}: pulled ${rows(pulled)}, pushed ${rows(pushed)}.${recorded}`;
}

/**
 * File > Team hub sync: the open case file synced with the team's PostgreSQL hub. The address is
 * remembered (never a password: that is in ~/.pgpass or PGPASSWORD). Conflicts stop the sync;
 * `onReview` opens the merge review on the hub case the core wrote beside the file.
 */
export function HubSyncDialog({
  onDone,
  onClose,
  onReview,
}: {
  onDone: (message: string) => void;
  onClose: () => void;
  onReview: (path: string) => void;
}) {
  const remembered = useQuery('hub.get', {}, []);
  const [typed, setTyped] = useState<string | null>(null);
  const [caseId, setCaseId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<NonNullable<HubSyncResult['conflicts']> | null>(null);
  const task = useTask();
  // Set when the core took this window's Stop (a join's load): the sync's "Cancelled" is then said plainly.
  const stopped = useRef(false);
  const box = useRef<HTMLFormElement>(null);
  const onKeyDown = useFocusTrap(box, () => !busy && onClose());
  const url = typed ?? remembered.data?.url ?? '';

  const sync = async () => {
    setBusy(true);
    setError(null);
    setConflicts(null);
    stopped.current = false;
    try {
      const r = await invoke('hub.sync', {
        url: url.trim(),
        ...(caseId.trim() ? { caseId: caseId.trim() } : {}),
        taskId: task.start(),
      });
      if (r.conflicts) setConflicts(r.conflicts);
      else onDone(syncText(r));
    } catch (e) {
      setError(
        stopped.current
          ? 'Stopped: nothing was taken from the hub, and the case file is as it was.'
          : (e as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };

  // Taken while a new laptop joins (one load, all or nothing); otherwise the core says why not, and the sync goes on.
  const stop = () =>
    void task.stop().then(
      (r) => {
        if (r.cancelled) stopped.current = true;
      },
      (e: Error) => setError(e.message),
    );

  return (
    <div className="dialog-backdrop" role="presentation">
      <form
        ref={box}
        className="dialog xc-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Sync with the team hub"
        data-testid="hub-dialog"
        onKeyDown={onKeyDown}
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy && url.trim()) void sync();
        }}
      >
        <h2>Sync with the team hub</h2>
        <p className="muted xc-note">
          Pulls your colleagues’ changes and merges them field by field, then sends yours, in one step on the hub.
          Nothing is overwritten: a field both sides changed differently stops the sync for you to decide.
        </p>
        <label>
          Hub address
          <input
            autoFocus
            dir="ltr"
            spellCheck={false}
            className="path-input"
            placeholder="postgres://ROLE@HOST:5432/DATABASE"
            data-testid="hub-url"
            value={url}
            disabled={busy}
            onChange={(e) => setTyped(e.target.value)}
          />
        </label>
        <p className="muted xc-note">
          The password is not kept here: PostgreSQL reads it from ~/.pgpass or PGPASSWORD.
        </p>
        <label>
          Join a hub case a colleague shared (its id; empty: the case this file synced with, or a new one)
          <input
            dir="ltr"
            spellCheck={false}
            className="path-input"
            placeholder="0190f5c2-…"
            data-testid="hub-case"
            value={caseId}
            disabled={busy}
            onChange={(e) => setCaseId(e.target.value)}
          />
        </label>
        {busy && <ProgressLine progress={task.progress} fallback="Connecting to the hub…" />}
        {conflicts && (
          <div className="error" role="alert" data-testid="hub-conflicts">
            <p>{conflicts.message}</p>
            <button type="button" data-testid="hub-review" onClick={() => onReview(conflicts.review)}>
              Review the conflicts…
            </button>
          </div>
        )}
        {error && (
          <p className="error" role="alert" data-testid="hub-error">
            {error}
          </p>
        )}
        <div className="buttons">
          {busy && (
            <button type="button" data-testid="hub-stop" onClick={stop}>
              Stop
            </button>
          )}
          <button type="button" disabled={busy} onClick={onClose}>
            Close
          </button>
          <button type="submit" className="xc-primary" data-testid="hub-sync" disabled={busy || !url.trim()}>
            Sync
          </button>
        </div>
      </form>
    </div>
  );
}
