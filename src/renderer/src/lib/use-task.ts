import { useCallback, useEffect, useState } from 'react';
import type { TaskProgress } from '../../../shared/channels/tasks';
import { invoke, subscribe } from './api';

/**
 * A long task this window starts (an import, an export, a merge...). The window chooses the
 * task's id and passes it as the channel's `taskId`, so that its Stop names the task at once
 * (tasks.cancel), before any progress has come back, and its progress line shows that task's
 * progress only, not another window's.
 */
export function newTaskId(): string {
  return crypto.randomUUID();
}

/** The latest progress of the task `id`: null until it reports, and with no id. */
export function useTaskProgress(id: string | null): TaskProgress | null {
  const [progress, setProgress] = useState<TaskProgress | null>(null);
  useEffect(() => {
    if (!id) return;
    return subscribe('task.progress', (p) => {
      if (p.id === id) setProgress(p);
    });
  }, [id]);
  return id !== null && progress?.id === id ? progress : null;
}

/** Stops the task `id`; resolves with whether it was still running (a task already finished is not an error). */
export async function stopTask(id: string | null): Promise<{ cancelled: boolean }> {
  return id ? invoke('tasks.cancel', { id }) : { cancelled: false };
}

/** `start()` gives a new id to pass as `taskId`; `progress` and `stop()` are that task's. */
export function useTask(): {
  id: string | null;
  progress: TaskProgress | null;
  start: () => string;
  stop: () => Promise<{ cancelled: boolean }>;
} {
  const [id, setId] = useState<string | null>(null);
  const progress = useTaskProgress(id);
  const start = useCallback(() => {
    const t = newTaskId();
    setId(t);
    return t;
  }, []);
  const stop = useCallback(() => stopTask(id), [id]);
  return { id, progress, start, stop };
}
