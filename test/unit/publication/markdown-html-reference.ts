// The Markdown renderer as it stood before its scans were made linear (functions/domain/publication/
// markdown-html.ts), kept verbatim as the oracle of the differential property test: on inputs small
// enough for its quadratic scans, the renderer must produce exactly what this one did. Not for use.
// A small, strict Markdown → HTML renderer for the subset the note uses (renderNoteMarkdown, and
// what a coordinator is likely to type into a draft): ATX headings, paragraphs, bullet and numbered
// lists, pipe tables, blockquotes, fenced code, inline code, **strong**, *emphasis*, autolinks
// `<https://…>`, `[text](https://…)` links and backslash escapes. Everything else is text, and every
// piece of text is HTML-escaped on the way out: no raw HTML passes through, and only absolute
// http(s) URLs become links (a `javascript:` or `data:` link is rendered as the literal text).

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and for double- or single-quoted attribute values. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** An absolute http(s) URL, normalised by the WHATWG parser; anything else is null. */
export function safeHref(raw: string): string | null {
  // Control characters and whitespace inside a URL are how scheme filters get bypassed ("java\tscript:").
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.href;
}

export const linkHtml = (href: string, text: string): string =>
  `<a href="${escapeHtml(href)}" rel="nofollow noopener noreferrer">${text}</a>`;

/** ASCII punctuation: what a backslash may escape (CommonMark). */
const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

/** Deepest nesting of blockquotes and inline emphasis we render; deeper input stays text. */
const MAX_DEPTH = 8;

// ---- inline ---------------------------------------------------------------------------------

export function renderInline(text: string, depth = 0, allowLinks = true): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    const rest = text.slice(i);
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== undefined && ESCAPABLE.test(next)) {
        out += escapeHtml(next);
        i += 2;
        continue;
      }
      out += '\\';
      i += 1;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(rest)?.[0] ?? '`';
      const close = text.indexOf(run, i + run.length);
      if (close > 0) {
        const code = text.slice(i + run.length, close);
        out += `<code>${escapeHtml(code.length > 2 && code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code)}</code>`;
        i = close + run.length;
        continue;
      }
      out += escapeHtml(run);
      i += run.length;
      continue;
    }
    if (c === '<' && allowLinks) {
      const auto = /^<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>/.exec(rest);
      const href = auto?.[1] !== undefined ? safeHref(auto[1]) : null;
      if (auto && href) {
        out += linkHtml(href, escapeHtml(auto[1] ?? ''));
        i += auto[0].length;
        continue;
      }
    }
    if (c === '[' && allowLinks && depth < MAX_DEPTH) {
      const link = /^\[((?:\\.|[^\\\]\n])*)\]\(([^()\s]*)\)/.exec(rest);
      const href = link?.[2] !== undefined ? safeHref(link[2]) : null;
      if (link && href) {
        out += linkHtml(href, renderInline(link[1] ?? '', depth + 1, false));
        i += link[0].length;
        continue;
      }
    }
    if (c === '*' && depth < MAX_DEPTH) {
      const strong = /^\*\*(?=\S)((?:\\.|[^\\*])+?)\*\*/.exec(rest);
      if (strong && !/\s$/.test(strong[1] ?? '')) {
        out += `<strong>${renderInline(strong[1] ?? '', depth + 1, allowLinks)}</strong>`;
        i += strong[0].length;
        continue;
      }
      const em = /^\*(?=[^\s*])((?:\\.|[^\\*])+?)\*/.exec(rest);
      if (em && !/\s$/.test(em[1] ?? '')) {
        out += `<em>${renderInline(em[1] ?? '', depth + 1, allowLinks)}</em>`;
        i += em[0].length;
        continue;
      }
    }
    out += escapeHtml(c);
    i += 1;
  }
  return out;
}

// ---- blocks ---------------------------------------------------------------------------------

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const BULLET = /^ {0,3}[-*+][ \t]+(.*)$/;
const ORDERED = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/;
const QUOTE = /^ {0,3}>[ ]?(.*)$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const TABLE_SEPARATOR = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const RULE = /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;

