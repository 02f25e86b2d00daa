// `node --import ./tests/e2e/stand-in/register.mjs out/main/index.js`: the built main process
// against the stand-in electron module (electron.mjs).
import { register } from 'node:module';

register('./electron-hooks.mjs', import.meta.url);
