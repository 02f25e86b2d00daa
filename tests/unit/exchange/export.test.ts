import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../../src/core/db/migrations';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { inspectCaseFile } from '../../../src/core/db/open';
import { session } from '../../helpers';
import { plan } from './pair';

const MARKER = 'Qzxv-Deleted-Witness-Name-8841';
const OVERWRITTEN = 'Wqpz-Overwritten-Informant-2290';
const has = (bytes: Buffer, marker: string) => bytes.toString('latin1').toLowerCase().includes(marker.toLowerCase());
const hasMarker = (bytes: Buffer) => has(bytes, MARKER);
const fileBytes = (p: string) => Buffer.concat([p, `${p}-wal`].filter(existsSync).map((f) => readFileSync(f)));

describe('exporting a case file for a colleague', { timeout: 180_000 }, () => {
  it('leaves text deleted before the export out of the exported bytes, keeping a tombstone for merge', async () => {
    const { s, dir, file } = session({ demo: true });
    const cf = s.caseFile;
    const row = cf.create('incidents', {
      date: '2024-02',
      description: `Witness ${MARKER} named the cell`,
      location: `${MARKER} village`,
    });
    const src = cf.create('sources', { key: 'leak1', title: `Leaked list ${MARKER}`, type: 'leaked_document' });
    cf.create('citations', {
      source_id: src.id,
      target_table: 'incidents',
      target_id: row.id,
      quote: `the ${MARKER} quote`,
    });
    cf.delete('incidents', [row.id as string]);
    cf.delete('sources', [src.id as string]);
    // Text overwritten in a row that stays is deleted text too.
    const kept = cf.create('notes', { title: 'Sources', body: `Met ${OVERWRITTEN} twice` });
    cf.update('notes', kept.id as string, { body: 'Met an informant twice' });
    const [inc] = cf.db.prepare('SELECT id FROM incidents LIMIT 1').all() as { id: string }[];
    cf.update('incidents', inc!.id, { description: `Named by ${OVERWRITTEN}` });
    cf.update('incidents', inc!.id, { description: 'Named by a source' });
    expect(hasMarker(fileBytes(file)), 'the open file still holds it (its history is what undo uses)').toBe(true);
    expect(has(fileBytes(file), OVERWRITTEN)).toBe(true);

    const out = join(dir, 'for-colleague.casefile');
    const r = await exportCaseFile(file, out, { checked: true });
    expect(r.path).toBe(out);
    expect(r.counts).toMatchObject({ incidents: 10, sources: 6, citations: 46, notes: 2 });
    expect(hasMarker(readFileSync(out))).toBe(false);
    expect(has(readFileSync(out), OVERWRITTEN)).toBe(false);
    expect(existsSync(`${out}-wal`)).toBe(false);
    expect(inspectCaseFile(out, {}, { received: true })).toBe(SCHEMA_VERSION);

    const db = new Database(out, { readonly: true });
    const tomb = db
      .prepare('SELECT op, author, before, after FROM change_log WHERE row_id = ? ORDER BY seq')
      .all(row.id) as Record<string, unknown>[];
    expect(tomb.map((t) => t.op)).toEqual(['insert', 'delete']);
    expect(tomb.every((t) => t.before === null && t.after === null && t.author === 'Test Analyst')).toBe(true);
    // The history of a row that stays: every entry, only the latest value.
    const notes = db
      .prepare('SELECT op, field, after FROM change_log WHERE row_id = ? ORDER BY seq')
      .all(kept.id) as Record<string, unknown>[];
    expect(notes.map((n) => [n.op, n.field])).toEqual([
      ['insert', null],
      ['update', 'body'],
    ]);
    expect(JSON.parse(notes[0]!.after as string)).toMatchObject({ title: 'Sources' });
    expect(JSON.parse(notes[0]!.after as string).body).toBeUndefined();
    expect(JSON.parse(notes[1]!.after as string)).toBe('Met an informant twice');
    expect(db.prepare("SELECT count(*) n FROM incidents_fts WHERE incidents_fts MATCH 'Iran'").get()).toEqual({ n: 3 });
    db.close();
    // Merging the export back into the file it came from changes nothing.
    expect((await plan(s, out)).items).toEqual([]);
  });

  it('leaves no file under the final name when stopped midway', async () => {
    const { dir, file } = session({ demo: true });
    const out = join(dir, 'stopped.casefile');
    const ctl = new AbortController();
    let partial: string[] = [];
    const p = exportCaseFile(file, out, {
      signal: ctl.signal,
      onProgress: (m) => {
        // Stop it late, once the copy is being written (in the app's private folder, never beside the target).
        if (!/Rebuilding/.test(m.message ?? '')) return;
        partial = inPrivate();
        ctl.abort();
      },
    });
    const inPrivate = () =>
      readdirSync(join(dir, 'config', 'exports'), { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('-stopped.casefile'),
      );
    await expect(p).rejects.toThrow(/Cancelled/);
    expect(partial.length).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('stopped'))).toEqual([]);
    expect(inPrivate()).toEqual([]);
  });

  it('exports a filtered part with the sources and citations those rows need, attachments optional', async () => {
    const { s, dir, file } = session({ demo: true });
    const out = join(dir, 'iran.casefile');
    const r = await exportCaseFile(file, out, { where: ['country=Iran'], attachments: false, checked: true });
    const db = new Database(out, { readonly: true });
    const incidents = db.prepare('SELECT country FROM incidents').all() as { country: string }[];
    expect(incidents.length).toBeGreaterThan(0);
    expect(incidents.every((i) => i.country === 'Iran')).toBe(true);
    // Plots and figures have a country too: the same condition applies to them.
    expect((db.prepare("SELECT count(*) n FROM plots WHERE country <> 'Iran'").get() as { n: number }).n).toBe(0);
    expect(db.prepare('SELECT count(*) n FROM notes').get()).toEqual({ n: 0 });
    const orphan = db
      .prepare(
        `SELECT count(*) n FROM citations c WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = c.source_id)
      OR NOT EXISTS (SELECT 1 FROM incidents WHERE id = c.target_id UNION ALL SELECT 1 FROM plots WHERE id = c.target_id UNION ALL SELECT 1 FROM figures WHERE id = c.target_id)`,
      )
      .get();
    expect(orphan).toEqual({ n: 0 });
    const cited = db.prepare('SELECT count(DISTINCT source_id) n FROM citations').get() as { n: number };
    expect(r.counts.sources).toBe(cited.n);
    // History of rows left out is not carried (the colleague never had them).
    const foreign = db
      .prepare(
        `SELECT count(*) n FROM change_log l WHERE l.tbl = 'incidents' AND NOT EXISTS (SELECT 1 FROM incidents WHERE id = l.row_id)`,
      )
      .get();
    expect(foreign).toEqual({ n: 0 });
    db.close();
    expect(s.caseFile.info().counts.incidents).toBe(10);
  });

  it('refuses to overwrite, or to export onto the file itself, and says what is wrong with --where', async () => {
    const { dir, file } = session({ demo: true });
    const taken = join(dir, 'taken.casefile');
    writeFileSync(taken, 'keep me');
    await expect(exportCaseFile(file, taken)).rejects.toThrow(/taken.casefile already exists/);
    expect(readFileSync(taken, 'utf8')).toBe('keep me');
    await expect(exportCaseFile(file, file, { overwrite: true })).rejects.toThrow(/is the case file being exported/);
    await expect(exportCaseFile(file, join(dir, 'x.casefile'), { where: ['province=Kunar'] })).rejects.toThrow(
      /no table has a field "province"/,
    );
    await expect(exportCaseFile(file, join(dir, 'x.casefile'), { where: ['fatalities>=many'] })).rejects.toThrow(
      /"many" is not a number/,
    );
  });
});
