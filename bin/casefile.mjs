#!/usr/bin/env node
// The `casefile` command. The core is TypeScript run through tsx's loader, so the CLI, the
// tests and browser mode all run the same sources with no separate build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
