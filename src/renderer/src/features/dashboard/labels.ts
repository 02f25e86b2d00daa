import { BIDI_MARK, displayLabel } from '../../../../shared/text/display-text';
import { escapeHtml } from './echarts';

/**
 * User text drawn by ECharts (axis labels, legends, series labels, tooltips, the sources
 * footer). A canvas has no `dir` or `title` attribute, so the text itself carries its isolation
 * (FSI ... PDI), its flag (⚠ before text with direction controls) and its clipping.
 */

/** How much of one text a tooltip shows: a 10,000-character title must not fill the screen. */
const TIP_MAX = 600;

/** Tooltips wrap long text inside a bounded box. */
export const TOOLTIP_CSS = 'max-width: 420px; white-space: normal; overflow-wrap: anywhere;';

/** An axis label, a legend entry or a segment's name: clipped, flagged, isolated when it needs it. */
export function chartLabel(text: string, max?: number): string {
  return displayLabel(text, max).label;
}

/** Text for an HTML tooltip: escaped, isolated, clipped, and when it holds direction controls, saying so. */
export function tipText(text: string): string {
  const d = displayLabel(text, TIP_MAX);
  const note = d.flagged
    ? `<br/><span style="color:#b35c00">${BIDI_MARK} hidden direction controls: this text may not read as it is stored</span>`
    : '';
  return `<span dir="auto" style="unicode-bidi:isolate">${escapeHtml(d.label)}</span>${note}`;
}
