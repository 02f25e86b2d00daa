import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a file dialog starts, and where a case file received from the browser is kept: the folder
 * last used if it is still there, else Documents (the analyst's, not the hidden settings folder),
 * else the home folder.
 */
export function startFolder(lastFolder: string | null): string {
  if (lastFolder && existsSync(lastFolder)) return lastFolder;
  const docs = join(homedir(), 'Documents');
  return existsSync(docs) ? docs : homedir();
}
