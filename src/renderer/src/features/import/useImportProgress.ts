import { useEffect, useState } from 'react';
import { subscribe } from '../../lib/api';

export type ImportProgressEvent = { done: number; total: number | null; message?: string };

/** The progress the core reports for the running import (`task.progress` with task 'import'). */
export function useImportProgress(active: boolean): ImportProgressEvent | null {
  const [progress, setProgress] = useState<ImportProgressEvent | null>(null);
  useEffect(() => {
    if (!active) return;
    setProgress({ done: 0, total: null });
    return subscribe('task.progress', (p) => {
      if (p.task === 'import') setProgress({ done: p.done, total: p.total, message: p.message });
    });
  }, [active]);
  return active ? progress : null;
}
