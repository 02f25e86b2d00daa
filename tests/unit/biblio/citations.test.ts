import { describe, expect, it } from 'vitest';
import { parseCitations, parseLocator, renderNote, type CitationCluster } from '../../../src/shared/markdown/citations';

const keysOf = (clusters: CitationCluster[]) => clusters.map((c) => c.items.map((i) => i.key));
const byKey = (c: CitationCluster) => c.items.map((i) => i.key).join('+');

describe('parseCitations: Pandoc citation syntax', () => {
  it('finds bracketed clusters with prefixes, locators and suffixes', () => {
    const md =
      'One [@key]. Two [@key, p. 4]. Three [@a; @b]. Four [see @key, pp. 3-5, emphasis added]. Five [-@smith04, chap. 2].';
    const cs = parseCitations(md);
    expect(cs.map((c) => c.raw)).toEqual([
      '[@key]',
      '[@key, p. 4]',
      '[@a; @b]',
      '[see @key, pp. 3-5, emphasis added]',
      '[-@smith04, chap. 2]',
    ]);
    expect(cs.every((c) => !c.inText)).toBe(true);
    expect(cs[1]!.items[0]).toMatchObject({ key: 'key', locator: '4', label: 'page', prefix: '', suffix: '' });
    expect(cs[2]!.items.map((i) => i.key)).toEqual(['a', 'b']);
    expect(cs[3]!.items[0]).toMatchObject({
      key: 'key',
      prefix: 'see',
      locator: '3-5',
      label: 'page',
      suffix: 'emphasis added',
    });
    expect(cs[4]!.items[0]).toMatchObject({ key: 'smith04', suppressAuthor: true, locator: '2', label: 'chapter' });
    for (const c of cs) expect(md.slice(c.start, c.end)).toBe(c.raw);
  });

  it('finds in-text citations, with a bracketed locator after the key', () => {
    const md = '@acled2024 says so, and as @gtd.2023 [p. 33] shows, (@isw2024) agrees. @un2024.';
    const cs = parseCitations(md);
    expect(cs.map((c) => [c.raw, c.inText])).toEqual([
      ['@acled2024', true],
      ['@gtd.2023 [p. 33]', true],
      ['@isw2024', true],
      ['@un2024', true],
    ]);
    expect(cs[1]!.items[0]).toMatchObject({ key: 'gtd.2023', locator: '33', label: 'page' });
  });

  it('ignores emails, handles in URLs, code spans, code blocks, escapes and links', () => {
    const md = [
      'Write to analyst@example.org or [me at a@b.com].',
      'See https://mastodon.social/@someone and `[@notacite]` and `@code`.',
      '\\@escaped and \\[@escaped].',
      '[@handle](https://x.com/handle) is a link.',
      '',
      '```',
      '[@fenced] @fenced',
      '```',
      '',
      '    [@indented] code block',
      '',
      'Only [@real] here.',
    ].join('\n');
    expect(keysOf(parseCitations(md))).toEqual([['real']]);
  });

  it('keeps offsets right in blockquotes, lists, tables, headings and with CRLF line ends', () => {
    const md =
      '# Title [@h1]\r\n\r\n> quoted\r\n> more [@q, para. 2]\r\n\r\n- item @li\r\n  - nested [@nested]\r\n\r\n| a | b |\r\n|---|---|\r\n| [@x] | @y |\r\n\r\nSetext [@s]\r\n===\r\n';
    const cs = parseCitations(md);
    expect(cs.map(byKey)).toEqual(['h1', 'q', 'li', 'nested', 'x', 'y', 's']);
    for (const c of cs) {
      expect(md.slice(c.start, c.end)).toBe(c.raw);
      for (const item of c.items) expect(md.slice(item.keyStart, item.keyEnd)).toBe(item.key);
    }
    expect(cs[1]!.items[0]).toMatchObject({ locator: '2', label: 'paragraph' });
  });

  it('gives UTF-16 offsets with non-Latin text and emoji before the citation', () => {
    const md = 'Доклад 📄 د پښتو متن [@ru2022, с. 5] and @ps2021.';
    const cs = parseCitations(md);
    expect(cs.map((c) => md.slice(c.start, c.end))).toEqual(['[@ru2022, с. 5]', '@ps2021']);
    // 'с.' is not a known term: it stays in the suffix.
    expect(cs[0]!.items[0]).toMatchObject({ locator: null, suffix: 'с. 5' });
  });

  it('accepts braced keys and Pandoc punctuation inside keys', () => {
    const cs = parseCitations('[@{weird key}] and @doe:2020/a-b+c.');
    expect(keysOf(cs)).toEqual([['weird key'], ['doe:2020/a-b+c']]);
  });
});

