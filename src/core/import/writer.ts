import type { Statement } from 'better-sqlite3';
import { FIELDS, validateRow, type Field } from '../../shared/domain/fields';
import { randomBytes } from 'node:crypto';
import { HybridClock } from '../hlc';
import { uuidv7 } from '../ids';
import { putMeta, type Db } from '../db/open';
import { ftsAddSql, ftsDeleteSql, rebuildSearch } from '../db/search';
import { datasetSource, sourceKeyCandidates, sourceTypeFor, standsForDataset, type ImportFormat } from './source-names';
import { SetAsideIndexes } from './bulk-indexes';
import { summariesAfterImport } from '../dashboard/summaries';
import type { RowOk } from './types';
import type { DateOrder } from './values';
import { logInsertedRowsSql, writeLogEntry, type LogEntry } from '../write/change-log';

/**
 * The database half of an import: writes mapped rows into a case file inside ONE transaction
 * that the caller opened with begin() and closes with finish() or rollback().
 *
 * What it does for each row, and why:
 * - New rows get UUIDv7 ids, one `now` for created/updated, the importing author, and a tick of
 *   a hybrid clock that first observed the file's latest change; each insert goes to the change
 *   log under one txn id, so merge and audit see the import. An imported incident or citation is
 *   logged with `after` NULL (as an export logs every insert): the row itself holds the values,
 *   and a full copy per row was more than half of a million-row case file. What an import wrote
 *   into a field that was edited since is the `before` of the field's first later update (see
 *   analystFields); the few sources an import creates keep their full row.
 * - A row the analyst deleted stays deleted: an id found among the file's deleted incidents is
 *   skipped and counted as `deletedKept`.
 * - A row whose (origin, external_id) is already in the file is an update, never a duplicate:
 *   with a timestamp (ACLED) it is rewritten only when the file's timestamp is newer than the
 *   row's source_timestamp; without one (GTD, generic CSV) when its values differ. A field the
 *   analyst changed since the last import keeps the analyst's value and is reported as a
 *   conflict when the file says something else; the other fields update, logged per field.
 * - Every name in the row's source column becomes a source (found again by exact title, or
 *   created), and the row cites it and the source that stands for the imported file.
 * - Bulk load (house style: load, then build indexes, rebuild FTS5, then ANALYZE): maintaining
 *   FTS5 and a dozen B-trees row by row costs far more than building them once, so a load that
 *   is large for the case file sets the secondary indexes aside (bulk-indexes.ts), creates them
 *   again at the end, rebuilds both search indexes and runs ANALYZE. Only a small import into a
 *   large case file (under a tenth of its rows) keeps everything current row by row, so that a
 *   weekly update does not pay for rebuilding a million rows. An import starts row by row and
 *   switches to the bulk way when it passes that tenth.
 * Statements are prepared once per import; nothing is prepared per row.
 */
export type Conflict = { line: number; externalId: string; id: string; field: string; theirs: unknown; yours: unknown };
export type WriterCounts = {
  imported: number;
  updated: number;
  unchanged: number;
  deletedKept: number;
  sourcesCreated: number;
  citationsCreated: number;
};

/** Meta keys `import:<txn>` record each import; their txn ids tell an import's changes from an analyst's. */
export const IMPORT_RECORD_PREFIX = 'import:';
export const MAPPING_PREFIX = 'import-mapping:';
/** Beside a remembered mapping: how its files write `09/05/2020` ('dmy', 'mdy', or 'none': such a row is skipped). */
export const DATE_ORDER_PREFIX = 'import-date-order:';

