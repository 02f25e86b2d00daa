import { useState } from 'react';
import type { MergePlanView, MergeResult } from '../../../../shared/channels/exchange';
import { invoke } from '../../lib/api';
import { TABLE_PLURAL } from './format';
import { MergeReview } from './MergeReview';
import { PathDialog } from './PathDialog';
import { ProgressLine } from './ProgressLine';
import { useTask } from '../../lib/use-task';

const n = (x: number) => x.toLocaleString('en-US');

/** A merge's result in words, table by table: "incidents: 1 changed; plots: 1 added; 2 rows in conflict decided." */
function resultText(r: MergeResult): string {
  const tables = Object.entries(r.tables)
    .map(
      ([t, c]) =>
        [
          t,
          [
            c!.added && `${n(c!.added)} added`,
            c!.updated && `${n(c!.updated)} changed`,
            c!.deleted && `${n(c!.deleted)} deleted`,
          ]
            .filter(Boolean)
            .join(', '),
        ] as const,
    )
    .filter(([, text]) => text)
    .map(([t, text]) => `${(TABLE_PLURAL[t] ?? t).toLowerCase()}: ${text}`);
  const conflicts = r.conflicts ? `${n(r.conflicts)} row${r.conflicts === 1 ? '' : 's'} in conflict decided` : '';
  const what = [...tables, conflicts].filter(Boolean).join('; ') || 'nothing changed';
  const skipped = r.skipped.length ? ` Not applied: ${r.skipped.join('; ')}.` : '';
  const notes = r.notes.length ? ` ${r.notes.join('; ')}.` : '';
  return `${what}. Undo reverses the whole merge.${notes}${skipped}`;
}

/** File > Merge a colleague’s case file: choose the file, read and check it, review, merge. */
export function MergeDialog({
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
  const [plan, setPlan] = useState<MergePlanView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const task = useTask();
  const progress = task.progress;

  const preview = async (path: string) => {
    setBusy(true);
    setError(null);
    try {
      setPlan(await invoke('exchange.preview', { path, taskId: task.start() }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (plan) {
    return (
      <MergeReview
        plan={plan}
        onCancel={() => {
          void invoke('exchange.discard', { planId: plan.planId });
          onClose();
        }}
        onApplied={(r: MergeResult) => onDone(`Merged ${plan.theirs.name}: ${resultText(r)}`)}
      />
    );
  }
  return (
    <PathDialog
      title="Merge a colleague’s case file into yours"
      label="Their case file (a path on this computer)"
      initial={initial}
      confirm="Review changes"
      testId="merge-dialog"
      busy={busy}
      dropped={dropped}
      chooser={{ kind: 'open', purpose: 'casefile', title: 'Their case file' }}
      error={error}
      onSubmit={(p) => void preview(p)}
      onCancel={() => {
        if (busy) void task.stop().catch(() => undefined);
        onClose();
      }}
    >
      <p className="muted xc-note">
        Their file is checked before anything reads it (a file with objects Casefile did not make is refused). Rows are
        matched by id and compared field by field with what both files last had in common; you review every change
        before anything is written.
      </p>
      {busy && <ProgressLine progress={progress} fallback="Checking their file…" />}
    </PathDialog>
  );
}
