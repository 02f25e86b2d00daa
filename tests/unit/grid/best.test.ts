import { describe, expect, it } from 'vitest';
import { bestMatches, SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../src/core/grid/best';
import { countRows } from '../../../src/core/grid/seek';
import { session } from '../../helpers';

const EMPTY = { columns: {} };

function seeded() {
  const ctx = session({ demo: false });
  const cf = ctx.s.caseFile;
  cf.action(
    'seed',
    (tx) => {
      // Relevance: "ambush" three times in a short text beats once in a long one.
      tx.insert('incidents', {
        date: '2023-01-02',
        country: 'Afghanistan',
        admin1: 'Kunar',
        event_type: 'Battles',
        description: 'Ambush, then a second ambush, then a third ambush on the road.',
      });
      tx.insert('incidents', {
        date: '2023-02-03',
        country: 'Afghanistan',
        admin1: 'Kabul',
        event_type: 'Battles',
        description: `An ambush was reported. ${'Other words fill this long account of the day. '.repeat(20)}`,
      });
      tx.insert('incidents', {
        date: '2023-03-04',
        country: 'Syria',
        admin1: 'Aleppo',
        event_type: 'Battles',
        description: 'Ambush near Aleppo.',
      });
      tx.insert('incidents', {
        date: '2023-04-05',
        country: 'Afghanistan',
        admin1: 'Kabul',
        event_type: 'Protests',
        description: 'A protest; nothing to do with the search.',
      });
      // Untrusted text: markup stays text, and a marker-like character in it is not a marker.
      tx.insert('incidents', {
        date: '2023-05-06',
        country: 'Iraq',
        admin1: 'Ninewa',
        event_type: 'Battles',
        description: '<img src=x onerror=alert(1)> ambush',
      });
      for (let i = 0; i < 150; i++)
        tx.insert('incidents', {
          date: '2022-01-01',
          country: 'Mali',
          admin1: 'Gao',
          event_type: 'Battles',
          description: `checkpoint attack number ${i}`,
        });
    },
    { undoable: false },
  );
  return ctx;
}

describe('best matches by relevance', () => {
  it('ranks by bm25, the most relevant first, with the matched words marked in a snippet', () => {
    const { s } = seeded();
    const m = bestMatches(s.caseFile.db, 'incidents', { ...EMPTY, search: 'ambush' });
    expect(m.map((x) => x.row.admin1)).toHaveLength(4);
    expect(m[0]!.row.admin1).toBe('Kunar');
    // Scores ascend (bm25: lower is better) and the long text ranks below the short ones.
    for (let i = 1; i < m.length; i++) expect(m[i]!.score).toBeGreaterThanOrEqual(m[i - 1]!.score);
    expect(m.at(-1)!.row.admin1).toBe('Kabul');
    expect(m[0]!.snippet).toContain(`${SNIPPET_OPEN}Ambush${SNIPPET_CLOSE}`);
    expect(m[0]!.snippet.split(SNIPPET_OPEN)).toHaveLength(4);
    const html = m.find((x) => x.row.admin1 === 'Ninewa')!;
    expect(html.snippet).toBe(`<img src=x onerror=alert(1)> ${SNIPPET_OPEN}ambush${SNIPPET_CLOSE}`);
    // Full rows, without the ranking's own columns.
    expect(Object.keys(m[0]!.row)).toContain('description');
    expect(Object.keys(m[0]!.row).filter((k) => k.startsWith('_'))).toEqual([]);
  });

  it('the column filters apply, and the limit', () => {
    const { s } = seeded();
    const db = s.caseFile.db;
    const inAfghanistan = bestMatches(db, 'incidents', {
      columns: { country: { type: 'set', values: ['Afghanistan'] } },
      search: 'ambush',
    });
    expect(inAfghanistan.map((x) => x.row.admin1)).toEqual(['Kunar', 'Kabul']);
    const all = bestMatches(db, 'incidents', { ...EMPTY, search: 'checkpoint' });
    expect(all).toHaveLength(100);
    expect(countRows(db, 'incidents', { ...EMPTY, search: 'checkpoint' })).toBe(150);
    expect(bestMatches(db, 'incidents', { ...EMPTY, search: 'checkpoint' }, 7)).toHaveLength(7);
    // With a filter, the limit counts the rows that pass it.
    expect(
      bestMatches(db, 'incidents', { columns: { admin1: { type: 'set', values: ['Gao'] } }, search: 'attack' }, 120),
    ).toHaveLength(120);
  });

  it('nothing to search for, or nothing found: an empty list', () => {
    const { s } = seeded();
    const db = s.caseFile.db;
    expect(bestMatches(db, 'incidents', { ...EMPTY, search: '   ' })).toEqual([]);
    expect(bestMatches(db, 'incidents', { ...EMPTY, search: '"*()' })).toEqual([]);
    expect(bestMatches(db, 'incidents', { ...EMPTY, search: 'zebra' })).toEqual([]);
  });

  it('sources are ranked on their key, title, authors and notes', () => {
    const { s } = session({ demo: true });
    const titles = bestMatches(s.caseFile.db, 'sources', { ...EMPTY, search: 'Khorasan' }).map((x) =>
      String(x.row.title),
    );
    expect(titles.length).toBeGreaterThan(0);
    for (const t of titles) expect(t.length).toBeGreaterThan(0);
  });

  it('follows edits: a changed text is ranked by what it says now', () => {
    const { s } = seeded();
    const cf = s.caseFile;
    const id = (cf.db.prepare("SELECT id FROM incidents WHERE admin1 = 'Aleppo'").get() as { id: string }).id;
    cf.update('incidents', id, { description: 'Ambush ambush ambush ambush.' });
    expect(bestMatches(cf.db, 'incidents', { ...EMPTY, search: 'ambush' })[0]!.row.id).toBe(id);
    cf.update('incidents', id, { description: 'Nothing here now.' });
    expect(bestMatches(cf.db, 'incidents', { ...EMPTY, search: 'ambush' }).map((x) => x.row.id)).not.toContain(id);
  });
});
