import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers';

const BIN = resolve(import.meta.dirname, '../../../bin/casefile.mjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

// Control characters that must never reach a terminal raw.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A case file from someone else, whose title sets the window title, clears the screen and forges a line. */
function hostileFile(): { file: string; title: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'casefile-cli-')), 'hostile.casefile');
  expect(cli('new', file).status).toBe(0);
  const title = 'Report\u001b]0;pwned\u0007\u001b[2J\u009b1A\n  integrity: ok\r \u202Egpj.exe';
  const db = new Database(file);
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('title', ?)").run(title);
  db.close();
  return { file, title };
}

describe('casefile prints user text escaped', () => {
  // Each call starts the CLI (a few seconds on a busy machine): one hostile file for the three.
  let file = '';
  let title = '';
  beforeAll(() => {
    ({ file, title } = hostileFile());
  }, 60_000);
  afterAll(() => rmSync(dirname(file), { recursive: true, force: true }));

  it('info shows a hostile title escaped, on its own line', () => {
    const r = cli('info', file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    const titleLine = r.stdout.split('\n').find((l) => l.startsWith('  title: '))!;
    expect(titleLine).toBe(
      '  title: Report\\u001B]0;pwned\\u0007\\u001B[2J\\u009B1A\\u000A  integrity: ok\\u000D \\u202Egpj.exe',
    );
    // The forged line is not a line of its own: the only integrity line is the real one.
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  integrity:'))).toEqual(['  integrity: ok']);
  });

  it('info --json keeps the title exact for a program, with no raw control character', () => {
    const r = cli('info', file, '--json');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(JSON.parse(r.stdout).title).toBe(title);
  });

  it('an error line names a hostile path escaped', () => {
    const r = cli('info', join(tempDir(), 'x\u001b[2J\u202Efdp.casefile'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stderr).toMatch(/x\\u001B\[2J\\u202Efdp\.casefile/);
  });
});
