import type { FieldDiff, Side } from '../../../../shared/channels/exchange';
import { show } from './format';

/**
 * A dataset's bookkeeping field (an upstream revision time): not chosen on its own, it follows
 * the choice made for the other fields of its row. Shown with the value it will have.
 */
export function FollowsRow({ f, side, labelled = true }: { f: FieldDiff; side: Side | undefined; labelled?: boolean }) {
  const value = side === 'theirs' ? (f.shown?.theirs ?? show(f.theirs)) : (f.shown?.mine ?? show(f.mine));
  return (
    <span className="xc-follows" data-testid={`follows-${f.field}`}>
      {labelled && `${f.label}: `}
      <span dir="auto">{value}</span>{' '}
      <small className="muted">({side === 'theirs' ? 'theirs' : 'yours'}: follows the choice for this row)</small>
    </span>
  );
}
