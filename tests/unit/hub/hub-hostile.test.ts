import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noPostgres, titled, useCluster } from './use-cluster';
import { everything, join, laptop, newDir, seed, sync, team, type Laptop } from './team';

/** The file's bytes once its write-ahead log is folded in: nothing written means the same digest. */
function digest(l: Laptop): string {
  l.s.caseFile.db.pragma('wal_checkpoint(TRUNCATE)');
  return createHash('sha256').update(readFileSync(l.file)).digest('hex');
}

describe.skipIf(noPostgres)(
  titled('a hub returning malformed or hostile data changes nothing locally'),
  { timeout: 120_000 },
  () => {
    const cluster = useCluster();

    const corruptions: [string, (caseId: string, id: string) => string[], RegExp][] = [
      [
        'a latitude out of range (its constraint dropped on the hub)',
        (_c, id) => [
          'ALTER TABLE casefile.incidents DROP CONSTRAINT incidents_latitude_check',
          `UPDATE casefile.incidents SET latitude = 500 WHERE id = '${id}'`,
        ],
        /malformed data \(incidents row [0-9a-f-]{36}, field latitude: Lat must be at most 90\)/,
      ],
      [
        'a value of the wrong type (the column retyped on the hub)',
        (_c, id) => [
          'ALTER TABLE casefile.incidents DROP CONSTRAINT incidents_fatalities_check',
          'ALTER TABLE casefile.incidents ALTER COLUMN fatalities TYPE text',
          `UPDATE casefile.incidents SET fatalities = 'many' WHERE id = '${id}'`,
        ],
        /incidents row [0-9a-f-]{36}, field fatalities/,
      ],
      [
        'an enum value the case file does not know',
        (_c, id) => [
          'ALTER TABLE casefile.incidents DROP CONSTRAINT incidents_attribution_check',
          `UPDATE casefile.incidents SET attribution = '<script>' WHERE id = '${id}'`,
        ],
        /incidents row [0-9a-f-]{36}, field attribution: Attribution must be one of/,
      ],
      [
        'a row whose id Casefile never makes',
        (_c, id) => [`UPDATE casefile.incidents SET id = 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ' WHERE id = '${id}'`],
        /incidents row ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ, field id: not an id Casefile makes/,
      ],
      [
        'a change-log entry whose value is not JSON',
        (c, id) => [
          `INSERT INTO casefile.change_log (case_id, hlc, txn, author, tbl, row_id, op, field, after) VALUES ('${c}', '001a2510a0000-000000-aaaaaaaaaaaa', 't', 'x', 'incidents', '${id}', 'update', 'location', '{not json')`,
        ],
        /change log entry \d+, after: not a JSON value/,
      ],
      [
        'a change-log entry for a table a case file does not have',
        (c, id) => [
          `INSERT INTO casefile.change_log (case_id, hlc, txn, author, tbl, row_id, op) VALUES ('${c}', '001a2510a0000-000000-aaaaaaaaaaaa', 't', 'x', 'sqlite_master', '${id}', 'delete')`,
        ],
        /change log entry \d+, tbl: not a table of a case file/,
      ],
    ];

    it.each(corruptions)(
      'refuses %s, saying what and where, and leaves the case file byte-identical',
      async (_what, sql, message) => {
        const hub = await team(cluster(), ['alice', 'bob']);
        const dir = newDir();
        const a = laptop(dir, 'alice', hub.url('alice'));
        const b = laptop(dir, 'bob', hub.url('bob'));
        const { incidents } = seed(a);
        const { caseId } = await sync(a);
        await join(b, caseId, a);
        // Something real to pull besides the damage, and something of Bob's waiting to be pushed.
        a.s.caseFile.update('incidents', incidents[0]!, { location: 'Kandahar' });
        await sync(a);
        b.s.caseFile.update('incidents', incidents[3]!, { fatalities: 40 });
        const admin = await cluster().admin(hub.db);
        for (const q of sql(caseId, incidents[1]!)) await admin.query(q);
        const hubBefore = (
          await admin.query('SELECT head, (SELECT count(*) FROM casefile.change_log) n FROM casefile.cases')
        ).rows[0];
        const before = everything(b.s.caseFile.db);
        const bytes = digest(b);

        await expect(sync(b)).rejects.toThrow(message);
        await expect(sync(b)).rejects.toThrow(/nothing was changed in your case file/);
        expect(everything(b.s.caseFile.db)).toEqual(before);
        expect(digest(b)).toBe(bytes);
        // Nothing of Bob's was pushed either: the pull comes first.
        expect(
          (await admin.query('SELECT head, (SELECT count(*) FROM casefile.change_log) n FROM casefile.cases')).rows[0],
        ).toEqual(hubBefore);
        await admin.end();
        a.s.close();
        b.s.close();
      },
    );
  },
);
