import { existsSync } from 'node:fs';
import { createCaseFileDb } from '../src/core/db/open';
import { nodeId } from '../src/core/ids';
import { syncCaseFile } from '../src/core/hub/sync';
import { CaseFile } from '../src/core/write/case-file';
import { openForWork } from '../src/core/write/open-for-work';

/**
 * One laptop's step, alone in its own process so that its peak memory is that step's:
 * `node --import tsx bench/hub-child.ts JSON` prints one JSON line.
 * - `{ op: 'sync', file, url, caseId? }`: syncs the file (a new empty case file first when there
 *   is none: a new laptop joining `caseId`), timed;
 * - `{ op: 'edit', file, from, count, label }`: changes the location of `count` incidents (in id
 *   order, from the `from`-th) in one action, as an analyst's day of edits; not timed.
 */
type Op =
  | { op: 'sync'; file: string; url: string; caseId?: string; role: string }
  | { op: 'edit'; file: string; from: number; count: number; label: string };
const op = JSON.parse(process.argv[2]!) as Op;

if (op.op === 'sync' && !existsSync(op.file)) createCaseFileDb(op.file).close();
const db = openForWork(op.file);
const cf = new CaseFile(db, op.file, () => (op.op === 'sync' ? op.role : 'bench'), nodeId());
try {
  if (op.op === 'edit') {
    const ids = db.prepare('SELECT id FROM incidents ORDER BY id').pluck().all() as string[];
    const chosen = ids.slice(op.from, op.from + op.count);
    if (chosen.length < op.count) throw new Error(`the case has ${ids.length} incidents, not ${op.from + op.count}`);
    cf.action(`bench: ${op.count} edits`, (tx) => {
      for (const [i, id] of chosen.entries()) tx.update('incidents', id, { location: `${op.label} ${i}` });
    });
    process.stdout.write(`${JSON.stringify({ edited: chosen.length })}\n`);
  } else {
    const t0 = performance.now();
    const r = await syncCaseFile(cf, op.url, op.caseId ? { caseId: op.caseId } : {});
    const ms = performance.now() - t0;
    r.conflicts?.review.received.dispose();
    const pulled = r.pulled ? r.pulled.added + r.pulled.updated + r.pulled.deleted : 0;
    const pushed = r.pushed ? r.pushed.rows + r.pushed.deleted : 0;
    process.stdout.write(
      `${JSON.stringify({ ms, peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1024 / 1024, caseId: r.caseId, pulled, pushed, entries: r.pushed?.entries ?? 0, conflicts: r.conflicts?.preview.conflicts ?? 0, retries: r.retries })}\n`,
    );
  }
} finally {
  db.close();
}
