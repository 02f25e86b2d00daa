import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The page's CSP meta tag forbids inline scripts, which is right for every build; the dev
 * server's React refresh preamble is one, so in `electron-vite dev` the tag is dropped and the
 * main process's development policy (src/main/security.ts, sent as a header) applies alone.
 */
const devCspFromMain: Plugin = {
  name: 'casefile-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
};

/**
 * Writes bundled-packages.json beside the bundle: the package folders (node_modules/...) whose
 * code ended up in it, so that packaging lists their licences (scripts/third-party-notices.mjs)
 * from what was really bundled, not from a hand-kept list.
 */
const bundledPackages: Plugin = {
  name: 'casefile-bundled-packages',
  apply: 'build',
  generateBundle(_options, bundle) {
    const dirs = new Set<string>();
    for (const out of Object.values(bundle)) {
      if (out.type !== 'chunk') continue;
      for (const id of out.moduleIds ?? Object.keys(out.modules)) {
        // From the first node_modules, nested ones included: the folder package-lock.json names.
        const m = /(node_modules[/\\](?:.*[/\\]node_modules[/\\])?(?:@[^/\\]+[/\\])?[^/\\]+)/.exec(
          id.replace(/^\0/, '').split('?')[0] ?? '',
        );
        if (m?.[1]) dirs.add(m[1].replaceAll('\\', '/'));
      }
    }
    this.emitFile({
      type: 'asset',
      fileName: 'bundled-packages.json',
      source: `${JSON.stringify([...dirs].sort(), null, 2)}\n`,
    });
  },
};

/**
 * The renderer alone: what browser mode serves and what electron-vite's renderer build also
 * uses (electron.vite.config.ts imports these options), so both modes run the same bundle.
 */
export const rendererOptions = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react(), devCspFromMain, bundledPackages],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    // electron-vite leaves the renderer unminified unless told: minified in every build.
    minify: true,
    chunkSizeWarningLimit: 4000,
  },
};

export default defineConfig(rendererOptions);
