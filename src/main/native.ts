import { app } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type NativeBinding = { ok: true; path: string | undefined } | { ok: false; message: string };

const FIX = 'run "npm run electron:native" in the Casefile folder, then start Casefile again';

/**
 * better-sqlite3 in node_modules is built for Node (tests and the CLI use it); Electron needs a
 * build for its own ABI, which scripts/electron-native.mjs keeps in .cache/electron-native.
 * A packaged app has its own rebuilt copy and needs no override.
 */
export function resolveNativeBinding(): NativeBinding {
  if (app.isPackaged) return { ok: true, path: undefined };
  const dir = join(app.getAppPath(), '.cache', 'electron-native');
  const file = join(dir, 'better_sqlite3.node');
  if (!existsSync(file)) return { ok: false, message: `better-sqlite3 is not built for Electron yet: ${FIX}.` };
  try {
    const stamp = JSON.parse(readFileSync(join(dir, 'stamp.json'), 'utf8')) as { abi?: unknown; electron?: unknown };
    if (String(stamp.abi) !== process.versions.modules) {
      return { ok: false, message: `better-sqlite3 was built for Electron ${String(stamp.electron)}, this is Electron ${process.versions.electron}: ${FIX}.` };
    }
  } catch {
    return { ok: false, message: `the Electron build of better-sqlite3 has no stamp.json: ${FIX}.` };
  }
  return { ok: true, path: file };
}
