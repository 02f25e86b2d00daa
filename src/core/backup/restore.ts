import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { refuse } from '../errors';
import { runTask, type TaskOptions } from '../tasks/run-task';

/**
 * Restores a backup into a new file, never over an existing one (the open case file included):
 * `VACUUM INTO` a temporary name beside the target, then rename, so a failed restore leaves
 * nothing under the new name. The caller opens the result as any file, checked and, if the backup
 * is of an older schema, upgraded.
 */
export async function restoreBackup(backup: string, out: string, opts: TaskOptions = {}): Promise<string> {
  const source = resolve(backup);
  const target = resolve(out.toLowerCase().endsWith('.casefile') ? out : `${out}.casefile`);
  if (!existsSync(source)) throw refuse(`There is no backup at ${source}`);
  if (source === target) throw refuse('A backup is restored into a new file, not over itself: choose another name');
  if (existsSync(target))
    throw refuse(`${target} already exists: a backup is restored into a new file, never over one; choose another name`);
  if (!existsSync(dirname(target))) throw refuse(`The folder ${dirname(target)} does not exist`);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.restore.tmp`);
  rmSync(tmp, { force: true });
  try {
    await runTask({ kind: 'vacuum-into', source, target: tmp }, opts);
    if (existsSync(target)) throw refuse(`${target} was created meanwhile: nothing was restored over it`);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return target;
}
