import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Session } from '../src/core/session';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'casefile-test-'));
  dirs.push(d);
  return d;
}

/** A session on a fresh case file (the demo unless told otherwise), with a known author. */
export function session(opts: { demo?: boolean } = {}): { s: Session; dir: string; file: string } {
  const dir = tempDir();
  const s = new Session(join(dir, 'config'), 'browser');
  s.settings.update({ author: 'Test Analyst' });
  const file = join(dir, 'case.casefile');
  s.create(file, opts.demo ?? true);
  return { s, dir, file };
}
