import { hub002 } from './migration-002';
import { HUB_AUTHOR_MIGRATION } from './migration-author';
import { hub004 } from './hub-004-changed-positions';

/**
 * The hub's schema, versioned like a case file's: numbered migrations in order, one transaction
 * each, the version kept in casefile.hub_meta. A shipped hub migration is never edited.
 *
 * Hub version 1 mirrors case-file schema 7's tables (the same columns, types and constraints,
 * each row keyed by its case as well as its id), the change log with its clock values, and who
 * pushed what: `pushed_by` is set by the server to the authenticated role (current_user), whatever
 * the laptop sends. Who sees and changes what is PostgreSQL's row-level security: a role sees the
 * cases it is a member of; members with `edit` change everything, reviewers (`review`) only
 * annotate. The change log is append-only (no role may update or delete it).
 * A later migration stamps each row's and entry's `author` the same way (migration-author.ts).
 */

const common = `case_id uuid NOT NULL REFERENCES casefile.cases (id) ON DELETE CASCADE,
  id text COLLATE "C" NOT NULL CHECK (length(id) = 36),
  created_at text NOT NULL,
  updated_at text NOT NULL,
  author text NOT NULL,
  hlc text NOT NULL,
  pushed_by text NOT NULL DEFAULT current_user,
  PRIMARY KEY (case_id, id)`;

const precision = (col: string) =>
  `${col} text NOT NULL DEFAULT 'unknown' CHECK (${col} IN ('day','week','month','year','unknown'))`;
const deferred = 'DEFERRABLE INITIALLY DEFERRED';

/** The data tables of hub version 1 (frozen: later tables come with later migrations). */
export const HUB_DATA_TABLES = [
  'sources',
  'incidents',
  'plots',
  'figures',
  'notes',
  'citations',
  'annotations',
] as const;

