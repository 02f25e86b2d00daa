import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { addAttachment, listAttachments } from '../../../src/core/sources/attachments';
import { makePdf } from '../../fixtures/sources/make-pdf';
import { demoSource } from './helpers';

/** A 300-page report: every page a few lines of text, page n naming its number. */
const LONG = makePdf(
  Array.from({ length: 300 }, (_, i) => [
    `Page ${i + 1} of the annual report.`,
    'ISKP attacks were recorded in several provinces this month.',
    `Marker p${i + 1}x.`,
  ]),
);

const setup = demoSource;

describe('reading a PDF in a task worker', { timeout: 180_000 }, () => {
  it('reads a 300-page PDF off this thread, with progress per page', async () => {
    const { cf, source } = setup();
    const progress: number[] = [];
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const r = await addAttachment(
      cf,
      { sourceId: source, name: 'annual.pdf', mediaType: 'application/pdf', data: LONG },
      { onProgress: (p) => progress.push(p.done) },
    );
    h.disable();
    expect(r.warning).toBeNull();
    expect(r.attachment.text_length).toBeGreaterThan(300 * 50);
    expect(progress.at(-1)).toBe(300);
    expect(progress.length).toBeGreaterThanOrEqual(300);
    // pdf.js ran in the worker: this thread's event loop was never held for long (generous on a
    // shared 2-core machine; parsing 300 pages here takes seconds in one stretch per page batch).
    expect(h.max / 1e6).toBeLessThan(1000);
    const text = (cf.db.prepare('SELECT text FROM attachments WHERE id = ?').get(r.attachment.id) as { text: string })
      .text;
    expect(text.split('\f')).toHaveLength(300);
    expect(text).toContain('Marker p300x.');
  });

  it('cancels: the worker stops, nothing is attached', async () => {
    const { cf, source } = setup();
    const ctl = new AbortController();
    const p = addAttachment(
      cf,
      { sourceId: source, name: 'annual.pdf', mediaType: 'application/pdf', data: LONG },
      {
        signal: ctl.signal,
        onProgress: (x) => x.done >= 5 && ctl.abort(),
      },
    );
    await expect(p).rejects.toThrow(/Cancelled/);
    expect(listAttachments(cf.db, source)).toHaveLength(0);
    expect(cf.history().canUndo).toBe(false);
  });

  it('refuses a broken PDF naming the file, and stores an encrypted one saying its text is locked', async () => {
    const { cf, source } = setup();
    await expect(
      addAttachment(cf, {
        sourceId: source,
        name: 'broken.pdf',
        mediaType: 'application/pdf',
        data: Buffer.from('%PDF-1.4\nnot really a PDF\n'),
      }),
    ).rejects.toThrow(/^broken\.pdf is not a PDF that can be read \(.+\); it was not attached$/);
    expect(listAttachments(cf.db, source)).toHaveLength(0);
    const hex = (n: number) => `<${'ab'.repeat(n)}>`;
    const locked = Buffer.from(
      makePdf([['Secret']])
        .toString('latin1')
        .replace(
          /\/Root 1 0 R >>/,
          `/Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 /O ${hex(32)} /U ${hex(32)} /P -4 >> /ID [${hex(16)} ${hex(16)}] >>`,
        ),
      'latin1',
    );
    const r = await addAttachment(cf, {
      sourceId: source,
      name: 'locked.pdf',
      mediaType: 'application/pdf',
      data: locked,
    });
    expect(r.warning).toBe(
      'locked.pdf is password-protected: it is stored, but its text cannot be read, so quoted passages cannot be found in it',
    );
    expect(r.attachment.text_length).toBeNull();
  });
});
