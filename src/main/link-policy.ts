/**
 * Which addresses may leave the app for the system browser, and what the analyst is asked first.
 * No electron import: the rules are unit tested in plain Node; security.ts applies them.
 */

/** An http(s) address without credentials that is not one of our own pages, parsed; else null. */
export function webAddress(raw: string, isOwnPage: (href: string) => boolean): URL | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || isOwnPage(u.href)) return null;
  return u;
}

/** Longest address a message box shows whole; beyond it, the start and the end with the cut said. */
const SHOWN_MAX = 2000;

/**
 * The question asked before an address is handed to the browser. The address is the parsed one
 * (a look-alike host shows as punycode, xn--…), whole, with invisible direction controls shown as
 * code points; button 1 opens, anything else (0, Escape, closing the box) does not.
 */
export function askToOpen(u: URL): {
  type: 'question';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: boolean;
} {
  const href = u.href.replace(
    /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g,
    (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase()}⟩`,
  );
  const shown =
    href.length <= SHOWN_MAX
      ? href
      : `${href.slice(0, SHOWN_MAX - 200)} … (${(href.length - SHOWN_MAX + 1).toLocaleString('en')} characters not shown) … ${href.slice(-199)}`;
  return {
    type: 'question',
    title: 'Open link',
    message: `Open this address in your web browser? It leaves Casefile for ${u.host}.`,
    detail: shown,
    buttons: ['Cancel', 'Open in browser'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}
