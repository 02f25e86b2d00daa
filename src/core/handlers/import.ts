import { basename } from 'node:path';
import type { importChannels } from '../../shared/channels/import';
import { CasefileError } from '../errors';
import { listConflicts, resolveConflicts, restoreKept, type KeptConflicts } from '../import/conflicts';
import type { CaseFile } from '../write/case-file';
import { importFile, progressEvent } from '../import/pipeline';
import { listImports, removeImport } from '../import/past-imports';
import { previewImport } from '../import/preview';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/**
 * The last "keep mine" in a case file (what it took out of the lists, and how many conflicts it
 * settled), until it is taken back (import.conflicts.unkeep) or another choice or import comes.
 * Every window's conflict list offers to take it back.
 */
const lastKept = new WeakMap<CaseFile, { kept: KeptConflicts; count: number }>();
/** One import at a time (it holds the case file's write lock), and one removal. */
const ONE_IMPORT = {
  group: 'import',
  refusal: () => new CasefileError('conflict', 'an import is already running; wait for it to finish or cancel it'),
};
const ONE_REMOVAL = {
  group: 'import-remove',
  refusal: () =>
    new CasefileError('conflict', 'rows of an import are already being removed; wait for it to finish or stop it'),
};

/**
 * Handlers of the import area. The import runs in a worker with its own connection, as the
 * session's 'import' task; this thread only forwards its progress as `task.progress` events. An
 * import is not an undo step (undoing a million inserts from memory is not a thing to offer); the
 * change log keeps every row it wrote, under one txn, for audit and merge.
 */
export function importHandlers(s: Session): AreaHandlers<typeof importChannels> {
  return {
    'import.preview': ({ path }) => previewImport(s.caseFile.db, path),
    'import.run': ({ path, format, mapping, dateOrder, taskId }) =>
      s.tasks.run('import', { id: taskId, alone: ONE_IMPORT }, async ({ signal, progress }) => {
        const cf = s.caseFile;
        // Not while another long write (a merge) holds the file: the import's worker would wait on its lock.
        cf.checkWritable();
        const release = cf.holdWrites(`The import of ${basename(path)}`);
        try {
          const report = await importFile(cf.path, path, {
            author: s.author,
            node: s.settings.get().nodeId,
            ...(format ? { format } : {}),
            ...(mapping ? { mapping } : {}),
            ...(dateOrder !== undefined ? { dateOrder } : {}),
            signal,
            onProgress: (p) => progress(progressEvent(p)),
          });
          // The same file may have been closed or replaced while the worker ran.
          if (s.hasCaseFile && s.caseFile === cf) {
            const last = cf.db.prepare('SELECT max(hlc) h FROM change_log').get() as { h: string | null };
            if (last.h) cf.clock.observe(last.h);
            if (report.imported + report.updated + report.sourcesCreated + report.citationsCreated > 0) {
              cf.announceBulk(['incidents', 'sources', 'citations']);
            }
            // "List it again" is for right after a choice: a new import ends that.
            if (lastKept.delete(cf) || report.conflicts.length > 0) s.emit('import.conflicts.changed', {});
          }
          return report;
        } finally {
          release();
        }
      }),
    'import.conflicts': ({ limit }) => ({
      ...listConflicts(s.caseFile.db, limit),
      kept: lastKept.get(s.caseFile)?.count ?? 0,
    }),
    'import.conflicts.resolve': (input) => {
      const cf = s.caseFile;
      const r = resolveConflicts(cf, input.take, 'all' in input ? 'all' : input.items);
      // Taking the file's values is an edit, announced as one; keeping one's own changes only the list.
      if (r.resolved > 0) {
        if (input.take === 'mine') lastKept.set(cf, { kept: r.kept ?? [], count: r.resolved });
        else lastKept.delete(cf);
        s.emit('import.conflicts.changed', {});
      }
      return { resolved: r.resolved };
    },
    'import.conflicts.unkeep': () => {
      const cf = s.caseFile;
      const last = lastKept.get(cf);
      if (!last) return { restored: 0 };
      const r = restoreKept(cf, last.kept);
      lastKept.delete(cf);
      s.emit('import.conflicts.changed', {});
      return r;
    },
    'import.past': () => ({ items: listImports(s.caseFile.db) }),
    // A long write like a large merge: progress as the 'import-remove' task, stopped by tasks.cancel.
    'import.remove': ({ txn, permanent, taskId }) =>
      s.tasks.run('import-remove', { id: taskId, alone: ONE_REMOVAL }, async ({ signal, progress }) => {
        if (permanent === true) await s.backups.before(s.caseFile.path, 'removal');
        const r = await removeImport(s.caseFile, txn, {
          permanent: permanent === true,
          signal,
          onProgress: (done, total, message) => progress({ done, total, ...(message ? { message } : {}) }),
        });
        // The worker wrote behind this connection's back (the rows, and the mark on the import's
        // record even when none were left): the windows are told here. An undoable removal is announced by its action.
        if (permanent === true && s.hasCaseFile) s.caseFile.announceBulk(['incidents', 'citations', 'annotations']);
        return r;
      }),
  };
}
