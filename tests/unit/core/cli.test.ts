import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers';
import { SCHEMA_VERSION } from '../../../src/core/db/migrations';

const BIN = resolve(import.meta.dirname, '../../../bin/casefile.mjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('casefile command', () => {
  it('creates the demo and reports it as JSON', () => {
    const f = join(tempDir(), 'demo.casefile');
    expect(cli('new', f, '--demo').status).toBe(0);
    const r = cli('info', f, '--json');
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      integrity: 'ok',
      counts: { sources: 6, incidents: 10, plots: 15, figures: 16, notes: 1 },
    });
    expect(info.counts.citations).toBe(10 + 15 + 16 + 5);
  });

  it('exits non-zero with one line on stderr for an error', () => {
    const dir = tempDir();
    const f = join(dir, 'junk.casefile');
    writeFileSync(f, 'not a database at all '.repeat(50));
    const r = cli('info', f, '--json');
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'casefile: junk.casefile is not a Casefile case file (not an SQLite database)',
    ]);
    const again = join(dir, 'x.casefile');
    expect(cli('new', again).status).toBe(0);
    const r2 = cli('new', again);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toMatch(/already exists/);
    expect(cli('frobnicate').status).not.toBe(0);
  });
});
