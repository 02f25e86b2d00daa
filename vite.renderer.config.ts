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
 * The renderer alone: what browser mode serves and what electron-vite's renderer build also
 * uses (electron.vite.config.ts imports these options), so both modes run the same bundle.
 */
export const rendererOptions = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react(), devCspFromMain],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
};

export default defineConfig(rendererOptions);
