import { describe, expect, it } from 'vitest';
import { saveSource } from '../../../src/core/sources/library';
import { renderNoteHtml } from '../../../src/core/sources/notes';
import { session } from '../../helpers';

describe("a cited source's direction override", () => {
  it('stays inside its own name and title in the citation and the reference', () => {
    const { s } = session({ demo: false });
    saveSource(s.caseFile, null, {
      key: 'amaq',
      type: 'propaganda',
      title: '\u202EISKP claim',
      authors: '\u202EAmaq News',
      published: '2024',
    });
    const r = renderNoteHtml(s.caseFile.db, 'Before [@amaq] after.', 'chicago-author-date');
    // The year after the author and the title after it are outside the isolate, in reading order.
    expect(r.html).toMatch(/\u2068\u202EAmaq News\u2069 2024/);
    const ref = r.bibliography.join('\n');
    expect(ref).toContain('\u2068\u202EAmaq News\u2069');
    expect(ref).toMatch(/\u2068\u202EISKP claim\u2069/i); // the style may title-case it
    // Every override is closed by an isolate's end before anything else follows.
    for (const text of [r.html, ref])
      expect(text.split('\u202E').length - 1).toBe(text.split('\u2068\u202E').length - 1);
  });
});
