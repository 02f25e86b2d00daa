import type pg from 'pg';
import { MAX_ATTACHMENT_BYTES } from '../../shared/channels/sources';
import type { RowValues } from '../../shared/domain/fields';
import { CasefileError } from '../errors';
import type { Db } from '../db/open';
import { LOGGED_COLS } from '../sources/attachment-rows';
import { hubMetaProblem, ID_RE } from './columns';
import type { PushState } from './push';

const BATCH = 200;
const PAGE = 500;
const MEDIA = new Set(['application/pdf', 'text/html', 'text/plain']);
/** As a merge takes a colleague's extracted text (plan-attachments.ts). */
const MAX_TEXT = 48 * 1024 * 1024;
const COLS = [...LOGGED_COLS, 'text'] as const;

/** What a push sent of attached files' bytes: only what the hub lacked. */
export type Uploaded = { files: number; bytes: number };

/**
 * Pushes attached files (push.ts's part for them, inside its transaction): the rows touched since
 * the last push (metadata and extracted text) are written or deleted where they differ from the
 * hub's, and the bytes of each file go up only when the hub has none for that checksum in this
 * case. A second laptop pushing the same PDF, or a push again, sends no bytes: the hub answers
 * from its `blobs` by SHA-256 first. A file this laptop has only as a row (its bytes still on the
 * hub, never opened here) sends none either.
 */
export async function pushAttachments(
  client: pg.Client,
  db: Db,
  s: PushState,
  refused: string[],
  differ: Set<string>,
): Promise<{ written: number; deleted: number; uploaded: Uploaded }> {
  const ids =
    s.pushedSeq === null
      ? (db.prepare('SELECT id FROM attachments ORDER BY id').pluck().all() as string[])
      : (db
          .prepare("SELECT DISTINCT row_id FROM change_log WHERE seq > ? AND tbl = 'attachments' ORDER BY row_id")
          .pluck()
          .all(s.pushedSeq) as string[]);
  const out = { written: 0, deleted: 0, uploaded: { files: 0, bytes: 0 } };
  for (let i = 0; i < ids.length; i += BATCH) {
    const r = await pushBatch(client, db, s, ids.slice(i, i + BATCH), refused, differ, out.uploaded);
    out.written += r.written;
    out.deleted += r.deleted;
  }
  return out;
}

async function pushBatch(
  client: pg.Client,
  db: Db,
  s: PushState,
  ids: string[],
  refused: string[],
  differ: Set<string>,
  uploaded: Uploaded,
): Promise<{ written: number; deleted: number }> {
  const local = new Map(
    (
      db
        .prepare(`SELECT ${LOGGED_COLS.join(', ')} FROM attachments WHERE id IN (${ids.map(() => '?').join(', ')})`)
        .all(...ids) as RowValues[]
    ).map((r) => [r.id as string, r]),
  );
  const hub = new Map(
    (
      await client.query<{ id: string; source_id: string }>(
        'SELECT id, source_id FROM casefile.attachments WHERE case_id = $1 AND id = ANY($2::text[])',
        [s.caseId, ids],
      )
    ).rows.map((r) => [r.id, r]),
  );
  const write: RowValues[] = [];
  const gone: string[] = [];
  for (const id of ids) {
    const mine = local.get(id);
    const theirs = hub.get(id);
    // Only the source a file belongs to changes (attachment-rows.ts); its content never does.
    if (!mine) {
      if (theirs) gone.push(id);
    } else if (!theirs || theirs.source_id !== mine.source_id) write.push(mine);
  }
  if (write.length + gone.length === 0) return { written: 0, deleted: 0 };
  for (const id of [...write.map((r) => r.id as string), ...gone]) differ.add(`attachments:${id}`);
  if (s.access === 'review') {
    const n = write.length + gone.length;
    refused.push(
      `attached files (${n} file${n === 1 ? '' : 's'}, first ${[...write.map((r) => String(r.name)), ...gone][0]})`,
    );
    return { written: 0, deleted: 0 };
  }
  await uploadMissing(client, db, s.caseId, write, uploaded);
  const text = db.prepare('SELECT text FROM attachments WHERE id = ?').pluck();
  for (const r of write) {
    const values = [s.caseId, ...LOGGED_COLS.map((c) => r[c] ?? null), text.get(r.id) ?? null];
    await client.query(
      `INSERT INTO casefile.attachments (case_id, ${COLS.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (case_id, id) DO UPDATE SET ${COLS.filter((c) => c !== 'id')
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}`,
      values,
    );
  }
  if (gone.length > 0) {
    const d = await client.query('DELETE FROM casefile.attachments WHERE case_id = $1 AND id = ANY($2::text[])', [
      s.caseId,
      gone,
    ]);
    if (d.rowCount !== gone.length)
      throw new CasefileError(
        'refused',
        `Your role ${s.role} may not remove attached files in this case; nothing was pushed`,
      );
  }
  return { written: write.length, deleted: gone.length };
}