const names = (fs: readonly Field[]) => fs.map((f) => f.name);
const ROW_META = ['id', 'created_at', 'updated_at', 'author', 'hlc'];
const INCIDENT_FIELDS = names(FIELDS.incidents);
const INCIDENT_COLS = [...ROW_META, ...INCIDENT_FIELDS, 'source_timestamp'];
const SOURCE_COLS = [...ROW_META, ...names(FIELDS.sources)];
/** A date and its precision change together: keeping one and updating the other could make a row that does not validate. */
const COUPLED: Record<string, string> = { date: 'date_precision', date_precision: 'date' };
/** Below this many incidents a rebuild of the search index is cheap whatever the import's size. */
const SMALL_CASE = 50_000;
const MAX_TITLE = 10_000;
/**
 * Indexes that stay during a bulk load. Three the load looks rows up by: an incident by its
 * (origin, external_id) for every row, the citations of a row being updated, and the log of a
 * row the analyst edited. And the log by txn: every entry the load writes has this import's one
 * txn, so they all go in at one place of that index. All but the first grow at one edge (UUIDv7
 * ids, one txn), which keeps them cheap to maintain; recreating the txn index after a
 * million-row load took 3 s of the import.
 */
export const KEPT_INDEXES = new Set(['incidents_external', 'citations_target', 'change_log_row', 'change_log_txn']);
/** ANALYZE reads this many entries per index (SQLite's own suggestion): statistics in a fraction of the time. */
const ANALYSIS_LIMIT = 1000;

type SqlValue = string | number | null;
type Existing = Record<string, unknown> & { id: string; _rowid: number; source_timestamp: number | null };

