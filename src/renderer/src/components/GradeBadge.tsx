import { CREDIBILITY_LABEL, RELIABILITY_LABEL } from '../../../shared/domain/fields';
import type { ReviewStatus } from '../../../shared/channels/sources';

/** The NATO/Admiralty two-character grade: the source's reliability and this claim's credibility. */
export function GradeBadge({ reliability, credibility }: { reliability: string | null; credibility: number | null }) {
  const r = reliability
    ? `${reliability}: ${RELIABILITY_LABEL[reliability as keyof typeof RELIABILITY_LABEL]}`
    : 'source not graded';
  const c = credibility ? `${credibility}: ${CREDIBILITY_LABEL[credibility]}` : 'information not graded';
  return (
    <span className="grade" data-testid="grade" title={`Source reliability ${r}; credibility of the information ${c}`}>
      {reliability ?? '?'}
      {credibility ?? '?'}
    </span>
  );
}

export const STATUS_TEXT: Record<ReviewStatus, string> = {
  unreviewed: 'unreviewed',
  verified: 'verified',
  disputed: 'disputed',
  needs_source: 'needs better source',
};

export function StatusBadge({ status }: { status: ReviewStatus }) {
  return (
    <span className={`status status-${status}`} data-testid="status">
      {STATUS_TEXT[status]}
    </span>
  );
}
