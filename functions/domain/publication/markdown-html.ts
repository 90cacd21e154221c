// A small, strict Markdown → HTML renderer for the subset the note uses (renderNoteMarkdown, and
// what a coordinator is likely to type into a draft): ATX headings, paragraphs, bullet and numbered
// lists, pipe tables, blockquotes, fenced code, inline code, **strong**, *emphasis*, autolinks
// `<https://…>`, `[text](https://…)` links and backslash escapes. Everything else is text, and every
// piece of text is HTML-escaped on the way out: no raw HTML passes through, and only absolute
// http(s) URLs become links (a `javascript:` or `data:` link is rendered as the literal text).
//
// Rendering takes time linear in the input: drafts reach 128 KB (MAX_MARKDOWN) and are rendered in
// the publication Lambda and in participants' browsers, so no scan may start over from each opener
// (bench/markdown.ts times inputs made to try). It is our own code rather than markdown-it or
// micromark, which can also keep raw HTML out, because those weigh about 147 KB and 87 KB minified
// (micromark before its table extension) while the publish-note bundle has about 3 KB left under
// its 1.25x-of-floor target (bench/bundles.ts).

import { escapeHtml, linkHtml, safeHref } from './html-text.js';

export { escapeHtml, linkHtml, safeHref };

/** ASCII punctuation: what a backslash may escape (CommonMark). */
const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

/** Deepest nesting of blockquotes and inline emphasis we render; deeper input stays text. */
const MAX_DEPTH = 8;

// ---- inline ---------------------------------------------------------------------------------
//
// Every construct is found by a forward scan for its closer, and no character is scanned more than a
// few times per nesting level: a `[` remembers where its failed scan for `]` stopped, since every `[`
// before that point would stop at the same place; a code span finds its closing run by jumping over
// runs listed once; emphasis and autolinks scan only up to the next `*` or `<`, where the next
// attempt starts, and a link destination only up to the next `(` or `)`. What they match is what
// the patterns in the comments matched before the scans were bounded.

const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const STAR = 0x2a;

/** What a regex `.` does not match. */
const isLineBreak = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;

/** Length of the unit `\\.|[^\\…]` at j: 2 for a backslash pair, 1 for any other character, 0 for a lone backslash. */
const unit = (t: string, j: number): number =>
  t.charCodeAt(j) !== BACKSLASH ? 1 : j + 1 < t.length && !isLineBreak(t.charCodeAt(j + 1)) ? 2 : 0;

let scanned = 0;
/** Characters examined so far by the inline scans for closers; tests hold it to a small multiple of the input. */
export const inlineScanCount = (): number => scanned;

/** The first `*` at or after `from` that is not backslash-escaped, or -1 (a lone backslash or the end comes first). */
function starAfter(t: string, from: number): number {
  let j = from;
  while (j < t.length && t.charCodeAt(j) !== STAR) {
    const u = unit(t, j);
    if (u <= 0) break;
    j += u;
  }
  scanned += j - from + 1;
  return t.charCodeAt(j) === STAR ? j : -1;
}

/** The autolink and link-destination patterns, sticky: tried at one position, never searched for. */
const AUTOLINK = /<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>/y;
const DESTINATION = /\(([^()\s]*)\)/y;
const SPACE = /\s/;

/** `re` matched at exactly `at`, or null. */
function stickyAt(re: RegExp, t: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(t);
}

/**
 * Code-span closers: the first run of at least k backticks after a position, as indexOf(k backticks)
 * found it. Runs are listed once; from each, `longer` jumps to the next run that is strictly longer,
 * so a search passes fewer runs than its opener has backticks.
 */
function backtickRuns(t: string): (from: number, k: number) => number {
  const start: number[] = [];
  const len: number[] = [];
  for (let j = t.indexOf('`'); j >= 0; j = t.indexOf('`', j)) {
    const s = j;
    while (t.charCodeAt(j) === BACKTICK) j++;
    start.push(s);
    len.push(j - s);
  }
  scanned += t.length;
  const longer: number[] = new Array<number>(start.length);
  const stack: number[] = [];
  for (let r = start.length - 1; r >= 0; r--) {
    while (stack.length && (len[stack[stack.length - 1] ?? 0] ?? 0) <= (len[r] ?? 0)) stack.pop();
    longer[r] = stack[stack.length - 1] ?? start.length;
    stack.push(r);
  }
  let r = 0; // callers ask from positions that only grow
  return (from, k) => {
    while (r < start.length && (start[r] ?? 0) < from) r++;
    let q = r;
    while (q < start.length && (len[q] ?? 0) < k) {
      q = longer[q] ?? start.length;
      scanned++;
    }
    return q < start.length ? (start[q] ?? -1) : -1;
  };
}

