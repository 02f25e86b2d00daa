import { BIDI_MARK, BIDI_NOTE, hasDirectionControls } from '../../../../shared/text/display-text';
import { revealControls } from '../../components/UserText';

/**
 * A name from the data in a table or list beside a chart: its own direction, isolated, flagged
 * when it holds direction controls, cut to one line with the whole text on hover (a
 * 10,000-character province must not push the chart off the screen).
 */
export function UserLabel({ text }: { text: string }) {
  return (
    <span className="user-label">
      {hasDirectionControls(text) && (
        <span className="bidi-mark" data-testid="label-bidi-mark" title={BIDI_NOTE}>
          {BIDI_MARK}
        </span>
      )}
      <span dir="auto" className="user-label-text" title={revealControls(text)}>
        {text}
      </span>
    </span>
  );
}
