import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, type ImportReport } from '../../../src/core/import/pipeline';
import { readMapped } from '../../../src/core/import/read-ahead';
import { tempDir } from '../../helpers';
import { writeAcledCsv } from './acled-gen';
import { AUTHOR, NODE, fixture, freshCase, importCancelledEarly, snapshot, withDb, type Db } from './helpers';

/**
 * A large file is read and mapped on a thread of its own (import/read-ahead.ts) while the
 * import's thread writes. Both ways must give the same case file and the same report, the same
 * file-level errors, and a cancel must end the reader thread with the import.
 */

/** What an import leaves, without what differs from run to run (ids, clocks, times). */
function content(db: Db) {
  const incidents = db
    .prepare(
      `SELECT external_id, origin, date, date_precision, event_type, sub_event_type, actor1, assoc_actors, country, admin1, admin2,
       location, latitude, longitude, geo_precision, fatalities, injuries, description, tags, attribution, source_timestamp,
       (SELECT group_concat(s.title, ' | ') FROM (SELECT s.title FROM citations c JOIN sources s ON s.id = c.source_id
         WHERE c.target_id = incidents.id ORDER BY s.title) s) AS cited
       FROM incidents ORDER BY rowid`,
    )
    .all();
  const sources = db.prepare('SELECT key, title, type FROM sources ORDER BY rowid').all();
  const search = db.prepare("SELECT count(*) n FROM incidents_fts WHERE incidents_fts MATCH 'killed OR attack'").get();
  return { incidents, sources, search };
}

async function both(
  data: string,
  opts: { format?: 'acled' | 'gtd' | 'csv'; mapping?: Record<string, string | null> } = {},
) {
  const out: { report: ImportReport; content: ReturnType<typeof content> }[] = [];
  for (const readAheadFrom of [Infinity, 0]) {
    const { file } = freshCase();
    const report = await importFile(file, data, {
      author: AUTHOR,
      node: NODE,
      inWorker: false,
      readAheadFrom,
      ...opts,
    });
    out.push({ report, content: withDb(file, content) });
  }
  return out as [(typeof out)[0], (typeof out)[0]];
}

describe('reading ahead on a thread of its own', () => {
  it.each([
    ['acled-current.csv', {}],
    ['acled-2020.csv', {}],
    ['acled-2015.csv', {}],
    ['acled-bad-rows.csv', {}],
    ['gtd-utf8.csv', {}],
    ['gtd-cp1252.csv', {}],
    ['gtd.xlsx', {}],
    [
      'acled-current.csv',
      {
        format: 'csv' as const,
        mapping: {
          event_id_cnty: 'external_id',
          event_date: 'date',
          notes: 'description',
          fatalities: 'fatalities',
          source: 'sources',
        },
      },
    ],
  ])('%s %j: the same rows, sources, citations and report either way', async (name, opts) => {
    const [here, ahead] = await both(fixture(name), opts);
    expect(ahead.report).toEqual(here.report);
    expect(ahead.content).toEqual(here.content);
    expect(here.content.incidents.length).toBeGreaterThan(0);
  });

  it('a generated ACLED file with every quirk: the same either way, skipped lines included', async () => {
    const dir = tempDir();
    const data = join(dir, 'gen.csv');
    writeAcledCsv(data, { rows: 5000 });
    // Two rows that do not map: their lines must be the same from either thread.
    writeFileSync(
      data,
      `${readFileSync(data, 'utf8')}GEN9001,not a date,2022,1,Political violence,Battles,Armed clash,X,,,,,,,,4,Asia,Afghanistan,Kabul,,,Kabul,34.5,69.2,1,Reuters,National,n,0,,1700000000\r\n`,
    );
    const [here, ahead] = await both(data);
    expect(here.report.imported).toBe(5000);
    expect(here.report.skipped).toBe(1);
    expect(ahead.report).toEqual(here.report);
    expect(ahead.content).toEqual(here.content);
  });

  it('an unclosed quote found by the reader thread: the same message, line named, nothing written', async () => {
    const dir = tempDir();
    const data = join(dir, 'late-error.csv');
    writeAcledCsv(data, { rows: 3000 });
    writeFileSync(data, `${readFileSync(data, 'utf8')}GEN9999,2022-01-01,"never closed\r\nmore\r\n`);
    const messages: string[] = [];
    for (const readAheadFrom of [Infinity, 0]) {
      const { file } = freshCase();
      const before = withDb(file, snapshot);
      const err = (await importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false, readAheadFrom }).catch(
        (e: Error) => e,
      )) as Error;
      expect(err).toBeInstanceOf(Error);
      messages.push(err.message);
      expect(withDb(file, snapshot)).toEqual(before);
    }
    expect(messages[0]).toMatch(/^late-error\.csv: line \d+: a quoted field starts here and is never closed$/);
    expect(messages[1]).toBe(messages[0]);
  });

  it('bytes that are not UTF-8: the same message from the reader thread', async () => {
    const messages: string[] = [];
    for (const readAheadFrom of [Infinity, 0]) {
      const { file } = freshCase();
      const err = (await importFile(file, fixture('acled-invalid-utf8.csv'), {
        author: AUTHOR,
        node: NODE,
        inWorker: false,
        readAheadFrom,
      }).catch((e: Error) => e)) as Error;
      messages.push(err.message);
    }
    expect(messages[0]).toMatch(/line \d+/);
    expect(messages[1]).toBe(messages[0]);
  });

  it('cancelled while the reader thread runs, in the import worker: nothing changes', async () => {
    const { dir, file } = freshCase();
    const data = join(dir, 'big.csv');
    writeAcledCsv(data, { rows: 30_000 });
    const before = withDb(file, snapshot);
    const rows = await importCancelledEarly(file, data, { readAheadFrom: 0 });
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(30_000);
    expect(withDb(file, snapshot)).toEqual(before);
    // The file is free and imports again, read ahead.
    const r = await importFile(file, data, { author: AUTHOR, node: NODE, readAheadFrom: 0 });
    expect(r.imported).toBe(30_000);
  });

  it('stays a bounded number of batches ahead of a slow writer, and a stop ends its thread', async () => {
    const dir = tempDir();
    const data = join(dir, 'gen.csv');
    writeAcledCsv(data, { rows: 30_000 });
    let ended: Promise<number> | null = null;
    const it = readMapped(
      { data, format: 'acled', mapper: { kind: 'acled' } },
      { onThread: (w) => (ended = new Promise((r) => w.once('exit', r))) },
    )[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(ended).not.toBeNull();
    // Give the reader time to run ahead: it must stop after a few batches, not read the file.
    await new Promise((r) => setTimeout(r, 1500));
    const got = (first.value as { bytesRead: number }).bytesRead;
    const next = await it.next();
    const ahead = (next.value as { bytesRead: number }).bytesRead;
    expect(ahead).toBeGreaterThan(got);
    // Each batch is at most 1,000 rows: five batches ahead is a sixth of this file at most.
    let lastBytes = ahead;
    let batches = 0;
    for (;;) {
      const n = await it.next();
      if (n.done) break;
      lastBytes = n.value.bytesRead;
      batches++;
      if (batches === 3) break;
    }
    expect(lastBytes).toBeLessThan(readFileSync(data).length / 2);
    await it.return?.(undefined);
    // Stopping early ends the thread (the file is not read to its end).
    await expect(
      Promise.race([ended!, new Promise((r) => setTimeout(() => r('still running'), 5000))]),
    ).resolves.not.toBe('still running');
  });
});
