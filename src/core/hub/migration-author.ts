/**
 * Hub migration: the author of every row and change-log entry is the authenticated role.
 *
 * Version 1 stamped only `pushed_by`; the `author` of a row or an entry was whatever name the
 * laptop typed, so a laptop could claim any author. From here the hub sets `author` itself to
 * current_user, as it sets `pushed_by`, on every insert and update of a data table and on every
 * change-log entry: a client that writes another name gets its role's name anyway.
 *
 * One exception keeps pushes honest rather than wrong: an entry the hub already holds, under the
 * author it claims, sent again (a laptop's copy of a colleague's entry, pulled earlier and pushed
 * back with a row it changed) is not a new claim. It is dropped, as the unique index would drop
 * it, instead of being recorded a second time under the pusher's name. Only the hub's own
 * entries can be sent again this way; no new entry under another role can be made.
 *
 * Rows and entries written before this version keep the names they were pushed with: the
 * laptops hold the same entries under those names, and renaming them here would make every
 * laptop see its own history as someone else's.
 *
 * Self-contained: the trigger goes on every table of the schema that has an `author` column
 * (the data tables of any earlier migration), the change log's own trigger replaces its pusher
 * stamp. A table added later with an author column adds its own `stamp_author` trigger.
 */
export const HUB_AUTHOR_MIGRATION = `
CREATE FUNCTION casefile.stamp_author() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.author := current_user;
  RETURN NEW;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid
           WHERE n.nspname = 'casefile' AND c.relkind = 'r' AND a.attname = 'author' AND NOT a.attisdropped
             AND c.relname <> 'change_log' ORDER BY c.relname LOOP
    EXECUTE format('CREATE TRIGGER stamp_author BEFORE INSERT OR UPDATE ON casefile.%I FOR EACH ROW EXECUTE FUNCTION casefile.stamp_author()', t);
  END LOOP;
END $$;

CREATE FUNCTION casefile.stamp_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.author IS DISTINCT FROM current_user AND EXISTS (
       SELECT 1 FROM casefile.change_log c
       WHERE c.case_id = NEW.case_id AND c.tbl = NEW.tbl AND c.row_id = NEW.row_id
         AND coalesce(c.field, '') = coalesce(NEW.field, '') AND c.hlc = NEW.hlc
         AND c.author = NEW.author AND c.op = NEW.op) THEN
    RETURN NULL;
  END IF;
  NEW.author := current_user;
  NEW.pushed_by := current_user;
  RETURN NEW;
END $$;
DROP TRIGGER stamp_pusher ON casefile.change_log;
CREATE TRIGGER stamp_entry BEFORE INSERT ON casefile.change_log FOR EACH ROW EXECUTE FUNCTION casefile.stamp_entry();
`;
