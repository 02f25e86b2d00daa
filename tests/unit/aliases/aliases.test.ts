import { describe, expect, it } from 'vitest';
import type { FilterModel } from '../../../src/shared/contract';
import { whereSql } from '../../../src/core/grid/filter-sql';
import { countRows } from '../../../src/core/grid/seek';
import { distinct } from '../../../src/core/grid/distinct';
import { figuresByAdmin1 } from '../../../src/core/dashboard/figures';
import { incidentsBy } from '../../../src/core/dashboard/incidents';
import {
  acceptNames,
  addAlias,
  addStarter,
  listAliases,
  rejectNames,
  removeAlias,
} from '../../../src/core/aliases/store';
import { aliasSuggestions } from '../../../src/core/aliases/suggest';
import type { Db } from '../../../src/core/db/open';
import { session } from '../../helpers';
import { addMultiScript } from './fixtures';

const actorsOf = (db: Db, filter: Partial<FilterModel>) => {
  const w = whereSql('incidents', { columns: {}, search: '', ...filter });
  return db
    .prepare(`SELECT actor1 FROM incidents WHERE ${w.sql} ORDER BY date`)
    .pluck()
    .all(...w.params) as string[];
};
const search = (db: Db, q: string) => actorsOf(db, { search: q });
const ALL_ISKP = [
  'Islamic State Khorasan Province',
  'ISKP',
  'ولایت خراسان',
  'ИГИЛ-Хорасан',
  'Military Forces of Afghanistan',
];

function iskpCase() {
  const { s } = session({ demo: false });
  const cf = s.caseFile;
  addMultiScript(cf);
  const src = cf.create('sources', {
    key: 'amaq2023',
    title: 'Amaq statement on the Herat mosque attack',
    type: 'propaganda',
  });
  return { s, cf, db: cf.db, sourceId: src.id as string };
}

