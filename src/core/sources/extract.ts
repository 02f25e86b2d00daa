import iconv from 'iconv-lite';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { CasefileError } from '../errors';

/**
 * The text of an attached source file, so that quoted passages can be found in it again. The
 * file is someone else's: HTML is parsed (parse5, the WHATWG algorithm) and only its text nodes
 * are read, nothing in it is run or fetched; a PDF is read by pdf.js with evaluation and font
 * loading off. Pages of a PDF are separated by a form feed, so a passage's page can be counted.
 */

export type FileKind = 'pdf' | 'html' | 'text';
export type Extracted = { kind: FileKind; mediaType: string; text: string | null; warning: string | null };

const MEDIA: Record<FileKind, string> = { pdf: 'application/pdf', html: 'text/html', text: 'text/plain' };
export const PAGE_BREAK = '\f';

/**
 * What the bytes are, by their content first (a file's name and declared type are what the
 * sender says): PDF by its signature, HTML by its first tag, text when it decodes as text.
 */
export function sniffKind(bytes: Uint8Array, name: string, declared: string): FileKind {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  const lower = head
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  if (
    /^<(!doctype html|html|head|body|meta|title|!--)/.test(lower) ||
    /\.x?html?$/i.test(name) ||
    /html/i.test(declared)
  ) {
    if (!looksBinary(bytes)) return 'html';
  }
  if (!looksBinary(bytes)) return 'text';
  throw new CasefileError(
    'validation',
    `${name}: only PDF, HTML and text files can be attached (this looks like ${declared || 'a binary file'})`,
  );
}

/** NUL bytes in the first 8 KB, outside UTF-16 text, mean a binary format. */
function looksBinary(bytes: Uint8Array): boolean {
  if (utf16Bom(bytes)) return false;
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

function utf16Bom(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * Bytes as text: a byte-order mark decides; else UTF-8 if the bytes are valid UTF-8; else the
 * charset the document names; else Windows-1252, what untagged Western text usually is.
 */
export function decodeText(bytes: Uint8Array, charsetHint: string | null = null): string {
  const bom = utf16Bom(bytes);
  if (bom) return iconv.decode(Buffer.from(bytes.subarray(2)), bom);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const cs = charsetHint && iconv.encodingExists(charsetHint) ? charsetHint : 'windows-1252';
    return iconv.decode(Buffer.from(bytes), cs);
  }
}

function htmlCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head);
  return m ? m[1]!.toLowerCase() : null;
}

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Elements whose content is not text a reader sees. */
const SKIP = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'head',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'canvas',
  'select',
  'button',
  'textarea',
]);
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'figure',
  'figcaption',
  'address',
  'hr',
  'form',
  'fieldset',
  'details',
  'summary',
]);

/** The visible text of an HTML document: text nodes in order, blocks on their own lines. */
export function htmlToText(html: string): string {
  const doc = parse(html, { scriptingEnabled: false });
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeName === '#text') {
      out.push((node as DefaultTreeAdapterMap['textNode']).value.replace(/\s+/g, ' '));
      return;
    }
    const el = node as Element;
    if (SKIP.has(el.tagName ?? '')) return;
    const tag = el.tagName ?? '';
    if (tag === 'br') out.push('\n');
    const block = BLOCK.has(tag);
    if (block) out.push('\n');
    if (tag === 'pre') {
      out.push(rawText(el));
    } else {
      const kids = 'childNodes' in el ? el.childNodes : [];
      // <template> keeps its children in .content; it is skipped above.
      for (const c of kids) walk(c);
    }
    if (block) out.push('\n');
  };
  walk(doc as unknown as Node);
  return out
    .join('')
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function rawText(el: Element): string {
  let s = '';
  for (const c of el.childNodes) {
    if (c.nodeName === '#text') s += (c as DefaultTreeAdapterMap['textNode']).value;
    else if ('childNodes' in c) s += rawText(c as Element);
  }
  return s;
}

/** Stop reading a PDF after this many pages: the rest is stored, just not searchable. */
const MAX_PDF_PAGES = 2000;

type PdfTextItem = { str?: string; hasEOL?: boolean };

/** Pages read so far, for progress (a long PDF is read in a task worker: see extract-task.ts). */
export type OnPage = (done: number, total: number) => void;

/**
 * A PDF's text, page by page. Returns null text (with the reason) for a PDF that has none to
 * give: scanned pages, or a password (the file is kept: it is the source, only its text is
 * locked). A file pdf.js cannot read as a PDF at all is refused, naming the file.
 */
export async function pdfToText(
  bytes: Uint8Array,
  signal?: AbortSignal,
  onPage?: OnPage,
  name = 'the PDF',
): Promise<{ text: string | null; warning: string | null }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    // pdf.js 6 dropped isEvalSupported with the eval-compiled font path it switched off: no
    // code path of the reader builds functions from a PDF's contents any more.
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const pages: string[] = [];
    const n = Math.min(doc.numPages, MAX_PDF_PAGES);
    for (let i = 1; i <= n; i++) {
      if (signal?.aborted) throw new CasefileError('refused', 'Cancelled');
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      pages.push((content.items as PdfTextItem[]).map((it) => (it.str ?? '') + (it.hasEOL ? '\n' : '')).join(''));
      page.cleanup();
      onPage?.(i, n);
    }
    const text = pages.join(`\n${PAGE_BREAK}\n`);
    const warning =
      text.replace(/\s+/g, '').length === 0
        ? `${name} has no text layer (scanned pages?): it is stored, but quoted passages cannot be found in it`
        : doc.numPages > n
          ? `${name}: only the first ${n} of ${doc.numPages} pages were read for text`
          : null;
    return { text: warning?.endsWith('cannot be found in it') ? null : text, warning };
  } catch (e) {
    if (e instanceof CasefileError) throw e;
    if ((e as { name?: string }).name === 'PasswordException') {
      return {
        text: null,
        warning: `${name} is password-protected: it is stored, but its text cannot be read, so quoted passages cannot be found in it`,
      };
    }
    throw new CasefileError(
      'validation',
      `${name} is not a PDF that can be read (${String((e as Error).message).slice(0, 200)}); it was not attached`,
    );
  } finally {
    await task.destroy();
  }
}

/** The kind, media type and text of an attached file. */
export async function extractText(
  bytes: Uint8Array,
  name: string,
  declared: string,
  signal?: AbortSignal,
  onPage?: OnPage,
): Promise<Extracted> {
  const kind = sniffKind(bytes, name, declared);
  const mediaType = MEDIA[kind];
  if (kind === 'pdf') return { kind, mediaType, ...(await pdfToText(bytes, signal, onPage, name)) };
  if (kind === 'html')
    return { kind, mediaType, text: htmlToText(decodeText(bytes, htmlCharset(bytes))), warning: null };
  return { kind, mediaType, text: decodeText(bytes).replace(/\r\n?/g, '\n'), warning: null };
}
