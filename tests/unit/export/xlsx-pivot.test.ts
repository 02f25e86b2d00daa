import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { exportAtomically, writeExport, type ExportSpec } from '../../../src/core/export/export-table';
import { openWriter } from '../../../src/core/export/writers';
import { importFile } from '../../../src/core/import/pipeline';
import { splitList } from '../../../src/shared/domain/lists';
import { session, tempDir } from '../../helpers';
import { AUTHOR, NODE, freshCase, withDb } from '../import-db/helpers';

/** Incidents in three scripts, at every date precision, with list fields that hold formulas too. */
const ROWS = [
  {
    date: '2022-09-05',
    date_precision: 'day',
    actor1: 'Islamic State Khorasan Province',
    assoc_actors: 'ISKP; ولایت خراسان; ИГИЛ-Хорасан',
    tags: 'suicide; embassy',
    description: 'Suicide bombing at the Russian embassy gate',
  },
  {
    date: '2023-01',
    date_precision: 'month',
    actor1: 'ISKP',
    assoc_actors: 'Taliban',
    tags: '=HYPERLINK("http://x","y"); انفجار',
    description: '=1+1',
  },
  {
    date: '2023',
    date_precision: 'year',
    actor1: 'ولایت خراسان',
    assoc_actors: null,
    tags: null,
    description: 'انفجار در مسجد جامع هرات',
  },
  {
    date: '2024-03-18',
    date_precision: 'week',
    actor1: 'ИГИЛ-Хорасан',
    assoc_actors: 'ИГИЛ; Islamic State',
    tags: 'теракт',
    description: 'Нападение на «Крокус Сити Холл»',
  },
  {
    date: null,
    date_precision: 'unknown',
    actor1: 'Unknown',
    assoc_actors: '+SUM(A1); -2',
    tags: null,
    description: 'date unknown',
  },
];

/** The Excel date each row's date stands for: a month as its first day, a year as its 1 January. */
const EXPECTED_DATES = [
  new Date(Date.UTC(2022, 8, 5)),
  new Date(Date.UTC(2023, 0, 1)),
  new Date(Date.UTC(2023, 0, 1)),
  new Date(Date.UTC(2024, 2, 18)),
  null,
];
const EXPECTED_FORMATS = ['yyyy-mm-dd', 'yyyy-mm', 'yyyy', 'yyyy-mm-dd', undefined];

const spec: ExportSpec = {
  table: 'incidents',
  scope: 'table',
  format: 'xlsx',
  layout: 'casefile',
  sort: [{ colId: 'fatalities', sort: 'asc' }],
  filter: { columns: {}, search: '' },
};

async function exported() {
  const ctx = session({ demo: false });
  const cf = ctx.s.caseFile;
  ROWS.forEach((r, i) => cf.create('incidents', { ...r, fatalities: i, country: 'Afghanistan' }));
  const out = join(ctx.dir, 'pivot.xlsx');
  await exportAtomically(out, false, (tmp) => writeExport(cf.db, spec, tmp));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const ids = (cf.db.prepare('SELECT id FROM incidents ORDER BY fatalities').pluck().all() as string[]).slice();
  return { out, wb, ids, s: ctx.s };
}

