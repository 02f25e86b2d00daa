import Database from 'better-sqlite3';
import type { ExportScope } from '../../shared/channels/exchange';
import type { OpenOptions } from '../db/open';
import { writeExportCopy } from './copy-for-export';
import { copyKnownRows } from './import-copy';
import { computePlan } from './plan';
import { inspectInWorker } from './received';

/** The exchange area's task-worker requests (see tasks/protocol.ts). */
export type ExchangeTaskRequest =
  | {
      kind: 'exchange-inspect';
      path: string;
      received: boolean;
      migrate: boolean;
      /** summaries rebuilt, not only checked */ rebuild?: boolean;
    }
  | {
      kind: 'exchange-export';
      source: string;
      target: string;
      scope: ExportScope | null;
      attachments: boolean;
      check: boolean;
    }
  | { kind: 'exchange-plan'; mine: string; theirs: string; theirsName: string }
  | { kind: 'exchange-import-copy'; source: string; target: string }
  /** A query that never ends: lets tests prove that the time limit stops a stuck worker. */
  | { kind: 'exchange-spin' };

type Post = (m: { type: 'progress'; done: number; total: number | null; message?: string }) => void;

/** Runs one exchange request inside the task worker; returns its result. */
export function runExchangeTask(req: ExchangeTaskRequest, post: Post, binding: string | undefined): unknown {
  const opts: OpenOptions = binding ? { nativeBinding: binding } : {};
  const progress = (done: number, total: number | null, message: string) =>
    post({ type: 'progress', done, total, message });
  switch (req.kind) {
    case 'exchange-inspect':
      progress(0, 1, 'Checking the file');
      return inspectInWorker(req.path, opts, req);
    case 'exchange-export':
      return writeExportCopy(req, opts, progress);
    case 'exchange-plan': {
      const theirs = new Database(req.theirs, { readonly: true, fileMustExist: true, ...opts });
      const mine = new Database(req.mine, { readonly: true, fileMustExist: true, ...opts });
      try {
        for (const db of [theirs, mine]) db.pragma('trusted_schema = OFF');
        // Read-only like the connection it joins: lets SQL find their history this file lacks.
        theirs.prepare('ATTACH DATABASE ? AS mine').run(req.mine);
        return computePlan(mine, theirs, req.theirsName, progress);
      } finally {
        theirs.close();
        mine.close();
      }
    }
    case 'exchange-import-copy':
      return copyKnownRows(req.source, req.target, opts, progress);
    case 'exchange-spin': {
      progress(0, null, `pid ${process.pid}`);
      const db = new Database(':memory:', opts);
      return db.prepare('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c').get();
    }
  }
}
