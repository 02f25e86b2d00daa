import { describe, expect, it } from 'vitest';
import { parseTsv, toTsv } from '../../../src/renderer/src/features/grid/tsv';

describe('a block copied from a spreadsheet', () => {
  it('is rows of tab-separated cells; the final line break is not a row', () => {
    expect(parseTsv('a\tb\r\nc\td\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseTsv('a\tb\nc\td')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseTsv('7')).toEqual([['7']]);
    expect(parseTsv('\t\n\t\n')).toEqual([
      ['', ''],
      ['', ''],
    ]);
  });

  it('reads quoted cells holding tabs, line breaks and quotes, as Excel writes them', () => {
    expect(parseTsv('"line one\nline two"\t"say ""hi"""\r\nx\t"a\tb"\r\n')).toEqual([
      ['line one\nline two', 'say "hi"'],
      ['x', 'a\tb'],
    ]);
    expect(parseTsv('""\t5\n')).toEqual([['', '5']]);
  });

  it('keeps a quote that does not open a quoted cell as text', () => {
    expect(parseTsv('5" pipe\t"quoted" and more\n')).toEqual([['5" pipe', '"quoted" and more']]);
  });
});

describe('cells copied out of the grid', () => {
  it('are written as a spreadsheet writes them, and read back as the same cells', () => {
    expect(
      toTsv([
        ['a', 'b'],
        ['c', ''],
      ]),
    ).toBe('a\tb\nc\t\n');
    expect(toTsv([['line one\nline two', 'say "hi"', 'a\tb']])).toBe('"line one\nline two"\t"say ""hi"""\t"a\tb"\n');
    const blocks: string[][][] = [
      [['']],
      [['x'], ['']],
      [['"quoted"', '5" pipe', '=1+1', 'ИГ-Хорасан', 'داعش خراسان']],
      [
        ['a\nb', '\t', '""'],
        ['', '', ''],
      ],
    ];
    for (const b of blocks) expect(parseTsv(toTsv(b))).toEqual(b);
  });
});