/** Sends the bytes of the files the hub has no copy of (by checksum), one file at a time. */
async function uploadMissing(client: pg.Client, db: Db, caseId: string, rows: RowValues[], uploaded: Uploaded) {
  const wanted = [...new Set(rows.map((r) => String(r.sha256)))];
  const held = new Set(
    (
      await client.query<{ sha256: string }>(
        'SELECT sha256 FROM casefile.blobs WHERE case_id = $1 AND sha256 = ANY($2::text[])',
        [caseId, wanted],
      )
    ).rows.map((r) => r.sha256),
  );
  const bytesOf = db
    .prepare('SELECT data FROM attachments WHERE sha256 = ? AND data IS NOT NULL AND length(data) = size LIMIT 1')
    .pluck();
  for (const sha256 of wanted) {
    if (held.has(sha256)) continue;
    const data = bytesOf.get(sha256) as Buffer | undefined;
    // Only a row whose bytes are on another hub (never opened here) has none: its row still goes.
    if (!data) continue;
    await client.query(
      'INSERT INTO casefile.blobs (case_id, sha256, size, data) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [caseId, sha256, data.length, data],
    );
    uploaded.files += 1;
    uploaded.bytes += data.length;
  }
}

/** An attached file's row as the hub sent it: what is wrong (column and why), or null. */
export function hubAttachmentProblem(r: RowValues): { field: string; message: string } | null {
  const meta = hubMetaProblem(r);
  if (meta) return meta;
  if (typeof r.source_id !== 'string' || !ID_RE.test(r.source_id))
    return { field: 'source_id', message: 'not an id Casefile makes' };
  if (typeof r.name !== 'string' || r.name.length === 0 || r.name.length > 1000)
    return { field: 'name', message: 'not a file name (text of up to 1000 characters)' };
  if (typeof r.media_type !== 'string' || !MEDIA.has(r.media_type))
    return { field: 'media_type', message: 'not a type Casefile gives an attached file' };
  const size = Number(r.size);
  if (typeof r.size !== 'string' || !Number.isSafeInteger(size) || size <= 0 || size > MAX_ATTACHMENT_BYTES)
    return {
      field: 'size',
      message: `not the size an attached file may have (at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB)`,
    };
  r.size = size;
  if (typeof r.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(r.sha256))
    return { field: 'sha256', message: 'not a SHA-256 checksum' };
  if (r.text !== null && (typeof r.text !== 'string' || r.text.length > MAX_TEXT))
    return { field: 'text', message: 'not the text Casefile reads from a file' };
  return null;
}

/**
 * Copies the hub case's attached files into a snapshot (snapshot.ts's part for them): every row,
 * checked on the way in, without its bytes (NULL: held on the hub, fetched when opened, see
 * attachment-fetch.ts). Returns how many. `malformed` makes the refusal the pull reports.
 */
export async function copyAttachments(
  client: pg.Client,
  db: Db,
  caseId: string,
  malformed: (what: string) => Error,
): Promise<number> {
  const insert = db.prepare(
    `INSERT INTO attachments (${COLS.join(', ')}, data) VALUES (${COLS.map(() => '?').join(', ')}, NULL)`,
  );
  let after = '';
  let n = 0;
  for (;;) {
    const page = await client.query<RowValues>(
      `SELECT ${COLS.map((c) => (c === 'size' ? 'size::text AS size' : c)).join(', ')} FROM casefile.attachments
       WHERE case_id = $1 AND id > $2 ORDER BY id LIMIT ${PAGE}`,
      [caseId, after],
    );
    if (page.rows.length === 0) return n;
    db.transaction(() => {
      for (const r of page.rows) {
        const p = hubAttachmentProblem(r);
        if (p) throw malformed(`attachments row ${String(r.id).slice(0, 40)}, field ${p.field}: ${p.message}`);
        try {
          insert.run(...COLS.map((c) => r[c] as string | number | null));
        } catch (e) {
          throw malformed(`attachments row ${String(r.id)}: ${(e as Error).message}`);
        }
      }
    })();
    n += page.rows.length;
    after = String(page.rows.at(-1)!.id);
  }
}

/**
 * The attached files' rows named by `ids` (an incremental pull's: changed since the last pull),
 * checked like copyAttachments' and written without their bytes; returns the sources they hang
 * from, which the pull reads too (an attached file's row points at its source).
 */
export async function copyAttachmentsById(
  client: pg.Client,
  db: Db,
  caseId: string,
  ids: string[],
  malformed: (what: string) => Error,
): Promise<{ rows: number; sources: string[] }> {
  const insert = db.prepare(
    `INSERT INTO attachments (${COLS.join(', ')}, data) VALUES (${COLS.map(() => '?').join(', ')}, NULL)`,
  );
  const sources = new Set<string>();
  let n = 0;
  const sorted = [...ids].sort();
  for (let i = 0; i < sorted.length; i += PAGE) {
    const page = await client.query<RowValues>(
      `SELECT ${COLS.map((c) => (c === 'size' ? 'size::text AS size' : c)).join(', ')} FROM casefile.attachments
       WHERE case_id = $1 AND id = ANY($2::text[]) ORDER BY id`,
      [caseId, sorted.slice(i, i + PAGE)],
    );
    db.transaction(() => {
      for (const r of page.rows) {
        const p = hubAttachmentProblem(r);
        if (p) throw malformed(`attachments row ${String(r.id).slice(0, 40)}, field ${p.field}: ${p.message}`);
        try {
          insert.run(...COLS.map((c) => r[c] as string | number | null));
        } catch (e) {
          throw malformed(`attachments row ${String(r.id)}: ${(e as Error).message}`);
        }
        if (typeof r.source_id === 'string' && ID_RE.test(r.source_id)) sources.add(r.source_id);
      }
    })();
    n += page.rows.length;
  }
  return { rows: n, sources: [...sources] };
}
