import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';

/**
 * Every mode (the desktop app, browser mode, the CLI) keeps its settings, recent files and demo
 * in one folder named `Casefile` under the platform's folder for application data: the folder
 * Electron calls appData. Electron used to derive it from package.json's lower-case name, so an
 * older install has `casefile` beside (or instead of) `Casefile`: moveLowerCaseSettings adopts it.
 */
export const SETTINGS_FOLDER = 'Casefile';
const OLD_FOLDER = 'casefile';

/** Electron's app.getPath('appData'), computed the same way without Electron. */
export function appDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = homedir(),
): string {
  if (platform === 'win32') return env['APPDATA'] || join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env['XDG_CONFIG_HOME'] || join(home, '.config');
}

/** The settings folder; CASEFILE_CONFIG_DIR overrides it (tests, a portable setup). */
export function settingsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['CASEFILE_CONFIG_DIR'] || join(appDataDir(env), SETTINGS_FOLDER);
}

export type SettingsMove =
  | { kind: 'none' }
  | { kind: 'renamed'; from: string; to: string }
  | { kind: 'merged'; from: string; to: string; keptAs: string }
  | { kind: 'failed'; from: string; to: string; reason: string };

/** What a move did, as one line for the terminal and the log; null when nothing happened. */
export function describeMove(m: SettingsMove): string | null {
  if (m.kind === 'renamed') return `casefile: settings moved from ${m.from} to ${m.to}`;
  if (m.kind === 'merged')
    return `casefile: settings in ${m.from} merged into ${m.to}; the old folder is kept as ${m.keptAs}`;
  if (m.kind === 'failed')
    return `casefile: settings in ${m.from} were not moved to ${m.to} (${m.reason}); ${m.to} is used`;
  return null;
}

type RawSettings = { author?: unknown; recent?: unknown; [k: string]: unknown };

function readSettings(dir: string): RawSettings | null {
  try {
    const v: unknown = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as RawSettings) : null;
  } catch {
    return null;
  }
}

function writeSettings(dir: string, data: RawSettings): void {
  const file = join(dir, 'settings.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(data, null, 2));
  renameSync(`${file}.tmp`, file);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Recent paths that pointed into `from` point into `to`; the old folder's demo is dropped (the new folder has its own). */
function repoint(recent: string[], from: string, to: string, dropDemo: boolean): string[] {
  const out: string[] = [];
  for (const p of recent) {
    if (p.startsWith(from + sep)) {
      if (dropDemo && p === join(from, 'demo.casefile')) continue;
      out.push(to + p.slice(from.length));
    } else out.push(p);
  }
  return out;
}

/**
 * One time: adopts an existing lower-case `casefile` folder in `appData`. Alone, it is renamed to
 * `Casefile` (on a case-insensitive disk that only changes the name's case), and recent files
 * that pointed into it are pointed at the new name. Beside an existing `Casefile` (a case-sensitive
 * disk where the desktop app and browser mode each had their own), its author fills a missing one
 * and its recent files are added after the new folder's; then it is renamed `casefile.old` so the
 * merge is not repeated. Reads the folder's real names, since existsSync cannot tell the two apart
 * on macOS and Windows. Never throws: a failure is reported and the new folder is used.
 */
export function moveLowerCaseSettings(appData: string): SettingsMove {
  let names: string[];
  try {
    names = readdirSync(appData);
  } catch {
    return { kind: 'none' };
  }
  if (!names.includes(OLD_FOLDER)) return { kind: 'none' };
  const from = join(appData, OLD_FOLDER);
  const to = join(appData, SETTINGS_FOLDER);
  try {
    if (!names.includes(SETTINGS_FOLDER)) {
      renameSync(from, to);
      const s = readSettings(to);
      if (s) writeSettings(to, { ...s, recent: repoint(strings(s.recent), from, to, false) });
      return { kind: 'renamed', from, to };
    }
    let keptAs = `${from}.old`;
    for (let i = 2; existsSync(keptAs); i++) keptAs = `${from}.old-${i}`;
    const mine = readSettings(to) ?? {};
    const old = readSettings(from);
    // Settings first, then the rename: a failed write leaves both folders as they were.
    if (old) {
      const recent = [...strings(mine.recent)];
      for (const p of repoint(strings(old.recent), from, keptAs, true)) if (!recent.includes(p)) recent.push(p);
      const author =
        typeof mine.author === 'string' && mine.author
          ? mine.author
          : typeof old.author === 'string'
            ? old.author
            : null;
      writeSettings(to, { ...mine, author, recent: recent.slice(0, 10) });
    }
    renameSync(from, keptAs);
    return { kind: 'merged', from, to, keptAs };
  } catch (e) {
    return { kind: 'failed', from, to, reason: e instanceof Error ? e.message : String(e) };
  }
}
