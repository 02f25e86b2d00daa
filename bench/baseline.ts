import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { createAcledMapper } from '../src/core/import/acled';
import type { IncidentRecord } from '../src/core/import/types';
import { uuidv7 } from '../src/core/ids';
import { ACLED_COLUMNS, acledRow } from './acled-data';

/** The incident columns a row is stored with (as the case file's incidents table has them). */
export const INCIDENT_COLUMNS = [
  'id',
  'created_at',
  'updated_at',
  'author',
  'hlc',
  'date',
  'date_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actors',
  'target',
  'attribution',
  'attributed_by',
  'confidence',
  'country',
  'admin1',
  'admin2',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'fatalities',
  'injuries',
  'description',
  'tags',
  'external_id',
  'origin',
  'source_timestamp',
] as const;

/** The incidents table as the schema declares it, without any index but its primary key. */
const BARE_TABLE = `CREATE TABLE incidents (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36), created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  author TEXT NOT NULL, hlc TEXT NOT NULL, date TEXT,
  date_precision TEXT NOT NULL DEFAULT 'unknown' CHECK (date_precision IN ('day','week','month','year','unknown')),
  event_type TEXT, sub_event_type TEXT, actor1 TEXT, assoc_actors TEXT, target TEXT,
  attribution TEXT NOT NULL DEFAULT 'unknown' CHECK (attribution IN ('claimed','attributed','unclaimed','unknown')),
  attributed_by TEXT, confidence TEXT CHECK (confidence IN ('high','medium','low')), country TEXT, admin1 TEXT,
  admin2 TEXT, location TEXT, latitude REAL CHECK (latitude BETWEEN -90 AND 90),
  longitude REAL CHECK (longitude BETWEEN -180 AND 180), geo_precision INTEGER CHECK (geo_precision BETWEEN 1 AND 3),
  fatalities INTEGER CHECK (fatalities >= 0), injuries INTEGER CHECK (injuries >= 0), description TEXT, tags TEXT,
  external_id TEXT, origin TEXT, source_timestamp INTEGER
) STRICT`;

type Value = string | number | null;

/**
 * Rows of the generated file as the importer would store them, made in batches (mapping is not
 * parsing a file, and it is not timed: only the inserts are).
 */
export function* incidentBatches(rows: number, seed: number, batch = 10_000): Generator<Value[][]> {
  const mapper = createAcledMapper([...ACLED_COLUMNS]);
  const now = new Date().toISOString();
  for (let from = 0; from < rows; from += batch) {
    const out: Value[][] = [];
    for (let i = from; i < Math.min(rows, from + batch); i++) {
      const r = mapper.map(acledRow(i, seed), i + 2);
      if (!r.ok) continue;
      const inc = r.incident as IncidentRecord & Record<string, Value>;
      const hlc = `${now}-0000-bench`;
      out.push(
        INCIDENT_COLUMNS.map((c) => {
          if (c === 'id') return uuidv7();
          if (c === 'created_at' || c === 'updated_at') return now;
          if (c === 'author') return 'bench';
          if (c === 'hlc') return hlc;
          if (c === 'source_timestamp') return r.timestamp;
          return inc[c] ?? null;
        }),
      );
    }
    yield out;
  }
}

/**
 * The plain baseline: the same rows inserted with one prepared statement in one transaction into
 * a table with no index but its primary key, no parsing, no FTS. Returns the insert time only.
 */
export function runBaseline(path: string, rows: number, seed: number): { ms: number; rows: number } {
  rmSync(path, { force: true });
  rmSync(`${path}-wal`, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(BARE_TABLE);
  const ins = db.prepare(
    `INSERT INTO incidents (${INCIDENT_COLUMNS.join(', ')}) VALUES (${INCIDENT_COLUMNS.map(() => '?').join(', ')})`,
  );
  let ms = 0;
  let n = 0;
  db.exec('BEGIN');
  for (const batch of incidentBatches(rows, seed)) {
    const t0 = performance.now();
    for (const r of batch) ins.run(r);
    ms += performance.now() - t0;
    n += batch.length;
  }
  const t0 = performance.now();
  db.exec('COMMIT');
  ms += performance.now() - t0;
  db.close();
  return { ms, rows: n };
}

export type Floor = {
  ms: number;
  gridIndexesMs: number;
  dashboardIndexesMs: number;
  searchMs: number;
  analyzeMs: number;
};

/**
 * What any import of these rows must spend after inserting them, whatever its parser, measured
 * on the baseline's own file: the incidents table's secondary indexes exactly as the case file's
 * schema declares them (read from a freshly made case file), its search index built from its
 * folding views, and ANALYZE with the import's analysis_limit, in one transaction and committed.
 * No sources, citations, change log or dashboard summaries. Added to the baseline it is the
 * least time an import can take on one writer; reported so the import's ratio has a floor beside it.
 */
export function runFloor(path: string, schemaOf: string): Floor {
  const schema = new Database(schemaOf, { readonly: true });
  const indexes = schema
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents' AND sql IS NOT NULL ORDER BY rowid",
    )
    .all() as { name: string; sql: string }[];
  // The folding view and the views it reads (schema 7 chains them), in the order they were made.
  const views = schema
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'view' AND name GLOB 'incidents_*' ORDER BY rowid")
    .pluck()
    .all() as string[];
  const fts = schema.prepare("SELECT sql FROM sqlite_master WHERE name = 'incidents_fts'").pluck().get() as string;
  schema.close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // As the import's connection has them (pipeline.ts openForImport).
  db.pragma('cache_size = -131072');
  db.pragma('wal_autocheckpoint = 0');
  const time = (f: () => void) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  const out: Floor = { ms: 0, gridIndexesMs: 0, dashboardIndexesMs: 0, searchMs: 0, analyzeMs: 0 };
  db.exec('BEGIN');
  // The dashboard's indexes are named incidents_dash_*; the rest serve the grid and re-import.
  for (const i of indexes)
    out[i.name.startsWith('incidents_dash_') ? 'dashboardIndexesMs' : 'gridIndexesMs'] += time(() => db.exec(i.sql));
  out.searchMs = time(() => {
    for (const v of views) db.exec(v);
    db.exec(fts);
    db.exec("INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild')");
  });
  out.analyzeMs = time(() => {
    db.pragma('analysis_limit = 1000');
    db.exec('ANALYZE');
  });
  const commitMs = time(() => db.exec('COMMIT'));
  db.close();
  out.ms = out.gridIndexesMs + out.dashboardIndexesMs + out.searchMs + out.analyzeMs + commitMs;
  return out;
}
