import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/pipeline';
import { session } from '../../helpers';
import { AUTHOR, NODE, count, fixture, freshCase, revisedAcled, snapshot, withDb } from './helpers';

const run = (file: string, data: string) => importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false });

describe('re-importing', () => {
  it('the same file again changes nothing and duplicates nothing', async () => {
    const { file } = freshCase();
    await run(file, fixture('acled-current.csv'));
    const before = withDb(file, (db) => {
      const s = snapshot(db);
      delete s.meta;
      return s;
    });
    const r = await run(file, fixture('acled-current.csv'));
    expect(r).toMatchObject({
      imported: 0,
      updated: 0,
      unchanged: 5,
      skipped: 0,
      conflicts: [],
      sourcesCreated: 0,
      citationsCreated: 0,
    });
    withDb(file, (db) => {
      const after = snapshot(db);
      // Only the record of the second import is new.
      expect(count(db, "SELECT count(*) n FROM meta WHERE key LIKE 'import:%'")).toBe(2);
      delete after.meta;
      expect(after).toEqual(before);
    });
  });

  it('a newer timestamp updates the row, field by field in the change log; an older one does not', async () => {
    const { file, dir } = freshCase();
    await run(file, fixture('acled-current.csv'));
    const line =
      '\r\nAFG70006,2 January 2023,2023,1,Political violence,Battles,Armed clash,Islamic State (Afghanistan),NA,Rebel group,NA,NA,NA,NA,,4,Caucasus and Central Asia,Afghanistan,Kunar,NA,NA,Asadabad,34.8732,71.1466,1,Reuters,International,Clash.,1,,1672800000,';
    const r = await run(file, revisedAcled(dir, line));
    // New: Reuters, cited by AFG70001 and AFG70006; AFG70006 also cites the ACLED source the first file made (one per dataset).
    expect(r).toMatchObject({
      imported: 1,
      updated: 1,
      unchanged: 4,
      skipped: 0,
      conflicts: [],
      sourcesCreated: 1,
      citationsCreated: 3,
    });
    withDb(file, (db) => {
      expect(count(db, 'SELECT count(*) n FROM incidents')).toBe(6);
      expect(count(db, "SELECT count(*) n FROM incidents WHERE external_id = 'AFG70001'")).toBe(1);
      const a = db.prepare("SELECT * FROM incidents WHERE external_id = 'AFG70001'").get() as Record<string, unknown>;
      expect(a).toMatchObject({ fatalities: 9, source_timestamp: 1672709999, author: AUTHOR });
      expect(a.updated_at).not.toBe(a.created_at);
      // AFG70002 changed its fatalities but not its timestamp: ACLED did not revise it.
      expect(db.prepare("SELECT fatalities FROM incidents WHERE external_id = 'AFG70002'").get()).toEqual({
        fatalities: 3,
      });
      const updates = db
        .prepare("SELECT field, before, after FROM change_log WHERE op = 'update' AND row_id = ? ORDER BY field")
        .all(a.id);
      expect(updates).toEqual([
        { field: 'fatalities', before: '6', after: '9' },
        { field: 'source_timestamp', before: '1672700000', after: '1672709999' },
      ]);
      // The revised row now cites Reuters and the revised file too.
      const titles = (
        db
          .prepare(
            'SELECT s.title FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.target_id = ? ORDER BY s.title',
          )
          .all(a.id) as { title: string }[]
      ).map((x) => x.title);
      expect(titles).toEqual(['ACLED export acled-current.csv', 'Pajhwok Afghan News', 'Reuters', 'Tolo News']);
      expect(count(db, "SELECT count(*) n FROM sources WHERE title = 'Reuters'")).toBe(1);
    });
    // And the revised file once more: nothing is newer now.
    expect(await run(file, revisedAcled(dir, line))).toMatchObject({ imported: 0, updated: 0, unchanged: 6 });
  });

  it("keeps the analyst's edits, lists them as conflicts, and updates the other fields", async () => {
    const { s, dir } = session({ demo: false });
    const cf = s.caseFile;
    await run(cf.path, fixture('acled-current.csv'));
    cf.clock.observe((cf.db.prepare('SELECT max(hlc) h FROM change_log').get() as { h: string }).h);
    const id = (cf.db.prepare("SELECT id FROM incidents WHERE external_id = 'AFG70001'").get() as { id: string }).id;
    cf.update('incidents', id, { fatalities: 12, location: 'Kabul city' });
    // An edit the analyst undid is no edit: the file's value may replace it.
    cf.update('incidents', id, { admin2: 'Kabul district' });
    cf.undo();
    // Typing the imported value back is no edit either.
    cf.update('incidents', id, { geo_precision: 2 });
    cf.update('incidents', id, { geo_precision: 1 });

    const history = cf.history();
    const revised = revisedAcled(dir);
    writeFileSync(
      revised,
      readFileSync(revised, 'utf8').replace(
        'Kabul,Kabul,NA,Kabul - Dasht-e Barchi,34.5056,69.1039,1',
        'Kabul,Kabul City,NA,Kabul - Dasht-e Barchi,34.5056,69.1039,2',
      ),
    );
    const r = await run(cf.path, revised);
    expect(r).toMatchObject({ imported: 0, updated: 1, unchanged: 4 });
    expect(r.conflicts).toEqual([
      { line: 2, externalId: 'AFG70001', id, field: 'location', theirs: 'Kabul - Dasht-e Barchi', yours: 'Kabul city' },
      { line: 2, externalId: 'AFG70001', id, field: 'fatalities', theirs: 9, yours: 12 },
    ]);
    const row = cf.get('incidents', id)!;
    expect(row).toMatchObject({
      fatalities: 12,
      location: 'Kabul city',
      admin2: 'Kabul City',
      geo_precision: 2,
      source_timestamp: 1672709999,
    });
    // The analyst's undo stack is untouched by the import.
    expect(cf.history()).toEqual(history);
    s.close();
  });

  it('GTD (no timestamps): the same values are unchanged, different values update', async () => {
    const { file, dir } = freshCase();
    await run(file, fixture('gtd-utf8.csv'));
    expect(await run(file, fixture('gtd.xlsx'))).toMatchObject({
      imported: 0,
      updated: 0,
      unchanged: 4,
      sourcesCreated: 0,
      citationsCreated: 0,
    });
    const changed = join(dir, 'gtd-2.csv');
    writeFileSync(changed, readFileSync(fixture('gtd-utf8.csv'), 'utf8').replace(',41,0,1,84,', ',42,0,1,84,'));
    // The updated row already cites the GTD source: no second one for gtd-2.csv.
    expect(await run(file, changed)).toMatchObject({
      imported: 0,
      updated: 1,
      unchanged: 3,
      citationsCreated: 0,
      sourcesCreated: 0,
    });
    withDb(file, (db) => {
      expect(count(db, 'SELECT count(*) n FROM incidents')).toBe(4);
      expect(db.prepare("SELECT fatalities FROM incidents WHERE external_id = '201712280001'").get()).toEqual({
        fatalities: 42,
      });
    });
  });

  it('two unrelated spreadsheets numbering their rows alike stay apart; the same spreadsheet again updates its own rows', async () => {
    const { file, dir } = freshCase();
    const mapping = { Ref: 'external_id', When: 'date', Killed: 'fatalities', Group: 'actor1' } as const;
    const sheet = (name: string, body: string) => {
      const p = join(dir, name);
      writeFileSync(p, `Ref,When,Killed,Group\n${body}`);
      return p;
    };
    const kabul = sheet('kabul.csv', '1,2021-08-26,170,ISKP\n2,2022-09-05,2,ISKP\n');
    const jalalabad = sheet('jalalabad.csv', '1,2019-05-01,0,Taliban\n');
    const opts = { author: AUTHOR, node: NODE, inWorker: false, format: 'csv' as const, mapping };
    expect(await importFile(file, kabul, opts)).toMatchObject({ imported: 2, updated: 0 });
    expect(await importFile(file, jalalabad, opts)).toMatchObject({ imported: 1, updated: 0 });
    withDb(file, (db) => {
      expect(
        db.prepare('SELECT origin, external_id, actor1, fatalities FROM incidents ORDER BY origin, external_id').all(),
      ).toEqual([
        { origin: 'jalalabad.csv', external_id: '1', actor1: 'Taliban', fatalities: 0 },
        { origin: 'kabul.csv', external_id: '1', actor1: 'ISKP', fatalities: 170 },
        { origin: 'kabul.csv', external_id: '2', actor1: 'ISKP', fatalities: 2 },
      ]);
    });
    // The Kabul sheet, revised: its row 2 is updated, nothing is added, Jalalabad's row 1 is untouched.
    sheet('kabul.csv', '1,2021-08-26,170,ISKP\n2,2022-09-05,6,ISKP\n');
    expect(await importFile(file, kabul, opts)).toMatchObject({ imported: 0, updated: 1, unchanged: 1 });
    withDb(file, (db) => {
      expect(
        db.prepare("SELECT fatalities FROM incidents WHERE origin = 'kabul.csv' AND external_id = '2'").pluck().get(),
      ).toBe(6);
      expect(db.prepare("SELECT fatalities FROM incidents WHERE origin = 'jalalabad.csv'").pluck().get()).toBe(0);
    });
  });

  it("a table exported from Casefile keeps its rows' origin when imported again (its origin column maps by default)", async () => {
    const { file, dir } = freshCase();
    const p = join(dir, 'incidents-export.csv');
    writeFileSync(p, 'external_id,origin,date,country\nAFG1,ACLED,2023-01-02,Afghanistan\nX9,,2023-01-03,Iran\n');
    expect(await importFile(file, p, { author: AUTHOR, node: NODE, inWorker: false, format: 'csv' })).toMatchObject({
      imported: 2,
    });
    withDb(file, (db) => {
      expect(db.prepare('SELECT external_id, origin FROM incidents ORDER BY external_id').all()).toEqual([
        { external_id: 'AFG1', origin: 'ACLED' },
        // A blank origin cell takes the file's name, as a file without the column does.
        { external_id: 'X9', origin: 'incidents-export.csv' },
      ]);
    });
  });

  it('an id twice in one file is one row, updated by the later line when it is newer', async () => {
    const { file, dir } = freshCase();
    const text = readFileSync(fixture('acled-current.csv'), 'utf8');
    const [header, first] = text.split('\n') as [string, string];
    // The first record spans three lines (its notes hold line breaks): take lines 1-3.
    const rec = text.split('\n').slice(1, 4).join('\n');
    expect(first.startsWith('AFG70001')).toBe(true);
    const later = rec.replace(',6,NA,1672700000,', ',7,NA,1672800000,');
    const p = join(dir, 'dupes.csv');
    writeFileSync(p, `${header}\n${rec}\n${later}\n${rec}\n`);
    expect(await run(file, p)).toMatchObject({ imported: 1, updated: 1, unchanged: 1, skipped: 0 });
    withDb(file, (db) => {
      expect(db.prepare('SELECT external_id, fatalities FROM incidents').all()).toEqual([
        { external_id: 'AFG70001', fatalities: 7 },
      ]);
    });
  });
});
