/**
 * Schema version 9: an attached file whose bytes are held on the team hub. A pull from the hub
 * brings the attachment's row (name, size, checksum, type, extracted text: quoted passages anchor
 * and search works) but not its bytes, which are fetched when the file is opened and kept from
 * then on. `data` is NULL until then.
 *
 * SQLite cannot drop a NOT NULL constraint in place: the table is rebuilt (new table, rows copied,
 * old dropped, new renamed), in the migration's one transaction. Nothing references attachments,
 * and no view or trigger reads it, so the rename touches nothing else.
 */
export const migration009 = `
CREATE TABLE attachments_new (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  author TEXT NOT NULL,
  hlc TEXT NOT NULL,
  source_id TEXT NOT NULL REFERENCES sources (id),
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  sha256 TEXT NOT NULL,
  data BLOB,
  text TEXT
) STRICT;
INSERT INTO attachments_new (id, created_at, updated_at, author, hlc, source_id, name, media_type, size, sha256, data, text)
  SELECT id, created_at, updated_at, author, hlc, source_id, name, media_type, size, sha256, data, text FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_new RENAME TO attachments;
CREATE INDEX attachments_source ON attachments (source_id);
`;
