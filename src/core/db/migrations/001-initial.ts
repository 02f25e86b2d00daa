/**
 * Schema version 1. A shipped migration is never edited: later changes are new migrations.
 * Every user table has a UUID id, created/updated times, an author, and the hybrid logical
 * clock of its last change (`hlc`), which merge uses to order edits across machines.
 */
const common = `id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  author TEXT NOT NULL,
  hlc TEXT NOT NULL`;

const precision = (col: string) =>
  `${col} TEXT NOT NULL DEFAULT 'unknown' CHECK (${col} IN ('day','week','month','year','unknown'))`;

export const migration001 = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT
) STRICT;

CREATE TABLE sources (
  ${common},
  key TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  authors TEXT,
  published TEXT,
  ${precision('published_precision')},
  url TEXT,
  language TEXT,
  type TEXT NOT NULL CHECK (type IN ('dataset','official_report','statement','propaganda','leaked_document','news','research')),
  reliability TEXT CHECK (reliability IN ('A','B','C','D','E','F')),
  accessed TEXT,
  notes TEXT
) STRICT;

CREATE TABLE incidents (
  ${common},
  date TEXT,
  ${precision('date_precision')},
  event_type TEXT,
  sub_event_type TEXT,
  actor1 TEXT,
  assoc_actors TEXT,
  target TEXT,
  attribution TEXT NOT NULL DEFAULT 'unknown' CHECK (attribution IN ('claimed','attributed','unclaimed','unknown')),
  attributed_by TEXT,
  confidence TEXT CHECK (confidence IN ('high','medium','low')),
  country TEXT,
  admin1 TEXT,
  admin2 TEXT,
  location TEXT,
  latitude REAL CHECK (latitude BETWEEN -90 AND 90),
  longitude REAL CHECK (longitude BETWEEN -180 AND 180),
  geo_precision INTEGER CHECK (geo_precision BETWEEN 1 AND 3),
  fatalities INTEGER CHECK (fatalities >= 0),
  injuries INTEGER CHECK (injuries >= 0),
  description TEXT,
  tags TEXT,
  external_id TEXT,
  origin TEXT
) STRICT;
CREATE INDEX incidents_date ON incidents (date, id);
CREATE INDEX incidents_external ON incidents (origin, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE plots (
  ${common},
  date TEXT,
  ${precision('date_precision')},
  -- When only an upper bound is known ("before the takeover of August 2021"): YYYY-MM.
  date_before TEXT,
  country TEXT NOT NULL,
  target_city TEXT,
  target_description TEXT,
  attack_type TEXT,
  suspects_nationalities TEXT,
  group_link TEXT NOT NULL DEFAULT 'unknown' CHECK (group_link IN ('directed','guided','inspired','unknown')),
  stage TEXT NOT NULL CHECK (stage IN ('planning','preparation','arrested','attack_carried_out')),
  outcome TEXT,
  description TEXT
) STRICT;

CREATE TABLE figures (
  ${common},
  measure TEXT NOT NULL,
  metric TEXT NOT NULL CHECK (metric IN ('incident_count','fatalities','plot_count','other')),
  actor TEXT,
  country TEXT,
  admin1 TEXT,
  period_start TEXT,
  period_end TEXT,
  value REAL NOT NULL,
  notes TEXT
) STRICT;

CREATE TABLE notes (
  ${common},
  title TEXT NOT NULL,
  body TEXT
) STRICT;

CREATE TABLE citations (
  ${common},
  source_id TEXT NOT NULL REFERENCES sources (id),
  target_table TEXT NOT NULL CHECK (target_table IN ('incidents','plots','figures','notes')),
  target_id TEXT NOT NULL,
  field TEXT,
  locator_type TEXT CHECK (locator_type IN ('page','paragraph','section','timestamp','other')),
  locator TEXT,
  quote TEXT,
  prefix TEXT,
  suffix TEXT,
  translation TEXT,
  credibility INTEGER CHECK (credibility BETWEEN 1 AND 6)
) STRICT;
CREATE INDEX citations_target ON citations (target_table, target_id);
CREATE INDEX citations_source ON citations (source_id);

CREATE TABLE annotations (
  ${common},
  citation_id TEXT NOT NULL REFERENCES citations (id),
  parent_id TEXT,
  status TEXT CHECK (status IN ('unreviewed','verified','disputed','needs_source')),
  body TEXT,
  resolved INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0,1))
) STRICT;
CREATE INDEX annotations_citation ON annotations (citation_id);

-- One row per changed field (insert and delete carry the whole row in before/after).
-- hlc orders changes across machines; txn groups the changes of one user action (undo, merge).
CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  hlc TEXT NOT NULL,
  txn TEXT NOT NULL,
  author TEXT NOT NULL,
  tbl TEXT NOT NULL,
  row_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert','update','delete')),
  field TEXT,
  before TEXT,
  after TEXT
) STRICT;
CREATE INDEX change_log_row ON change_log (tbl, row_id, field);
CREATE INDEX change_log_txn ON change_log (txn);
`;