export function renderInline(text: string, depth = 0, allowLinks = true): string {
  const n = text.length;
  const links = allowLinks && depth < MAX_DEPTH;
  let out = '';
  let plain = 0; // text[plain, i) is ordinary text not yet written
  let i = 0;
  let noLinkBefore = 0; // a `[` before this stops where an earlier one failed
  let closer: ReturnType<typeof backtickRuns> | undefined;
  while (i < n) {
    const c = text[i];
    let html: string | undefined; // markup that replaces text[i, next)
    let next = i + 1;
    if (c === '\\') {
      const escaped = text[i + 1];
      if (escaped !== undefined && ESCAPABLE.test(escaped)) {
        html = escapeHtml(escaped);
        next = i + 2;
      }
    } else if (c === '`') {
      let e = i;
      while (text.charCodeAt(e) === BACKTICK) e++;
      closer ??= backtickRuns(text);
      const close = closer(e, e - i);
      next = e;
      if (close >= 0) {
        const code = text.slice(e, close);
        html = `<code>${escapeHtml(code.length > 2 && code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code)}</code>`;
        next = close + e - i;
      }
    } else if (c === '<' && allowLinks) {
      const auto = stickyAt(AUTOLINK, text, i);
      const href = auto ? safeHref(auto[1] ?? '') : null;
      if (auto && href) {
        html = linkHtml(href, escapeHtml(auto[1] ?? ''));
        next = i + auto[0].length;
      }
    } else if (c === '[' && links && i >= noLinkBefore) {
      // /^\[((?:\\.|[^\\\]\n])*)\]\(([^()\s]*)\)/ with an http(s) destination
      let j = i + 1;
      while (j < n && text[j] !== ']' && text[j] !== '\n') {
        const u = unit(text, j);
        if (u <= 0) break;
        j += u;
      }
      scanned += j - i;
      const dest = text[j] === ']' ? stickyAt(DESTINATION, text, j + 1) : null;
      const href = dest ? safeHref(dest[1] ?? '') : null;
      if (dest && href) {
        html = linkHtml(href, renderInline(text.slice(i + 1, j), depth + 1, false));
        next = j + 1 + dest[0].length;
      } else noLinkBefore = j;
    } else if (c === '*' && depth < MAX_DEPTH) {
      // /^\*\*(?=\S)((?:\\.|[^\\*])+?)\*\*/ or /^\*(?=[^\s*])((?:\\.|[^\\*])+?)\*/, neither ending in a space
      const strong = text[i + 1] === '*';
      const from = i + (strong ? 2 : 1);
      const first = text[from] ?? ' ';
      const close = !SPACE.test(first) && (strong || first !== '*') ? starAfter(text, from) : -1;
      if (close > from && (!strong || text[close + 1] === '*') && !SPACE.test(text[close - 1] ?? '')) {
        const tag = strong ? 'strong' : 'em';
        html = `<${tag}>${renderInline(text.slice(from, close), depth + 1, allowLinks)}</${tag}>`;
        next = close + (strong ? 2 : 1);
      }
    }
    if (html !== undefined) {
      out += escapeHtml(text.slice(plain, i)) + html;
      plain = next;
    }
    i = next;
  }
  return out + escapeHtml(text.slice(plain));
}

// ---- blocks ---------------------------------------------------------------------------------

// The lookaheads after each run of blanks or fence characters change no match (the longest run was
// always the one that matched) but keep a line that fails, one holding U+2028 for instance, from
// backtracking into the run: without them such a line costs quadratic time.
const BULLET = /^ {0,3}[-*+][ \t]+(?![ \t])(.*)$/;
const ORDERED = /^ {0,3}(\d{1,9})[.)][ \t]+(?![ \t])(.*)$/;
const QUOTE = /^ {0,3}>[ ]?(.*)$/;
const FENCE = /^ {0,3}(`{3,}(?!`)|~{3,}(?!~))(.*)$/;
const RULE = /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;
const SEPARATOR_CELL = /^[ \t]*:?-+:?[ \t]*$/;

const isBlankChar = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * An ATX heading: what /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/ matched, in one pass
 * (that pattern backtracks quadratically over a long run of blanks inside the line).
 */
function heading(line: string): { level: number; text: string } | null {
  if (/[\n\r\u2028\u2029]/.test(line)) return null; // `.` does not cross these

  let j = 0;
  while (j < 3 && line[j] === ' ') j++;
  const hashesFrom = j;
  while (line[j] === '#') j++;
  const level = j - hashesFrom;
  if (level < 1 || level > 6 || !(j === line.length || isBlankChar(line[j]))) return null;
  while (isBlankChar(line[j])) j++;
  let end = line.length;
  while (end > j && isBlankChar(line[end - 1])) end--;
  // A closing run of #s counts only when blanks separate it from the text.
  let k = end;
  while (k > j && line[k - 1] === '#') k--;
  if (k < end && k > j && isBlankChar(line[k - 1])) {
    end = k;
    while (isBlankChar(line[end - 1])) end--;
  }
  return { level, text: line.slice(j, end) };
}

