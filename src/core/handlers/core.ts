import type { coreChannels } from '../../shared/channels/core';
import { count, page } from '../query';
import type { AreaHandlers } from './types';
import type { Session } from '../session';

const thousands = (n: number) => n.toLocaleString('en-US');

/** The foundation's channels. */
export function coreHandlers(s: Session, version: string): AreaHandlers<typeof coreChannels> {
  return {
    'app.info': () => ({ mode: s.mode, author: s.settings.get().author, caseFile: s.hasCaseFile ? s.caseFile.info() : null, version }),
    'settings.setAuthor': ({ author }) => {
      s.settings.update({ author });
      return { ok: true as const };
    },
    'file.new': ({ path, demo }) => s.create(path, demo),
    // Any file may have come from someone else: check it in a separate process with a time limit.
    'file.open': ({ path, taskId }) => s.tasks.run('file-open', { id: taskId }, ({ signal, progress }) => s.openChecked(path, { signal, onProgress: progress })),
    'file.saveAs': ({ path, taskId }) => s.saveAs(path, undefined, taskId),
    'file.recent': () => s.settings.get().recent,
    'rows.page': ({ table, sort, filter, after, limit }) => page(s.caseFile.db, table, { sort, filter, after, limit }),
    'rows.count': ({ table, filter }) => ({ count: count(s.caseFile.db, table, filter) }),
    'rows.get': ({ table, id }) => s.caseFile.get(table, id),
    'rows.create': ({ table, values }) => s.caseFile.create(table, values),
    'rows.update': ({ table, id, values }) => s.caseFile.update(table, id, values),
    'rows.delete': ({ table, ids }) => ({ deleted: s.caseFile.delete(table, ids) }),
    'citations.forRow': ({ table, id }) =>
      table === 'sources'
        ? (s.caseFile.db
            .prepare(
              `SELECT c.*, s.key AS source_key, s.title AS source_title, s.reliability AS source_reliability
               FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.source_id = ? ORDER BY c.target_table, c.rowid`,
            )
            .all(id) as Record<string, unknown>[])
        : s.caseFile.db
        .prepare(
          `SELECT c.*, s.key AS source_key, s.title AS source_title, s.reliability AS source_reliability
           FROM citations c JOIN sources s ON s.id = c.source_id
           WHERE c.target_table = ? AND c.target_id = ? ORDER BY c.rowid`,
        )
        .all(table, id) as Record<string, unknown>[],
    'history.state': () => s.caseFile.history(),
    // A large step (a merge of thousands of rows) is replayed between turns of the event loop, its progress told as the 'undo' task.
    'history.undo': ({ overwrite }) =>
      s.tasks.run('undo', {}, ({ progress }) => s.caseFile.undoAsync((done, total) => progress({ done, total, message: `Undoing: ${thousands(done)} of ${thousands(total)} changes` }), { overwrite })),
    'history.redo': ({ overwrite }) =>
      s.tasks.run('undo', {}, ({ progress }) => s.caseFile.redoAsync((done, total) => progress({ done, total, message: `Redoing: ${thousands(done)} of ${thousands(total)} changes` }), { overwrite })),
  };
}

