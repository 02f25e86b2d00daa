/**
 * Text for a terminal. A case file's title, a file name or a cell can hold escape sequences that
 * set the window title, move the cursor or rewrite lines already printed, and direction overrides
 * that reorder what follows; printed raw, a colleague's file could make `casefile info` say
 * anything. Each such character is shown as its `\uXXXX` escape instead. Inside a JSON string that
 * is the same character, so `--json` output stays exact for a program that parses it.
 */

// C0 controls but tab and newline, DEL, C1 controls (0x9B alone is a CSI on some terminals),
// bidi embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HAZARD_IN_LINES = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2028\u2029]/g;
// The same, and tab, newline: a piece of user text must not start a line of its own.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HAZARD_IN_FIELD = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2028\u2029]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** A line (or lines) of output, with every control character but newline and tab escaped. */
export function terminalLines(text: string): string {
  return text.replace(HAZARD_IN_LINES, escape);
}

/** One piece of user text inside a line: newlines and tabs escaped too, so it cannot forge a line. */
export function terminalField(text: string): string {
  return text.replace(HAZARD_IN_FIELD, escape);
}
