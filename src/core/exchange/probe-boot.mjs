// Runs the probe process from source (tests, CLI, browser mode) through tsx's loader.
// Bundled builds start exchange-probe.js directly and never load this file.
import { register } from 'tsx/esm/api';

register();
await import('./probe-main.ts');