describe('aliases: one actor, many names', () => {
  it('a search, a set filter, a text filter and a dashboard count for ISKP include every alias of the group, in every script', () => {
    const { cf, db, sourceId } = iskpCase();
    // Before any alias: each name finds only itself.
    expect(search(db, 'ISKP')).toEqual(['ISKP']);
    expect(actorsOf(db, { columns: { actor1: { type: 'set', values: ['ISKP'] } } })).toEqual(['ISKP']);

    addAlias(cf, { kind: 'actor', name: 'ISKP', sameAs: 'Islamic State Khorasan Province' });
    addAlias(cf, { kind: 'actor', name: 'ولایت خراسان', sameAs: 'ISKP', sourceId });
    addAlias(cf, { kind: 'actor', name: 'ИГИЛ-Хорасан', sameAs: 'Islamic State Khorasan Province' });
    addAlias(cf, { kind: 'actor', name: 'Khorasan Chapter of the Islamic State', sameAs: 'iskp' });

    // Search: the name as a phrase in any field (the GTD name sits in associated actors).
    expect(search(db, 'ISKP')).toEqual(ALL_ISKP);
    expect(search(db, 'iskp')).toEqual(ALL_ISKP);
    // The Dari name typed with Arabic yeh (ي) finds the same rows as with farsi yeh (ی).
    expect(search(db, 'ولايت خراسان')).toEqual(ALL_ISKP);
    expect(search(db, 'ИГИЛ-Хорасан')).toEqual(ALL_ISKP);
    // Set filter: a ticked name brings its aliases; `exact` shows them apart.
    expect(actorsOf(db, { columns: { actor1: { type: 'set', values: ['ISKP'] } } })).toEqual(ALL_ISKP.slice(0, 4));
    expect(actorsOf(db, { columns: { actor1: { type: 'set', values: ['ISKP'], exact: true } } })).toEqual(['ISKP']);
    // Text filters: equals and contains.
    expect(actorsOf(db, { columns: { actor1: { type: 'text', op: 'equals', value: 'ИГИЛ-Хорасан' } } })).toEqual(
      ALL_ISKP.slice(0, 4),
    );
    expect(actorsOf(db, { columns: { assoc_actors: { type: 'text', op: 'contains', value: 'ISKP' } } })).toEqual([
      'Military Forces of Afghanistan',
    ]);
    // The grid's count and a set filter's value counts see the same rows.
    expect(countRows(db, 'incidents', { columns: { actor1: { type: 'set', values: ['ISKP'] } }, search: '' })).toBe(4);
    const d = distinct(db, 'incidents', 'admin1', {
      columns: { actor1: { type: 'set', values: ['ISKP'] } },
      search: '',
    });
    expect(d.values.reduce((n, v) => n + v.count, 0)).toBe(4);
    // Dashboard: the province bars under the ISKP filter count all four incidents.
    const bars = incidentsBy(db, 'admin1', { columns: { actor1: { type: 'set', values: ['ISKP'] } }, search: '' });
    expect(bars.total).toBe(4);

    // Who added each name, from which source.
    const [iskp] = listAliases(db, 'actor');
    expect(iskp!.entity).toBe('Islamic State Khorasan Province');
    const dari = iskp!.names.find((n) => n.name === 'ولایت خراسان')!;
    expect(dari).toMatchObject({ author: 'Test Analyst', origin: 'analyst', sourceKey: 'amaq2023' });
  });

  it('a count or set-filter list the grid computed before an alias was added is computed again after it', () => {
    const { cf, db } = iskpCase();
    const filter: FilterModel = { columns: { actor1: { type: 'set', values: ['ISKP'] } }, search: '' };
    expect(countRows(db, 'incidents', filter)).toBe(1);
    expect(distinct(db, 'incidents', 'admin1', filter).values).toEqual([{ value: 'Hirat', count: 1 }]);
    addAlias(cf, { kind: 'actor', name: 'ISKP', sameAs: 'Islamic State Khorasan Province' });
    expect(countRows(db, 'incidents', filter)).toBe(2);
    expect(
      distinct(db, 'incidents', 'admin1', filter)
        .values.map((v) => v.value)
        .sort(),
    ).toEqual(['Herat', 'Hirat']);
  });

  it('the reported-figures comparison counts the incidents of every alias of the figure’s actor', () => {
    const { cf, db } = iskpCase();
    cf.create('figures', {
      measure: 'Attacks by province',
      metric: 'incident_count',
      actor: 'ISKP',
      country: 'Afghanistan',
      admin1: 'Herat',
      period_start: '2023-01',
      period_end: '2023-12',
      value: 5,
    });
    const herat = () => figuresByAdmin1(db).bars.find((b) => b.label === 'Herat')!.computed;
    expect(herat()).toBe(1);
    addAlias(cf, { kind: 'actor', name: 'ISKP', sameAs: 'Islamic State Khorasan Province' });
    expect(herat()).toBe(2);
  });

  it('is logged and undoable like any edit: undo takes the alias back and the search narrows again', () => {
    const { cf, db } = iskpCase();
    addAlias(cf, { kind: 'actor', name: 'ISKP', sameAs: 'Islamic State Khorasan Province' });
    const logged = db.prepare("SELECT op, author FROM change_log WHERE tbl = 'aliases'").all();
    expect(logged).toEqual([
      { op: 'insert', author: 'Test Analyst' },
      { op: 'insert', author: 'Test Analyst' },
    ]);
    expect(search(db, 'ISKP')).toEqual(['Islamic State Khorasan Province', 'ISKP']);
    expect(cf.history().undoLabel).toBe('Add alias “ISKP” for “Islamic State Khorasan Province”');
    cf.undo();
    expect(db.prepare('SELECT count(*) FROM aliases').pluck().get()).toBe(0);
    expect(search(db, 'ISKP')).toEqual(['ISKP']);
    cf.redo();
    expect(search(db, 'ISKP')).toEqual(['Islamic State Khorasan Province', 'ISKP']);
  });

  it('joins two groups when a name of one is added to the other, and refuses a name already there, changing nothing', () => {
    const { cf, db } = iskpCase();
    addAlias(cf, { kind: 'actor', name: 'ISKP', sameAs: 'Islamic State Khorasan Province' });
    addAlias(cf, { kind: 'actor', name: 'ИГИЛ-Хорасан', sameAs: 'ولایت خراسان' });
    expect(listAliases(db, 'actor').map((e) => e.entity)).toEqual(['Islamic State Khorasan Province', 'ولایت خراسان']);
    addAlias(cf, { kind: 'actor', name: 'ИГИЛ-Хорасан', sameAs: 'ISKP' });
    const all = listAliases(db, 'actor');
    expect(all).toHaveLength(1);
    expect(all[0]!.names.map((n) => n.name).sort()).toEqual(
      ['ISKP', 'Islamic State Khorasan Province', 'ИГИЛ-Хорасан', 'ولایت خراسان'].sort(),
    );
    const before = db.prepare('SELECT count(*) FROM change_log').pluck().get();
    expect(() => addAlias(cf, { kind: 'actor', name: 'iskp', sameAs: 'ولایت خراسان' })).toThrow(
      /already a name of “Islamic State Khorasan Province”/,
    );
    expect(() =>
      addAlias(cf, { kind: 'actor', name: 'X', sameAs: 'Y', sourceId: '0190a6f0-0000-7000-8000-000000000001' }),
    ).toThrow(/no source/);
    expect(db.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(before);
    // Removing a name takes only that name out.
    removeAlias(cf, all[0]!.names.find((n) => n.name === 'ISKP')!.id);
    expect(search(db, 'ISKP')).toEqual(['ISKP']);
  });

  it('places: the starter list (marked as such) groups Herat, Hirat and هرات, and a set filter on one counts all three', () => {
    const { cf, db } = iskpCase();
    expect(addStarter(cf).added).toBeGreaterThan(100);
    // Twice adds nothing.
    expect(addStarter(cf).added).toBe(0);
    const herat = listAliases(db, 'place').find((e) => e.entity === 'Hirat')!;
    expect(herat.names.map((n) => n.name)).toEqual(expect.arrayContaining(['Hirat', 'Herat', 'هرات']));
    expect(herat.names.every((n) => n.origin === 'starter')).toBe(true);
    const admin1 = (values: string[]) => {
      const w = whereSql('incidents', { columns: { admin1: { type: 'set', values } }, search: '' });
      return db
        .prepare(`SELECT admin1 FROM incidents WHERE ${w.sql} ORDER BY date`)
        .pluck()
        .all(...w.params);
    };
    expect(admin1(['Herat'])).toEqual(['Herat', 'Hirat', 'هرات']);
    expect(admin1(['Panjshir'])).toEqual(['Panjshir', 'Panjshayr']);
    // The starter's actors: the demo's group under ACLED's and GTD's names.
    expect(search(db, 'IS-K')).toEqual(ALL_ISKP);
  });
});

describe('alias suggestions: offered, never merged silently', () => {
  it('offers names that fold to one fingerprint, with the rows each covers; accepting joins them, rejecting keeps them apart for good', () => {
    const { cf, db } = iskpCase();
    const before = db.prepare('SELECT count(*) FROM aliases').pluck().get();
    const sug = aliasSuggestions(db);
    // Nothing was written by suggesting.
    expect(db.prepare('SELECT count(*) FROM aliases').pluck().get()).toBe(before);
    const panj = sug.find((x) => x.names.some((n) => n.name === 'Panjshir'))!;
    expect(panj.kind).toBe('place');
    expect(panj.names.map((n) => [n.name, n.rows]).sort()).toEqual([
      ['Panjshayr', 1],
      ['Panjshir', 1],
    ]);
    // Word order and "chapter"/"province": GTD's name and the full name are offered together.
    const isk = sug.find((x) => x.names.some((n) => n.name === 'Khorasan Chapter of the Islamic State'))!;
    expect(isk.names.map((n) => n.name)).toContain('Islamic State Khorasan Province');
    // Herat / Hirat (a vowel apart).
    expect(
      sug.some(
        (x) =>
          x.names
            .map((n) => n.name)
            .sort()
            .join('|') === 'Herat|Hirat',
      ),
    ).toBe(true);

    acceptNames(cf, 'place', 'Panjshir', ['Panjshir', 'Panjshayr']);
    rejectNames(cf, 'place', ['Herat', 'Hirat']);
    const after = aliasSuggestions(db);
    expect(after.some((x) => x.names.some((n) => n.name === 'Panjshayr'))).toBe(false);
    expect(after.some((x) => x.names.some((n) => n.name === 'Hirat'))).toBe(false);
    expect(
      listAliases(db, 'place')
        .find((e) => e.entity === 'Panjshir')!
        .names.every((n) => n.origin === 'suggestion'),
    ).toBe(true);
    // A rejection is no alias: Herat still finds only itself.
    const w = whereSql('incidents', { columns: { admin1: { type: 'set', values: ['Herat'] } }, search: '' });
    expect(
      db
        .prepare(`SELECT admin1 FROM incidents WHERE ${w.sql}`)
        .pluck()
        .all(...w.params),
    ).toEqual(['Herat']);
  });
});
