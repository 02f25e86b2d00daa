import { describe, expect, it } from 'vitest';
import {
  addAttachment,
  attachmentText,
  listAttachments,
  removeAttachment,
} from '../../../src/core/sources/attachments';
import { citationView, createCitation, updateCitation } from '../../../src/core/sources/citations';
import { decodeText, extractText, htmlToText } from '../../../src/core/sources/extract';
import { MAX_ATTACHMENT_BYTES } from '../../../src/shared/channels/sources';
import { makePdf } from '../../fixtures/sources/make-pdf';
import { demoSource } from './helpers';

const REPORT = `Afghanistan: security overview

ISKP has weakened inside Afghanistan under Taliban counter-terrorism pressure, while it widened its external operations.
Claims fell in 2023. The group has weakened inside Afghanistan, analysts say, but its reach abroad grew.`;

const setup = demoSource;

describe('attached files: kinds and text', () => {
  it('reads text as it is, HTML as its visible text only, and a PDF page by page', async () => {
    expect(await extractText(Buffer.from('plain\r\ntext'), 'a.txt', 'text/plain')).toMatchObject({
      kind: 'text',
      text: 'plain\ntext',
    });
    const html = `<!doctype html><html><head><title>T</title><script>alert("x")</script><style>p{}</style></head>
      <body onload="alert(1)"><h1>Title</h1><p>First <b>bold</b> &amp; para.</p><script>document.write("evil")</script>
      <iframe src="https://evil.example"></iframe><svg><script>alert(2)</script><text>svgtext</text></svg><p>Second&nbsp;para</p></body></html>`;
    const h = await extractText(Buffer.from(html), 'page.html', 'text/html');
    expect(h).toMatchObject({ kind: 'html', mediaType: 'text/html' });
    expect(h.text).toBe('Title\n\nFirst bold & para.\n\nSecond para');
    expect(htmlToText('<p>a<br>b</p><pre>  x\n  y</pre>')).toBe('a\nb\n\nx\ny');

    const pdf = await extractText(
      makePdf([['Page one says hello.'], ['Page two: ISKP has weakened', 'inside Afghanistan.']]),
      'r.pdf',
      '',
    );
    expect(pdf.kind).toBe('pdf');
    expect(pdf.warning).toBeNull();
    expect(pdf.text).toContain('Page one says hello.');
    expect(pdf.text!.split('\f')).toHaveLength(2);
  });

  it('decodes byte-order marks, UTF-8, and falls back to Windows-1252', () => {
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('a');
    expect(decodeText(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x06, 0x06]))).toBe('A\u0606');
    expect(decodeText(Buffer.from('د طالبانو', 'utf8'))).toBe('د طالبانو');
    expect(decodeText(Buffer.from([0x93, 0x71, 0x94]))).toBe('\u201cq\u201d');
  });

  it('refuses binary files, empty files, files over the cap and the same file twice', async () => {
    const { cf, source } = setup();
    await expect(
      addAttachment(cf, {
        sourceId: source,
        name: 'x.exe',
        mediaType: 'application/octet-stream',
        data: Buffer.from([0x4d, 0x5a, 0, 0, 1]),
      }),
    ).rejects.toThrow(/x\.exe: only PDF, HTML and text files/);
    await expect(
      addAttachment(cf, { sourceId: source, name: 'e.txt', mediaType: 'text/plain', data: Buffer.alloc(0) }),
    ).rejects.toThrow(/e\.txt: the file is empty/);
    await expect(
      addAttachment(cf, {
        sourceId: source,
        name: 'big.txt',
        mediaType: 'text/plain',
        data: Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 0x61),
      }),
    ).rejects.toThrow(/big\.txt: 40\.0 MB is more than the 40 MB/);
    const a = await addAttachment(cf, {
      sourceId: source,
      name: '../../etc/\u202Ereport.txt',
      mediaType: 'text/plain',
      data: Buffer.from(REPORT),
    });
    expect(a.attachment).toMatchObject({
      name: 'report.txt',
      media_type: 'text/plain',
      size: Buffer.byteLength(REPORT),
      text_length: REPORT.length,
    });
    await expect(
      addAttachment(cf, { sourceId: source, name: 'again.txt', mediaType: 'text/plain', data: Buffer.from(REPORT) }),
    ).rejects.toThrow(/already attached .* "report\.txt"/);
    expect(listAttachments(cf.db, source)).toHaveLength(1);
    expect(attachmentText(cf.db, a.attachment.id).text).toBe(REPORT);
  });

  it('stores a PDF without text with a warning: its passages cannot be found', async () => {
    const { cf, source } = setup();
    const r = await addAttachment(cf, {
      sourceId: source,
      name: 'scan.pdf',
      mediaType: 'application/pdf',
      data: makePdf([[]]),
    });
    expect(r.attachment.text_length).toBeNull();
    expect(r.warning).toMatch(/no text layer/);
  });
});

