import { join as joinPath } from 'node:path';
import pg from 'pg';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/main';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { importByCopying } from '../../../src/core/exchange/import-copy';
import { applyPrepared, prepareMerge } from '../../../src/core/exchange/merge';
import { exportHubCase } from '../../../src/core/hub/export';
import { addAttachment, attachmentText } from '../../../src/core/sources/attachments';
import { makePdf } from '../../fixtures/sources/make-pdf';
import { noPostgres, titled, useCluster } from './use-cluster';
import { everything, join, laptop, newDir, seed, sync, team, type Laptop } from './team';

const PDF = makePdf([['Page one: ISKP claimed the attack in Kabul.'], ['Page two: casualties were reported.']]);
const SECOND = makePdf([['A later report: the Kunduz mosque bombing, October 2021.']]);

/** Bytes of every Buffer the laptop's PostgreSQL client sends while `fn` runs: what a push uploads. */
async function bytesSent<T>(fn: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  let bytes = 0;
  const spy = vi.spyOn(pg.Client.prototype, 'query');
  try {
    const result = await fn();
    for (const call of spy.mock.calls) {
      const params = (call as unknown[])[1];
      if (Array.isArray(params)) for (const p of params) if (Buffer.isBuffer(p)) bytes += p.length;
    }
    return { result, bytes };
  } finally {
    spy.mockRestore();
  }
}

const open = (l: Laptop, id: string) =>
  dispatch(makeHandlers(l.s, 'test'), 'attachments.data', { id }) as Promise<
    { ok: true; value: { dataBase64: string } } | { ok: false; error: { code: string; message: string } }
  >;

const dataOf = (l: Laptop, id: string) =>
  l.s.caseFile.db.prepare('SELECT data FROM attachments WHERE id = ?').pluck().get(id) as Buffer | null;

async function attachPdf(l: Laptop, sourceId: string, name = 'un-report.pdf', data = PDF) {
  const r = await addAttachment(l.s.caseFile, { sourceId, name, mediaType: 'application/pdf', data });
  return r.attachment.id;
}

