import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { rendererOptions } from './vite.renderer.config';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // The task worker is its own entry: run-task.ts starts ./task-worker.js beside the bundle.
      lib: {
        entry: {
          index: resolve(root, 'src/main/index.ts'),
          'task-worker': resolve(root, 'src/core/tasks/worker.ts'),
          'exchange-probe': resolve(root, 'src/core/exchange/probe-main.ts'),
          'exchange-probe-utility': resolve(root, 'src/main/probe-utility-entry.ts'),
        },
      },
      // Dependencies stay in node_modules, loaded at run time (package.json "dependencies" is
      // what the packaged app carries): better-sqlite3 must (a native addon), and the rest may.
      externalizeDeps: { include: ['better-sqlite3'] },
      sourcemap: true,
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      lib: { entry: resolve(root, 'src/preload/index.ts') },
      // A sandboxed preload can neither require node_modules nor be an ES module: one CommonJS
      // file, zod and the contract bundled in.
      externalizeDeps: false,
      rolldownOptions: { output: { format: 'cjs', entryFileNames: 'index.cjs' } },
      minify: true,
    },
  },
  // The same renderer build as the browser mode's (vite.renderer.config.ts, base './', out/renderer):
  // Electron serves that folder at app://casefile/. The target is pinned because electron-vite
  // would otherwise aim at Electron's Chromium only, and browsers load this output too.
  renderer: { ...rendererOptions, build: { ...rendererOptions.build, target: 'es2022' } },
});