describe('citations anchored in the attached text', () => {
  it('fills the context of a quote from the text, finds it, and gives its page in a PDF', async () => {
    const { cf, source, incident } = setup();
    const noText = createCitation(cf, {
      source_id: source,
      target_table: 'incidents',
      target_id: incident,
      quote: 'weakened inside Afghanistan',
      credibility: 2,
    });
    expect(citationView(cf.db, noText.id as string)!.anchor).toEqual({
      state: 'no-text',
      reason: 'no text of the source is attached',
    });

    await addAttachment(cf, {
      sourceId: source,
      name: 'r.pdf',
      mediaType: '',
      data: makePdf([['Cover page'], ['ISKP has weakened inside Afghanistan under', 'Taliban pressure.']]),
    });
    const c = createCitation(cf, {
      source_id: source,
      target_table: 'incidents',
      target_id: incident,
      field: 'fatalities',
      locator_type: 'page',
      locator: '2',
      quote: 'ISKP has weakened inside Afghanistan',
      credibility: 2,
    });
    expect(c.suffix).toMatch(/^ under/);
    const v = citationView(cf.db, c.id as string)!;
    expect(v.grade).toBe('B2');
    expect(v.anchor).toMatchObject({ state: 'found', page: 2, score: 1 });
    // The earlier citation is found now too: anchors are computed on read.
    expect(citationView(cf.db, noText.id as string)!.anchor.state).toBe('found');
  });

  it('chooses the occurrence the context points to, re-finds a passage in a re-extracted text, and flags one that is gone', async () => {
    const { cf, source, incident } = setup();
    const first = await addAttachment(cf, {
      sourceId: source,
      name: 'report.txt',
      mediaType: 'text/plain',
      data: Buffer.from(REPORT),
    });
    const c = createCitation(cf, {
      source_id: source,
      target_table: 'incidents',
      target_id: incident,
      quote: 'weakened inside Afghanistan',
      prefix: 'The group has ',
      suffix: ', analysts say',
      credibility: 3,
    });
    const found = citationView(cf.db, c.id as string)!.anchor;
    expect(found.state).toBe('found');
    if (found.state === 'found')
      expect(REPORT.slice(found.start - 'The group has '.length, found.end)).toBe(
        'The group has weakened inside Afghanistan',
      );

    // The same report re-extracted with other line breaks and typography: still found.
    removeAttachment(cf, first.attachment.id);
    const reflowed = REPORT.replace(/\n/g, '  \n ').replace('weakened inside', 'weakened\ninside');
    await addAttachment(cf, {
      sourceId: source,
      name: 'report-v2.txt',
      mediaType: 'text/plain',
      data: Buffer.from(reflowed),
    });
    expect(citationView(cf.db, c.id as string)!.anchor.state).toBe('found');

    // A revised version without the passage: flagged, and the citation is still there.
    const ids = listAttachments(cf.db, source).map((a) => a.id);
    for (const id of ids) removeAttachment(cf, id);
    await addAttachment(cf, {
      sourceId: source,
      name: 'report-v3.txt',
      mediaType: 'text/plain',
      data: Buffer.from('ISKP remains strong everywhere.'),
    });
    const gone = citationView(cf.db, c.id as string)!;
    expect(gone.anchor.state).toBe('not-found');
    expect(gone.quote).toBe('weakened inside Afghanistan');

    // Editing the quote to one that is there re-anchors it and takes the new context.
    const edited = updateCitation(cf, c.id as string, { quote: 'remains strong' });
    expect(edited).toMatchObject({ prefix: 'ISKP ', suffix: ' everywhere.' });
    expect(citationView(cf.db, c.id as string)!.anchor.state).toBe('found');
  });

  it('refuses a citation of a missing row, a field the row does not have, or no source', () => {
    const { cf, source, incident } = setup();
    expect(() =>
      createCitation(cf, {
        source_id: source,
        target_table: 'incidents',
        target_id: '01900000-0000-7000-8000-000000000000',
      }),
    ).toThrow(/no incident .* to cite from/);
    expect(() =>
      createCitation(cf, { source_id: source, target_table: 'incidents', target_id: incident, field: 'secret' }),
    ).toThrow(/incidents has no field "secret"/);
    expect(() => createCitation(cf, { source_id: null, target_table: 'incidents', target_id: incident })).toThrow(
      /choose a source/,
    );
    expect(() =>
      createCitation(cf, { source_id: source, target_table: 'incidents', target_id: incident, credibility: 7 }),
    ).toThrow(/Credibility must be at most 6/);
  });
});
