import type { Config, DOMPurify } from 'dompurify';

/**
 * The last gate before rendered notes and bibliographies reach the DOM. renderNote already shows
 * raw HTML as text and drops unsafe links; this catches whatever a future change, a citeproc style
 * or a markdown-it plugin lets through. The DOMPurify instance is passed in (the renderer's, bound
 * to `window`; a test's, bound to jsdom) so this module touches no DOM itself.
 *
 * An allowlist, not DOMPurify's defaults: those keep `<form>`, `<button>`, `<input>`, `<svg>`,
 * `<math>`, `<style>` and remote `<img>`, none of which belongs in a note.
 */
export const NOTE_ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'code',
  'ul',
  'ol',
  'li',
  'em',
  'strong',
  'i',
  'b',
  's',
  'del',
  'sup',
  'sub',
  'a',
  'span',
  'div',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
] as const;

export const NOTE_FORBIDDEN_TAGS = [
  'script',
  'style',
  'link',
  'meta',
  'base',
  'template',
  'noscript',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'button',
  'input',
  'textarea',
  'select',
  'option',
  'label',
  'svg',
  'math',
  'img',
  'picture',
  'source',
  'video',
  'audio',
  'track',
  'canvas',
  'portal',
  'dialog',
] as const;

export const NOTE_SANITIZE_CONFIG: Config = {
  ALLOWED_TAGS: [...NOTE_ALLOWED_TAGS],
  FORBID_TAGS: [...NOTE_FORBIDDEN_TAGS],
  ALLOWED_ATTR: ['href', 'title', 'class', 'data-cites', 'dir', 'lang', 'start', 'colspan', 'rowspan', 'rel'],
  FORBID_ATTR: ['style', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'ping', 'target', 'id', 'name'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // Only web and mail links survive; relative, file:, data:, javascript: and the rest are dropped.
  ALLOWED_URI_REGEXP: /^(?:https?:\/\/|mailto:)/i,
  // DOMPurify checks every attribute not marked URI-safe against ALLOWED_URI_REGEXP: without this
  // line the strict pattern above also removed rel="noopener" and data-cites="key".
  ADD_URI_SAFE_ATTR: ['rel', 'data-cites', 'title', 'dir', 'lang', 'start', 'colspan', 'rowspan'],
  SAFE_FOR_TEMPLATES: false,
  WHOLE_DOCUMENT: false,
  RETURN_DOM: false,
  RETURN_DOM_FRAGMENT: false,
  RETURN_TRUSTED_TYPE: false,
};

/** The DOMPurify methods used here, so that any DOMPurify 3 instance (or a test double) fits. */
export type Purifier = Pick<DOMPurify, 'sanitize' | 'isSupported'>;

/**
 * Sanitized HTML for a note or a bibliography. Throws when the DOMPurify instance has no DOM to
 * work with: DOMPurify then returns its input unchanged, which must never reach the page.
 */
export function sanitizeNoteHtml(purify: Purifier, html: string): string {
  if (!purify.isSupported) throw new Error('DOMPurify has no DOM here: refusing to pass HTML through unsanitized');
  return String(purify.sanitize(html, { ...NOTE_SANITIZE_CONFIG, RETURN_DOM: false, RETURN_DOM_FRAGMENT: false }));
}
