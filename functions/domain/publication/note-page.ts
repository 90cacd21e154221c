// The public HTML page of a published note: a complete document around the rendered Markdown. No
// script, no inline style (the site's note.css styles it) and no inline event handler, so it works under the strict
// Content-Security-Policy the public route sends (NOTE_PAGE_CSP).
import { escapeHtml, markdownToHtml } from './markdown-html.js';

/** Sent with every HTML page: nothing may load or run but same-origin styles and images. */
export const NOTE_PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface NotePageInput {
  noteId: string;
  title: string;
  publishedAt: string;
  updatedAt?: string;
  markdown: string;
  /** Absolute URLs of the machine-readable companions, and of the site's stylesheet for notes. */
  links: { csaf: string; json: string; cve: { cveId: string; url: string }[]; stylesheet?: string };
  coordinatorName: string;
}

const day = (iso: string) => escapeHtml(iso.slice(0, 10));

export function renderNotePage(p: NotePageInput): string {
  const body = markdownToHtml(p.markdown);
  // One sentence of links rather than a list: inline links keep the page usable by touch without a
  // stylesheet (WCAG 2.2 target size exempts links within text), and the page has none by design.
  const documents = [
    `<a href="${escapeHtml(p.links.csaf)}">the CSAF 2.0 advisory</a>`,
    `<a href="${escapeHtml(p.links.json)}">this note as JSON</a>`,
    ...p.links.cve.map((c) => `<a href="${escapeHtml(c.url)}">${escapeHtml(c.cveId)} (CVE JSON 5)</a>`),
  ];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(`${p.title} | ${p.coordinatorName}`)}</title>`,
    `<link rel="alternate" type="application/json" href="${escapeHtml(p.links.csaf)}" title="CSAF 2.0">`,
    // The site's stylesheet for notes (web/src/note.css); served from elsewhere, the page's CSP
    // refuses it and the page still reads.
    ...(p.links.stylesheet ? [`<link rel="stylesheet" href="${escapeHtml(p.links.stylesheet)}">`] : []),
    '</head>',
    '<body>',
    `<header><p>${escapeHtml(p.coordinatorName)} vulnerability note ${escapeHtml(p.noteId)}</p>`,
    `<p>Published <time datetime="${escapeHtml(p.publishedAt)}">${day(p.publishedAt)}</time>${p.updatedAt && p.updatedAt !== p.publishedAt ? `, updated <time datetime="${escapeHtml(p.updatedAt)}">${day(p.updatedAt)}</time>` : ''}</p></header>`,
    '<main>',
    '<article>',
    body,
    '</article>',
    '</main>',
    '<footer>',
    `<p>Also published as ${documents.slice(0, -1).join(', ')}${documents.length > 1 ? ' and ' : ''}${documents.at(-1) ?? ''}.</p>`,
    '</footer>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}