describe.skipIf(noPostgres)(titled('attached files through the hub, by content hash'), { timeout: 180_000 }, () => {
  const cluster = useCluster();
  afterEach(() => vi.restoreAllMocks());

  /** Alice attaches a PDF and syncs; Bob joins: the case as both laptops then hold it. */
  async function twoLaptops() {
    const hub = await team(cluster(), ['alice', 'bob']);
    const dir = newDir();
    const a = laptop(dir, 'alice', hub.url('alice'));
    const b = laptop(dir, 'bob', hub.url('bob'));
    const { source } = seed(a);
    const file = await attachPdf(a, source);
    const first = await bytesSent(() => sync(a));
    await join(b, first.result.caseId, a);
    return { hub, dir, a, b, source, file, first, caseId: first.result.caseId };
  }

  it('a push sends a file’s bytes once: a push again, or a second laptop pushing the same PDF, sends none', async () => {
    const { hub, a, b, first } = await twoLaptops();
    expect(first.result.pushed!.uploaded).toEqual({ files: 1, bytes: PDF.length });
    expect(first.bytes).toBe(PDF.length);
    const admin = await cluster().admin(hub.db);
    try {
      expect((await admin.query('SELECT size::int, pushed_by FROM casefile.blobs')).rows).toEqual([
        { size: PDF.length, pushed_by: 'alice' },
      ]);
      const again = await bytesSent(() => sync(a));
      expect(again.result.pushed!.uploaded).toEqual({ files: 0, bytes: 0 });
      expect(again.bytes).toBe(0);
      // Bob attaches the same PDF to a source of his own: its row goes up, its bytes do not.
      const other = b.s.caseFile.create('sources', { key: 'press', title: 'Press copy', type: 'news' }).id as string;
      await attachPdf(b, other, 'same-report.pdf');
      const bobs = await bytesSent(() => sync(b));
      expect(bobs.result.pushed).toMatchObject({ rows: 2, uploaded: { files: 0, bytes: 0 } });
      expect(bobs.bytes).toBe(0);
      expect((await admin.query('SELECT count(*)::int n FROM casefile.blobs')).rows).toEqual([{ n: 1 }]);
      expect((await admin.query('SELECT name FROM casefile.attachments ORDER BY name')).rows).toEqual([
        { name: 'same-report.pdf' },
        { name: 'un-report.pdf' },
      ]);
    } finally {
      await admin.end();
      a.s.close();
      b.s.close();
    }
  });

  it('a pull brings the row and its text, not the bytes; opening the file fetches them, checked, and keeps them', async () => {
    const { a, b, file } = await twoLaptops();
    try {
      expect(b.s.caseFile.db.prepare('SELECT name, size, sha256 FROM attachments').get()).toEqual(
        a.s.caseFile.db.prepare('SELECT name, size, sha256 FROM attachments').get(),
      );
      expect(dataOf(b, file)).toBeNull();
      // Its text came with the row: quoted passages anchor, search finds it.
      expect(attachmentText(b.s.caseFile.db, file).text).toMatch(/ISKP claimed the attack in Kabul/);

      b.s.settings.update({ hubUrl: b.url });
      const opened = await open(b, file);
      expect(opened.ok).toBe(true);
      if (opened.ok) expect(Buffer.from(opened.value.dataBase64, 'base64').equals(PDF)).toBe(true);
      expect(dataOf(b, file)!.equals(PDF)).toBe(true);
      // Kept: opened again with no hub at all, it is read from the case file.
      b.s.settings.update({ hubUrl: null });
      expect((await open(b, file)).ok).toBe(true);
      // A later sync has nothing to send or take for it.
      expect((await sync(b)).pushed).toMatchObject({ rows: 0, uploaded: { files: 0, bytes: 0 } });
    } finally {
      a.s.close();
      b.s.close();
    }
  });

  it('a file attached after a colleague joined reaches them with their next sync (only what changed is read): its row and text, its bytes when opened', async () => {
    const { a, b, source } = await twoLaptops();
    try {
      const later = await attachPdf(a, source, 'second-report.pdf', SECOND);
      await sync(a);
      const pulled = await sync(b);
      expect(pulled.pulled?.tables.attachments).toMatchObject({ added: 1 });
      expect(b.s.caseFile.db.prepare('SELECT name, size, sha256 FROM attachments WHERE id = ?').get(later)).toEqual(
        a.s.caseFile.db.prepare('SELECT name, size, sha256 FROM attachments WHERE id = ?').get(later),
      );
      expect(dataOf(b, later)).toBeNull();
      expect(attachmentText(b.s.caseFile.db, later).text).toMatch(/Kunduz/);
      b.s.settings.update({ hubUrl: b.url });
      const opened = await open(b, later);
      expect(opened.ok).toBe(true);
      expect(dataOf(b, later)!.equals(SECOND)).toBe(true);
    } finally {
      a.s.close();
      b.s.close();
    }
  });

  it('offline, or with no hub set, opening a file held on the hub says so and how to get it, and changes nothing', async () => {
    const { a, b, file } = await twoLaptops();
    try {
      const before = everything(b.s.caseFile.db);
      b.s.settings.update({ hubUrl: null });
      const none = await open(b, file);
      expect(none).toMatchObject({ ok: false, error: { code: 'not_found' } });
      if (!none.ok) expect(none.error.message).toMatch(/“un-report.pdf” is held on the team hub.*no team hub address/);
      // A port nothing listens on: the hub cannot be reached.
      b.s.settings.update({ hubUrl: 'postgresql://bob@127.0.0.1:9/casefile' });
      const off = await open(b, file);
      expect(off.ok).toBe(false);
      if (!off.ok)
        expect(off.error.message).toMatch(
          /“un-report.pdf” is held on the team hub, not in this case file yet.*cannot be reached.*Open it again when this computer can reach the hub/,
        );
      expect(everything(b.s.caseFile.db)).toEqual(before);
    } finally {
      a.s.close();
      b.s.close();
    }
  });

  const hostile: [string, (sha: string) => string, RegExp][] = [
    [
      'bytes that do not match their checksum',
      (sha) =>
        `UPDATE casefile.blobs SET data = set_byte(data, 30, (get_byte(data, 30) + 1) % 256) WHERE sha256 = '${sha}'`,
      /The hub sent bytes for “un-report.pdf” \(case [0-9a-f-]{36}\) that do not match its checksum [0-9a-f]{12}…; nothing was changed/,
    ],
    [
      'bytes larger than the file',
      (sha) => `UPDATE casefile.blobs SET data = data || data WHERE sha256 = '${sha}'`,
      /The hub holds .* for “un-report.pdf” \(case [0-9a-f-]{36}, checksum [0-9a-f]{12}…\), not the .* the file has; nothing was changed/,
    ],
  ];

  it.each(hostile)(
    'a hub returning %s is refused with what and where, and the case file is unchanged',
    async (_w, sql, message) => {
      const { hub, a, b, file } = await twoLaptops();
      const admin = await cluster().admin(hub.db);
      try {
        // The hub's own checks dropped, as a hostile or damaged hub would have them.
        await admin.query(`DO $$ DECLARE c text; BEGIN
        FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'casefile.blobs'::regclass AND contype = 'c' LOOP
          EXECUTE format('ALTER TABLE casefile.blobs DROP CONSTRAINT %I', c);
        END LOOP; END $$`);
        const sha = dataSha(b, file);
        await admin.query(sql(sha));
        b.s.settings.update({ hubUrl: b.url });
        const before = everything(b.s.caseFile.db);
        const r = await open(b, file);
        expect(r).toMatchObject({ ok: false, error: { code: 'refused' } });
        if (!r.ok) expect(r.error.message).toMatch(message);
        expect(everything(b.s.caseFile.db)).toEqual(before);
      } finally {
        await admin.end();
        a.s.close();
        b.s.close();
      }
    },
  );

  it('a hub sending an attached file’s row beyond an attached file’s limits changes nothing locally, saying which row and field', async () => {
    const { hub, a, b } = await twoLaptops();
    const admin = await cluster().admin(hub.db);
    try {
      a.s.caseFile.create('notes', { title: 'something real to pull' });
      await sync(a);
      await admin.query(`UPDATE casefile.attachments SET size = ${50 * 1024 * 1024}`);
      const before = everything(b.s.caseFile.db);
      await expect(sync(b)).rejects.toThrow(
        /malformed data \(attachments row [0-9a-f-]{36}, field size: not the size an attached file may have \(at most 40 MB\)\); nothing was changed/,
      );
      expect(everything(b.s.caseFile.db)).toEqual(before);
    } finally {
      await admin.end();
      a.s.close();
      b.s.close();
    }
  });

  it('a hub without a file’s bytes: opening it says so, and casefile hub export names the file its copy lacks', async () => {
    const { hub, dir, a, b, file, caseId } = await twoLaptops();
    const admin = await cluster().admin(hub.db);
    try {
      await admin.query('DELETE FROM casefile.blobs');
      b.s.settings.update({ hubUrl: b.url });
      const r = await open(b, file);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/“un-report.pdf” is held on the team hub.*has no copy of its bytes/);
      expect(dataOf(b, file)).toBeNull();
      const out = joinPath(dir, 'lacking-hub.casefile');
      expect((await exportHubCase(b.url, caseId, out)).missing).toEqual(['un-report.pdf']);
      const printed: string[] = [];
      const code = await run(['hub', 'export', b.url, caseId, '--out', joinPath(dir, 'lacking-cli.casefile')], (l) =>
        printed.push(l),
      );
      expect(code).toBe(0);
      expect(printed.join('\n')).toMatch(
        /not in the file: the bytes of 1 attached file the hub does not hold \(un-report.pdf\)/,
      );
    } finally {
      await admin.end();
      a.s.close();
      b.s.close();
    }
  });

  it('casefile hub export holds the files’ bytes; a file with bytes still on the hub merges into another without losing them and exports saying what it lacks', async () => {
    const { dir, a, b, file, caseId } = await twoLaptops();
    try {
      const out = joinPath(dir, 'exported.casefile');
      const r = await exportHubCase(b.url, caseId, out);
      expect(r.missing).toEqual([]);
      const x = new Database(out, { readonly: true });
      try {
        expect((x.prepare('SELECT data FROM attachments WHERE id = ?').pluck().get(file) as Buffer).equals(PDF)).toBe(
          true,
        );
      } finally {
        x.close();
      }

      // Carol has no hub: Bob's file (its PDF still on the hub) merged into hers keeps the row.
      const c = laptop(dir, 'carol', 'postgresql://carol@127.0.0.1:9/none');
      b.s.caseFile.db.pragma('wal_checkpoint(TRUNCATE)');
      const p = await prepareMerge(c.s.caseFile.path, b.file);
      const merged = await applyPrepared(c.s.caseFile, p, { resolutions: {}, acceptNonConflicting: true });
      p.received.dispose();
      expect(merged.skipped).toEqual([]);
      expect(c.s.caseFile.db.prepare('SELECT name, data FROM attachments').get()).toEqual({
        name: 'un-report.pdf',
        data: null,
      });
      c.s.close();
      // Copied row by row (a file with objects Casefile did not make is imported so): the row comes too.
      const copied = await importByCopying(b.file, joinPath(dir, 'copied.casefile'));
      expect(copied).toMatchObject({ copied: { attachments: 1 }, skipped: [] });

      // Bob's export says what is not in it; with the hub reachable, it fetches first.
      b.s.settings.update({ hubUrl: null });
      const h = makeHandlers(b.s, 'test');
      const lacking = await dispatch(h, 'exchange.export', { path: joinPath(dir, 'lacking.casefile') });
      expect(lacking).toMatchObject({ ok: true, value: { counts: { attachments: 1, attachments_on_hub: 1 } } });
      b.s.settings.update({ hubUrl: b.url });
      const whole = await dispatch(h, 'exchange.export', { path: joinPath(dir, 'whole.casefile') });
      expect(whole).toMatchObject({ ok: true, value: { counts: { attachments: 1, attachments_on_hub: 0 } } });
      expect(dataOf(b, file)!.equals(PDF)).toBe(true);
    } finally {
      a.s.close();
      b.s.close();
    }
  });
});

const dataSha = (l: Laptop, id: string) =>
  l.s.caseFile.db.prepare('SELECT sha256 FROM attachments WHERE id = ?').pluck().get(id) as string;
