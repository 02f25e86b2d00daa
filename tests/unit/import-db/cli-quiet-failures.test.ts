import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshCase, snapshot, withDb } from './helpers';

const BIN = resolve(import.meta.dirname, '../../../bin/casefile.mjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('spreadsheet imports do not fail quietly', () => {
  it('a mapping naming a column the file lacks is an error naming it and the nearest header; nothing changes', () => {
    const { dir, file } = freshCase();
    const data = join(dir, 'attacks.csv');
    writeFileSync(data, 'Ref,When,Killed\nR1,2021-08-26,170\n');
    const mapping = join(dir, 'm.json');
    writeFileSync(mapping, JSON.stringify({ Ref: 'external_id', When: 'date', Kiled: 'fatalities' }));
    const before = withDb(file, snapshot);
    const r = cli('import', file, data, '--format', 'csv', '--mapping', mapping);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'casefile: attacks.csv: the mapping names a column "Kiled" (for fatalities) that the file does not have; the nearest is "Killed"\n',
    );
    expect(withDb(file, snapshot)).toEqual(before);
  });

  it('an import that skips every row exits non-zero, lists why, and leaves the case file as it was; a file without an id column is warned about first', () => {
    const { dir, file } = freshCase();
    const data = join(dir, 'undated.csv');
    writeFileSync(data, 'When,Killed\n2021-13-45,1\nyesterday,2\n');
    const mapping = join(dir, 'm.json');
    writeFileSync(mapping, JSON.stringify({ When: 'date', Killed: 'fatalities' }));
    const before = withDb(file, snapshot);
    const r = cli('import', file, data, '--format', 'csv', '--mapping', mapping);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('undated.csv: csv: 0 imported, 0 updated, 0 unchanged, 2 skipped');
    expect(r.stdout).toContain('  skipped line 3: ');
    const err = r.stderr.split('\n');
    expect(err[0]).toBe(
      'casefile: warning: undated.csv: no column is mapped to external_id, so importing this file again will add its rows again',
    );
    expect(err[1]).toMatch(
      /^casefile: undated\.csv: every row was skipped \(2\), nothing was imported; the first: line 2: /,
    );
    expect(withDb(file, snapshot)).toEqual(before);
  });

  it('with an id column mapped there is no warning, and a partial import exits 0', () => {
    const { dir, file } = freshCase();
    const data = join(dir, 'some.csv');
    writeFileSync(data, 'id,date,fatalities\nR1,2021-08-26,1\nR2,yesterday,2\n');
    const r = cli('import', file, data);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('some.csv: csv: 1 imported, 0 updated, 0 unchanged, 1 skipped');
  });
});
