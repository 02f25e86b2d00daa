import { describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { whereToFilter } from '../../../src/core/export/where';
import { run } from '../../../src/cli/main';
import { tempDir } from '../../helpers';

const BIN = resolve(import.meta.dirname, '../../../bin/casefile.mjs');
const spawn = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

/** The command in this process (spawning tsx for each case would take seconds). */
async function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const lines: string[] = [];
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  try {
    const status = await run(args, (s) => lines.push(s));
    return { status, stdout: lines.map((l) => `${l}\n`).join(''), stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('--where syntax', () => {
  it("becomes the grid's filter model", () => {
    expect(
      whereToFilter(
        'incidents',
        [
          'country=Afghanistan',
          'date>=2022-07',
          'date<=2023',
          'fatalities>=10',
          'admin1=Kabul|Kunar',
          'actor1~Islamic State',
          'admin2=',
          'incidents.confidence=HIGH',
        ],
        'suicide',
      ),
    ).toEqual({
      search: 'suicide',
      columns: {
        country: { type: 'text', op: 'equals', value: 'Afghanistan' },
        date: { type: 'date', from: '2022-07', to: '2023' },
        fatalities: { type: 'number', min: 10, max: null },
        admin1: { type: 'set', values: ['Kabul', 'Kunar'] },
        actor1: { type: 'text', op: 'contains', value: 'Islamic State' },
        admin2: { type: 'set', values: [null] },
        confidence: { type: 'set', values: ['high'] },
      },
    });
    expect(whereToFilter('incidents', ['date=2022-07']).columns.date).toEqual({
      type: 'date',
      from: '2022-07',
      to: '2022-07',
    });
    expect(whereToFilter('incidents', ['fatalities=0']).columns.fatalities).toEqual({ type: 'number', min: 0, max: 0 });
  });

  it('names the condition that is wrong', () => {
    expect(() => whereToFilter('incidents', ['fatalities>=many'])).toThrow(
      '--where "fatalities>=many": "many" is not a number',
    );
    expect(() => whereToFilter('incidents', ['colour=red'])).toThrow(
      '--where "colour=red": incidents has no column "colour"',
    );
    expect(() => whereToFilter('incidents', ['country!=Iraq'])).toThrow(/"not equal" is not supported/);
    expect(() => whereToFilter('incidents', ['date>=July'])).toThrow(/"July" is not a date/);
    expect(() => whereToFilter('incidents', ['country>=A'])).toThrow(/Country is text/);
    expect(() => whereToFilter('incidents', ['plots.country=Iraq'])).toThrow(/this export is of incidents, not plots/);
    expect(() => whereToFilter('incidents', ['confidence=sure'])).toThrow(/not one of high, medium, low/);
    expect(() => whereToFilter('incidents', ['just words'])).toThrow(/expected column=value/);
  });
});

describe('casefile export', () => {
  it('writes a filtered table and says how many rows', async () => {
    const dir = tempDir();
    const f = join(dir, 'demo.casefile');
    expect((await cli('new', f, '--demo')).status).toBe(0);
    const out = join(dir, 'iran.csv');
    // Once through the real binary, the rest in process.
    const r = spawn(
      'export',
      f,
      '--table',
      'incidents',
      '--format',
      'csv',
      '--out',
      out,
      '--where',
      'country=Iran',
      '--where',
      'date>=2023',
      '--sort',
      'date:desc',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`exported 2 incidents rows to ${out}`);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',2024-01,');
    const j = await cli(
      'export',
      f,
      '--table',
      'figures',
      '--format',
      'json',
      '--out',
      join(dir, 'fig.json'),
      '--json',
    );
    expect(JSON.parse(j.stdout)).toMatchObject({ rows: 16, truncatedCells: 0 });
  });

  it('fails with one line, and writes nothing, on bad input', async () => {
    const dir = tempDir();
    const f = join(dir, 'demo.casefile');
    await cli('new', f, '--demo');
    const out = join(dir, 'x.csv');
    const cases: [string[], RegExp][] = [
      [
        ['--table', 'incidents', '--format', 'csv', '--out', out, '--where', 'nope=1'],
        /incidents has no column "nope"/,
      ],
      [['--table', 'notes', '--format', 'csv', '--out', out], /--table must be one of/],
      [
        ['--table', 'incidents', '--format', 'pdf', '--out', out],
        /--format must be csv, xlsx, json, geojson, kml, edges or casefile/,
      ],
      [
        ['--table', 'plots', '--format', 'csv', '--layout', 'acled', '--out', out],
        /ACLED layout is for incidents only/,
      ],
      [['--table', 'incidents', '--format', 'csv'], /missing --out/],
    ];
    for (const [args, msg] of cases) {
      const r = await cli('export', f, ...args);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('delegates --format casefile to the exchange export', async () => {
    const dir = tempDir();
    const f = join(dir, 'demo.casefile');
    await cli('new', f, '--demo');
    const out = join(dir, 'part.casefile');
    const r = await cli('export', f, '--format', 'casefile', '--out', out, '--where', 'country=Iran');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(out)).toBe(true);
    // Without --where, the whole case file (this refused before: "no table has all of ;").
    const whole = join(dir, 'whole.casefile');
    const all = await cli('export', f, '--format', 'casefile', '--out', whole, '--json');
    expect(all.stderr).toBe('');
    expect(all.status).toBe(0);
    expect(JSON.parse(all.stdout).counts).toMatchObject({ incidents: 10, plots: 15, figures: 16, sources: 6 });
  });
});
