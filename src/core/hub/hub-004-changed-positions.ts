/**
 * Hub migration 4: where in the case's history each row last changed, so that a pull reads only
 * what changed since the last (changes.ts) rather than the whole case.
 *
 * `changed_pos` takes its value from the change log's own position sequence, by a trigger, on
 * every insert and update of a row, whoever makes it (a push, or IT editing the hub by hand): a
 * row and the entries pushed with it share one order, and a laptop that has everything up to
 * position P reads the entries after P and the rows stamped after P. Pushes to a case take turns
 * on the case's row lock, so the positions a later push takes are all after those of the pushes
 * a pull has seen. Rows already on the hub keep 0: a laptop that records a position pulled after
 * this migration (every pull before it read the whole case), so it has them.
 *
 * Self-contained: it adds a column, an index and a trigger per data table, and restates the
 * members' read policy in a form PostgreSQL checks once per query (the same rule).
 */
const TABLES = [
  'sources',
  'incidents',
  'plots',
  'figures',
  'notes',
  'citations',
  'annotations',
  'aliases',
  'attachments',
] as const;

const MEMBER_OF = 'case_id IN (SELECT m.case_id FROM casefile.members m WHERE m.role_name = current_user)';

export const hub004 = `
CREATE FUNCTION casefile.stamp_changed_pos() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.changed_pos := nextval('casefile.change_log_pos_seq');
  RETURN NEW;
END $$;
-- A pull asks for a case's entries after a position, and for its last position.
CREATE INDEX change_log_case_pos ON casefile.change_log (case_id, pos);
-- And for the citations of the rows it reads (a deleted row offered back comes with them).
CREATE INDEX citations_target ON casefile.citations (case_id, target_id);

-- Members read their cases' rows: the same rule as version 1's casefile.may(case_id, 'read'),
-- written so that PostgreSQL looks the role's cases up once per query rather than once per row
-- (a million-row pull spent 12 µs a row, a third of its reading, in that per-row check).
ALTER POLICY members_read ON casefile.change_log USING (${MEMBER_OF});
${TABLES.map(
  (t) => `
ALTER TABLE casefile.${t} ADD COLUMN changed_pos bigint NOT NULL DEFAULT 0;
CREATE INDEX ${t}_changed_pos ON casefile.${t} (case_id, changed_pos);
CREATE TRIGGER stamp_changed_pos BEFORE INSERT OR UPDATE ON casefile.${t} FOR EACH ROW EXECUTE FUNCTION casefile.stamp_changed_pos();
ALTER POLICY members_read ON casefile.${t} USING (${MEMBER_OF});`,
).join('\n')}
`;