describe('XLSX export that pivots', () => {
  it('writes dates as date cells, shown no finer than their precision, with the precision column beside them', async () => {
    const { wb } = await exported();
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    expect(col('date_precision')).toBe(col('date') + 1);
    expect(ws.rowCount).toBe(ROWS.length + 1);
    ROWS.forEach((r, i) => {
      const row = ws.getRow(i + 2);
      const date = row.getCell(col('date'));
      if (EXPECTED_DATES[i] === null) {
        expect(date.value).toBeNull();
      } else {
        expect(date.type).toBe(ExcelJS.ValueType.Date);
        expect((date.value as Date).toISOString()).toBe(EXPECTED_DATES[i]!.toISOString());
      }
      expect(date.numFmt).toBe(EXPECTED_FORMATS[i]);
      expect(row.getCell(col('date_precision')).value).toBe(r.date_precision);
      expect(row.getCell(col('actor1')).value).toBe(r.actor1);
    });
  });

  it('makes each sheet an Excel table, whose autofilter covers the header and every row, and freezes the header', async () => {
    const { wb } = await exported();
    const [main, values] = wb.worksheets;
    const header = (main!.getRow(1).values as unknown[]).slice(1) as string[];
    const last = main!.getRow(1).getCell(header.length).address.replace(/\d+$/, '');
    const tables = (ws: ExcelJS.Worksheet) =>
      Object.values((ws as unknown as { tables: Record<string, { table: Record<string, unknown> }> }).tables).map(
        (t) => t.table,
      );
    expect(tables(main!)).toMatchObject([
      {
        name: 'incidents',
        tableRef: `A1:${last}${ROWS.length + 1}`,
        autoFilterRef: `A1:${last}${ROWS.length + 1}`,
        columns: header.map((name) => ({ name })),
      },
    ]);
    expect(tables(values!)).toMatchObject([
      {
        name: 'incidents_values',
        tableRef: `A1:C${values!.rowCount}`,
        autoFilterRef: `A1:C${values!.rowCount}`,
        columns: [{ name: 'id' }, { name: 'field' }, { name: 'value' }],
      },
    ]);
    // Not also a sheet autofilter over the table: Excel calls that file damaged.
    for (const ws of [main!, values!]) {
      expect(ws.autoFilter).toBeUndefined();
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
  });

  it('puts a plain autofilter on a sheet whose header cannot name table columns (two alike), or that has no rows', async () => {
    const dir = tempDir();
    const out = join(dir, 'plain.xlsx');
    const w = openWriter('xlsx', out, ['name', 'Name', 'n'], 'sheet');
    await w.row(['a', 'b', 1]);
    await w.finish();
    const empty = join(dir, 'empty.xlsx');
    const e = openWriter('xlsx', empty, ['id', 'name'], 'sheet');
    await e.finish();
    for (const [file, ref] of [
      [out, 'A1:C2'],
      [empty, 'A1:B1'],
    ] as const) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const ws = wb.worksheets[0]!;
      expect(ws.autoFilter).toBe(ref);
      expect(Object.keys((ws as unknown as { tables: object }).tables)).toEqual([]);
    }
  });

  it('gives the values of list fields (associated actors, tags) one per row on a second sheet', async () => {
    const { wb, ids } = await exported();
    expect(wb.worksheets.length).toBe(2);
    const ws = wb.worksheets[1]!;
    expect(ws.name).toBe('incidents values');
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['id', 'field', 'value']);
    const expected: [string, string, string][] = [];
    ROWS.forEach((r, i) => {
      for (const f of ['assoc_actors', 'tags'] as const)
        for (const v of splitList(r[f])) expected.push([ids[i]!, f, v]);
    });
    const got: unknown[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1) got.push((row.values as unknown[]).slice(1));
    });
    expect(got).toEqual(expected);
    expect(got.map((g) => g[2])).toContain('ولایت خراسان');
    expect(got.map((g) => g[2])).toContain('ИГИЛ-Хорасан');
  });

  it('goes on to a next values sheet when one is full, so no value is left out', async () => {
    const out = join(tempDir(), 'many.xlsx');
    const w = openWriter('xlsx', out, ['id', 'tags'], 'incidents', {
      lists: [{ column: 1, field: 'tags' }],
      idColumn: 0,
      sheetRows: 4,
    });
    await w.row(['a', 'one; two; three']);
    await w.row(['b', 'ИГИЛ; ولایت خراسان; =x']);
    await w.row(['c', 'last']);
    await w.finish();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((ws) => [ws.name, ws.rowCount])).toEqual([
      ['incidents', 4],
      ['incidents values', 5],
      ['incidents values 2', 4],
    ]);
    const values = wb.worksheets.slice(1).flatMap((ws) => {
      const rows: unknown[][] = [];
      ws.eachRow((row, n) => {
        if (n > 1) rows.push((row.values as unknown[]).slice(1));
      });
      return rows;
    });
    expect(values).toEqual([
      ['a', 'tags', 'one'],
      ['a', 'tags', 'two'],
      ['a', 'tags', 'three'],
      ['b', 'tags', 'ИГИЛ'],
      ['b', 'tags', 'ولایت خراسان'],
      ['b', 'tags', '=x'],
      ['c', 'tags', 'last'],
    ]);
    const names = wb.worksheets.map((ws) => Object.keys((ws as unknown as { tables: object }).tables));
    expect(names).toEqual([['incidents'], ['incidents_values'], ['incidents_values_2']]);
  });

  it('does not write the values sheet of an abandoned (cancelled or failed) export, whose file is thrown away', async () => {
    const out = join(tempDir(), 'cancelled.xlsx');
    const w = openWriter('xlsx', out, ['id', 'tags'], 'incidents', {
      lists: [{ column: 1, field: 'tags' }],
      idColumn: 0,
    });
    await w.row(['a', 'one; two']);
    await w.finish(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['incidents']);
    expect(readdirSync(dirname(out))).toEqual(['cancelled.xlsx']);
  });

  it('keeps the formula guard on both sheets: text that starts with = is text, never a formula', async () => {
    const { wb } = await exported();
    const [main, values] = wb.worksheets;
    const header = (main!.getRow(1).values as unknown[]).slice(1);
    const description = main!.getRow(3).getCell(header.indexOf('description') + 1);
    expect(description.type).toBe(ExcelJS.ValueType.String);
    expect(description.value).toBe('=1+1');
    expect(description.numFmt).toBe('@');
    let guarded = 0;
    values!.eachRow((row, n) => {
      if (n === 1) return;
      const v = row.getCell(3);
      expect(v.type).toBe(ExcelJS.ValueType.String);
      if (/^[=+-]/.test(String(v.value))) {
        expect(v.numFmt).toBe('@');
        guarded++;
      }
    });
    expect(guarded).toBe(3);
  });

  it('comes back as it went out when imported: dates at their precision, lists whole (the second sheet is not read)', async () => {
    const { out, s } = await exported();
    const BACK =
      'SELECT date, date_precision, actor1, assoc_actors, tags, description FROM incidents ORDER BY fatalities';
    const before = s.caseFile.db.prepare(BACK).all();
    s.close();
    const { file } = freshCase();
    const r = await importFile(file, out, { author: AUTHOR, node: NODE, inWorker: false });
    // The skipped rows' reasons are part of what is compared, so a failure says why.
    expect({ imported: r.imported, skipped: r.skipped, errors: r.errors }).toEqual({
      imported: ROWS.length,
      skipped: 0,
      errors: [],
    });
    expect(withDb(file, (db) => db.prepare(BACK).all())).toEqual(before);
  });

  it("is a whole package to any reader (Python's zipfile and XML parser): every part parses, every link and type is there", async () => {
    const { out } = await exported();
    const py = `
import posixpath, sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
for n in names: ET.fromstring(z.read(n))
types = ET.fromstring(z.read('[Content_Types].xml'))
T = '{http://schemas.openxmlformats.org/package/2006/content-types}'
overrides = {o.get('PartName'): o.get('ContentType') for o in types.iter(T + 'Override')}
defaults = {d.get('Extension') for d in types.iter(T + 'Default')}
for n in names:
  if '/' + n not in overrides and n.rsplit('.', 1)[-1] not in defaults: print('no content type:', n)
for n in names:
  if not n.endswith('.rels'): continue
  base = posixpath.dirname(posixpath.dirname(n))
  for r in ET.fromstring(z.read(n)):
    if r.get('TargetMode') == 'External': continue
    t = r.get('Target')
    target = t.lstrip('/') if t.startswith('/') else posixpath.normpath(posixpath.join(base, t))
    if target not in names: print('missing part:', n, '->', t)
for n in sorted(names):
  if n.startswith('xl/tables/'): print(n, overrides.get('/' + n))`;
    const r = spawnSync('python3', ['-c', py, out], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const TABLE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml';
    expect(r.stdout.trim().split('\n')).toEqual([`xl/tables/table1.xml ${TABLE}`, `xl/tables/table2.xml ${TABLE}`]);
  });

  // A second reader, when the machine has it: openpyxl sees the same dates, filter and sheet.
  const openpyxl = spawnSync('python3', ['-c', 'import openpyxl'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!openpyxl)('reads back the same in openpyxl', async () => {
    const { out } = await exported();
    const py = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
main, values = wb.worksheets
print(json.dumps({
  "dates": [main.cell(row=r, column=2).value.isoformat() if main.cell(row=r, column=2).value else None for r in range(2, main.max_row + 1)],
  "tables": [[t.name, t.ref, t.autoFilter.ref] for ws in (main, values) for t in ws.tables.values()],
  "values": [[c.value for c in row] for row in values.iter_rows(min_row=2)],
  "formula": [c.data_type for row in values.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and c.value.startswith("=")],
}))`;
    const r = spawnSync('python3', ['-c', py, out], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout) as {
      dates: (string | null)[];
      tables: string[][];
      values: unknown[][];
      formula: string[];
    };
    expect(got.dates).toEqual(EXPECTED_DATES.map((d) => (d ? d.toISOString().slice(0, 19) : null)));
    const end = `A1:C${got.values.length + 1}`;
    expect(got.tables[1]).toEqual(['incidents_values', end, end]);
    expect(got.values.map((v) => v[2])).toContain('ولایت خراسان');
    expect(got.formula).toEqual(['s']);
  });
});
