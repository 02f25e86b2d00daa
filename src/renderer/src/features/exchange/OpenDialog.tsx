import { useState } from 'react';
import { invoke } from '../../lib/api';
import { PathDialog } from './PathDialog';
import { ProgressLine } from './ProgressLine';
import { useTask } from '../../lib/use-task';

type Refused = { path: string; message: string; found: string[] };

/**
 * File > Open, for any case file including one someone sent: checked in a worker with a time
 * limit first. A file refused for objects Casefile did not make can be imported instead: its known
 * tables' rows, each validated, copied into a new case file.
 */
export function OpenDialog({
  initial,
  dropped,
  onDone,
  onClose,
}: {
  initial: string;
  dropped?: File | null;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refused, setRefused] = useState<Refused | null>(null);
  const task = useTask();
  const progress = task.progress;

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const cancel = () => {
    if (busy) void task.stop().catch(() => undefined);
    onClose();
  };

  if (refused) {
    return (
      <PathDialog
        key="import"
        title="Import by copying"
        label="New case file to copy its rows into"
        initial={refused.path.replace(/(\.casefile)?$/i, ' (imported).casefile')}
        confirm="Import"
        testId="import-dialog"
        busy={busy}
        chooser={{ kind: 'save', purpose: 'casefile', title: 'New case file to copy its rows into' }}
        error={error}
        onCancel={cancel}
        onSubmit={(outPath) =>
          void run(async () => {
            const r = await invoke('exchange.importCopy', { path: refused.path, outPath, taskId: task.start() });
            const n = Object.entries(r.copied)
              .filter(([t]) => t !== 'change_log')
              .map(([t, k]) => `${k} ${t}`)
              .join(', ');
            onDone(
              `Imported into ${r.info.path}: ${n}.${r.skipped.length ? ` Not copied: ${r.skipped.join('; ')}` : ''}`,
            );
          })
        }
        intro={
          <>
            <p className="error" dir="auto" data-testid="open-refused">
              {refused.message}
            </p>
            <ul className="xc-found">
              {refused.found.map((f) => (
                <li key={f} dir="auto">
                  {f}
                </li>
              ))}
            </ul>
            <p className="muted xc-note">
              Importing copies only the rows of the tables Casefile knows, from their ordinary columns, each checked
              like an edit, into a file Casefile creates. What Casefile did not make is left behind and never run.
            </p>
          </>
        }
      >
        {busy && <ProgressLine progress={progress} fallback="Copying…" />}
      </PathDialog>
    );
  }
  return (
    <PathDialog
      key="open"
      title="Open a case file"
      label="Case file (a path on this computer)"
      initial={initial}
      confirm="Open"
      testId="open-dialog"
      busy={busy}
      dropped={dropped}
      chooser={{ kind: 'open', purpose: 'casefile', title: 'Open a case file', keep: true }}
      error={error}
      onCancel={cancel}
      onSubmit={(path) =>
        void run(async () => {
          const r = await invoke('exchange.open', { path, taskId: task.start() });
          if (r.ok) onDone(`Opened ${r.info.title} (${r.info.path}).`);
          else if (r.importable) setRefused({ path, message: r.message, found: r.found });
          else setError(r.message);
        })
      }
    >
      {busy && <ProgressLine progress={progress} fallback="Checking the file…" />}
    </PathDialog>
  );
}
