/**
 * The parts of citation-js and citeproc-js used in src/core/biblio: neither ships type
 * declarations. Kept to what is called, so a wrong call is still a compile error.
 */

declare module '@citation-js/core' {
  type CslData = Record<string, unknown>;
  type ChainOptions = { forceType?: string; generateGraph?: boolean; strict?: boolean; target?: string };
  export class Cite {
    constructor(data?: unknown, options?: Record<string, unknown>);
    data: CslData[];
    format(format: 'biblatex' | 'bibtex' | 'ris' | 'data', options?: Record<string, unknown>): unknown;
  }
  export const plugins: {
    input: {
      chain(input: unknown, options?: ChainOptions): CslData[];
      data(input: unknown, type: string): unknown;
    };
    config: { get(plugin: string): unknown };
  };
  /** Silent by default, but it keeps every message in `_log` for the life of the process. */
  export const logger: { _log: unknown[]; level: string };
}

declare module '@citation-js/plugin-bibtex' {}
declare module '@citation-js/plugin-ris' {}

declare module 'citeproc' {
  type Sys = {
    retrieveLocale(lang: string): string | undefined;
    retrieveItem(id: string): Record<string, unknown>;
  };
  export type CitationItem = {
    id: string;
    locator?: string;
    label?: string;
    prefix?: string;
    suffix?: string;
    'suppress-author'?: boolean;
    'author-only'?: boolean;
  };
  export type Citation = { citationID: string; citationItems: CitationItem[]; properties: { noteIndex: number } };
  type BibliographyMeta = { bibliography_errors: unknown[]; entry_ids: string[][] };
  export type Engine = {
    setOutputFormat(format: 'html' | 'text' | 'rtf'): void;
    updateItems(ids: string[]): void;
    updateUncitedItems(ids: string[]): void;
    rebuildProcessorState(
      citations: Citation[],
      mode?: 'html' | 'text' | 'rtf',
      uncitedItemIDs?: string[],
    ): [string, number, string][];
    makeBibliography(): [BibliographyMeta, string[]] | false;
    /** With no citations: back to an empty processor (registry, disambiguation, temporary state). */
    restoreProcessorState(citations?: Citation[]): unknown;
  };
  const CSL: { Engine: new (sys: Sys, style: string, lang?: string, forceLang?: boolean) => Engine };
  export default CSL;
}
