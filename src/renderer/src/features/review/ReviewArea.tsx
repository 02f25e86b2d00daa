import { useState } from 'react';
import { ReviewQueue } from './ReviewQueue';
import { SourcingPanelView } from './SourcingPanelView';
import '../sources/sources.css';

/** Review: the queue of citations to check, and the sourcing panel of the whole case file. */
export function ReviewArea({ onError }: { onError: (m: string) => void }) {
  const [tab, setTab] = useState<'queue' | 'panel'>('queue');
  return (
    <div className="review" data-testid="review-area">
      <div className="review-tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'queue'}
          className={tab === 'queue' ? 'on' : ''}
          onClick={() => setTab('queue')}
          data-testid="tab-queue"
        >
          Review queue
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'panel'}
          className={tab === 'panel' ? 'on' : ''}
          onClick={() => setTab('panel')}
          data-testid="tab-panel"
        >
          Sourcing panel
        </button>
      </div>
      {tab === 'queue' ? <ReviewQueue onError={onError} /> : <SourcingPanelView />}
    </div>
  );
}
