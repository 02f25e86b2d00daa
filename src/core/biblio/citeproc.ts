import CSL, { type Citation, type CitationItem, type Engine } from 'citeproc';
import type { CslItem } from './types';

/**
 * Citations and bibliographies with citeproc-js, offline: the CSL style and locale come in as
 * XML strings. Nothing here reads files or touches the DOM, so the same code runs in the core
 * (citeproc-node.ts reads resources/csl/) and in the renderer (import the files with Vite `?raw`
 * and call `renderCitationsWith` or `citationRenderer`).
 */

export type CslStyleName = 'chicago-author-date' | 'apa';
export const CSL_STYLES: readonly CslStyleName[] = ['chicago-author-date', 'apa'];
export const DEFAULT_STYLE: CslStyleName = 'chicago-author-date';

/** Style XML by name, locale XML by tag ('en-US'). */
export type CslResources = { styles: Partial<Record<CslStyleName, string>>; locales: Record<string, string> };

export type CiteRef = {
  id: string;
  locator?: string;
  label?: string;
  prefix?: string;
  suffix?: string;
  /** The author is named in the sentence: print only the date part ("(2024, 4)"). */
  suppressAuthor?: boolean;
};
export type CitationClusterInput = {
  id: string;
  items: CiteRef[];
  /** Pandoc's `@key says`: "Smith (2024, 4)" instead of "(Smith 2024, 4)". One item only. */
  inText?: boolean;
};
export type RenderOptions = {
  /** 'cited' (default): the works cited in the clusters; 'all': every item given. */
  bibliography?: 'cited' | 'all';
  locale?: string;
};
export type RenderResult = {
  /** Formatted citation by cluster id; '' for a cluster none of whose items is known. */
  citations: Record<string, string>;
  bibliography: string[];
  /** Cited ids that are not among the items (the caller flags them in the note). */
  missing: string[];
};

type EngineState = { byId: Map<string, CslItem> };
type CachedEngine = { engine: Engine; state: EngineState };

/**
 * Building an engine parses and expands the style: about 30 ms for Chicago, one to two seconds
 * for APA 7 (its macros expand to a large token tree). A note preview re-renders on every edit,
 * so engines are built once per style, format and locale and reset between calls; the items
 * reach the engine through `state`, which each call replaces.
 */
const engines = new WeakMap<CslResources, Map<string, CachedEngine>>();

function engineFor(resources: CslResources, styleXml: string, lang: string, format: 'html' | 'text'): CachedEngine {
  let byKey = engines.get(resources);
  if (!byKey) engines.set(resources, (byKey = new Map()));
  const key = `${styleXml.length}:${hash(styleXml)}\u0000${lang}\u0000${format}`;
  let cached = byKey.get(key);
  if (!cached) {
    const state: EngineState = { byId: new Map() };
    const sys = {
      retrieveLocale: (l: string) =>
        resources.locales[l] ?? (l.split('-')[0] === lang.split('-')[0] ? resources.locales[lang] : undefined),
      retrieveItem: (id: string) => state.byId.get(id) as Record<string, unknown>,
    };
    const engine = new CSL.Engine(sys, styleXml, lang, true);
    engine.setOutputFormat(format);
    cached = { engine, state };
    byKey.set(key, cached);
  }
  return cached;
}

/** FNV-1a over the style text: the cache must not hand out an engine built from another style. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const AUTHOR = '\u0000author';
const DATE = '\u0000date';

export function renderCitationsWith(
  resources: CslResources,
  items: readonly CslItem[],
  clusters: readonly CitationClusterInput[],
  style: CslStyleName = DEFAULT_STYLE,
  format: 'html' | 'text' = 'text',
  options: RenderOptions = {},
): RenderResult {
  const styleXml = resources.styles[style];
  if (!styleXml) throw new Error(`citation style "${style}" is not loaded`);
  const lang = options.locale ?? 'en-US';
  // citeproc-js may annotate the objects it is given: it gets copies.
  const byId = new Map<string, CslItem>(items.map((i) => [String(i.id), JSON.parse(JSON.stringify(i)) as CslItem]));
  const { engine, state } = engineFor(resources, styleXml, lang, format);
  state.byId = byId;
  // Back to an empty processor: no citation, item or disambiguation left from the last call.
  engine.restoreProcessorState([]);

  const missing = new Set<string>();
  const citations: Record<string, string> = {};
  const batch: Citation[] = [];
  for (const cluster of clusters) {
    const known = cluster.items.filter((c) => {
      if (byId.has(c.id)) return true;
      missing.add(c.id);
      return false;
    });
    citations[cluster.id] = '';
    if (known.length === 0) continue;
    const cite = (c: CiteRef, extra: Partial<CitationItem> = {}): CitationItem => ({
      id: c.id,
      ...(c.locator ? { locator: c.locator, label: c.label ?? 'page' } : {}),
      ...(c.prefix ? { prefix: c.prefix } : {}),
      ...(c.suffix ? { suffix: c.suffix } : {}),
      ...(c.suppressAuthor ? { 'suppress-author': true } : {}),
      ...extra,
    });
    if (cluster.inText && known.length === 1) {
      // A narrative citation is the author alone, then the citation without the author.
      const only = known[0]!;
      batch.push({
        citationID: cluster.id + AUTHOR,
        citationItems: [cite({ id: only.id }, { 'author-only': true })],
        properties: { noteIndex: 0 },
      });
      batch.push({
        citationID: cluster.id + DATE,
        citationItems: [cite(only, { 'suppress-author': true })],
        properties: { noteIndex: 0 },
      });
    } else {
      batch.push({ citationID: cluster.id, citationItems: known.map((c) => cite(c)), properties: { noteIndex: 0 } });
    }
  }

  const cited = new Set(batch.flatMap((b) => b.citationItems.map((c) => c.id)));
  const uncited = options.bibliography === 'all' ? [...byId.keys()].filter((id) => !cited.has(id)) : [];
  const out = new Map<string, string>();
  if (batch.length > 0 || uncited.length > 0) {
    // Uncited items first: they take part in disambiguation (2024a, 2024b) of the citations.
    if (uncited.length > 0) engine.updateUncitedItems(uncited);
    for (const [id, , text] of engine.rebuildProcessorState(batch, format, uncited)) out.set(id, text);
  }
  for (const cluster of clusters) {
    if (out.has(cluster.id)) citations[cluster.id] = out.get(cluster.id)!;
    else if (out.has(cluster.id + AUTHOR)) {
      citations[cluster.id] = `${out.get(cluster.id + AUTHOR)} ${out.get(cluster.id + DATE) ?? ''}`.trim();
    }
  }

  let bibliography: string[] = [];
  if (cited.size > 0 || uncited.length > 0) {
    const bib = engine.makeBibliography();
    if (bib) bibliography = bib[1].map((entry) => entry.trim());
  }
  return { citations, bibliography, missing: [...missing] };
}

/** `renderCitationsWith` bound to loaded resources: the signature the rest of the app calls. */
export function citationRenderer(resources: CslResources) {
  return (
    items: readonly CslItem[],
    clusters: readonly CitationClusterInput[],
    style: CslStyleName = DEFAULT_STYLE,
    format: 'html' | 'text' = 'text',
    options: RenderOptions = {},
  ): RenderResult => renderCitationsWith(resources, items, clusters, style, format, options);
}
