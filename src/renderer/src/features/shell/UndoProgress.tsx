import { useEffect, useState } from 'react';
import { subscribe } from '../../lib/api';

/**
 * Beside Undo and Redo, in every window: how far an undo or redo of a large step (a merge of
 * thousands of rows) has come. The core replays such a step between turns of its event loop and
 * tells its progress as the 'undo' task; the line goes once every change is replayed, or when the
 * history moves.
 */
export function UndoProgress() {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    const a = subscribe('task.progress', (p) => {
      if (p.kind !== 'undo') return;
      setMessage(p.total !== null && p.done >= p.total ? null : (p.message ?? null));
    });
    const b = subscribe('history.changed', () => setMessage(null));
    return () => {
      a();
      b();
    };
  }, []);
  if (!message) return null;
  return (
    <span className="muted undo-progress" role="status" data-testid="undo-progress">
      {message}
    </span>
  );
}
