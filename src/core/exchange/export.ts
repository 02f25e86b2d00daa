import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { ExportScope } from '../../shared/channels/exchange';
import { CasefileError, refuse } from '../errors';
import type { TaskOptions } from '../tasks/run-task';
import { runTask } from '../tasks/run-task';
import { whereToScope } from './where';
import { stage } from '../export/private-temp';

export type ExportOptions = TaskOptions & {
  /** Command-line conditions (see where.ts) or a filter model per grid table; absent: everything. */
  where?: readonly string[] | ExportScope | null;
  /** Attached source files travel with the export (default true). */
  attachments?: boolean;
  /** Replace a file already at outPath (never the case file being exported). Default false. */
  overwrite?: boolean;
  /** The caller already checked the case file (the open one): skip the worker's inspection. */
  checked?: boolean;
};

/**
 * Writes a case file (or a filtered part of it) as a new case file for a colleague, in a task
 * worker (see copy-for-export.ts for what the copy holds). The copy is made and cleaned in the app's
 * private folder and moved into place only when it is complete and synced: cancelling
 * (opts.signal), a crash or a full disk leave no file under the final name, and nothing that
 * holds deleted text beside it.
 */
export async function exportCaseFile(
  caseFilePath: string,
  outPath: string,
  opts: ExportOptions = {},
): Promise<{ path: string; counts: Record<string, number> }> {
  const source = resolve(caseFilePath);
  const out = resolve(outPath);
  const name = basename(out);
  if (!existsSync(source)) throw new CasefileError('not_found', `${basename(source)}: no such file`);
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory())
    throw refuse(`${name}: the folder ${dirname(out)} does not exist`);
  if (existsSync(out)) {
    if (realpathSync(out) === realpathSync(source))
      throw refuse(`${name} is the case file being exported; choose another name`);
    if (!opts.overwrite) throw refuse(`${name} already exists; choose another name`);
    if (!statSync(out).isFile()) throw refuse(`${name} is not a file`);
  }
  // No conditions (the command line without --where) is the whole case file, as an absent scope is.
  const scope =
    opts.where == null
      ? null
      : Array.isArray(opts.where)
        ? opts.where.length === 0
          ? null
          : whereToScope(opts.where as readonly string[])
        : (opts.where as ExportScope);
  // Built in the private folder: the copy holds deleted text until it is cleaned (private-temp.ts).
  const staged = stage(out);
  try {
    const counts = await runTask(
      {
        kind: 'exchange-export',
        source,
        target: staged.tmp,
        scope,
        attachments: opts.attachments ?? true,
        check: !opts.checked,
      },
      { signal: opts.signal, onProgress: opts.onProgress },
    );
    if (opts.signal?.aborted) throw new CasefileError('refused', 'Cancelled');
    staged.commit();
    return { path: out, counts };
  } finally {
    staged.dispose();
  }
}