const insertSql = (table: string, cols: string[]) =>
  `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;

export type WriterOptions = {
  author: string;
  node: string;
  format: ImportFormat;
  dataPath: string;
  /** Case files with fewer incidents rebuild the search index at the end (default 50,000; tests lower it). */
  smallCase?: number;
};

export class ImportWriter {
  readonly txn = uuidv7();
  private readonly ids = new IdPool();
  readonly conflicts: Conflict[] = [];
  readonly counts: WriterCounts = {
    imported: 0,
    updated: 0,
    unchanged: 0,
    deletedKept: 0,
    sourcesCreated: 0,
    citationsCreated: 0,
  };
  private readonly clock: HybridClock;
  private readonly now = new Date().toISOString();
  private readonly today = this.now.slice(0, 10);
  private open = false;

  private importTxns = new Set<string>();
  private analystEdited = new Set<string>();
  /** `origin \u0001 external_id` of incidents deleted from the file. */
  private deleted = new Set<string>();
  private indexes!: SetAsideIndexes;
  private sourceByTitle = new Map<string, string>();
  private sourceKeys = new Set<string>();
  private datasetId: string | null = null;
  private existingCount = 0;
  /** The first rowid of the rows inserted since the change log last caught up (see logInserts). */
  private unlogged: Record<LoggedTable, number | null> = { incidents: null, citations: null };
  private changed = 0;
  private ftsIncremental = false;

  private st!: {
    insIncident: Statement;
    findIncident: Statement;
    updIncident: Statement;
    insSource: Statement;
    insCitation: Statement;
    logInserts: Record<LoggedTable, Statement>;
    citedBy: Statement;
    rowLog: Statement;
    ftsAddIncident: Statement;
    ftsDelIncident: Statement;
    ftsAddSource: Statement;
  };

  constructor(
    private readonly db: Db,
    private readonly opts: WriterOptions,
  ) {
    this.clock = new HybridClock(opts.node);
  }

  /** Opens the import's transaction (the write lock) and loads what the rows are matched against. */
  begin(): void {
    const db = this.db;
    db.exec('BEGIN IMMEDIATE');
    this.open = true;
    const last = db.prepare('SELECT max(hlc) h FROM change_log').get() as { h: string | null };
    if (last.h) this.clock.observe(last.h);

    for (const r of db.prepare('SELECT key FROM meta WHERE key LIKE ?').all(`${IMPORT_RECORD_PREFIX}%`) as {
      key: string;
    }[]) {
      this.importTxns.add(r.key.slice(IMPORT_RECORD_PREFIX.length));
    }
    this.importTxns.add(this.txn);
    const edited = db
      .prepare(
        `SELECT DISTINCT row_id FROM change_log WHERE tbl = 'incidents' AND op = 'update'
         AND txn NOT IN (SELECT substr(key, ${IMPORT_RECORD_PREFIX.length + 1}) FROM meta WHERE key LIKE ?)`,
      )
      .all(`${IMPORT_RECORD_PREFIX}%`) as { row_id: string }[];
    for (const r of edited) this.analystEdited.add(r.row_id);
    // A deleted row's last values are the `before` of its delete (an export strips them: such a row can come back).
    const gone = db
      .prepare(
        `SELECT json_extract(before, '$.origin') o, json_extract(before, '$.external_id') e FROM change_log
         WHERE tbl = 'incidents' AND op = 'delete' AND before IS NOT NULL AND json_valid(before)`,
      )
      .all() as { o: unknown; e: unknown }[];
    for (const g of gone)
      if (typeof g.e === 'string') this.deleted.add(deletedKey(typeof g.o === 'string' ? g.o : null, g.e));

    for (const r of db.prepare('SELECT id, key, title, type, authors FROM sources ORDER BY rowid').all() as {
      id: string;
      key: string;
      title: string;
      type: string;
      authors: string | null;
    }[]) {
      if (!this.sourceByTitle.has(r.title)) this.sourceByTitle.set(r.title, r.id);
      this.sourceKeys.add(r.key);
      if (this.datasetId === null && standsForDataset(this.opts.format, r)) this.datasetId = r.id;
    }
    this.existingCount = (db.prepare('SELECT count(*) n FROM incidents').get() as { n: number }).n;
    this.ftsIncremental = this.existingCount >= (this.opts.smallCase ?? SMALL_CASE);
    this.indexes = new SetAsideIndexes(db, KEPT_INDEXES);

    const setCols = [...INCIDENT_FIELDS, 'source_timestamp', 'updated_at', 'author', 'hlc'];
    this.st = {
      insIncident: db.prepare(insertSql('incidents', INCIDENT_COLS)),
      findIncident: db.prepare('SELECT rowid AS _rowid, * FROM incidents WHERE origin = ? AND external_id = ? LIMIT 1'),
      updIncident: db.prepare(`UPDATE incidents SET ${setCols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`),
      insSource: db.prepare(insertSql('sources', SOURCE_COLS)),
      insCitation: db.prepare(
        "INSERT INTO citations (id, created_at, updated_at, author, hlc, source_id, target_table, target_id) VALUES (?, ?, ?, ?, ?, ?, 'incidents', ?)",
      ),
      logInserts: {
        incidents: db.prepare(logInsertedRowsSql('incidents')),
        citations: db.prepare(logInsertedRowsSql('citations')),
      },
      citedBy: db.prepare("SELECT source_id FROM citations WHERE target_table = 'incidents' AND target_id = ?"),
      rowLog: db.prepare(
        "SELECT txn, op, field, before, after FROM change_log WHERE tbl = 'incidents' AND row_id = ? ORDER BY seq",
      ),
      ftsAddIncident: db.prepare(ftsAddSql('incidents', 'rowid')),
      ftsDelIncident: db.prepare(ftsDeleteSql('incidents', 'rowid')),
      ftsAddSource: db.prepare(ftsAddSql('sources', 'rowid')),
    };
  }

  /** Writes one mapped row: an insert, an update, or nothing when the file has nothing newer. */
  write(r: RowOk): void {
    const rec = r.incident;
    const extId = r.externalId ?? rec.external_id;
    if (extId !== null) {
      // Looked up in the index even on a first import: an id may come twice in one file, and a
      // set of the ids seen would grow with the file (memory stays bounded for any size).
      const existing = this.st.findIncident.get(rec.origin, extId) as Existing | undefined;
      if (existing !== undefined) {
        this.update(r, extId, existing);
        return;
      }
      if (this.deleted.size > 0 && this.deleted.has(deletedKey(rec.origin, extId))) {
        this.counts.deletedKept++;
        return;
      }
    }
    this.insert(r);
  }

  private insert(r: RowOk): void {
    this.beforeChange();
    const rec = r.incident as unknown as Record<string, unknown>;
    const id = this.ids.next();
    const hlc = this.clock.tick();
    // Bound as one array in INCIDENT_COLS order (row meta, the fields, source_timestamp): no object per row.
    const values: SqlValue[] = [id, this.now, this.now, this.opts.author, hlc];
    for (const f of INCIDENT_FIELDS) values.push((rec[f] ?? null) as SqlValue);
    values.push(r.timestamp);
    const info = this.st.insIncident.run(values);
    this.unlogged.incidents ??= Number(info.lastInsertRowid);
    this.noteChange();
    if (this.ftsIncremental) this.st.ftsAddIncident.run(info.lastInsertRowid);
    this.cite(id, r.sources, null);
    this.counts.imported++;
  }

  private update(r: RowOk, externalId: string, existing: Existing): void {
    const ts = r.timestamp;
    if (ts !== null && existing.source_timestamp !== null && ts <= existing.source_timestamp) {
      this.counts.unchanged++;
      return;
    }
    const rec = r.incident as unknown as Record<string, unknown>;
    const kept = this.analystEdited.has(existing.id) ? this.analystFields(existing) : null;
    const next: Record<string, unknown> = {};
    const changed: string[] = [];
    for (const f of INCIDENT_FIELDS) {
      const cur = existing[f] ?? null;
      const theirs = rec[f] ?? null;
      next[f] = cur;
      if (cur === theirs) continue;
      if (kept !== null && kept.has(f)) {
        this.conflicts.push({ line: r.line, externalId, id: existing.id, field: f, theirs, yours: cur });
        continue;
      }
      next[f] = theirs;
      changed.push(f);
    }
    // Without an upstream revision time, a row is new only if its values are.
    if (ts === null && changed.length === 0) {
      this.counts.unchanged++;
      return;
    }
    if (validateRow('incidents', next) !== null) {
      // Cannot happen for mapped rows (date and precision move together); refuse rather than write a bad row.
      throw new Error(`line ${r.line}: the update of ${externalId} would make an invalid row`);
    }
    this.beforeChange();
    // This row may have been inserted earlier in this import: its insert goes in the log before its update.
    this.logInserts();
    const hlc = this.clock.tick();
    if (this.ftsIncremental) this.st.ftsDelIncident.run(existing._rowid);
    this.st.updIncident.run(
      ...INCIDENT_FIELDS.map((f) => next[f] as SqlValue),
      ts ?? existing.source_timestamp,
      this.now,
      this.opts.author,
      hlc,
      existing.id,
    );
    for (const f of changed) {
      this.log(
        hlc,
        this.txn,
        this.opts.author,
        'incidents',
        existing.id,
        'update',
        f,
        json(existing[f]),
        json(next[f]),
      );
    }
    if (ts !== null && ts !== existing.source_timestamp) {
      this.log(
        hlc,
        this.txn,
        this.opts.author,
        'incidents',
        existing.id,
        'update',
        'source_timestamp',
        json(existing.source_timestamp),
        json(ts),
      );
    }
    this.noteChange();
    if (this.ftsIncremental) this.st.ftsAddIncident.run(existing._rowid);
    this.cite(
      existing.id,
      r.sources,
      new Set((this.st.citedBy.all(existing.id) as { source_id: string }[]).map((c) => c.source_id)),
    );
    this.counts.updated++;
  }

  /**
   * The fields whose current value is the analyst's: changed by an update outside any import,
   * and not equal to what an import last wrote there (an edit that was undone, or typed back to
   * the imported value, is no edit).
   *
   * An import's insert is logged without values; what it wrote into a field is the `before` of
   * the first update of that field after it (nothing else changed the field in between). When
   * that `before` is missing (a file that went through an export, which strips them), the value
   * is unknown and the analyst's edit is kept.
   */
  private analystFields(existing: Existing): Set<string> {
    const lastImported = new Map<string, unknown>();
    const touched = new Set<string>();
    /** Fields an import's insert set without saying to what, until their next update says. */
    let insertedUnknown: Set<string> | null = null;
    for (const l of this.st.rowLog.all(existing.id) as {
      txn: string;
      op: string;
      field: string | null;
      before: string | null;
      after: string | null;
    }[]) {
      const byImport = this.importTxns.has(l.txn);
      if (l.op === 'insert') {
        // A row put back by an undo or a merge is the same row: only an import's insert says what it set.
        if (!byImport) continue;
        insertedUnknown = null;
        lastImported.clear();
        if (l.after !== null) {
          const row = JSON.parse(l.after) as Record<string, unknown>;
          for (const f of INCIDENT_FIELDS) lastImported.set(f, row[f] ?? null);
        } else insertedUnknown = new Set(INCIDENT_FIELDS);
        continue;
      }
      if (l.op !== 'update' || l.field === null) continue;
      if (insertedUnknown !== null && insertedUnknown.delete(l.field) && l.before !== null)
        lastImported.set(l.field, JSON.parse(l.before));
      if (byImport) lastImported.set(l.field, l.after === null ? null : JSON.parse(l.after));
      else touched.add(l.field);
    }
    const kept = new Set<string>();
    for (const f of touched) {
      if (!INCIDENT_FIELDS.includes(f)) continue;
      if (lastImported.has(f) && lastImported.get(f) === (existing[f] ?? null)) continue;
      kept.add(f);
      const other = COUPLED[f];
      if (other !== undefined) kept.add(other);
    }
    return kept;
  }

  /** Cites the dataset source and each named source from an incident (skipping those it already cites). */
  private cite(incidentId: string, sourceNames: string[], already: Set<string> | null): void {
    if (this.datasetId === null) {
      // Made with the first row it supports, so an import whose rows all fail leaves no orphan;
      // an ACLED or GTD file cites the dataset's source when the case file has one (constructor).
      const ds = datasetSource(this.opts.format, this.opts.dataPath);
      this.datasetId = this.sourceId(ds.title, { key: ds.key, type: 'dataset', authors: ds.authors, notes: null });
    }
    const ids: string[] = [this.datasetId];
    for (const n of sourceNames) {
      const id = this.sourceId(n, null);
      if (!ids.includes(id)) ids.push(id);
    }
    for (const sourceId of ids) {
      if (already !== null && already.has(sourceId)) continue;
      const id = this.ids.next();
      const hlc = this.clock.tick();
      // Ungraded and unlocated: the columns not named are NULL.
      const info = this.st.insCitation.run(id, this.now, this.now, this.opts.author, hlc, sourceId, incidentId);
      this.unlogged.citations ??= Number(info.lastInsertRowid);
      this.counts.citationsCreated++;
    }
  }

  /** The id of the source titled `name`, created on first sight. */
  private sourceId(
    name: string,
    preset: { key: string; type: string; authors: string | null; notes: string | null } | null,
  ): string {
    const title = name.length > MAX_TITLE ? name.slice(0, MAX_TITLE) : name;
    const found = this.sourceByTitle.get(title);
    if (found !== undefined) return found;
    const candidates = preset ? [preset.key] : sourceKeyCandidates(this.opts.format, title);
    let key = candidates.find((k) => !this.sourceKeys.has(k));
    const base = candidates[candidates.length - 1] as string;
    for (let n = 2; key === undefined; n++) if (!this.sourceKeys.has(`${base}-${n}`)) key = `${base}-${n}`;
    const id = this.ids.next();
    const hlc = this.clock.tick();
    const row: Record<string, unknown> = {
      id,
      created_at: this.now,
      updated_at: this.now,
      author: this.opts.author,
      hlc,
      key,
      title,
      authors: preset?.authors ?? null,
      published: null,
      published_precision: 'unknown',
      url: null,
      language: null,
      type: preset?.type ?? sourceTypeFor(this.opts.format, title),
      reliability: null,
      accessed: this.today,
      notes: preset?.notes ?? null,
    };
    const info = this.st.insSource.run(...SOURCE_COLS.map((c) => row[c] as SqlValue));
    this.log(hlc, this.txn, this.opts.author, 'sources', id, 'insert', null, null, JSON.stringify(row));
    if (this.ftsIncremental) this.st.ftsAddSource.run(info.lastInsertRowid);
    this.sourceByTitle.set(title, id);
    this.sourceKeys.add(key);
    this.counts.sourcesCreated++;
    return id;
  }

  /**
   * Logs the incidents and citations inserted since the last call, in one statement per table:
   * an entry per row (its clock value, author and id, as the row has them; `after` NULL), written
   * by SQLite from the rows themselves rather than bound value by value from here. Rows this
   * import inserts get rowids above every row it found, so `rowid >= first` is exactly them.
   */
  /** One change-log entry for an update the import made, or a source it created. */
  private log(
    hlc: string,
    txn: string,
    author: string,
    tbl: string,
    rowId: string,
    op: LogEntry['op'],
    field: string | null,
    before: string | null,
    after: string | null,
  ): void {
    writeLogEntry(this.db, { hlc, txn, author, tbl, row_id: rowId, op, field, before, after });
  }

  private logInserts(): void {
    for (const t of ['incidents', 'citations'] as const) {
      const first = this.unlogged[t];
      if (first === null) continue;
      this.st.logInserts[t].run(this.txn, first);
      this.unlogged[t] = null;
    }
  }

  /** A bulk load sets the indexes aside just before its first write (an import that writes nothing keeps them and their statistics). */
  private beforeChange(): void {
    if (!this.ftsIncremental && !this.indexes.active) this.indexes.drop();
  }

  private noteChange(): void {
    this.changed++;
    // Past a tenth of the case file, one rebuild at the end is cheaper than keeping up row by row.
    if (this.ftsIncremental && this.changed * 10 > this.existingCount) {
      this.ftsIncremental = false;
      this.indexes.drop();
    }
  }

  /** Rebuilds what a bulk load left stale, records the import, and commits; `phase` is told each step, for the progress line. */
  finish(
    record: Record<string, unknown>,
    rememberMapping: { signature: string; mapping: Record<string, string | null>; dateOrder: DateOrder | null } | null,
    phase: (what: string) => void = () => undefined,
  ): void {
    const db = this.db;
    phase('logging the new rows');
    this.logInserts();
    this.indexes.restore((i, n) => phase(`building indexes (${i} of ${n})`));
    phase("updating the dashboard's summaries");
    summariesAfterImport(db, this.txn, this.counts.imported + this.counts.updated); // the dashboard's summary tables (dashboard/summaries.ts)
    if (this.changed > 0 || this.counts.sourcesCreated > 0) {
      if (!this.ftsIncremental) {
        phase('building the search index');
        rebuildSearch(db);
        phase('computing statistics');
        db.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
        db.exec('ANALYZE');
      }
    }
    putMeta(
      db,
      `${IMPORT_RECORD_PREFIX}${this.txn}`,
      JSON.stringify({
        ...record,
        at: this.now,
        author: this.opts.author,
        ...this.counts,
        conflicts: this.conflicts.length,
      }),
    );
    if (rememberMapping) {
      putMeta(db, `${MAPPING_PREFIX}${rememberMapping.signature}`, JSON.stringify(rememberMapping.mapping));
      putMeta(db, `${DATE_ORDER_PREFIX}${rememberMapping.signature}`, rememberMapping.dateOrder ?? 'none');
    }
    phase('saving');
    db.exec('COMMIT');
    this.open = false;
  }

  rollback(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.db.exec('ROLLBACK');
    } catch {
      /* SQLite already rolled back (an I/O or full-disk error does) */
    }
  }
}

/**
 * UUIDv7 (the same layout as ids.ts) from a pool of random bytes: one getrandom call per 4096
 * ids instead of one per id, which was a seventh of an import's time. Ids still sort by time.
 */
class IdPool {
  private pool = Buffer.alloc(0);
  private at = 0;
  next(): string {
    if (this.at + 10 > this.pool.length) {
      this.pool = randomBytes(10 * 4096);
      this.at = 0;
    }
    const b = Buffer.allocUnsafe(16);
    b.writeUIntBE(Date.now(), 0, 6);
    this.pool.copy(b, 6, this.at, this.at + 10);
    this.at += 10;
    b[6] = 0x70 | (b[6]! & 0x0f);
    b[8] = 0x80 | (b[8]! & 0x3f);
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

type LoggedTable = 'incidents' | 'citations';

const deletedKey = (origin: string | null, externalId: string) => `${origin ?? ''}\u0001${externalId}`;

function json(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}
