import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src/shared/contract';

const ROOT = join(__dirname, '..', '..');
/**
 * Where a channel is called from: the renderer (through its typed client), the command line, and
 * the Electron main process (its menus run Undo and Redo). A handler implementing a channel is not
 * a use: every channel has one, that is what the contract test checks.
 */
const CALLERS = ['src/renderer/src', 'src/cli', 'src/main'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|mjs)$/.test(name) ? [path] : [];
  });
}

describe('the IPC contract', () => {
  it('has no channel that nothing calls', () => {
    const text = CALLERS.flatMap((d) => sources(join(ROOT, d)))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    // A channel is called by its literal name (the typed client takes the name as a literal type).
    const unused = CHANNELS.filter(
      (c) => !text.includes(`'${c}'`) && !text.includes(`"${c}"`) && !text.includes(`\`${c}\``),
    );
    expect(unused).toEqual([]);
  });
});
