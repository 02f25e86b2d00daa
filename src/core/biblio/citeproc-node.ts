import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CSL_STYLES,
  DEFAULT_STYLE,
  renderCitationsWith,
  type CitationClusterInput,
  type CslResources,
  type CslStyleName,
  type RenderOptions,
  type RenderResult,
} from './citeproc';
import type { CslItem } from './types';

/**
 * The Node side of citeproc.ts: reads the bundled styles and locale from resources/csl/. The
 * folder is found from the working directory (tests, browser mode, `npm start`) or from this
 * file (the source tree); a packaged app passes its resources path to `loadCslResources`.
 */
export function defaultCslDir(): string {
  const candidates = [resolve(process.cwd(), 'resources', 'csl')];
  try {
    candidates.push(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'resources', 'csl'));
  } catch {
    // bundled without a file URL: the working directory is all there is
  }
  return candidates.find((d) => existsSync(join(d, 'locales-en-US.xml'))) ?? candidates[0]!;
}

export function loadCslResources(dir: string = defaultCslDir()): CslResources {
  const styles: CslResources['styles'] = {};
  for (const name of CSL_STYLES) styles[name] = readFileSync(join(dir, `${name}.csl`), 'utf8');
  return { styles, locales: { 'en-US': readFileSync(join(dir, 'locales-en-US.xml'), 'utf8') } };
}

let cached: { dir: string; resources: CslResources } | null = null;

/** Citations and bibliography with the bundled styles (read once per folder). */
export function renderCitations(
  items: readonly CslItem[],
  clusters: readonly CitationClusterInput[],
  style: CslStyleName = DEFAULT_STYLE,
  format: 'html' | 'text' = 'text',
  options: RenderOptions & { dir?: string } = {},
): RenderResult {
  const dir = options.dir ?? defaultCslDir();
  if (!cached || cached.dir !== dir) cached = { dir, resources: loadCslResources(dir) };
  return renderCitationsWith(cached.resources, items, clusters, style, format, options);
}
