/**
 * Schema version 2: full-text search, the upstream revision time of imported rows, attached
 * source files, and per-case-file grid layouts.
 *
 * The FTS5 indexes use external content (the text lives once, in the table) and are kept current
 * by the core, not by triggers: bulk imports load first and rebuild the index once at the end,
 * and a received file carries no trigger at all. VACUUM may renumber rowids, so every copy made
 * with VACUUM INTO rebuilds them (see tasks/worker.ts).
 */
export const migration002 = `
ALTER TABLE incidents ADD COLUMN source_timestamp INTEGER;

CREATE VIRTUAL TABLE incidents_fts USING fts5(
  description, location, actor1, assoc_actors, target, country, admin1, admin2, event_type, sub_event_type,
  content = 'incidents', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE sources_fts USING fts5(
  key, title, authors, notes,
  content = 'sources', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO sources_fts (sources_fts) VALUES ('rebuild');

CREATE TABLE attachments (
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
  data BLOB NOT NULL,
  text TEXT
) STRICT;
CREATE INDEX attachments_source ON attachments (source_id);

CREATE TABLE grid_state (
  grid TEXT PRIMARY KEY NOT NULL,
  state TEXT NOT NULL
) STRICT;
`;

/** The FTS indexes and the columns each one covers, for the core's upkeep. */
export const FTS_TABLES = {
  incidents: [
    'description',
    'location',
    'actor1',
    'assoc_actors',
    'target',
    'country',
    'admin1',
    'admin2',
    'event_type',
    'sub_event_type',
  ],
  sources: ['key', 'title', 'authors', 'notes'],
} as const;
