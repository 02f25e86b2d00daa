import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { createCaseFileDb, openCaseFileReadOnly } from '../../../src/core/db/open';
import { exportAtomically, writeExport } from '../../../src/core/export/export-table';
import { ACLED_HEADER } from '../../../src/core/export/layout';
import { importFile } from '../../../src/core/import/pipeline';
import { acledCsvChunk, acledCsvHeader } from '../../../bench/acled-data';
import { writeFileSync } from 'node:fs';
import { tempDir } from '../../helpers';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/import/acled-current.csv');
const META = new Set(['id', 'created_at', 'updated_at', 'author', 'hlc']);

function emptyCase(dir: string, name: string): string {
  const path = join(dir, name);
  createCaseFileDb(path).close();
  return path;
}

/** Incidents by ACLED id, without what a new import stamps anew, with the names of their sources. */
function snapshot(path: string): Record<string, Record<string, unknown>> {
  const { db } = openCaseFileReadOnly(path);
  try {
    const out: Record<string, Record<string, unknown>> = {};
    for (const r of db.prepare('SELECT * FROM incidents').all() as Record<string, unknown>[]) {
      const row = Object.fromEntries(Object.entries(r).filter(([k]) => !META.has(k)));
      row.sources = (
        db
          .prepare(
            "SELECT s.title FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.target_table = 'incidents' AND c.target_id = ? AND s.type <> 'dataset' ORDER BY c.rowid",
          )
          .all(r.id) as { title: string }[]
      ).map((x) => x.title);
      out[String(r.external_id)] = row;
    }
    return out;
  } finally {
    db.close();
  }
}

async function roundTrip(data: string) {
  const dir = tempDir();
  const first = emptyCase(dir, 'first.casefile');
  const r1 = await importFile(first, data, { author: 'A', node: 'n1', format: 'acled', inWorker: false });
  const out = join(dir, 'export.csv');
  const { db } = openCaseFileReadOnly(first);
  try {
    await exportAtomically(out, false, (tmp) =>
      writeExport(
        db,
        {
          table: 'incidents',
          scope: 'table',
          format: 'csv',
          layout: 'acled',
          sort: [],
          filter: { columns: {}, search: '' },
        },
        tmp,
      ),
    );
  } finally {
    db.close();
  }
  const second = emptyCase(dir, 'second.casefile');
  const r2 = await importFile(second, out, { author: 'B', node: 'n2', inWorker: false });
  return { r1, r2, out, a: snapshot(first), b: snapshot(second) };
}

describe('ACLED layout export', () => {
  it("writes ACLED's current 31 columns, tags back into their columns", async () => {
    const { out, a } = await roundTrip(FIXTURE);
    const text = readFileSync(out, 'utf8');
    const parsed = Papa.parse<Record<string, string>>(text.replace(/^\ufeff/, ''), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.meta.fields).toEqual(ACLED_HEADER);
    const first = parsed.data.find((r) => r.event_id_cnty === 'AFG70001')!;
    expect(first).toMatchObject({
      event_date: '2022-12-28',
      time_precision: '1',
      inter1: 'Rebel group',
      interaction: 'Rebel group-Civilians',
      civilian_targeting: 'Civilian targeting',
      disorder_type: 'Political violence',
    });
    expect(first.source).toBe('Pajhwok Afghan News; Tolo News');
    expect(Object.keys(a).length).toBeGreaterThan(0);
  });

  it('re-imports into an empty case file as the same rows (fixture with every quirk)', async () => {
    const { r1, r2, a, b } = await roundTrip(FIXTURE);
    expect(r2.skipped).toBe(0);
    expect(r2.imported).toBe(r1.imported);
    expect(b).toEqual(a);
  });

  it('re-imports the same rows for generated data (BOM, CRLF, multi-line notes, NA, three date styles)', async () => {
    const dir = tempDir();
    const data = join(dir, 'gen.csv');
    writeFileSync(data, acledCsvHeader() + acledCsvChunk(0, 400, 3));
    const { r1, r2, a, b } = await roundTrip(data);
    expect(r1.imported).toBe(400);
    expect(r2).toMatchObject({ imported: 400, skipped: 0 });
    expect(b).toEqual(a);
  });
});
