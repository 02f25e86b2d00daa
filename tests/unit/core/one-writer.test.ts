import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README promises one writer of the change log (it feeds undo, audit and merge): a bulk path
// that writes its own entries is a second source of truth. This reads every source file and names
// any other that writes the table.
const src = join(import.meta.dirname, '..', '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(f) ? [p] : [];
  });
}

const writes = /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+(main\.)?change_log\b/i;

describe('one producer of data.changed', () => {
  // Every view and window refreshes from this event: a second producer is a second idea of what changed.
  it('only src/core/session.ts emits it, relaying what the case file announces (actions, and bulk work by announceBulk)', () => {
    const producers = files(src)
      .filter((f) => !f.includes(join('src', 'renderer')) && !f.includes(join('src', 'shared')))
      .filter((f) => /emit\(\s*['"]data\.changed['"]/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(producers).toEqual([join('core', 'session.ts')]);
  });
});

describe('one writer of the change log', () => {
  it('only src/core/write/change-log.ts writes change_log (migrations create it)', () => {
    const writers = files(src)
      .filter((f) => !f.includes(join('core', 'migrations')))
      .filter((f) => writes.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(writers).toEqual([join('core', 'write', 'change-log.ts')]);
  });
});