describe('parseLocator', () => {
  it.each([
    ['p. 4', '4', 'page', ''],
    ['pp. 33-35, 38-39 and passim', '33-35, 38-39', 'page', 'and passim'],
    ['33', '33', 'page', ''],
    ['para. 12', '12', 'paragraph', ''],
    ['¶ 3', '3', 'paragraph', ''],
    ['§§ 4–6', '4–6', 'section', ''],
    ['sec. 2.1', '2.1', 'section', ''],
    ['chap. iv', 'iv', 'chapter', ''],
    ['01:23:45', '01:23:45', 'timestamp', ''],
    ['at 12:30-13:05, the speech', '12:30-13:05', 'timestamp', 'the speech'],
    ['vol. {II, part 3}', 'II, part 3', 'volume', ''],
    ['emphasis added', null, null, 'emphasis added'],
  ])('%s', (text, locator, label, suffix) => {
    expect(parseLocator(text)).toEqual({ locator, label, suffix });
  });
});

describe('renderNote', () => {
  const resolve = (c: CitationCluster) =>
    c.items.every((i) => i.key !== 'missing') ? `(${c.items.map((i) => i.key).join('; ')})` : null;

  it('replaces clusters with the resolver text, and marks unresolved ones', () => {
    const html = renderNote('As @smith2023 argues [see @ime2024, p. 4; @ru2022]. Unknown [@missing].', resolve);
    expect(html).toBe(
      '<p>As <span class="citation" data-cites="smith2023">(smith2023)</span> argues ' +
        '<span class="citation" data-cites="ime2024 ru2022">(ime2024; ru2022)</span>. ' +
        'Unknown <span class="citation citation-unresolved" data-cites="missing">[@missing]</span>.</p>\n',
    );
  });

  it('numbers clusters in the order parseCitations returns them, so one citeproc call serves both', () => {
    const md =
      '# [@h]\n\n> [@q] then @t\n\n![map [@img]](https://x.example/m.png) [link @l](https://x.example/)\n\n| [@cell] |\n|---|\n';
    const parsed = parseCitations(md);
    const seen: string[] = [];
    renderNote(md, (c, i) => {
      seen.push(`${i}:${byKey(c)}`);
      return String(i);
    });
    expect(seen).toEqual(parsed.map((c, i) => `${i}:${byKey(c)}`));
    expect(parsed.map(byKey)).toEqual(['h', 'q', 't', 'l', 'cell']);
    expect(renderNote('![see [@img]](https://x.example/m.png)', () => 'x')).toBe(
      '<p><span class="image-alt">see [@img]</span></p>\n',
    );
  });

  it('escapes what the resolver returns', () => {
    expect(renderNote('[@a]', () => '<img src=x onerror=alert(1)>')).toBe(
      '<p><span class="citation" data-cites="a">&lt;img src=x onerror=alert(1)&gt;</span></p>\n',
    );
  });

  it('keeps http(s) and mailto links, shows other schemes as text', () => {
    const html = renderNote(
      '[web](https://example.org/a?b=1) [mail](mailto:a@example.org) [js](javascript:alert(1)) [file](file:///etc/passwd) [rel](/local/path)',
      () => null,
    );
    expect(html).toBe(
      '<p><a href="https://example.org/a?b=1" rel="noopener noreferrer nofollow">web</a> ' +
        '<a href="mailto:a@example.org" rel="noopener noreferrer nofollow">mail</a> ' +
        '[js](javascript:alert(1)) [file](file:///etc/passwd) [rel](/local/path)</p>\n',
    );
  });

  it('shows images as their alt text, never loading them', () => {
    expect(renderNote('![a *map* of Idlib](https://evil.example/pixel.gif)', () => null)).toBe(
      '<p><span class="image-alt">a map of Idlib</span></p>\n',
    );
  });

  it('shows raw HTML as text and does not turn bare URLs into links', () => {
    expect(renderNote('<b>bold</b> www.example.org', () => null)).toBe(
      '<p>&lt;b&gt;bold&lt;/b&gt; www.example.org</p>\n',
    );
  });
});
