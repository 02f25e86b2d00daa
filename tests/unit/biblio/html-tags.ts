/**
 * The tags of an HTML string, for asserting what rendered output contains without a DOM. Every
 * `<` must open or close a tag here; a `<` that does not (markup the scanner cannot read) throws,
 * so a test never passes on output it could not inspect.
 */
export type Tag = { name: string; closing: boolean; attrs: { name: string; value: string | null }[] };

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/y;
const ATTR = /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function tagsOf(html: string): Tag[] {
  const tags: Tag[] = [];
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    TAG.lastIndex = i;
    const m = TAG.exec(html);
    if (!m) throw new Error(`unreadable markup at ${i}: ${JSON.stringify(html.slice(i, i + 40))}`);
    const attrs = [...m[3]!.matchAll(ATTR)].map((a) => ({
      name: a[1]!.toLowerCase(),
      value: a[2] ?? a[3] ?? a[4] ?? null,
    }));
    tags.push({ name: m[2]!.toLowerCase(), closing: m[1] === '/', attrs });
  }
  return tags;
}

/** Tags and attributes a rendered note may hold, and the link targets it may point to. */
export const NOTE_TAGS = new Set([
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
  's',
  'a',
  'span',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);
const NOTE_ATTRS = new Set(['href', 'title', 'class', 'data-cites', 'rel', 'start', 'style']);

/** The reasons `html` is not a safe rendered note; empty when it is. */
export function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  for (const tag of tagsOf(html)) {
    if (!NOTE_TAGS.has(tag.name)) problems.push(`tag <${tag.name}>`);
    for (const a of tag.attrs) {
      if (!NOTE_ATTRS.has(a.name)) problems.push(`attribute ${a.name} on <${tag.name}>`);
      if (a.name === 'href' && !/^(https?:\/\/|mailto:)/i.test(a.value ?? '')) problems.push(`href ${a.value}`);
      // markdown-it writes table alignment as style="text-align:..."; nothing else may use style.
      if (a.name === 'style' && !/^text-align:(left|right|center)$/.test(a.value ?? ''))
        problems.push(`style ${a.value}`);
    }
  }
  return problems;
}
