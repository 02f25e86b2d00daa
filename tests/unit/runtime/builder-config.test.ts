import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { config } from '../../../electron-builder.config';
import { afterPack, FUSES } from '../../../scripts/after-pack';
// @ts-expect-error: plain .mjs scripts without type declarations
import { decodePng, makeIcons, ICNS_TYPES } from '../../../scripts/make-icons.mjs';
// @ts-expect-error: plain .mjs scripts without type declarations
import { buildNotices } from '../../../scripts/third-party-notices.mjs';
import { tempDir } from '../../helpers';

const root = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
type Validate = (config: unknown, debug: { isEnabled: boolean; add(): void }) => Promise<void>;
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration: Validate;
};
const debug = { isEnabled: false, add: () => undefined };
type Target = { target: string; arch: string[] };

describe('the installers configuration (electron-builder)', () => {
  it("passes electron-builder's own schema, which does reject a wrong option", async () => {
    await expect(validateConfiguration(config, debug)).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, nsis: { ...config.nsis, oneClik: false } }, debug)).rejects.toThrow(
      /configuration\.nsis/,
    );
  });

  it('builds NSIS, dmg for x64 and arm64, AppImage and deb, as Casefile, with the .casefile association', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.productName).toBe('Casefile');
    expect((config.win!.target as Target[]).map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac!.target as Target[]).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect((config.linux!.target as Target[]).map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'casefile', name: 'Casefile case file' })]);
    expect(pkg.scripts['dist']).toMatch(
      /electron-vite build && .*make-icons.*third-party-notices.*electron-builder --config electron-builder.config.ts/,
    );
  });

  it('keeps better-sqlite3 outside the asar and packs only what the app loads at run time', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**');
    expect(config.files.slice(0, 3)).toEqual(['out/**/*', '!out/**/*.map', 'package.json']);
    expect(config.files).toContain('node_modules/better-sqlite3/prebuilds/${platform}-${arch}.node');
    // The CLI's and browser mode's packages, and everything the renderer bundles, are not copied.
    for (const name of ['tsx', 'ws', 'react', 'ag-grid-community', 'echarts', 'electron', 'vite'])
      expect(pkg.dependencies[name], name).toBeUndefined();
    // Every package the main process imports at run time is a dependency, so it is packaged.
    const imported = new Set<string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) {
          for (const m of readFileSync(p, 'utf8').matchAll(
            /^\s*import\s+(?!type\b)[^'"]*?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm,
          )) {
            const spec = m[1] ?? m[2] ?? '';
            if (spec.startsWith('.') || spec.startsWith('node:') || spec === 'electron') continue;
            imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
          }
        }
      }
    };
    for (const d of ['src/main', 'src/core', 'src/shared']) walk(join(root, d));
    const missing = [...imported].filter((n) => !pkg.dependencies[n]);
    expect(missing, `imported by the main process but not packaged: ${missing.join(', ')}`).toEqual([]);
  });

  it('turns the fuses off in the packed binary from its afterPack hook (RunAsNode, NODE_OPTIONS, inspect), asar integrity and asar-only on', async () => {
    expect(config.afterPack).toBe(afterPack);
    expect(FUSES).toMatchObject({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    });
    // A stand-in Linux binary carrying a fuse wire as Electron lays it out: every fuse on.
    const appOutDir = tempDir();
    const wire = Buffer.from([1, 9, ...Array<number>(9).fill(FuseState.ENABLE)]);
    writeFileSync(
      join(appOutDir, 'casefile'),
      Buffer.concat([randomBytes(4096), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), wire, randomBytes(64)]),
    );
    await afterPack({
      electronPlatformName: 'linux',
      appOutDir,
      packager: { appInfo: { productFilename: 'Casefile' }, executableName: 'casefile' },
    } as unknown as Parameters<typeof afterPack>[0]);
    const fuses = (await getCurrentFuseWire(join(appOutDir, 'casefile'))) as unknown as Record<number, number>;
    expect(fuses[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
  });

  it('makes every platform icon from resources/icon/icon.png', () => {
    const out = tempDir();
    makeIcons(join(root, 'resources', 'icon', 'icon.png'), out);
    for (const s of [16, 32, 48, 64, 128, 256, 512]) {
      const png = decodePng(readFileSync(join(out, 'icons', `${s}x${s}.png`))) as {
        width: number;
        height: number;
        rgba: Buffer;
      };
      expect([png.width, png.height]).toEqual([s, s]);
      // The corner is transparent and the middle is not: the picture survived the resize.
      expect(png.rgba[3]).toBe(0);
      expect(png.rgba[((s >> 1) * s + (s >> 1)) * 4 + 3]).toBe(255);
    }
    const ico = readFileSync(join(out, 'icon.ico'));
    expect([ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([1, 7]);
    expect(ico[6 + 16 * 6]).toBe(0); // the last entry is 256 px, written as 0
    const icns = readFileSync(join(out, 'icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    let pos = 8;
    const types: string[] = [];
    while (pos < icns.length) {
      types.push(icns.toString('latin1', pos, pos + 4));
      expect(icns.subarray(pos + 8, pos + 12).toString('latin1')).toBe('\x89PNG');
      pos += icns.readUInt32BE(pos + 4);
    }
    expect(types).toEqual((ICNS_TYPES as [string, number][]).map(([t]) => t));
    expect(config.win!.icon).toBe('build/icon.ico');
    expect(config.mac!.icon).toBe('build/icon.icns');
    expect(config.linux!.icon).toBe('build/icons');
  });

  it('writes the full third-party notices of what ships: run-time dependencies and bundled packages, licence texts included', () => {
    // A copy of the project's root with a renderer build's list of bundled packages.
    const dir = tempDir();
    copyFileSync(join(root, 'package-lock.json'), join(dir, 'package-lock.json'));
    copyFileSync(join(root, 'THIRD_PARTY_NOTICES.md'), join(dir, 'THIRD_PARTY_NOTICES.md'));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    mkdirSync(join(dir, 'out', 'renderer'), { recursive: true });
    writeFileSync(
      join(dir, 'out', 'renderer', 'bundled-packages.json'),
      JSON.stringify(['node_modules/react', 'node_modules/ag-grid-community']),
    );
    const { text, entries } = buildNotices(dir) as { text: string; entries: { name: string }[] };
    const names = entries.map((e) => e.name);
    for (const n of ['better-sqlite3', 'zod', 'citeproc', 'exceljs', 'react', 'ag-grid-community'])
      expect(names, n).toContain(n);
    for (const n of ['tsx', 'ws', 'electron', 'vitest', 'electron-builder']) expect(names, n).not.toContain(n);
    expect(text).toContain('CPAL-1.0');
    expect(text).toMatch(/better-sqlite3 13\.\d+\.\d+\nLicence: MIT[\s\S]*?LICENSE:\n\nThe MIT License/);
    expect(relative(root, join(root, 'build', 'THIRD_PARTY_NOTICES.txt'))).toBe(
      join('build', 'THIRD_PARTY_NOTICES.txt'),
    );
    expect(config.extraResources).toContainEqual({
      from: 'build/THIRD_PARTY_NOTICES.txt',
      to: 'THIRD_PARTY_NOTICES.txt',
    });
    expect(existsSync(join(root, 'resources', 'csl', 'locales-en-US.xml'))).toBe(true);
  });
});
