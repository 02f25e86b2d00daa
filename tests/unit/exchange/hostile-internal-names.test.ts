import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { tempDir } from '../../helpers';
import { inspectCaseFile } from '../../../src/core/db/open';
import { SCHEMA_VERSION } from '../../../src/core/db/migrations';
import { cleanExport, fixture, fixtureInWal, refusedEverywhere, rename } from './received-files';

/**
 * Schema objects under SQLite's own names. A file edited with writable_schema can call a trigger
 * or a view "sqlite_autoindex_incidents_9" or "sqlite_stat1"; such a name must be no pass. Each
 * file is refused by info, Open, Merge and `casefile merge`, and the analyst's file is untouched.
 */
let clean: string;
let dispose: () => void;
beforeAll(async () => {
  ({ clean, dispose } = await cleanExport());
}, 120_000);
afterAll(() => dispose());

/** One cell edit would delete every note and retitle every source, with no change-log entry. */
const WIPE = `CREATE TRIGGER wipe AFTER UPDATE ON incidents BEGIN DELETE FROM notes; UPDATE sources SET title = 'retitled'; END`;
/** Wipes the notes whenever anything is logged (an import logs every row). */
const ON_LOG = `CREATE TRIGGER onlog AFTER INSERT ON change_log BEGIN DELETE FROM notes; END`;
const RUNAWAY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c';

describe("schema objects under SQLite's own names", { timeout: 240_000 }, () => {
  it('the clean file these are made from opens', () => {
    expect(inspectCaseFile(clean)).toBe(SCHEMA_VERSION);
  });

  it('refuses a trigger renamed to sqlite_autoindex_incidents_9', async () => {
    const f = fixture(clean, 'autoindex-trigger.casefile', (db) => {
      db.exec(WIPE);
      rename(db, 'wipe', 'sqlite_autoindex_incidents_9');
    });
    await refusedEverywhere(
      f,
      /autoindex-trigger.casefile contains a trigger "sqlite_autoindex_incidents_9" that Casefile did not create; it was not opened/,
    );
    // Nor does Export for a colleague carry it on.
    const out = join(tempDir(), 'passed-on.casefile');
    await expect(exportCaseFile(f, out)).rejects.toThrow(
      /contains a trigger "sqlite_autoindex_incidents_9" that Casefile did not create/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a trigger on change_log named sqlite_stat1, and one named sqlite_sequence', async () => {
    const f = fixture(clean, 'stat-trigger.casefile', (db) => {
      db.exec(ON_LOG);
      rename(db, 'onlog', 'sqlite_stat1');
    });
    await refusedEverywhere(f, /stat-trigger.casefile contains a trigger "sqlite_stat1" that Casefile did not create/);
    const g = fixture(clean, 'sequence-trigger.casefile', (db) => {
      db.exec(ON_LOG);
      rename(db, 'onlog', 'sqlite_sequence');
    });
    await refusedEverywhere(
      g,
      /sequence-trigger.casefile contains a trigger "sqlite_sequence" that Casefile did not create/,
    );
  });

  it('refuses a runaway view named sqlite_stat4', async () => {
    const f = fixture(clean, 'stat-view.casefile', (db) => {
      db.exec(`CREATE VIEW runaway AS ${RUNAWAY}`);
      rename(db, 'runaway', 'sqlite_stat4');
    });
    await refusedEverywhere(f, /stat-view.casefile contains a view "sqlite_stat4" that Casefile did not create/);
  });

  it('refuses sqlite_stat1 with other SQL than SQLite gives it, and an autoindex more than the schema has', async () => {
    const f = fixture(clean, 'stat-table.casefile', (db) => {
      db.exec('ANALYZE');
      const version = db.pragma('schema_version', { simple: true }) as number;
      db.pragma('writable_schema = ON');
      db.prepare(
        "UPDATE sqlite_master SET sql = 'CREATE TABLE sqlite_stat1(tbl,idx,stat,extra)' WHERE name = 'sqlite_stat1'",
      ).run();
      db.pragma(`schema_version = ${version + 1}`);
    });
    await refusedEverywhere(f, /stat-table.casefile: the table "sqlite_stat1" differs from the one Casefile creates/);

    // A second autoindex on notes, pointing at the first one's pages: no SQL, on a table that exists.
    const g = fixture(clean, 'extra-autoindex.casefile', (db) => {
      const { rootpage } = db
        .prepare("SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_notes_1'")
        .get() as { rootpage: number };
      const version = db.pragma('schema_version', { simple: true }) as number;
      db.pragma('writable_schema = ON');
      db.prepare(
        "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('index', 'sqlite_autoindex_notes_2', 'notes', ?, NULL)",
      ).run(rootpage);
      db.pragma(`schema_version = ${version + 1}`);
    });
    await refusedEverywhere(
      g,
      /extra-autoindex.casefile (contains an index "sqlite_autoindex_notes_2" that Casefile did not create|is damaged)/,
    );
  });

  it('a file that ANALYZE was run on still opens: SQLite adds sqlite_stat1 and sqlite_stat4 itself', () => {
    const f = fixture(clean, 'analyzed.casefile', (db) => db.exec('ANALYZE'));
    expect(inspectCaseFile(f)).toBe(SCHEMA_VERSION);
  });

  it('refuses the same trigger when it comes in a -wal beside a clean file', async () => {
    const f = fixtureInWal(clean, 'wal-trigger.casefile', (db) => {
      db.exec(WIPE);
      rename(db, 'wipe', 'sqlite_autoindex_incidents_9');
    });
    await refusedEverywhere(
      f,
      /wal-trigger.casefile contains a trigger "sqlite_autoindex_incidents_9" that Casefile did not create/,
    );
    const g = fixtureInWal(clean, 'wal-plain-trigger.casefile', (db) => db.exec(ON_LOG));
    await refusedEverywhere(g, /wal-plain-trigger.casefile contains a trigger "onlog" that Casefile did not create/);
  });
});