const isBlank = (line: string) => line.trim() === '';

/** Splits a table row on the pipes that are not backslash-escaped or inside code. */
export function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '\\' && i + 1 < s.length) {
      cell += c + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '`') inCode = !inCode;
    if (c === '|' && !inCode) {
      cells.push(cell);
      cell = '';
      continue;
    }
    cell += c;
  }
  if (cell.trim() !== '' || !s.endsWith('|')) cells.push(cell);
  return cells.map((x) => x.trim());
}

const startsBlock = (line: string, next: string | undefined): boolean =>
  HEADING.test(line) ||
  BULLET.test(line) ||
  ORDERED.test(line) ||
  QUOTE.test(line) ||
  FENCE.test(line) ||
  RULE.test(line) ||
  (line.includes('|') && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes('-'));

function renderBlocks(lines: readonly string[], depth: number): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const next = lines[i + 1];
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1] ?? '```';
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').trimStart().startsWith(marker)) body.push(lines[i++] ?? '');
      i++; // the closing fence (or the end)
      out.push(`<pre><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = (heading[1] ?? '#').length;
      out.push(`<h${level}>${renderInline(heading[2] ?? '', 0)}</h${level}>`);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? '')) inner.push(QUOTE.exec(lines[i++] ?? '')?.[1] ?? '');
      out.push(
        depth < MAX_DEPTH
          ? `<blockquote>\n${renderBlocks(inner, depth + 1)}\n</blockquote>`
          : `<blockquote><p>${escapeHtml(inner.join('\n'))}</p></blockquote>`,
      );
      continue;
    }
    if (BULLET.test(line) || ORDERED.test(line)) {
      const ordered = !BULLET.test(line);
      const pattern = ordered ? ORDERED : BULLET;
      const items: string[] = [];
      const start = ordered ? Number(ORDERED.exec(line)?.[1] ?? '1') : 1;
      while (i < lines.length && pattern.test(lines[i] ?? '')) {
        const m = pattern.exec(lines[i++] ?? '');
        let item = (ordered ? m?.[2] : m?.[1]) ?? '';
        // Lazy continuation lines belong to the item.
        while (i < lines.length && !isBlank(lines[i] ?? '') && !startsBlock(lines[i] ?? '', lines[i + 1]))
          item += `\n${(lines[i++] ?? '').trim()}`;
        items.push(`<li>${renderInline(item, 0)}</li>`);
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}${ordered && start !== 1 ? ` start="${start}"` : ''}>\n${items.join('\n')}\n</${tag}>`);
      continue;
    }
    if (line.includes('|') && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes('-')) {
      const header = splitRow(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && !isBlank(lines[i] ?? '') && (lines[i] ?? '').includes('|')) rows.push(splitRow(lines[i++] ?? ''));
      const cell = (tag: 'th' | 'td', text: string | undefined) => `<${tag}>${renderInline(text ?? '', 0)}</${tag}>`;
      const head = `<thead>\n<tr>${header.map((h) => cell('th', h)).join('')}</tr>\n</thead>`;
      const body = rows.map((r) => `<tr>${header.map((_, c) => cell('td', r[c])).join('')}</tr>`).join('\n');
      out.push(`<table>\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`);
      continue;
    }
    const para: string[] = [line.trim()];
    i++;
    while (i < lines.length && !isBlank(lines[i] ?? '') && !startsBlock(lines[i] ?? '', lines[i + 1])) para.push((lines[i++] ?? '').trim());
    out.push(`<p>${para.map((l) => renderInline(l, 0)).join('<br>\n')}</p>`);
  }
  return out.join('\n');
}

/** Renders the note's Markdown to an HTML fragment in which no input can become markup of its own. */
export function markdownToHtml(markdown: string): string {
  // NUL and other C0 controls (but tab/newline) have no business in a note; they are dropped.
  const clean = markdown.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  return renderBlocks(clean.split('\n'), 0);
}
