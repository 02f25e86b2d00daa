import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appDataDir, describeMove, moveLowerCaseSettings, settingsDir } from '../../../src/core/settings-dir';
import { tempDir } from '../../helpers';

const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;

function folder(parent: string, name: string, settings: object, files: string[] = []): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings));
  for (const f of files) writeFileSync(join(dir, f), f);
  return dir;
}

describe('one settings folder for every mode', () => {
  it('is Casefile under the folder Electron calls appData, on each platform', () => {
    expect(appDataDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux', '/home/a')).toBe('/x/cfg');
    expect(appDataDir({}, 'linux', '/home/a')).toBe('/home/a/.config');
    expect(appDataDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support');
    expect(appDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a')).toBe(
      'C:\\Users\\a\\AppData\\Roaming',
    );
    expect(settingsDir({ XDG_CONFIG_HOME: '/x/cfg' })).toMatch(/[/\\]x[/\\]cfg[/\\]Casefile$/);
    expect(settingsDir({ CASEFILE_CONFIG_DIR: '/t/here' })).toBe('/t/here');
  });

  it('renames a lone lower-case casefile folder to Casefile once, with recent files pointed at it', () => {
    const appData = tempDir();
    const old = folder(
      appData,
      'casefile',
      {
        author: 'A. Analyst',
        nodeId: 'aaaaaaaaaaaa',
        recent: [join(appData, 'casefile', 'mine.casefile'), '/elsewhere/x.casefile'],
      },
      ['demo.casefile'],
    );
    const move = moveLowerCaseSettings(appData);
    expect(move).toEqual({ kind: 'renamed', from: old, to: join(appData, 'Casefile') });
    expect(readdirSync(appData)).toEqual(['Casefile']);
    const s = readJson(join(appData, 'Casefile', 'settings.json'));
    expect(s).toMatchObject({
      author: 'A. Analyst',
      nodeId: 'aaaaaaaaaaaa',
      recent: [join(appData, 'Casefile', 'mine.casefile'), '/elsewhere/x.casefile'],
    });
    expect(existsSync(join(appData, 'Casefile', 'demo.casefile'))).toBe(true);
    expect(describeMove(move)).toContain(`moved from ${old}`);
    // Once: the second start finds nothing to do.
    expect(moveLowerCaseSettings(appData)).toEqual({ kind: 'none' });
  });

  it('merges a lower-case folder into an existing Casefile one (the new one wins) and keeps it as casefile.old', () => {
    const appData = tempDir();
    folder(appData, 'Casefile', { author: null, nodeId: 'bbbbbbbbbbbb', recent: ['/cases/b.casefile'] });
    folder(appData, 'casefile', {
      author: 'Desktop Analyst',
      nodeId: 'aaaaaaaaaaaa',
      recent: [
        join(appData, 'casefile', 'demo.casefile'),
        '/cases/a.casefile',
        '/cases/b.casefile',
        join(appData, 'casefile', 'kept.casefile'),
      ],
    });
    const move = moveLowerCaseSettings(appData);
    expect(move.kind).toBe('merged');
    expect(readdirSync(appData).sort()).toEqual(['Casefile', 'casefile.old']);
    const s = readJson(join(appData, 'Casefile', 'settings.json'));
    expect(s.author).toBe('Desktop Analyst');
    expect(s.nodeId).toBe('bbbbbbbbbbbb');
    // The old demo is dropped (the new folder has its own); files inside the old folder are found at its new name.
    expect(s.recent).toEqual([
      '/cases/b.casefile',
      '/cases/a.casefile',
      join(appData, 'casefile.old', 'kept.casefile'),
    ]);
    expect(describeMove(move)).toContain('kept as');
    expect(moveLowerCaseSettings(appData)).toEqual({ kind: 'none' });
  });

  it('never overwrites an earlier kept copy', () => {
    const appData = tempDir();
    folder(appData, 'Casefile', { author: 'Me' });
    folder(appData, 'casefile', { author: 'Old' });
    writeFileSync(join(appData, 'casefile.old'), 'an earlier copy');
    const move = moveLowerCaseSettings(appData);
    expect(move).toMatchObject({ kind: 'merged', keptAs: join(appData, 'casefile.old-2') });
    expect(readFileSync(join(appData, 'casefile.old'), 'utf8')).toBe('an earlier copy');
    expect(readJson(join(appData, 'Casefile', 'settings.json')).author).toBe('Me');
  });

  it('leaves the old folder as it was, and says why, when the move fails', () => {
    const appData = tempDir();
    // Something that is not a folder holds the new name: the settings cannot be written there.
    writeFileSync(join(appData, 'Casefile'), 'not a folder');
    const old = folder(appData, 'casefile', { author: 'Old', recent: ['/cases/a.casefile'] });
    const move = moveLowerCaseSettings(appData);
    expect(move.kind).toBe('failed');
    expect(describeMove(move)).toMatch(/settings in .*casefile were not moved to .*Casefile \(/);
    expect(readJson(join(old, 'settings.json'))).toEqual({ author: 'Old', recent: ['/cases/a.casefile'] });
    expect(readdirSync(appData).sort()).toEqual(['Casefile', 'casefile']);
    expect(moveLowerCaseSettings(join(appData, 'no-such-folder'))).toEqual({ kind: 'none' });
  });
});
