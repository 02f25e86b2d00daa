/**
 * Hub version 2: what a case file holds that version 1 did not carry.
 *
 * - `aliases` (case-file schema 8): the same columns and constraints as the case file's, keyed by
 *   case, under the same row-level security as the other data tables.
 * - Attached files: `attachments` holds each row as the case file does (metadata and extracted
 *   text, so a pulled quote anchors and search works) without the bytes; `blobs` holds the bytes
 *   once per case and SHA-256, however many rows or laptops name them. The server checks that
 *   the bytes are what their name says (sha256()), so no role can store a file under another
 *   file's checksum. Blobs are immutable: analysts may add them, never change or delete them.
 *
 * Self-contained (its own SQL, no shared table list): a shipped hub migration is never edited.
 */
const common = `case_id uuid NOT NULL REFERENCES casefile.cases (id) ON DELETE CASCADE,
  id text COLLATE "C" NOT NULL CHECK (length(id) = 36),
  created_at text NOT NULL,
  updated_at text NOT NULL,
  author text NOT NULL,
  hlc text NOT NULL,
  pushed_by text NOT NULL DEFAULT current_user,
  PRIMARY KEY (case_id, id)`;

const policies = (t: string) => `
GRANT SELECT, INSERT, UPDATE, DELETE ON casefile.${t} TO casefile_analyst;
ALTER TABLE casefile.${t} ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_read ON casefile.${t} FOR SELECT USING (casefile.may(case_id, 'read'));
CREATE POLICY writers_insert ON casefile.${t} FOR INSERT WITH CHECK (casefile.may(case_id, 'edit'));
CREATE POLICY writers_update ON casefile.${t} FOR UPDATE USING (casefile.may(case_id, 'edit')) WITH CHECK (casefile.may(case_id, 'edit'));
CREATE POLICY writers_delete ON casefile.${t} FOR DELETE USING (casefile.may(case_id, 'edit'));
CREATE TRIGGER stamp_pusher BEFORE INSERT OR UPDATE ON casefile.${t} FOR EACH ROW EXECUTE FUNCTION casefile.stamp_pusher();`;

export const hub002 = `
CREATE TABLE casefile.aliases (
  ${common},
  kind text NOT NULL CHECK (kind IN ('actor','place')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  entity text NOT NULL CHECK (length(entity) BETWEEN 1 AND 300),
  status text NOT NULL DEFAULT 'same' CHECK (status IN ('same','not_same')),
  origin text NOT NULL DEFAULT 'analyst' CHECK (origin IN ('analyst','starter','suggestion')),
  source_id text,
  notes text
);
${policies('aliases')}

CREATE TABLE casefile.attachments (
  ${common},
  source_id text NOT NULL,
  name text NOT NULL,
  media_type text NOT NULL,
  size bigint NOT NULL CHECK (size >= 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  text text,
  FOREIGN KEY (case_id, source_id) REFERENCES casefile.sources (case_id, id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX attachments_source ON casefile.attachments (case_id, source_id);
${policies('attachments')}

CREATE TABLE casefile.blobs (
  case_id uuid NOT NULL REFERENCES casefile.cases (id) ON DELETE CASCADE,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size >= 0),
  data bytea NOT NULL,
  pushed_by text NOT NULL DEFAULT current_user,
  pushed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, sha256),
  CHECK (octet_length(data) = size),
  CHECK (encode(sha256(data), 'hex') = sha256)
);
GRANT SELECT, INSERT ON casefile.blobs TO casefile_analyst;
ALTER TABLE casefile.blobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_read ON casefile.blobs FOR SELECT USING (casefile.may(case_id, 'read'));
CREATE POLICY writers_insert ON casefile.blobs FOR INSERT WITH CHECK (casefile.may(case_id, 'edit'));
CREATE TRIGGER stamp_pusher BEFORE INSERT ON casefile.blobs FOR EACH ROW EXECUTE FUNCTION casefile.stamp_pusher();
`;
