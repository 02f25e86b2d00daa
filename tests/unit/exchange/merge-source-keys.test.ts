import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main';
import { importFile } from '../../../src/core/import/pipeline';
import { openCaseFileReadOnly, type Db } from '../../../src/core/db/open';
import { planView } from '../../../src/core/exchange/merge';
import { prepareMerge } from '../../../src/core/exchange/merge';
import { tempDir } from '../../helpers';
import { merge, pair, plan, rows } from './pair';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/import/${name}`, import.meta.url));

async function cli(...args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await run(args, (s) => out.push(s));
  return { code, out };
}

/** Reads a closed case file: its sources by key, whether every citation cites one, integrity. */
function state(path: string) {
  const { db } = openCaseFileReadOnly(path);
  try {
    return read(db);
  } finally {
    db.close();
  }
}
function read(db: Db) {
  return {
    sources: (db.prepare('SELECT key, title FROM sources ORDER BY key').all() as { key: string; title: string }[]).map(
      (r) => `${r.key}: ${r.title}`,
    ),
    citations: (db.prepare('SELECT count(*) n FROM citations').get() as { n: number }).n,
    dangling: (
      db
        .prepare(
          'SELECT count(*) n FROM citations c WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = c.source_id)',
        )
        .get() as { n: number }
    ).n,
    integrity: (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check,
    foreignKeys: db.prepare('PRAGMA foreign_key_check').all().length,
  };
}

/** A new case file that imported an ACLED export through the importer, as an analyst does. */
async function imported(dir: string, name: string, author: string, node: string): Promise<string> {
  const file = join(dir, name);
  expect((await cli('new', file)).code).toBe(0);
  await importFile(file, fixture('acled-current.csv'), { author, node, inWorker: false });
  return file;
}

describe('merging files that share source keys', { timeout: 180_000 }, () => {
  it('two analysts who each imported ACLED merge their sources by key: citations cite the kept source, no crash, nothing twice', async () => {
    const dir = tempDir();
    const mine = await imported(dir, 'mine.casefile', 'Analyst A', 'a1a1a1a1a1a1');
    const theirs = await imported(dir, 'theirs.casefile', 'Analyst B', 'b2b2b2b2b2b2');
    const before = state(mine);
    expect(before.sources).toContain('acled-src-tolo-news: Tolo News');
    const theirsBefore = state(theirs);

    const dry = await cli('merge', mine, theirs, '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.out[0]!);
    expect(planned).toMatchObject({ conflicts: 0, applied: false });
    // Their sources are yours: none is added.
    expect(planned.tables.sources).toBeUndefined();

    const done = await cli('merge', mine, theirs, '--json');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.out[0]!)).toMatchObject({
      applied: true,
      conflicts: 0,
      tables: { citations: { added: theirsBefore.citations } },
    });
    const after = state(mine);
    expect(after.sources).toEqual(before.sources);
    expect(after.citations).toBe(before.citations + theirsBefore.citations);
    expect(after).toMatchObject({ dangling: 0, integrity: 'ok', foreignKeys: 0 });

    // Merged once is merged: the same file again changes nothing, in either direction.
    const again = await cli('merge', mine, theirs, '--json');
    expect(JSON.parse(again.out[0]!)).toMatchObject({ added: 0, updated: 0, deleted: 0, conflicts: 0 });
    expect(state(mine)).toEqual(after);
    const back = await cli('merge', theirs, mine, '--json');
    expect(back.code).toBe(0);
    expect(state(theirs)).toMatchObject({ sources: theirsBefore.sources, dangling: 0, integrity: 'ok' });
  });

  it('two files started from the demo merge without a crash, each source once', async () => {
    const dir = tempDir();
    const [a, b] = [join(dir, 'a.casefile'), join(dir, 'b.casefile')];
    expect((await cli('new', a, '--demo')).code).toBe(0);
    expect((await cli('new', b, '--demo')).code).toBe(0);
    const before = state(a);
    const r = await cli('merge', a, b);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).not.toMatch(/sources: \d+ added/);
    const after = state(a);
    expect(after.sources).toEqual(before.sources);
    expect(after).toMatchObject({ dangling: 0, integrity: 'ok', foreignKeys: 0, citations: before.citations * 2 });
  });

  it('a key that names a different source on each side is a conflict the review and the CLI show, never a crash', async () => {
    const dir = tempDir();
    const [mine, theirs] = [join(dir, 'mine.casefile'), join(dir, 'theirs.casefile')];
    expect((await cli('new', mine, '--demo')).code).toBe(0);
    expect((await cli('new', theirs, '--demo')).code).toBe(0);
    // Their "centcom2022" is another work than yours, and they cite it.
    const { Session } = await import('../../../src/core/session');
    const them = new Session(join(dir, 'config-them'), 'browser');
    them.settings.update({ author: 'Colleague' });
    them.open(theirs);
    const src = them.caseFile.db.prepare("SELECT id FROM sources WHERE key = 'centcom2022'").get() as { id: string };
    them.caseFile.update('sources', src.id, { title: 'Posture statement to Congress (March 2023)' });
    const cites = (
      them.caseFile.db.prepare('SELECT count(*) n FROM citations WHERE source_id = ?').get(src.id) as { n: number }
    ).n;
    expect(cites).toBeGreaterThan(0);
    them.close();
    const before = state(mine);

    // The app's review: one row conflict, saying what and offering both ways.
    const p = await prepareMerge(mine, theirs);
    try {
      const view = planView(p);
      expect(view.counts.conflicts).toBe(1);
      const c = view.items.find((x) => x.rowConflict === 'same-key')!;
      expect(c).toMatchObject({
        tbl: 'sources',
        kind: 'conflict',
        label: 'centcom2022 · Posture statement to Congress (March 2023)',
      });
      expect(c.reason).toMatch(
        /another source under the key “centcom2022”: “Posture statement to Congress \(March 2022\)”/,
      );
      const following = view.items.filter(
        (x) => x.tbl === 'citations' && x.reason?.startsWith('Cites a source of theirs whose key'),
      );
      expect(following.length).toBe(cites);
    } finally {
      p.received.dispose();
    }

    const dry = await cli('merge', mine, theirs, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out.join('\n')).toMatch(
      /conflict: source centcom2022 · Posture statement to Congress \(March 2023\) \(.{36}\): Your file has another source under the key “centcom2022”/,
    );
    const refused = await cli('merge', mine, theirs);
    expect(refused.code).toBe(1);
    expect(state(mine)).toEqual(before);

    const kept = join(dir, 'kept.casefile');
    expect((await cli('export', mine, '--format', 'casefile', '--out', kept)).code).toBe(0);
    // Keep yours: theirs is left out, with what cites it (the review says so beside each).
    const mineWins = await cli('merge', kept, theirs, '--prefer', 'mine', '--json');
    expect(mineWins.code).toBe(0);
    expect(JSON.parse(mineWins.out[0]!)).toMatchObject({ applied: true, conflicts: 1, skipped: [] });
    expect(state(kept)).toMatchObject({
      sources: before.sources,
      citations: before.citations * 2 - cites,
      dangling: 0,
      integrity: 'ok',
    });

    // Take theirs: added under a free key, and their citations cite it.
    const theirsWin = await cli('merge', mine, theirs, '--prefer', 'theirs', '--json');
    expect(theirsWin.code).toBe(0);
    expect(JSON.parse(theirsWin.out[0]!).notes).toEqual([
      'centcom2022 · Posture statement to Congress (March 2023): added under the key “centcom2022-2” (“centcom2022” is another source in your file)',
    ]);
    const after = state(mine);
    expect(after.sources).toContain('centcom2022-2: Posture statement to Congress (March 2023)');
    expect(after.sources).toContain('centcom2022: Posture statement to Congress (March 2022)');
    expect(after).toMatchObject({ dangling: 0, integrity: 'ok', foreignKeys: 0 });
    const { db } = openCaseFileReadOnly(mine);
    expect(
      db
        .prepare(
          "SELECT count(*) n FROM citations c JOIN sources s ON s.id = c.source_id WHERE s.key = 'centcom2022-2'",
        )
        .get(),
    ).toEqual({ n: cites });
    db.close();
    // And the next merge of the same file changes nothing.
    expect(JSON.parse((await cli('merge', mine, theirs, '--json')).out[0]!)).toMatchObject({
      added: 0,
      updated: 0,
      deleted: 0,
      conflicts: 0,
    });
  });

  it('their change of a shared source’s key to a key of another of your sources is a conflict; taking theirs is refused, not a crash', async () => {
    const { me, them, theirs } = await pair();
    me.caseFile.create('sources', { key: 'ministry2024', title: 'Ministry press release', type: 'statement' });
    const shared = them.caseFile.db.prepare("SELECT id FROM sources WHERE key = 'centcom2022'").get() as { id: string };
    them.caseFile.update('sources', shared.id, { key: 'ministry2024' });
    them.close();
    const before = rows(me.caseFile.db);

    const p = await plan(me, theirs);
    const x = p.items.find((i) => i.id === shared.id)!;
    expect(x).toMatchObject({
      kind: 'conflict',
      reason: expect.stringMatching(
        /Their key “ministry2024” is the key of another source in your file \(“Ministry press release”\)/,
      ),
    });
    expect(x.fields.find((f) => f.field === 'key')).toMatchObject({ conflict: true });
    await expect(merge(me, theirs, { prefer: 'theirs' })).rejects.toThrow(
      /their key “ministry2024” is the key of another source in your file.*nothing was merged/,
    );
    expect(rows(me.caseFile.db)).toEqual(before);
    const { result } = await merge(me, theirs, { prefer: 'mine' });
    expect(result).toMatchObject({ applied: true, conflicts: 1 });
    expect(me.caseFile.get('sources', shared.id)).toMatchObject({ key: 'centcom2022' });
    me.close();
  });
});
