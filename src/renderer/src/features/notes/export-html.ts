/**
 * A rendered note as a standalone HTML file. The body is the preview's sanitized HTML; the page
 * carries its own Content-Security-Policy so that, wherever it is opened, it runs no script,
 * loads nothing and submits nothing.
 */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

export function standaloneHtml(title: string, bodyHtml: string, bibliographyHtml: string): string {
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: 'Noto Serif', Georgia, serif; max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #1d2733; }
h1, h2 { font-family: system-ui, sans-serif; }
p, li, blockquote, h1, .csl-entry { unicode-bidi: plaintext; }
blockquote { border-inline-start: 3px solid #ccd; margin-inline-start: 0; padding-inline-start: 1em; color: #444; }
.citation { unicode-bidi: isolate; }
.citation-unresolved { color: #9b1c1c; }
.csl-entry { padding-inline-start: 2em; text-indent: -2em; margin-bottom: 0.5em; }
.image-alt { font-style: italic; color: #666; }
</style>
</head>
<body>
<article>
<h1 dir="auto">${escapeHtml(title)}</h1>
${bodyHtml}
${bibliographyHtml ? `<h2>References</h2>\n<div class="bibliography">${bibliographyHtml}</div>` : ''}
</article>
</body>
</html>
`;
}
