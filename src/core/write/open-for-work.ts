import { ensureSummaries } from '../dashboard/summaries';
import { openCaseFileDb, type Db, type InspectMode, type OpenOptions } from '../db/open';

/**
 * Opens a case file to work on: the database floor's checks and migrations (db/open.ts), then the
 * derived data the writer keeps. A file from elsewhere may carry dashboard summaries that disagree
 * with its incidents: they are rebuilt if so, unless the worker that verified the file just now
 * did that (Session.openChecked passes `verified`).
 */
export function openForWork(path: string, opts: OpenOptions = {}, mode: InspectMode = {}): Db {
  const db = openCaseFileDb(path, opts, mode);
  try {
    if (!mode.verified) ensureSummaries(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
