import { BIDI_MARK, BIDI_NOTE, hasDirectionControls } from '../../../../shared/text/display-text';
import { revealControls } from '../../components/UserText';
import { SOURCE_MAX } from './filters';

/**
 * Under a chart whose footer had to cut a source title or flag one: those titles again, as page
 * text (each clipped to the panel's width, the whole title on hover, direction controls shown as
 * code points there), since a canvas has no tooltip of its own for a footer.
 */
export function SourceTitlesNote({ titles }: { titles: string[] | undefined }) {
  const odd = (titles ?? []).filter((t) => hasDirectionControls(t) || Array.from(t).length > SOURCE_MAX);
  if (odd.length === 0) return null;
  return (
    <div className="source-titles-note" data-testid="source-titles-note">
      <span className="muted small">
        Source titles cut or flagged in the chart’s footer (hover for the whole title):
      </span>
      <ul>
        {odd.map((t, i) => (
          <li key={i}>
            {hasDirectionControls(t) && (
              <span className="bidi-mark" data-testid="source-bidi-mark" title={BIDI_NOTE}>
                {BIDI_MARK}
              </span>
            )}
            <span dir="auto" className="source-title-full" data-testid="source-title-full" title={revealControls(t)}>
              {t}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
