import type { Db } from '../db/open';

/**
 * The secondary indexes a bulk load sets aside: dropped inside the import's transaction before
 * the rows go in, and created again (one sorted pass each) before it commits.
 *
 * Keeping a dozen B-trees on incidents current row by row costs far more than building them
 * once from the loaded table: each insert touches a page per index, and on a large load those
 * pages no longer fit in the cache. The SQL of each index is read from sqlite_master and run
 * again exactly as it was, so the file's schema stays byte-identical to what the migrations made
 * (the open path's schema allowlist compares that text). DDL is transactional in SQLite: a
 * cancelled or failed import rolls the drops back with everything else.
 */
export const BULK_TABLES = ['incidents', 'citations', 'change_log'] as const;

export class SetAsideIndexes {
  private saved: { name: string; sql: string }[] | null = null;

  /** `keep`: indexes that stay and are kept current (those the load looks rows up by, or only appends to). */
  constructor(
    private readonly db: Db,
    private readonly keep: ReadonlySet<string>,
  ) {}

  get active(): boolean {
    return this.saved !== null;
  }

  /** Drops the indexes (within the open transaction); their SQL is kept to make them again. */
  drop(): void {
    if (this.saved !== null) return;
    const rows = this.db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
         AND tbl_name IN (${BULK_TABLES.map(() => '?').join(', ')}) ORDER BY rowid`,
      )
      .all(...BULK_TABLES) as { name: string; sql: string }[];
    this.saved = rows.filter((r) => !this.keep.has(r.name));
    for (const r of this.saved) this.db.exec(`DROP INDEX "${r.name.replace(/"/g, '""')}"`);
  }

  /** Creates the dropped indexes again with their original SQL, in their original order; `before(i, n)` is told of each. */
  restore(before: (i: number, n: number) => void = () => undefined): void {
    if (this.saved === null) return;
    for (const [i, r] of this.saved.entries()) {
      before(i + 1, this.saved.length);
      this.db.exec(r.sql);
    }
    this.saved = null;
  }
}
