import type { tasksChannels } from '../../shared/channels/tasks';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/** The one Stop for every long task, by its id (tasks/registry.ts). */
export function tasksHandlers(s: Session): AreaHandlers<typeof tasksChannels> {
  return {
    'tasks.cancel': ({ id }) => s.tasks.cancel(id),
  };
}
