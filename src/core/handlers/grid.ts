import type { gridChannels } from '../../shared/channels/grid';
import { CasefileError } from '../errors';
import { exportAtomically, exportCount, writeExport, type ExportSpec } from '../export/export-table';
import { bestMatches } from '../grid/best';
import { getGridState, setGridState } from '../grid/grid-state';
import { pasteBlock } from '../grid/paste';
import { invalidateTables } from '../grid/view-cache';
import { distinct } from '../grid/distinct';
import { rowPosition, seek } from '../grid/seek';
import type { Session } from '../session';
import { runTask } from '../tasks/run-task';
import type { AreaHandlers } from './types';

/** Up to this many rows an export is written here; beyond, in a task worker off the event loop. */
const INLINE_EXPORT_ROWS = 20_000;

/** Handlers of the grid area's channels. */
export function gridHandlers(s: Session): AreaHandlers<typeof gridChannels> {
  // A bulk change (an import) is announced without row ids and may not go through the change log.
  s.subscribe((event, payload) => {
    if (event === 'data.changed' && s.hasCaseFile) {
      const p = payload as { tables: Parameters<typeof invalidateTables>[1]; ids?: string[] };
      if (!p.ids) invalidateTables(s.caseFile.db, p.tables);
    }
  });
  return {
    'rows.get': ({ table, id }) => s.caseFile.get(table, id),
    'rows.create': ({ table, values }) => s.caseFile.create(table, values),
    'rows.update': ({ table, id, values }) => s.caseFile.update(table, id, values),
    'rows.delete': ({ table, ids }) => ({ deleted: s.caseFile.delete(table, ids) }),
    'rows.seek': ({ table, sort, filter, offset, limit }) =>
      seek(s.caseFile.db, table, { sort, filter, offset, limit }),
    'rows.position': ({ table, sort, filter, id }) => ({
      index: rowPosition(s.caseFile.db, table, { sort, filter, id }),
    }),
    'rows.distinct': ({ table, column, filter, search, limit }) =>
      distinct(s.caseFile.db, table, column, filter, { search, limit }),
    'rows.best': ({ table, filter, limit }) => ({ matches: [...bestMatches(s.caseFile.db, table, filter, limit)] }),
    'rows.paste': ({ table, columns, rows, firstRow }) =>
      pasteBlock(s.caseFile, table, { columns, rows, ...(firstRow ? { firstRow } : {}) }),
    'grid.state.get': ({ grid }) => getGridState(s.caseFile.db, grid),
    'grid.state.set': ({ grid, state }) => {
      const cf = s.caseFile;
      cf.whenWritable(`grid_state:${grid}`, () => setGridState(cf.db, grid, state));
      return { ok: true as const };
    },
    'grid.export': ({ table, scope, format, layout, sort, filter, path, overwrite, taskId, aliases }) => {
      const cf = s.caseFile;
      const spec: ExportSpec = { table, scope, format, layout, sort, filter, aliases };
      return s.tasks.run(
        'grid-export',
        {
          id: taskId,
          alone: {
            group: 'grid-export',
            refusal: () => new CasefileError('conflict', 'An export is already running: wait for it or cancel it'),
          },
        },
        ({ signal, progress }) =>
          exportAtomically(
            path,
            overwrite,
            (tmp) =>
              exportCount(cf.db, spec) <= INLINE_EXPORT_ROWS
                ? writeExport(cf.db, spec, tmp, { signal, onProgress: progress, materialize: true })
                : runTask({ kind: 'export', caseFile: cf.path, tmp, spec }, { signal, onProgress: progress }),
            format,
          ),
      );
    },
  };
}
