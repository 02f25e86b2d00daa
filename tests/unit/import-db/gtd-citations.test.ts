import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/pipeline';
import { GTD_HEADER, writeCsv } from './csv-build';
import { AUTHOR, NODE, freshCase, withDb } from './helpers';

const CAIRO = `"Cairo Police Chief Quits; Decries Local 'Militants'," Afro-American, January 10, 1970.`;
const SECOND = '"Bomb at a Draft Board; Two Held," New York Times, January 11, 1970.';

describe('GTD citations', () => {
  it('keeps each scite column as one source, semicolons and all', async () => {
    const { dir, file } = freshCase();
    const data = writeCsv(dir, 'gtd-1970.csv', GTD_HEADER, [
      {
        eventid: '197001090001',
        iyear: '1970',
        imonth: '1',
        iday: '9',
        country_txt: 'United States',
        city: 'Cairo',
        gname: 'Black Nationalists',
        scite1: CAIRO,
        scite2: SECOND,
      },
      {
        eventid: '197001100001',
        iyear: '1970',
        imonth: '1',
        iday: '10',
        country_txt: 'United States',
        city: 'Cairo',
        gname: 'Unknown',
        scite1: CAIRO,
      },
    ]);
    const r = await importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false });
    expect(r).toMatchObject({ format: 'gtd', imported: 2, skipped: 0, sourcesCreated: 3 });
    withDb(file, (db) => {
      const titles = db
        .prepare("SELECT title FROM sources WHERE type <> 'dataset' ORDER BY title")
        .pluck()
        .all() as string[];
      expect(titles).toEqual([SECOND, CAIRO].sort());
      const cited = db
        .prepare(
          "SELECT s.title FROM citations c JOIN sources s ON s.id = c.source_id JOIN incidents i ON i.id = c.target_id WHERE i.external_id = '197001100001' AND s.type <> 'dataset'",
        )
        .pluck()
        .all();
      expect(cited).toEqual([CAIRO]);
    });
  });
});
