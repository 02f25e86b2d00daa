import { describe, expect, it } from 'vitest';
import { linkGraph } from '../../../src/core/dashboard/links';
import { addAlias } from '../../../src/core/aliases/store';
import { session } from '../../helpers';
import { addMultiScript, MULTI_SCRIPT } from '../aliases/fixtures';

function graphCase() {
  const { s } = session({ demo: false });
  const cf = s.caseFile;
  const ids = addMultiScript(cf);
  const amaq = cf.create('sources', { key: 'amaq', title: 'Amaq News Agency statements', type: 'propaganda' });
  const tolo = cf.create('sources', { key: 'tolonews', title: 'TOLOnews', type: 'news' });
  cf.action('Cite', (tx) => {
    for (const i of [0, 1, 2])
      tx.insert('citations', { source_id: amaq.id, target_table: 'incidents', target_id: ids[i] });
    for (const i of [0, 4])
      tx.insert('citations', { source_id: tolo.id, target_table: 'incidents', target_id: ids[i] });
  });
  return { cf, db: cf.db, ids, amaq: amaq.id as string };
}

describe('link chart network', () => {
  it('links actors, places and sources with weights counted from the rows; aliases make one group one node', () => {
    const { cf, db, amaq } = graphCase();
    const before = linkGraph(db, { columns: {}, search: '' }, 0);
    expect(before.expanded).toBe(false);
    expect(before.total).toBe(MULTI_SCRIPT.length);
    expect(before.nodes.filter((n) => n.kind === 'actor').map((n) => n.name)).toEqual(
      expect.arrayContaining(['ISKP', 'Islamic State Khorasan Province', 'ولایت خراسان']),
    );

    addAlias(cf, { kind: 'actor', name: 'ISKP', sameAs: 'Islamic State Khorasan Province' });
    addAlias(cf, { kind: 'actor', name: 'ولایت خراسان', sameAs: 'ISKP' });
    addAlias(cf, { kind: 'place', name: 'Hirat', sameAs: 'Herat' });
    const g = linkGraph(db, { columns: {}, search: '' }, 0);
    const iskp = g.nodes.find((n) => n.id === 'a:Islamic State Khorasan Province')!;
    expect(iskp).toMatchObject({
      kind: 'actor',
      value: 3,
      filter: { column: 'actor1', value: 'Islamic State Khorasan Province' },
    });
    expect(g.nodes.some((n) => n.name === 'ISKP' || n.name === 'ولایت خراسان')).toBe(false);
    // Amaq cites the three incidents of the group: one link of weight 3.
    expect(g.links).toContainEqual({
      source: `s:${amaq}`,
      target: 'a:Islamic State Khorasan Province',
      kind: 'reports_on',
      weight: 3,
    });
    expect(g.links).toContainEqual({
      source: 'a:Islamic State Khorasan Province',
      target: 'p:Herat',
      kind: 'active_in',
      weight: 2,
    });
    expect(g.links).toContainEqual({
      source: 'a:Military Forces of Afghanistan',
      target: 'a:Khorasan Chapter of the Islamic State',
      kind: 'associated_with',
      weight: 1,
    });
    // Every link's ends are nodes drawn.
    const ids = new Set(g.nodes.map((n) => n.id));
    expect(g.links.every((l) => ids.has(l.source) && ids.has(l.target))).toBe(true);
  });

  it('follows the filter, and shows each incident as a node when few are selected', () => {
    const { db, ids } = graphCase();
    const g = linkGraph(db, { columns: { admin1: { type: 'set', values: ['Kabul'] } }, search: '' }, 150);
    expect(g.total).toBe(2);
    expect(g.expanded).toBe(true);
    expect(
      g.nodes
        .filter((n) => n.kind === 'incident')
        .map((n) => n.id)
        .sort(),
    ).toEqual([`i:${ids[3]}`, `i:${ids[4]}`].sort());
    expect(g.links).toContainEqual({ source: 'a:Taliban', target: `i:${ids[4]}`, kind: 'acted_in', weight: 1 });
    expect(g.nodes.find((n) => n.id === 'a:Taliban')!.value).toBe(1);
  });

  it('stays readable at thousands of rows: aggregated, at most 25 actors, the rest counted', () => {
    const { s } = session({ demo: false });
    s.caseFile.action('Add', (tx) => {
      for (let i = 0; i < 3000; i++)
        tx.insert('incidents', {
          actor1: `Armed group ${i % 60}`,
          admin1: `Province ${i % 34}`,
          country: 'Afghanistan',
        });
    });
    const g = linkGraph(s.caseFile.db, { columns: {}, search: '' });
    expect(g).toMatchObject({ total: 3000, expanded: false });
    expect(g.nodes.filter((n) => n.kind === 'actor')).toHaveLength(25);
    expect(g.nodes.filter((n) => n.kind === 'place')).toHaveLength(20);
    expect(g.omitted).toBe(35 + 14);
  });
});
