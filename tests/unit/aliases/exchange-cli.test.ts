import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { addAlias, listAliases } from '../../../src/core/aliases/store';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { merge, pair } from '../exchange/pair';
import { tempDir } from '../../helpers';

const BIN = resolve(import.meta.dirname, '../../../bin/casefile.mjs');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CASEFILE_AUTHOR: 'Farida (CLI)' },
  });

describe('aliases travel with the case file', { timeout: 120_000 }, () => {
  it('the demo ships its starter list; a colleague’s alias is merged in beside mine, with its author', async () => {
    const { me, them, theirs } = await pair();
    const starter = listAliases(me.caseFile.db, 'actor').find((e) =>
      e.names.some((n) => n.name === 'Islamic State Khorasan Province (ISKP)'),
    )!;
    expect(starter.names.every((n) => n.origin === 'starter')).toBe(true);
    addAlias(them.caseFile, { kind: 'actor', name: 'Daesh Khorasan', sameAs: 'ISKP' });
    addAlias(me.caseFile, { kind: 'place', name: 'Kabul city', sameAs: 'Kabul' });
    them.close();
    const { result } = await merge(me, theirs);
    expect(result.applied).toBe(true);
    const iskp = listAliases(me.caseFile.db, 'actor').find((e) => e.entity === starter.entity)!;
    expect(iskp.names.find((n) => n.name === 'Daesh Khorasan')).toMatchObject({
      author: 'Colleague',
      origin: 'analyst',
    });
    expect(
      listAliases(me.caseFile.db, 'place')
        .find((e) => e.entity === 'Kabul')!
        .names.map((n) => n.name),
    ).toContain('Kabul city');
    // And a search by the colleague's name now finds the demo's ISKP incidents.
    const n = me.caseFile.db
      .prepare("SELECT count(*) FROM incidents WHERE actor1 = 'Islamic State Khorasan Province (ISKP)'")
      .pluck()
      .get();
    const { whereSql } = await import('../../../src/core/grid/filter-sql');
    const w = whereSql('incidents', { columns: { actor1: { type: 'set', values: ['Daesh Khorasan'] } }, search: '' });
    expect(
      me.caseFile.db
        .prepare(`SELECT count(*) FROM incidents WHERE ${w.sql}`)
        .pluck()
        .get(...w.params),
    ).toBe(n);
  });

  it('a filtered export carries every alias, and the sources they name', async () => {
    const { s: me, file } = (await import('../../helpers')).session({ demo: true });
    const src = me.caseFile.db.prepare('SELECT id FROM sources ORDER BY key LIMIT 1').pluck().get() as string;
    addAlias(me.caseFile, { kind: 'actor', name: 'ISIS-Khorasan', sameAs: 'ISKP', sourceId: src });
    const all = me.caseFile.db.prepare('SELECT count(*) FROM aliases').pluck().get();
    me.close();
    const out = join(tempDir(), 'part.casefile');
    await exportCaseFile(file, out, { where: ['incidents.country=Austria'] });
    const db = new Database(out, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM aliases').pluck().get()).toBe(all);
      expect(db.prepare('SELECT count(*) FROM sources WHERE id = ?').pluck().get(src)).toBe(1);
    } finally {
      db.close();
    }
  });
});

describe('casefile aliases', { timeout: 120_000 }, () => {
  it('lists each entity with its names, records one with --add/--same-as (logged under the CLI author), refuses a duplicate changing nothing', () => {
    const f = join(tempDir(), 'demo.casefile');
    expect(cli('new', f, '--demo').status).toBe(0);
    const add = cli('aliases', f, '--add', 'ИГИЛ-К', '--same-as', 'ISKP', '--source', 'acled');
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    expect(add.stdout).toMatch(/ИГИЛ-К is now a name of Islamic State Khorasan Province \(actor; \d+ names\)/);
    const r = cli('aliases', f, '--json', '--kind', 'actor');
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as {
      entity: string;
      names: { name: string; origin: string; author: string; source: string | null }[];
    }[];
    const iskp = list.find((e) => e.entity === 'Islamic State Khorasan Province')!;
    expect(iskp.names.find((n) => n.name === 'ИГИЛ-К')).toEqual({
      name: 'ИГИЛ-К',
      origin: 'analyst',
      author: 'Farida (CLI)',
      source: 'acled',
    });
    expect(iskp.names.find((n) => n.name === 'ولایت خراسان')).toMatchObject({ origin: 'starter' });
    const text = cli('aliases', f);
    expect(text.stdout).toMatch(/^place Hirat$/m);
    expect(text.stdout).toMatch(/^ {2}= Herat {2}\(starter, /m);
    const dup = cli('aliases', f, '--add', 'isis-k', '--same-as', 'IS-K');
    expect(dup.status).toBe(1);
    expect(dup.stderr.trim()).toBe('casefile: “isis-k” is already a name of “Islamic State Khorasan Province”');
    expect(cli('aliases', f, '--add', 'X').status).toBe(1);
  });
});
