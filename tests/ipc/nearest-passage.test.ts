import { describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../src/core/handlers/index';
import { addAttachment, listAttachments, removeAttachment } from '../../src/core/sources/attachments';
import type { CitationView, NearestPassage } from '../../src/shared/channels/sources';
import { session } from '../helpers';

const V1 = `Security overview, third quarter.
Analysts in Kabul said that ISKP has weakened inside Afghanistan under sustained Taliban pressure, while it widened its external operations.`;
/** The same report re-typed: a changed word, an OCR slip, a hyphen broken over a line. */
const V2 = V1.replace('sustained', 'continued').replace('external', 'extemal').replace('pressure', 'pres-\nsure');

async function setup() {
  const { s } = session();
  const cf = s.caseFile;
  const h = makeHandlers(s, 't');
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await dispatch(h, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as T;
  };
  const source = (cf.db.prepare("SELECT id FROM sources WHERE key = 'ime2024'").get() as { id: string }).id;
  const incident = (cf.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
  for (const a of listAttachments(cf.db, source)) removeAttachment(cf, a.id);
  await addAttachment(cf, { sourceId: source, name: 'v1.txt', mediaType: 'text/plain', data: Buffer.from(V1) });
  const quote =
    'ISKP has weakened inside Afghanistan under sustained Taliban pressure, while it widened its external operations';
  const c = await call<{ id: string }>('citations.create', {
    values: { source_id: source, target_table: 'incidents', target_id: incident, quote },
  });
  // The file is replaced by the re-typed copy: the quote is no longer there exactly.
  removeAttachment(cf, listAttachments(cf.db, source)[0]!.id);
  await addAttachment(cf, { sourceId: source, name: 'v2-ocr.txt', mediaType: 'text/plain', data: Buffer.from(V2) });
  return { s, cf, h, call, id: c.id, quote, dispatch: (ch: string, input: unknown) => dispatch(h, ch, input) };
}

describe('the nearest passage of a flagged citation, through the handlers', () => {
  it('is proposed with its similarity while the flag stays; accepting re-anchors, Undo brings the flag back', async () => {
    const { cf, call, id, quote } = await setup();
    const before = await call<CitationView>('citations.get', { id });
    expect(before.anchor.state).toBe('not-found');

    const near = (await call<NearestPassage | null>('citations.nearest', { id }))!;
    expect(near).toMatchObject({ attachmentName: 'v2-ocr.txt', page: null });
    expect(near.passage).toBe(V2.slice(V2.indexOf('ISKP'), V2.indexOf(' operations') + ' operations'.length));
    expect(near.similarity).toBeGreaterThan(0.85);
    expect(near.similarity).toBeLessThan(1);
    // Proposing changes nothing: the citation is still flagged, its quote as it was.
    expect((await call<CitationView>('citations.get', { id })).anchor.state).toBe('not-found');
    const logged = cf.db.prepare('SELECT count(*) FROM change_log').pluck().get() as number;

    await call('citations.acceptNearest', {
      id,
      attachmentId: near.attachmentId,
      start: near.start,
      end: near.end,
      passage: near.passage,
    });
    const after = await call<CitationView>('citations.get', { id });
    expect(after.anchor.state).toBe('found');
    expect(after.quote).toBe(near.passage);
    expect(after.prefix).toMatch(/Analysts in Kabul said that $/);
    // One logged edit, undoable, named for what it did.
    expect(cf.db.prepare('SELECT count(*) FROM change_log').pluck().get() as number).toBeGreaterThan(logged);
    expect(cf.history().undoLabel).toBe('Re-anchor citation');
    expect(await call<NearestPassage | null>('citations.nearest', { id })).toBeNull();

    await call('history.undo', {});
    const undone = await call<CitationView>('citations.get', { id });
    expect(undone.anchor.state).toBe('not-found');
    expect(undone.quote).toBe(quote);
    expect(undone.prefix).toBe(before.prefix);
  });

  it('refuses a stale proposal and changes nothing; a quote absent from the text gets no proposal', async () => {
    const { cf, call, dispatch, id } = await setup();
    const near = (await call<NearestPassage>('citations.nearest', { id }))!;
    const rows = () => cf.db.prepare('SELECT quote, prefix, suffix FROM citations WHERE id = ?').get(id);
    const was = rows();
    const stale = await dispatch('citations.acceptNearest', {
      id,
      attachmentId: near.attachmentId,
      start: near.start + 1,
      end: near.end,
      passage: near.passage,
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const bad = await dispatch('citations.acceptNearest', {
      id,
      attachmentId: near.attachmentId,
      start: 5,
      end: 2,
      passage: 'x',
    });
    expect(bad.ok).toBe(false);
    expect(rows()).toEqual(was);

    await call('citations.update', { id, values: { quote: 'The ceasefire in Yemen held through the winter months' } });
    expect((await call<CitationView>('citations.get', { id })).anchor.state).toBe('not-found');
    expect(await call('citations.nearest', { id })).toBeNull();
  });
});
