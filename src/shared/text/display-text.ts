import { findBidiControls } from '../markdown/bidi';

/**
 * User text where the views draw it (grid cells, chart labels, tooltips, footers): isolated, so
 * that a right-to-left override in one title cannot reorder the text after it; flagged when it
 * holds direction controls; clipped, so that one 10,000-character title cannot cover a chart.
 */

const FSI = '\u2068';
const PDI = '\u2069';

/** Default length of a label drawn on a chart or in a footer: the full text goes in its tooltip. */
export const LABEL_MAX = 60;

/** The marker drawn before text that holds direction controls, and what its tooltip says. */
export const BIDI_MARK = '⚠';
export const BIDI_NOTE =
  'This text holds hidden direction controls (bidi) that can change the order in which it is displayed: what you see may not be what it says.';

/** True when the text holds an embedding, override or isolate (the marks routine in RTL text are not counted). */
export function hasDirectionControls(text: string): boolean {
  return findBidiControls(text).some((c) => c.kind !== 'mark');
}

/**
 * The text closed off in a first-strong isolate (FSI ... PDI). Unmatched embeddings and overrides
 * inside end at the PDI (Unicode bidi rule X6a), so nothing leaks into the text after it, and the
 * isolate takes the direction of its own first letter.
 */
export function isolate(text: string): string {
  return `${FSI}${text}${PDI}`;
}

/** At most `max` characters (whole code points), with an ellipsis when cut. */
export function clip(text: string, max = LABEL_MAX): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(1, max - 1)).join('')}…`;
}

// Any bidi control (marks included) or a letter of a right-to-left script.
const BIDI_SENSITIVE =
  /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]|\uD802[\uDC00-\uDFFF]|\uD803[\uDC00-\uDE7F]|\uD83A/;

/**
 * True when the text can reorder what is drawn around it: it holds a bidi control or right-to-left
 * letters. Left-to-right text without controls is left as it is (an isolate would change nothing).
 */
export function needsIsolation(text: string): boolean {
  return BIDI_SENSITIVE.test(text);
}

/**
 * A label for text drawn by a library that takes plain strings (chart axes, legends, footers):
 * flagged, clipped and, when it needs it, isolated. `full` is the whole text so, for a tooltip.
 */
export function displayLabel(
  text: string,
  max = LABEL_MAX,
): { label: string; full: string; flagged: boolean; clipped: boolean } {
  const flagged = hasDirectionControls(text);
  const wrap = needsIsolation(text) ? isolate : (s: string) => s;
  const mark = flagged ? `${BIDI_MARK} ` : '';
  const short = clip(text, max);
  return { label: `${mark}${wrap(short)}`, full: `${mark}${wrap(text)}`, flagged, clipped: short !== text };
}

/** Shorthand for `displayLabel(text, max).label`. */
export function safeLabel(text: string, max = LABEL_MAX): string {
  return displayLabel(text, max).label;
}
