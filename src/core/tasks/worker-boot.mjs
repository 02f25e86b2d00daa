// Runs the TypeScript worker from source (tests, CLI, browser mode) through tsx's loader.
// Bundled builds start task-worker.js directly and never load this file.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