const hub001 = `
CREATE SCHEMA IF NOT EXISTS casefile;

CREATE TABLE casefile.hub_meta (key text PRIMARY KEY, value text NOT NULL);

CREATE TABLE casefile.cases (
  id uuid PRIMARY KEY,
  title text NOT NULL,
  created_by text NOT NULL DEFAULT current_user,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Bumped by every push: a laptop that pulled at head N pushes only while the head is still N.
  head bigint NOT NULL DEFAULT 0
);

CREATE TABLE casefile.members (
  case_id uuid NOT NULL REFERENCES casefile.cases (id) ON DELETE CASCADE,
  role_name text NOT NULL,
  access text NOT NULL CHECK (access IN ('edit','review')),
  PRIMARY KEY (case_id, role_name)
);

CREATE TABLE casefile.sources (
  ${common},
  key text NOT NULL,
  title text NOT NULL,
  authors text,
  published text,
  ${precision('published_precision')},
  url text,
  language text,
  type text NOT NULL CHECK (type IN ('dataset','official_report','statement','propaganda','leaked_document','news','research')),
  reliability text CHECK (reliability IN ('A','B','C','D','E','F')),
  accessed text,
  notes text,
  UNIQUE (case_id, key) ${deferred}
);

CREATE TABLE casefile.incidents (
  ${common},
  date text,
  ${precision('date_precision')},
  event_type text,
  sub_event_type text,
  actor1 text,
  assoc_actors text,
  target text,
  attribution text NOT NULL DEFAULT 'unknown' CHECK (attribution IN ('claimed','attributed','unclaimed','unknown')),
  attributed_by text,
  confidence text CHECK (confidence IN ('high','medium','low')),
  country text,
  admin1 text,
  admin2 text,
  location text,
  latitude double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision CHECK (longitude BETWEEN -180 AND 180),
  geo_precision integer CHECK (geo_precision BETWEEN 1 AND 3),
  fatalities integer CHECK (fatalities >= 0),
  injuries integer CHECK (injuries >= 0),
  description text,
  tags text,
  external_id text,
  origin text,
  source_timestamp bigint
);

CREATE TABLE casefile.plots (
  ${common},
  date text,
  ${precision('date_precision')},
  date_before text,
  country text NOT NULL,
  target_city text,
  target_description text,
  attack_type text,
  suspects_nationalities text,
  group_link text NOT NULL DEFAULT 'unknown' CHECK (group_link IN ('directed','guided','inspired','unknown')),
  stage text NOT NULL CHECK (stage IN ('planning','preparation','arrested','attack_carried_out')),
  outcome text,
  description text
);

CREATE TABLE casefile.figures (
  ${common},
  measure text NOT NULL,
  metric text NOT NULL CHECK (metric IN ('incident_count','fatalities','plot_count','other')),
  actor text,
  country text,
  admin1 text,
  period_start text,
  period_end text,
  value double precision NOT NULL,
  notes text
);

CREATE TABLE casefile.notes (
  ${common},
  title text NOT NULL,
  body text
);

CREATE TABLE casefile.citations (
  ${common},
  source_id text NOT NULL,
  target_table text NOT NULL CHECK (target_table IN ('incidents','plots','figures','notes')),
  target_id text NOT NULL,
  field text,
  locator_type text CHECK (locator_type IN ('page','paragraph','section','timestamp','other')),
  locator text,
  quote text,
  prefix text,
  suffix text,
  translation text,
  credibility integer CHECK (credibility BETWEEN 1 AND 6),
  FOREIGN KEY (case_id, source_id) REFERENCES casefile.sources (case_id, id) ${deferred}
);
CREATE INDEX citations_source ON casefile.citations (case_id, source_id);

CREATE TABLE casefile.annotations (
  ${common},
  citation_id text NOT NULL,
  parent_id text,
  status text CHECK (status IN ('unreviewed','verified','disputed','needs_source')),
  body text,
  resolved integer NOT NULL DEFAULT 0 CHECK (resolved IN (0,1)),
  FOREIGN KEY (case_id, citation_id) REFERENCES casefile.citations (case_id, id) ${deferred}
);
CREATE INDEX annotations_citation ON casefile.annotations (case_id, citation_id);

CREATE TABLE casefile.change_log (
  pos bigserial PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES casefile.cases (id) ON DELETE CASCADE,
  hlc text NOT NULL,
  txn text NOT NULL,
  author text NOT NULL,
  tbl text NOT NULL,
  row_id text NOT NULL,
  op text NOT NULL CHECK (op IN ('insert','update','delete')),
  field text,
  before text,
  after text,
  pushed_by text NOT NULL DEFAULT current_user,
  pushed_at timestamptz NOT NULL DEFAULT now()
);
-- An entry is the same when its row, field, clock value, author and operation are (as in a case file's merge).
CREATE UNIQUE INDEX change_log_entry ON casefile.change_log (case_id, tbl, row_id, coalesce(field, ''), hlc, author, op);

-- Who pushed: the authenticated role, set here whatever the client sent.
CREATE FUNCTION casefile.stamp_pusher() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.pushed_by := current_user;
  RETURN NEW;
END $$;

CREATE FUNCTION casefile.stamp_creator() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.created_by := current_user;
  RETURN NEW;
END $$;
CREATE TRIGGER stamp_creator BEFORE INSERT ON casefile.cases FOR EACH ROW EXECUTE FUNCTION casefile.stamp_creator();

-- The role that creates a case edits it (and may grant it to others).
CREATE FUNCTION casefile.creator_member() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = casefile, pg_temp AS $$
BEGIN
  INSERT INTO casefile.members (case_id, role_name, access) VALUES (NEW.id, NEW.created_by, 'edit');
  RETURN NEW;
END $$;
CREATE TRIGGER creator_member AFTER INSERT ON casefile.cases FOR EACH ROW EXECUTE FUNCTION casefile.creator_member();

-- What the current role may do in a case: 'read' (any member), 'annotate' (editors and reviewers), 'edit'.
CREATE FUNCTION casefile.may(c uuid, what text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM casefile.members m WHERE m.case_id = c AND m.role_name = current_user
                 AND (what = 'read' OR m.access = 'edit' OR (what = 'annotate' AND m.access = 'review')))
$$;

-- Grants (edit or review) or takes away (none) a role's access to a case: the case's creator, or the hub's owner.
CREATE FUNCTION casefile.grant_case(c uuid, r text, a text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = casefile, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM casefile.cases WHERE id = c AND (created_by = session_user OR pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'casefile'), 'MEMBER'))) THEN
    RAISE EXCEPTION 'only the role that created case % (or the hub''s owner) may grant it', c USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
    RAISE EXCEPTION 'there is no role %', r USING ERRCODE = '42704';
  END IF;
  IF a = 'none' THEN
    DELETE FROM casefile.members WHERE case_id = c AND role_name = r;
  ELSIF a IN ('edit', 'review') THEN
    INSERT INTO casefile.members (case_id, role_name, access) VALUES (c, r, a) ON CONFLICT (case_id, role_name) DO UPDATE SET access = excluded.access;
  ELSE
    RAISE EXCEPTION 'access must be edit, review or none (not %)', a USING ERRCODE = '22023';
  END IF;
END $$;

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'casefile_analyst') THEN CREATE ROLE casefile_analyst NOLOGIN; END IF;
END $$;
GRANT USAGE ON SCHEMA casefile TO casefile_analyst;
GRANT SELECT ON casefile.hub_meta TO casefile_analyst;
GRANT SELECT, INSERT ON casefile.cases TO casefile_analyst;
GRANT UPDATE (head) ON casefile.cases TO casefile_analyst;
GRANT SELECT ON casefile.members TO casefile_analyst;
GRANT SELECT, INSERT ON casefile.change_log TO casefile_analyst;
GRANT USAGE ON SEQUENCE casefile.change_log_pos_seq TO casefile_analyst;
REVOKE ALL ON FUNCTION casefile.grant_case(uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casefile.grant_case(uuid, text, text) TO casefile_analyst;

ALTER TABLE casefile.cases ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_see ON casefile.cases FOR SELECT USING (casefile.may(id, 'read') OR created_by = current_user);
CREATE POLICY anyone_creates ON casefile.cases FOR INSERT WITH CHECK (created_by = current_user);
CREATE POLICY members_push ON casefile.cases FOR UPDATE USING (casefile.may(id, 'annotate'));

ALTER TABLE casefile.members ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_memberships ON casefile.members FOR SELECT USING (role_name = current_user);

ALTER TABLE casefile.change_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_read ON casefile.change_log FOR SELECT USING (casefile.may(case_id, 'read'));
CREATE POLICY members_log ON casefile.change_log FOR INSERT
  WITH CHECK (casefile.may(case_id, CASE WHEN tbl = 'annotations' THEN 'annotate' ELSE 'edit' END));
CREATE TRIGGER stamp_pusher BEFORE INSERT ON casefile.change_log FOR EACH ROW EXECUTE FUNCTION casefile.stamp_pusher();
`;

