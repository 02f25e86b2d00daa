import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { findElectron, installElectron, noDisplay } from '../../../scripts/electron-binary.mjs';
import { tempDir } from '../../helpers';

type Install = { ok: boolean; reason?: string };
const install = installElectron as (o: {
  env: NodeJS.ProcessEnv;
  log: (l: string) => void;
  idleMs?: number;
}) => Promise<Install>;

describe('npm start fetches Electron when only its binary is missing', () => {
  it('does not download on Linux without a display, and says why', () => {
    expect(noDisplay({}, 'linux')).toMatch(/no display: DISPLAY and WAYLAND_DISPLAY are unset/);
    expect(noDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBeNull();
    expect(noDisplay({}, 'darwin')).toBeNull();
    expect(noDisplay({}, 'win32')).toBeNull();
  });

  it('honours ELECTRON_SKIP_BINARY_DOWNLOAD without starting a download', async () => {
    const lines: string[] = [];
    const r = await install({ env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, log: (l) => lines.push(l) });
    expect(r).toEqual({ ok: false, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded' });
    expect(lines).toEqual([]);
  });

  it("runs Electron's own installer with one line saying so, and reports a failed download in one line", async (t) => {
    if (!(findElectron() as { missing?: boolean }).missing)
      return t.skip('an Electron binary is already installed here');
    const lines: string[] = [];
    // A mirror nothing listens on and an empty cache: the download fails at once, online or not.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: tempDir(),
    };
    delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
    const r = await install({ env, log: (l) => lines.push(l) });
    expect(lines).toEqual([
      expect.stringMatching(
        /^casefile: downloading Electron 45\.\d+\.\d+ for this computer \(about 100 MB, once\)\.\.\.$/,
      ),
    ]);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^Electron's download (server could not be reached \(offline\?\)|failed): \S/);
    expect(r.reason).not.toMatch(/\n| {4}at /);
    expect((findElectron() as { missing?: boolean }).missing).toBe(true);
  });
});
