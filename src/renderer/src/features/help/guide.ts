import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';
import { sanitizeNoteHtml } from '../../../../shared/markdown/sanitize';
import userGuide from '../../../../../docs/user-guide.md?raw';
import notices from '../../../../../THIRD_PARTY_NOTICES.md?raw';

/**
 * The user guide is docs/user-guide.md's sections, and About shows THIRD_PARTY_NOTICES.md, both
 * bundled at build time. Markdown is rendered with raw HTML off and then sanitised like a note.
 */
const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

const GUIDE_SECTIONS = ['What the workbench does', 'Command line'];

/** The guide's sections named above, in that order, each from its heading to the next one. */
export function guideMarkdown(source = userGuide): string {
  const parts = source.split(/^(?=## )/m);
  return GUIDE_SECTIONS.map((title) => parts.find((p) => p.startsWith(`## ${title}`)))
    .filter((p): p is string => !!p)
    .join('\n');
}

export const renderMarkdown = (text: string): string => sanitizeNoteHtml(DOMPurify, md.render(text));

export const guideHtml = (): string => renderMarkdown(guideMarkdown());
export const noticesHtml = (): string => renderMarkdown(notices);