/** Row-level security and grants of one data table: members read, editors (reviewers too for annotations) write. */
const tablePolicies = (t: string) => {
  const write = t === 'annotations' ? 'annotate' : 'edit';
  return `
GRANT SELECT, INSERT, UPDATE, DELETE ON casefile.${t} TO casefile_analyst;
ALTER TABLE casefile.${t} ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_read ON casefile.${t} FOR SELECT USING (casefile.may(case_id, 'read'));
CREATE POLICY writers_insert ON casefile.${t} FOR INSERT WITH CHECK (casefile.may(case_id, '${write}'));
CREATE POLICY writers_update ON casefile.${t} FOR UPDATE USING (casefile.may(case_id, '${write}')) WITH CHECK (casefile.may(case_id, '${write}'));
CREATE POLICY writers_delete ON casefile.${t} FOR DELETE USING (casefile.may(case_id, '${write}'));
CREATE TRIGGER stamp_pusher BEFORE INSERT OR UPDATE ON casefile.${t} FOR EACH ROW EXECUTE FUNCTION casefile.stamp_pusher();`;
};

/** Hub migrations in order; index + 1 is the version each brings the hub to. */
export const HUB_MIGRATIONS: readonly string[] = [
  hub001 + HUB_DATA_TABLES.map(tablePolicies).join('\n'),
  // Aliases, attached files and their bytes by content hash (migration-002.ts).
  hub002,
  // The author of every row and entry is the authenticated role (migration-author.ts); after
  // hub002, so that its triggers cover the tables that migration adds.
  HUB_AUTHOR_MIGRATION,
  // Where each row last changed, for pulls of only what changed (hub-004-changed-positions.ts).
  hub004,
];

export const HUB_SCHEMA_VERSION = HUB_MIGRATIONS.length;
