/**
 * Schema version 8: aliases, the names one actor or one place goes by ("ISKP", "Islamic State
 * Khorasan Province", ولایت خراسان, ИГИЛ-Хорасан; "Herat", "Hirat").
 *
 * One row per name: `entity` is the name the analyst chose for the actor or place, and every
 * name of it (the chosen one included) is a row with that `entity`. `status` 'not_same' records a
 * suggested pair the analyst rejected, so it is not offered again; only 'same' rows join names.
 * `source_id` is the source that shows the names are one (no foreign key: deleting a source
 * leaves the alias standing, as a judgment the analyst made). `origin` tells a starter-list name
 * (shipped with Casefile) from one the analyst added or accepted from a suggestion.
 *
 * Names are not UNIQUE: two colleagues can add the same name, and a merge brings both rows;
 * lookups read them as one. The index on the folded name serves every lookup by name.
 */
const common = `id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  author TEXT NOT NULL,
  hlc TEXT NOT NULL`;

export const migration008 = `
CREATE TABLE aliases (
  ${common},
  kind TEXT NOT NULL CHECK (kind IN ('actor','place')),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  entity TEXT NOT NULL CHECK (length(entity) BETWEEN 1 AND 300),
  status TEXT NOT NULL DEFAULT 'same' CHECK (status IN ('same','not_same')),
  origin TEXT NOT NULL DEFAULT 'analyst' CHECK (origin IN ('analyst','starter','suggestion')),
  source_id TEXT,
  notes TEXT
) STRICT;
CREATE INDEX aliases_name ON aliases (kind, name COLLATE NOCASE);
CREATE INDEX aliases_entity ON aliases (kind, entity);
`;
