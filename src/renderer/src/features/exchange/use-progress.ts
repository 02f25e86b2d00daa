import { useEffect, useState } from 'react';
import { subscribe } from '../../lib/api';

export type Progress = { done: number; total: number | null; message?: string };

/** The latest progress the core reported for a task ('export', 'merge', 'open'), while `active`. */
export function useProgress(task: string, active: boolean): Progress | null {
  const [p, setP] = useState<Progress | null>(null);
  useEffect(() => {
    if (!active) return;
    setP(null);
    return subscribe('task.progress', (e) => {
      if (e.task === task) setP({ done: e.done, total: e.total, message: e.message });
    });
  }, [task, active]);
  return active ? p : null;
}
