import { useState, type RefObject } from 'react';
import type { AnnotationView, ReviewStatus, Thread } from '../../../../shared/channels/sources';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { CitationItem } from '../citations/CitationList';
import { STATUS_TEXT, StatusBadge } from '../../components/GradeBadge';
import { UserText } from '../../components/UserText';

const TABLES = ['citations', 'annotations', 'sources', 'notes', 'incidents', 'plots', 'figures'] as const;
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export const STATUS_KEYS: [ReviewStatus, string][] = [
  ['verified', 'v'],
  ['disputed', 'd'],
  ['needs_source', 'n'],
  ['unreviewed', 'u'],
];

/** One citation under review: the passage, the status buttons, its status changes and the comment threads. */
export function CitationReview({
  id,
  commentRef,
  onError,
}: {
  id: string;
  commentRef: RefObject<HTMLTextAreaElement | null>;
  onError: (m: string) => void;
}) {
  const c = useQuery('citations.get', { id }, TABLES);
  const t = useQuery('review.thread', { citationId: id }, ['annotations', 'citations']);
  const [comment, setComment] = useState('');

  const mark = async (status: ReviewStatus) => {
    try {
      await invoke('review.setStatus', { citationId: id, status, comment: comment.trim() || null });
      setComment('');
    } catch (e) {
      onError((e as Error).message);
    }
  };
  const post = async () => {
    try {
      await invoke('review.comment', { citationId: id, body: comment });
      setComment('');
    } catch (e) {
      onError((e as Error).message);
    }
  };

  if (!c.data) return <aside className="side-panel">{c.error ?? 'Loading…'}</aside>;
  return (
    <aside className="side-panel" aria-label="Citation under review" data-testid="citation-review">
      <div className="muted small">
        {c.data.target_table.replace(/s$/, '')}: <UserText text={c.data.target_label} />
      </div>
      <ul className="file-list">
        <CitationItem c={c.data} />
      </ul>
      <h3>Status</h3>
      <div className="status-buttons">
        {STATUS_KEYS.map(([s, key]) => (
          <button
            type="button"
            key={s}
            className={c.data?.status === s ? 'on' : ''}
            aria-pressed={c.data?.status === s}
            onClick={() => void mark(s)}
            data-testid={`mark-${s}`}
          >
            {STATUS_TEXT[s]} <kbd>{key}</kbd>
          </button>
        ))}
      </div>
      <div className="comment-box">
        <textarea
          ref={commentRef}
          rows={3}
          dir="auto"
          placeholder="Comment (c). It goes with a status you set, or post it on its own."
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') (e.target as HTMLTextAreaElement).blur();
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && comment.trim()) void post();
          }}
          data-testid="review-comment"
        />
        <div>
          <button type="button" disabled={!comment.trim()} onClick={() => void post()} data-testid="post-comment">
            Comment
          </button>
        </div>
      </div>
      {t.data && t.data.statusChanges.length > 0 && (
        <>
          <h3>History</h3>
          <ul className="file-list small" data-testid="status-history">
            {t.data.statusChanges.map((h) => (
              <li key={h.id}>
                <StatusBadge status={h.status!} /> <span dir="auto">{h.author}</span>{' '}
                <span className="muted">{when(h.created_at)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Comments</h3>
      {t.data?.threads.length === 0 && <p className="muted small">No comments.</p>}
      {t.data?.threads.map((th) => (
        <ThreadView key={th.root.id} thread={th} citationId={id} onError={onError} />
      ))}
    </aside>
  );
}

function Comment({ a }: { a: AnnotationView }) {
  return (
    <div className="comment" data-testid="comment">
      <div className="small">
        <strong dir="auto">{a.author}</strong> <span className="muted">{when(a.created_at)}</span>{' '}
        {a.status && <StatusBadge status={a.status} />}
      </div>
      <UserText as="div" className="body" text={a.body} />
    </div>
  );
}

function ThreadView({
  thread,
  citationId,
  onError,
}: {
  thread: Thread;
  citationId: string;
  onError: (m: string) => void;
}) {
  const [reply, setReply] = useState<string | null>(null);
  const resolved = thread.root.resolved === 1;
  const send = async () => {
    try {
      await invoke('review.comment', { citationId, parentId: thread.root.id, body: reply ?? '' });
      setReply(null);
    } catch (e) {
      onError((e as Error).message);
    }
  };
  return (
    <div className={`thread ${resolved ? 'resolved' : ''}`} data-testid="thread">
      <Comment a={thread.root} />
      {thread.replies.map((r) => (
        <div className="reply" key={r.id}>
          <Comment a={r} />
        </div>
      ))}
      {reply !== null ? (
        <div className="comment-box reply">
          <textarea
            rows={2}
            dir="auto"
            autoFocus
            value={reply}
            onChange={(e) => setReply(e.target.value)}
            data-testid="reply-text"
            onKeyDown={(e) => e.key === 'Escape' && setReply(null)}
          />
          <div className="item-buttons">
            <button type="button" disabled={!reply.trim()} onClick={() => void send()} data-testid="send-reply">
              Reply
            </button>
            <button type="button" onClick={() => setReply(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="item-buttons small">
          <button type="button" className="link" onClick={() => setReply('')} data-testid="reply">
            Reply
          </button>
          <button
            type="button"
            className="link"
            onClick={() =>
              void invoke('review.resolve', { annotationId: thread.root.id, resolved: !resolved }).catch((e: Error) =>
                onError(e.message),
              )
            }
            data-testid={resolved ? 'reopen' : 'resolve'}
          >
            {resolved ? 'Reopen' : 'Resolve'}
          </button>
          {resolved && <span className="muted">resolved</span>}
        </div>
      )}
    </div>
  );
}
