import type pg from 'pg';

/**
 * A hub case of `rows` incidents made inside PostgreSQL (generate_series), so that a test of a
 * large pull sets up in seconds rather than pushing a million rows from a laptop first. The rows
 * and entries are as a laptop's first push of an import leaves them: valid ids and clock values
 * (columns.ts checks both), multi-script text, one 'insert' entry per row logged by id alone, the
 * pusher's role, the row's position stamp taken from the change log's sequence (hub migration 2).
 *
 * Made as the superuser with triggers off (session_replication_role = replica): the columns the
 * triggers would stamp are set here to what they would hold.
 */
export async function generateCase(
  admin: pg.Client,
  o: { caseId: string; rows: number; member: string },
): Promise<void> {
  await admin.query('BEGIN');
  try {
    await admin.query('SET LOCAL session_replication_role = replica');
    await admin.query(
      "INSERT INTO casefile.cases (id, title, created_by, head) VALUES ($1, 'Генерированное дело · قضية', $2, 1)",
      [o.caseId, o.member],
    );
    await admin.query("INSERT INTO casefile.members (case_id, role_name, access) VALUES ($1, $2, 'edit')", [
      o.caseId,
      o.member,
    ]);
    await admin.query(
      `INSERT INTO casefile.incidents (case_id, id, created_at, updated_at, author, hlc, pushed_by, changed_pos,
         date, date_precision, event_type, sub_event_type, actor1, target, attribution, confidence, country, admin1,
         location, latitude, longitude, geo_precision, fatalities, injuries, description, external_id, origin)
       SELECT $1, ${idOf('i')}, '2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00.000Z', 'Ana (import)', ${hlcOf('i')}, $2,
         nextval('casefile.change_log_pos_seq'),
         to_char(date '2014-01-01' + (i % 4000), 'YYYY-MM-DD'), 'day',
         (ARRAY['Battles', 'Explosions/Remote violence', 'Violence against civilians', 'Riots'])[1 + i % 4],
         (ARRAY['Armed clash', 'Air/drone strike', 'Attack', 'Mob violence'])[1 + i % 4],
         (ARRAY['ISIS', 'الدولة الإسلامية', 'Вагнер', '青年党', 'Boko Haram'])[1 + i % 5],
         (ARRAY['Civilians (Syria)', 'Полиция', 'مدنيون', NULL])[1 + i % 4],
         (ARRAY['claimed', 'attributed', 'unclaimed', 'unknown'])[1 + i % 4],
         (ARRAY['high', 'medium', 'low'])[1 + i % 3],
         (ARRAY['Syria', 'Iraq', 'Ukraine', 'Nigeria', 'Somalia', 'Mali'])[1 + i % 6],
         (ARRAY['Ḥalab', 'نينوى', 'Донецька область', 'Borno', 'Banaadir', 'Tombouctou'])[1 + i % 6],
         (ARRAY['Alep', 'الموصل', 'Бахмут', 'Maiduguri', 'Muqdisho', 'Ber'])[1 + i % 6] || ' ' || (i % 97),
         round((10 + (i % 3000) / 100.0)::numeric, 4), round((20 + (i % 2500) / 100.0)::numeric, 4), 1 + i % 3,
         i % 50, (i * 7) % 30,
         'Incident ' || i || ': هجوم على نقطة تفتيش — обстріл позицій — 检查站遭到袭击 — attaque près du marché',
         'GEN' || i, 'generated'
       FROM generate_series(1, $3::int) i ORDER BY i`,
      [o.caseId, o.member, o.rows],
    );
    await admin.query(
      `INSERT INTO casefile.change_log (case_id, hlc, txn, author, tbl, row_id, op, pushed_by)
       SELECT $1, ${hlcOf('i')}, 'generated-import', 'Ana (import)', 'incidents', ${idOf('i')}, 'insert', $2
       FROM generate_series(1, $3::int) i ORDER BY i`,
      [o.caseId, o.member, o.rows],
    );
    await admin.query('COMMIT');
  } catch (e) {
    await admin.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  await admin.query('ANALYZE casefile.incidents');
  await admin.query('ANALYZE casefile.change_log');
}

/** The id of generated row `i` (a SQL expression): a lower-case UUID, in the order of i. */
export const idOf = (i: string) => `'0193a000-0000-7000-8000-' || lpad(to_hex(${i}), 12, '0')`;
export const idAt = (i: number) => `0193a000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;
/** Its clock value: milliseconds from 2025-12-01, counter 0, one node. */
const hlcOf = (i: string) => `lpad(to_hex(1764547200000 + ${i}), 13, '0') || '-000000-generated'`;