/**
 * A table's delimiter row: what /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/
 * matched, cell by cell (that pattern backtracks quadratically over trailing blanks).
 */
function isTableSeparator(line: string): boolean {
  if (!line.includes('-')) return false;
  const lead = /^ {0,3}\|/.exec(line)?.[0].length ?? 0;
  const cells = line.slice(lead).split('|');
  if (cells.length > 1 && /^[ \t]*$/.test(cells[cells.length - 1] ?? '')) cells.pop();
  for (const c of cells) if (!SEPARATOR_CELL.test(c)) return false;
  return true;
}

const isTableStart = (line: string, next: string | undefined): boolean =>
  line.includes('|') && next !== undefined && isTableSeparator(next);

const isBlank = (line: string) => !/\S/.test(line);

/** Splits a table row on the pipes that are not backslash-escaped or inside code. */
export function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  const cells: string[] = [];
  let from = 0;
  let inCode = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '`') inCode = !inCode;
    else if (c === '|' && !inCode) {
      cells.push(s.slice(from, i).trim());
      from = i + 1;
    }
  }
  const last = s.slice(from).trim();
  if (last !== '' || !s.endsWith('|')) cells.push(last);
  return cells;
}

/** The first character of every block but a table, after at most three spaces: most lines fail this at once. */
const BLOCK_MARK = /^ {0,3}[-*+_#>`~\d]/;

const startsBlock = (line: string, next: string | undefined): boolean =>
  (BLOCK_MARK.test(line) &&
    (!!heading(line) || BULLET.test(line) || ORDERED.test(line) || QUOTE.test(line) || FENCE.test(line) || RULE.test(line))) ||
  isTableStart(line, next);

/**
 * Short table rows are padded with empty cells to the header's width, but only so many in a whole
 * note: a header thousands of cells wide over thousands of one-cell rows would otherwise grow the
 * page with the product of the two. Real tables pad far fewer; rows past the budget keep only the
 * cells they have.
 */
const MAX_PADDED_CELLS = 10_000;

interface Budget {
  padCells: number;
}

function renderBlocks(lines: readonly string[], depth: number, budget: Budget): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const next = lines[i + 1];
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fenced = FENCE.exec(line);
    if (fenced) {
      const marker = fenced[1] ?? '```';
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').trimStart().startsWith(marker)) body.push(lines[i++] ?? '');
      i++; // the closing fence (or the end)
      out.push(`<pre><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const h = heading(line);
    if (h) {
      out.push(`<h${h.level}>${renderInline(h.text, 0)}</h${h.level}>`);
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
      for (let q = QUOTE.exec(line); q; q = i < lines.length ? QUOTE.exec(lines[i] ?? '') : null) {
        inner.push(q[1] ?? '');
        i++;
      }
      out.push(
        depth < MAX_DEPTH
          ? `<blockquote>\n${renderBlocks(inner, depth + 1, budget)}\n</blockquote>`
          : `<blockquote><p>${escapeHtml(inner.join('\n'))}</p></blockquote>`,
      );
      continue;
    }
    const dash = BULLET.exec(line);
    const first = dash ?? ORDERED.exec(line);
    if (first) {
      const ordered = !dash;
      const pattern = ordered ? ORDERED : BULLET;
      const items: string[] = [];
      const start = ordered ? Number(first[1] ?? '1') : 1;
      for (let m = pattern.exec(line); m; m = i < lines.length ? pattern.exec(lines[i] ?? '') : null) {
        i++;
        let item = (ordered ? m[2] : m[1]) ?? '';
        // Lazy continuation lines belong to the item.
        while (i < lines.length && !isBlank(lines[i] ?? '') && !startsBlock(lines[i] ?? '', lines[i + 1]))
          item += `\n${(lines[i++] ?? '').trim()}`;
        items.push(`<li>${renderInline(item, 0)}</li>`);
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}${ordered && start !== 1 ? ` start="${start}"` : ''}>\n${items.join('\n')}\n</${tag}>`);
      continue;
    }
    if (isTableStart(line, next)) {
      const header = splitRow(line);
      const rows: string[] = [];
      for (i += 2; i < lines.length && !isBlank(lines[i] ?? '') && (lines[i] ?? '').includes('|'); i++) {
        const cells = splitRow(lines[i] ?? '');
        const own = Math.min(cells.length, header.length);
        let row = '<tr>';
        for (let c = 0; c < own; c++) row += `<td>${cells[c] && renderInline(cells[c] ?? '', 0)}</td>`;
        const pad = Math.min(header.length - own, budget.padCells);
        budget.padCells -= pad;
        rows.push(`${row}${'<td></td>'.repeat(pad)}</tr>`);
      }
      const head = header.map((h) => `<th>${h && renderInline(h, 0)}</th>`).join('');
      out.push(`<table>\n<thead>\n<tr>${head}</tr>\n</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`);
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
  return renderBlocks(clean.split('\n'), 0, { padCells: MAX_PADDED_CELLS });
}
