import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a file dialog starts, and where a case file received from the browser is kept: the folder
 * last used if it is still there, else Documents (the analyst's, not the hidden settings folder),
 * else the home folder. The desktop app passes the platform's own Documents (Electron knows it).
 */
export function startFolder(lastFolder: string | null, documents = join(homedir(), 'Documents')): string {
  if (lastFolder && existsSync(lastFolder)) return lastFolder;
  const docs = documents;
  return existsSync(docs) ? docs : homedir();
}
