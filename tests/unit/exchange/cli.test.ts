import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main';
import { ids, pair, rows } from './pair';
import { openCaseFileReadOnly } from '../../../src/core/db/open';

async function cli(...args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await run(args, (s) => out.push(s));
  return { code, out };
}

describe('casefile merge MINE THEIRS', { timeout: 180_000 }, () => {
  it('applies nothing and exits non-zero on conflicts without --prefer; --dry-run and --prefer do what they say', async () => {
    const { me, them, theirs, dir, mine } = await pair();
    const [a, b] = ids(me.caseFile.db, 'incidents', 2);
    me.caseFile.update('incidents', a!, { description: 'mine' });
    them.caseFile.update('incidents', a!, { description: 'theirs' });
    them.caseFile.update('incidents', b!, { fatalities: 8 });
    them.close();
    me.close();
    const before = readFileSync(mine);

    const conflicted = await cli('merge', mine, theirs, '--json');
    expect(conflicted.code).toBe(1);
    expect(JSON.parse(conflicted.out[0]!)).toEqual({
      added: 0,
      updated: 2,
      deleted: 0,
      conflicts: 1,
      applied: false,
      tables: { incidents: { added: 0, updated: 2, deleted: 0, conflicts: 1 } },
      conflictRows: [{ tbl: 'incidents', id: a, label: expect.any(String), fields: ['description'], reason: null }],
      skipped: [],
      notes: [],
    });
    expect(readFileSync(mine).equals(before)).toBe(true);

    const dry = await cli('merge', mine, theirs, '--json', '--dry-run', '--prefer', 'theirs');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out[0]!)).toMatchObject({ conflicts: 1, applied: false });
    expect(readFileSync(mine).equals(before)).toBe(true);

    const done = await cli('merge', mine, theirs, '--json', '--prefer', 'theirs');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.out[0]!)).toMatchObject({
      added: 0,
      updated: 2,
      deleted: 0,
      conflicts: 1,
      applied: true,
      tables: { incidents: { added: 0, updated: 2, deleted: 0, conflicts: 1 } },
    });
    const { db } = openCaseFileReadOnly(mine);
    const after = rows(db);
    db.close();
    expect(after.incidents![a!]).toMatchObject({ description: 'theirs' });
    expect(after.incidents![b!]).toMatchObject({ fatalities: 8 });

    const again = await cli('merge', mine, theirs, '--json');
    expect(JSON.parse(again.out[0]!)).toEqual({
      added: 0,
      updated: 0,
      deleted: 0,
      conflicts: 0,
      applied: true,
      tables: {},
      conflictRows: [],
      skipped: [],
      notes: [],
    });
    expect((await cli('merge', mine, join(dir, 'nope.casefile'))).code).toBe(1);
    expect((await cli('merge', mine, theirs, '--prefer', 'both')).code).toBe(1);
  });
});
