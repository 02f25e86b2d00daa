import type { Progress } from '../../../../shared/channels/tasks';

/** A task's progress bar and its latest message. */
export function ProgressLine({ progress, fallback }: { progress: Progress | null; fallback: string }) {
  const pct = progress?.total ? Math.round((100 * progress.done) / progress.total) : null;
  return (
    <div className="xc-progress" role="status" data-testid="exchange-progress">
      <progress max={100} value={pct ?? undefined} />
      <span>{progress?.message ?? fallback}</span>
    </div>
  );
}
