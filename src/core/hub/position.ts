import type pg from 'pg';
import { HUB_TABLES } from './columns';

/**
 * The case's last position in what this transaction sees: of its change log, or of a row's stamp
 * (hub migration 4: a row edited on the hub by hand has a stamp and no entry), attached files'
 * rows included. At least `since`.
 */
export async function lastPosition(client: pg.Client, caseId: string, since = 0): Promise<number> {
  const parts = [
    'SELECT max(pos) FROM casefile.change_log WHERE case_id = $1',
    ...[...HUB_TABLES, 'attachments'].map((t) => `SELECT max(changed_pos) FROM casefile.${t} WHERE case_id = $1`),
  ];
  const r = await client.query<{ pos: string | null }>(
    `SELECT greatest($2::bigint, ${parts.map((p) => `(${p})`).join(', ')})::text AS pos`,
    [caseId, String(since)],
  );
  return Number(r.rows[0]?.pos ?? since);
}
