import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main';
import { logLine, logPaths } from '../../../src/core/log/app-log';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { SettingsStore } from '../../../src/core/settings';
import { session, tempDir } from '../../helpers';

describe('settings', () => {
  it('a bad value in a hand-edited settings file falls back alone; the others are kept', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({
        author: 'Ana',
        theme: 'purple',
        citationStyle: 'apa',
        dateOrder: 'dmy',
        backups: { enabled: false, keep: 3 },
      }),
    );
    const v = new SettingsStore(dir).get();
    expect(v).toMatchObject({
      author: 'Ana',
      theme: 'system',
      citationStyle: 'apa',
      dateOrder: 'dmy',
      backups: { enabled: false, keep: 3 },
    });
  });

  it('settings.update changes the preferences, tells every view, and never the author', async () => {
    const { s } = session();
    const h = makeHandlers(s, 'test');
    const events: string[] = [];
    s.subscribe((e) => events.push(e));
    const r = await dispatch(h, 'settings.update', { theme: 'dark', dateOrder: 'mdy', backups: { keep: 4 } });
    expect(r).toMatchObject({
      ok: true,
      value: { theme: 'dark', dateOrder: 'mdy', backups: { enabled: true, keep: 4 }, author: 'Test Analyst' },
    });
    expect(events).toContain('settings.changed');
    const again = await dispatch(h, 'settings.update', { author: 'Someone else' });
    expect(again.ok).toBe(false);
    expect(s.settings.get().author).toBe('Test Analyst');
    expect(new SettingsStore(s.settings.dir).get().theme).toBe('dark');
  });

  it('backup.restore takes only a backup from the settings folder, and opens the restored copy', async () => {
    const { s, dir, file } = session();
    const h = makeHandlers(s, 'test');
    const refused = await dispatch(h, 'backup.restore', { backup: file, out: join(dir, 'x.casefile') });
    expect(refused).toMatchObject({ ok: false, error: { code: 'refused' } });
    const made = await dispatch(h, 'backup.now', {});
    expect(made.ok).toBe(true);
    const list = await dispatch(h, 'backup.list', {});
    expect(list).toMatchObject({
      ok: true,
      value: { enabled: true, items: [{ reason: 'manual', counts: { incidents: 10 } }] },
    });
    const path = (list as { value: { items: { path: string }[] } }).value.items[0]!.path;
    const out = join(dir, 'restored.casefile');
    const r = await dispatch(h, 'backup.restore', { backup: path, out });
    expect(r).toMatchObject({ ok: true, value: { path: out } });
    expect(s.caseFile.path).toBe(out);
    await s.backups.pending;
  });
});

describe('log and crash reports', () => {
  it('an uncaught error in a handler writes a local crash report and a log line, and the caller gets a message', async () => {
    const { s } = session();
    const h = makeHandlers(s, 'test');
    h['rows.seek'] = () => {
      throw new TypeError('boom in a handler');
    };
    const r = await dispatch(h, 'rows.seek', { table: 'incidents', offset: 0 });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal', message: 'rows.seek failed: boom in a handler' } });
    const { log, crashReports } = logPaths(s.settings.dir);
    const reports = readdirSync(crashReports);
    expect(reports).toHaveLength(1);
    const text = readFileSync(join(crashReports, reports[0]!), 'utf8');
    expect(text).toMatch(/handler rows\.seek/);
    expect(text).toMatch(/TypeError: boom in a handler/);
    expect(text).toMatch(/nothing was sent anywhere/);
    expect(readFileSync(log, 'utf8')).toMatch(/ERROR handler rows\.seek: boom/);
  });

  it('the log is rotated by size', () => {
    const { s } = session();
    const { log } = logPaths(s.settings.dir);
    const line = 'x'.repeat(1000);
    for (let i = 0; i < 2200; i++) logLine('info', line);
    expect(existsSync(`${log}.1`)).toBe(true);
    expect(existsSync(`${log}.2`)).toBe(true);
    expect(existsSync(`${log}.3`)).toBe(false);
    expect(readFileSync(log).length).toBeLessThan(1024 * 1024 + 2000);
  });
});

describe('casefile backup | backups | restore', () => {
  it('makes a backup, lists it as JSON, and restores it into a new file only', async () => {
    const { s, dir, file } = session();
    s.close();
    const config = join(dir, 'cli-config');
    const lines: string[] = [];
    const out = (l: string) => lines.push(l);
    expect(await run(['backup', file, '--config-dir', config], out)).toBe(0);
    expect(lines[0]).toMatch(/manual\.casefile$/);
    lines.length = 0;
    expect(await run(['backups', file, '--json', '--config-dir', config], out)).toBe(0);
    const list = JSON.parse(lines[0]!) as { path: string; at: string; counts: Record<string, number> }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ counts: { incidents: 10, sources: 6 } });
    expect(Date.parse(list[0]!.at)).not.toBeNaN();
    const target = join(dir, 'back.casefile');
    expect(await run(['restore', list[0]!.path, '--out', target], out)).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect(await run(['restore', list[0]!.path, '--out', file], out)).toBe(1);
    expect(await run(['restore', list[0]!.path], out)).toBe(1);
  });
});

describe('an uncaught error in the process', () => {
  it('writes a crash report in the settings folder, and the process still ends as it would have', () => {
    const dir = tempDir();
    const script = `import { useLogFolder } from './src/core/log/app-log.ts'; useLogFolder(${JSON.stringify(dir)}); setTimeout(() => { throw new RangeError('nobody caught this'); }, 0);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '../../..'),
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    const reports = readdirSync(join(dir, 'crash-reports'));
    expect(reports).toHaveLength(1);
    expect(readFileSync(join(dir, 'crash-reports', reports[0]!), 'utf8')).toMatch(
      /uncaught \(uncaughtException\)[\s\S]*RangeError: nobody caught this/,
    );
  });
});
