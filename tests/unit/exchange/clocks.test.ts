import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeHlc } from '../../../src/core/hlc';
import { colleague, ids, merge, pair, plan } from './pair';

const DAY = 86_400_000;

/** The colleague edits on a laptop whose clock is `skew` off; their session's clock is made there. */
async function skewed<T>(skew: number, fn: () => T | Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + skew });
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}

afterEach(() => vi.useRealTimers());

describe('laptops whose clocks disagree', { timeout: 180_000 }, () => {
  it('a colleague two days behind: their changes are not lost for looking older, and a same-field edit is a conflict', async () => {
    const { me, them, theirs, dir } = await pair();
    them.close();
    const [a, b] = ids(me.caseFile.db, 'incidents', 2);
    await skewed(-2 * DAY, () => {
      const c = colleague(dir, theirs);
      c.caseFile.update('incidents', a!, { fatalities: 11 });
      c.caseFile.update('incidents', b!, { description: 'theirs, from a slow clock' });
      c.close();
    });
    me.caseFile.update('incidents', b!, { description: 'mine, from a correct clock' });
    me.caseFile.update('incidents', a!, { location: 'Behsud' });

    const p = await plan(me, theirs);
    expect(p.counts).toMatchObject({ changed: 1, conflicts: 1 });
    const taken = p.items.find((x) => x.id === a)!;
    expect(taken.fields.map((f) => [f.field, f.theirs, f.conflict])).toEqual([['fatalities', 11, false]]);
    await merge(me, theirs, { resolutions: { [`incidents:${b}:description`]: 'theirs' } });
    expect(me.caseFile.get('incidents', a!)).toMatchObject({ fatalities: 11, location: 'Behsud' });
    expect(me.caseFile.get('incidents', b!)!.description).toBe('theirs, from a slow clock');
    expect((await plan(me, theirs)).items).toEqual([]);
  });

  it('a colleague two days ahead: their "later" edit does not win silently, and your edits after the merge stay newest', async () => {
    const { me, them, theirs, dir } = await pair();
    them.close();
    const [a] = ids(me.caseFile.db, 'incidents', 1);
    await skewed(2 * DAY, () => {
      const c = colleague(dir, theirs);
      c.caseFile.update('incidents', a!, { fatalities: 22, description: 'theirs, from a fast clock' });
      c.close();
    });
    me.caseFile.update('incidents', a!, { description: 'mine' });

    const p = await plan(me, theirs);
    expect(p.warnings.join(' ')).toMatch(/2 days ahead of this computer's clock/);
    const item = p.items.find((x) => x.id === a)!;
    expect(item.fields.find((f) => f.field === 'description')).toMatchObject({
      conflict: true,
      mine: 'mine',
      theirs: 'theirs, from a fast clock',
    });
    expect(decodeHlc(item.fields.find((f) => f.field === 'description')!.theirsBy!.hlc).wall).toBeGreaterThan(
      Date.now() + DAY,
    );
    await merge(me, theirs, { resolutions: { [`incidents:${a}:description`]: 'mine' } });
    expect(me.caseFile.get('incidents', a!)).toMatchObject({ fatalities: 22, description: 'mine' });

    // After the merge the local clock has seen theirs: a new edit sorts after all of their history.
    me.caseFile.update('incidents', a!, { fatalities: 23 });
    const theirMax = (
      me.caseFile.db.prepare("SELECT max(hlc) h FROM change_log WHERE author = 'Colleague'").get() as { h: string }
    ).h;
    const mineLast = (
      me.caseFile.db
        .prepare("SELECT hlc FROM change_log WHERE field = 'fatalities' ORDER BY seq DESC LIMIT 1")
        .get() as { hlc: string }
    ).hlc;
    expect(mineLast > theirMax).toBe(true);
    // Merging their file again does not bring back 22: your 23 is the newer decision.
    expect((await plan(me, theirs)).items).toEqual([]);
    await merge(me, theirs);
    expect(me.caseFile.get('incidents', a!)!.fatalities).toBe(23);

    // And when they merge yours (still two days ahead), they get your values.
    await skewed(2 * DAY, async () => {
      const c = colleague(dir, theirs);
      try {
        const back = await plan(c, me.caseFile.path);
        expect(back.counts.conflicts).toBe(0);
        await merge(c, me.caseFile.path);
        expect(c.caseFile.get('incidents', a!)).toMatchObject({ fatalities: 23, description: 'mine' });
      } finally {
        c.close();
      }
    });
  });
});
