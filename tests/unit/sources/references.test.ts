import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main';
import { parseReferences, type ReferenceFormat } from '../../../src/core/biblio/formats';
import { exportSources, importReferences } from '../../../src/core/sources/references';
import { session } from '../../helpers';

const FIX = join(import.meta.dirname, '../../fixtures/biblio');
const files: [ReferenceFormat, string][] = [
  ['bibtex', 'sources.bib'],
  ['ris', 'zotero.ris'],
  ['csl-json', 'zotero.json'],
];

describe('reference import and export through the case file', () => {
  for (const [format, file] of files) {
    it(`${format}: imports, skips everything on a second import, and exports records equal to the imported ones`, () => {
      const { s } = session({ demo: false });
      const cf = s.caseFile;
      const text = readFileSync(join(FIX, file), 'utf8');
      const parsed = parseReferences(text);
      const r = importReferences(cf, text, null);
      expect(r.format).toBe(format);
      expect(r.imported).toBe(parsed.records.length - parsed.duplicates.length);
      expect(r.imported).toBeGreaterThan(0);
      const again = importReferences(cf, text, format);
      expect(again).toMatchObject({ imported: 0, duplicates: parsed.records.length });

      for (const out of ['bibtex', 'ris', 'csl-json'] as const) {
        const exported = exportSources(cf.db, out, null);
        expect(exported.count).toBe(r.imported);
        const back = parseReferences(exported.text, out);
        expect(back.errors).toEqual([]);
        const rows = cf.db
          .prepare(
            'SELECT key, title, authors, published, published_precision, url, language, type, reliability, accessed, notes FROM sources ORDER BY key COLLATE NOCASE',
          )
          .all();
        expect(back.records, `${format} -> ${out}`).toEqual(rows);
      }
    });
  }

  it('renames a key taken by another work, and reports entries it cannot read', () => {
    const { s } = session();
    const text = `@report{ime2024, title = {Another report entirely}, author = {Someone}, year = {2020}}
@misc{broken, author = {Nobody}}`;
    const r = importReferences(s.caseFile, text, null);
    expect(r.imported).toBe(1);
    expect(r.warnings).toEqual([
      '"Another report entirely": key "ime2024" is already used in the case file, imported as "ime2024a"',
    ]);
    expect(r.errors).toEqual([expect.stringMatching(/^entry 2 \(broken\): .*title/i)]);
  });
});

describe('command line', () => {
  it('sources import --json, sources export, and review --json', async () => {
    const { s, dir, file } = session();
    s.close();
    const lines: string[] = [];
    const out = (l: string) => lines.push(l);
    expect(await run(['sources', 'import', file, join(FIX, 'sources.bib'), '--json'], out)).toBe(0);
    const summary = JSON.parse(lines.pop()!) as { imported: number; duplicates: number; errors: string[] };
    expect(summary.imported).toBeGreaterThan(0);
    expect(summary).toMatchObject({ duplicates: expect.any(Number), errors: expect.any(Array) });
    expect(await run(['sources', 'import', file, join(FIX, 'sources.bib'), '--format', 'bibtex', '--json'], out)).toBe(
      0,
    );
    expect(JSON.parse(lines.pop()!)).toMatchObject({ imported: 0 });

    const target = join(dir, 'library.json');
    expect(await run(['sources', 'export', file, '--format', 'csl-json', '--out', target], out)).toBe(0);
    expect(lines.pop()).toMatch(/^wrote \d+ sources to .*library\.json \(csl-json\)$/);
    const items = JSON.parse(readFileSync(target, 'utf8')) as { id: string }[];
    expect(items.map((i) => i.id)).toContain('ime2024');

    expect(await run(['review', file, '--json'], out)).toBe(0);
    const panel = JSON.parse(lines.pop()!) as Record<string, unknown>;
    expect(Object.keys(panel)).toEqual(['incidents', 'plots', 'figures', 'citations']);
    expect(panel.incidents).toEqual({ total: 10, cited: 10, verified: 0, multiSource: 0 });
    expect(panel.citations).toMatchObject({ verified: 0, disputed: 0, needsSource: 0 });

    // Bad input: one line on stderr, a non-zero exit, nothing changed.
    writeFileSync(join(dir, 'bad.txt'), 'not a reference file');
    expect(await run(['sources', 'import', file, join(dir, 'bad.txt')], out)).toBe(1);
    expect(await run(['sources', 'export', file, '--format', 'word', '--out', target], out)).toBe(1);
    expect(await run(['sources', 'import', file, join(dir, 'missing.bib')], out)).toBe(1);
  });
});
