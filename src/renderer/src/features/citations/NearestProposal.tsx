import { useState } from 'react';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { UserText } from '../../components/UserText';

/**
 * Under a citation whose passage is not found exactly: the nearest passage in the attached text
 * and how alike it is. Nothing changes until the analyst accepts it (one undoable edit that
 * re-anchors the citation); "Keep the flag" leaves the citation flagged.
 */
export function NearestProposal({ citationId }: { citationId: string }) {
  const { data, error } = useQuery('citations.nearest', { id: citationId }, ['citations', 'sources']);
  const [kept, setKept] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  if (error) return <p className="error small">Could not look for the nearest passage: {error}</p>;
  if (!data || kept === `${data.attachmentId}:${data.start}:${data.end}`) return null;
  const percent = Math.floor(data.similarity * 100);
  const accept = () => {
    setFailed(null);
    invoke('citations.acceptNearest', {
      id: citationId,
      attachmentId: data.attachmentId,
      start: data.start,
      end: data.end,
      passage: data.passage,
    }).catch((e: Error) => setFailed(e.message));
  };
  return (
    <div className="nearest-passage small" data-testid="nearest-passage">
      <div>
        Nearest passage in <UserText text={data.attachmentName} />
        {data.page ? ` (page ${data.page})` : ''}: <strong data-testid="nearest-similarity">{percent}% alike</strong>
      </div>
      <UserText as="blockquote" text={data.passage} testId="nearest-text" />
      <div className="item-buttons">
        <button type="button" data-testid="accept-nearest" onClick={accept}>
          Accept this passage
        </button>
        <button
          type="button"
          data-testid="keep-flag"
          onClick={() => setKept(`${data.attachmentId}:${data.start}:${data.end}`)}
        >
          Keep the flag
        </button>
      </div>
      {failed && <p className="error">{failed}</p>}
    </div>
  );
}
