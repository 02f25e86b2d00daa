import type { AnnotationView, ReviewStatus, Thread } from '../../shared/channels/sources';
import type { CaseFile } from '../write/case-file';
import { CasefileError } from '../errors';
import type { Db } from '../db/open';

/**
 * Review of citations, kept as annotations: a status change is an annotation with a status (and
 * perhaps a comment), a comment is one with a body, a reply points at its thread's first comment.
 * The latest status annotation is the citation's status; its author, the reviewer. Nothing is
 * overwritten, so the history of a review is the list of its annotations.
 */

const STATUS_LABEL: Record<ReviewStatus, string> = {
  unreviewed: 'unreviewed',
  verified: 'verified',
  disputed: 'disputed',
  needs_source: 'needs a better source',
};

function annotation(db: Db, id: string): AnnotationView {
  const a = db
    .prepare(
      'SELECT id, citation_id, parent_id, status, body, resolved, author, created_at FROM annotations WHERE id = ?',
    )
    .get(id) as AnnotationView | undefined;
  if (!a) throw new CasefileError('not_found', `no comment ${id}`);
  return a;
}

function needCitation(cf: CaseFile, id: string): void {
  if (!cf.get('citations', id)) throw new CasefileError('not_found', `no citation ${id}`);
}

export function setStatus(
  cf: CaseFile,
  citationId: string,
  status: ReviewStatus,
  comment: string | null,
): AnnotationView {
  needCitation(cf, citationId);
  const body = comment && comment.trim() ? comment.trim() : null;
  const row = cf.action(`Mark citation ${STATUS_LABEL[status]}`, (tx) =>
    tx.insert('annotations', { citation_id: citationId, status, body, parent_id: null }),
  );
  return annotation(cf.db, row.id as string);
}

/** A comment, or a reply: a reply to a reply joins the thread of the comment it answers. */
export function addComment(cf: CaseFile, citationId: string, body: string, parentId: string | null): AnnotationView {
  needCitation(cf, citationId);
  let root: string | null = null;
  if (parentId) {
    const parent = annotation(cf.db, parentId);
    if (parent.citation_id !== citationId)
      throw new CasefileError('validation', 'that comment belongs to another citation');
    root = parent.parent_id ?? parent.id;
  }
  const row = cf.action(root ? 'Reply to comment' : 'Comment on citation', (tx) => {
    const r = tx.insert('annotations', { citation_id: citationId, parent_id: root, body: body.trim(), status: null });
    // Replying to a resolved thread reopens it: the discussion is not over.
    if (root && annotation(cf.db, root).resolved === 1) tx.update('annotations', root, { resolved: 0 });
    return r;
  });
  return annotation(cf.db, row.id as string);
}

export function resolveThread(cf: CaseFile, id: string, resolved: boolean): AnnotationView {
  const a = annotation(cf.db, id);
  const root = a.parent_id ?? a.id;
  cf.action(resolved ? 'Resolve comment thread' : 'Reopen comment thread', (tx) =>
    tx.update('annotations', root, { resolved: resolved ? 1 : 0 }),
  );
  return annotation(cf.db, root);
}

export function threadOf(db: Db, citationId: string): { statusChanges: AnnotationView[]; threads: Thread[] } {
  const all = db
    .prepare(
      'SELECT id, citation_id, parent_id, status, body, resolved, author, created_at FROM annotations WHERE citation_id = ? ORDER BY hlc',
    )
    .all(citationId) as AnnotationView[];
  const statusChanges = all.filter((a) => a.status !== null);
  const roots = all.filter((a) => a.parent_id === null && a.body !== null);
  const threads = roots.map((root) => ({ root, replies: all.filter((a) => a.parent_id === root.id) }));
  return { statusChanges, threads };
}

export function reviewers(db: Db): string[] {
  return (
    db.prepare('SELECT DISTINCT author FROM annotations WHERE status IS NOT NULL ORDER BY author').all() as {
      author: string;
    }[]
  ).map((r) => r.author);
}
