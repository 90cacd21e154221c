// The note renderer's work is linear in its input (drafts reach 128 KB and are rendered in a
// Lambda and in participants' browsers), and bounding its scans changed nothing it renders. Speed
// is measured by `npm run bench`, never here: these tests count the characters the inline scans
// examine (inlineScanCount) and compare the output with the renderer as it was before
// (markdown-html-reference.ts). Most of the huge inputs took that old renderer seconds to minutes
// each, the wide table all its memory; vitest's timeout only backs the counts up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MARKDOWN } from '../../../functions/app/api/schema-kit.js';
import { inlineScanCount, markdownToHtml, renderInline } from '../../../functions/domain/publication/markdown-html.js';
import { PATHOLOGICAL_MARKDOWN, pathologicalMarkdown } from '../../builders/pathological-markdown.js';
import * as reference from './markdown-html-reference.js';

/** Every tag the renderer writes, exactly as it writes it; anything else in its output is text. */
const OWN_TAG =
  /<\/?(?:p|h[1-6]|ul|ol|li|table|thead|tbody|tr|th|td|blockquote|pre|code|strong|em)>|<br>|<hr>|<ol start="\d+">|<a href="https?:\/\/[^"'<>\s]*" rel="nofollow noopener noreferrer">|<\/a>/g;

/** No markup but our own tags, and every link absolute http(s). */
function expectOwnMarkupOnly(html: string): void {
  const text = html.replace(OWN_TAG, '');
  const stray = /[<>"']/.exec(text);
  expect(stray, stray ? `stray ${stray[0]} in …${text.slice(Math.max(0, stray.index - 40), stray.index + 40)}…` : '').toBeNull();
}

function scanWork(render: () => string): { html: string; work: number } {
  const before = inlineScanCount();
  const html = render();
  return { html, work: inlineScanCount() - before };
}

describe('the note renderer on pathological input', () => {
  it.each(Object.entries(PATHOLOGICAL_MARKDOWN))('renders %s (128 KB) examining each character a few times at most', (_, md) => {
    expect(md.length).toBe(MAX_MARKDOWN);

    const { html, work } = scanWork(() => markdownToHtml(md));

    expect(work).toBeLessThanOrEqual(3 * md.length);
    expect(html.length).toBeLessThan(40 * md.length);
    expectOwnMarkupOnly(html);
  });

  it('scans twice as much for input twice as long, never four times', () => {
    const small = pathologicalMarkdown(16 * 1024);
    const large = pathologicalMarkdown(32 * 1024);
    for (const name of Object.keys(small)) {
      const a = scanWork(() => markdownToHtml(small[name] ?? '')).work;
      const b = scanWork(() => markdownToHtml(large[name] ?? '')).work;
      expect(b, name).toBeLessThanOrEqual(2 * a + 64);
    }
  });

  it('renders unmatched openers as the text they are', () => {
    const md = PATHOLOGICAL_MARKDOWN;
    expect(markdownToHtml(md['[ run'] ?? '')).toBe(`<p>${'['.repeat(MAX_MARKDOWN)}</p>`);
    expect(markdownToHtml(md['** run'] ?? '')).toBe(`<p>${md['** run']}</p>`);
    expect(markdownToHtml(md['< run'] ?? '')).toBe(`<p>${'&lt;'.repeat(MAX_MARKDOWN)}</p>`);
    expect(markdownToHtml(md['` runs, longest first'] ?? '')).not.toContain('<code>');
    expect(markdownToHtml(md['[ run, then ](javascript:…)'] ?? '')).not.toContain('<a ');
  });

  it('renders the lines that made its line patterns backtrack as before', () => {
    const md = PATHOLOGICAL_MARKDOWN;
    expect(markdownToHtml(md['# heading, inner blanks'] ?? '')).toBe(`<h1>a${' '.repeat(MAX_MARKDOWN - 4)}b</h1>`);
    // `.` does not match U+2028, so these lines never were list items or fences: they are paragraphs (trimmed).
    expect(markdownToHtml(md['- item, blanks, U+2028'] ?? '')).toBe('<p>-</p>');
    expect(markdownToHtml(md['1. item, blanks, U+2028'] ?? '')).toBe('<p>1.</p>');
    expect(markdownToHtml(md['``` fence, U+2028'] ?? '')).toBe(`<p>${'`'.repeat(MAX_MARKDOWN - 1)}</p>`);
    expect(markdownToHtml(md['delimiter row, trailing blanks'] ?? '')).toMatch(/^<p>a\|b<br>\n\|- +x<\/p>$/);
  });

  it('pads short table rows only up to a budget, so a wide header over many rows cannot multiply them', () => {
    const md = PATHOLOGICAL_MARKDOWN['table, wide header over one-cell rows'] ?? '';
    const html = markdownToHtml(md);

    const padded = html.split('<td></td>').length - 1;
    const rows = html.split('<tr>').length - 2; // less the header's
    expect(rows).toBeGreaterThan(40_000);
    // One cell of its own per row, then ten thousand padded cells at most.
    expect(padded).toBeLessThanOrEqual(rows + 10_000);
    // A real table is padded to its header's width as before.
    expect(markdownToHtml('| a | b | c |\n|---|---|---|\n| 1 |\n| 1 | 2 |')).toBe(
      '<table>\n<thead>\n<tr><th>a</th><th>b</th><th>c</th></tr>\n</thead>\n<tbody>\n<tr><td>1</td><td></td><td></td></tr>\n<tr><td>1</td><td>2</td><td></td></tr>\n</tbody>\n</table>',
    );
  });
});

// Markdown-heavy text: the characters and pieces every construct is made of, and the code units a
// regex's `\s` and `.` treat specially. At most 80 characters, so that no table comes near the
// padding budget (80 characters can pad a few hundred cells) and the old renderer's scans stay quick.
const PIECES = [
  '[',
  ']',
  '(',
  ')',
  '*',
  '**',
  '`',
  '``',
  '```',
  '\\',
  '<',
  '>',
  'https://a.example',
  'http://b.example/x?y=1&z',
  'javascript:x',
  'a:b',
  ':',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '#',
  '##',
  '-',
  '|',
  '_',
  '!',
  'a',
  'b',
  '1.',
  '2)',
  '~~~',
  '&',
  '"',
  "'",
  '\u2028',
  '\u00a0',
  '\u3000',
  '\ufeff',
  'é',
  '😀',
  '---',
  '+',
  '> ',
];
const markdownish = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join('').slice(0, 80));
/** Short lines of block markers, to reach headings, fences, rules, lists, quotes and tables. */
const LINE_PIECES = ['#', ' ', '\t', 'a', '|', '-', ':', '\u2028', '`', '~', '>', '*', '_', '1', '.', ')', '+', '\n'];
const blockish = fc.array(fc.constantFrom(...LINE_PIECES), { maxLength: 30 }).map((p) => p.join(''));

describe('the note renderer, against the one before its scans were bounded', () => {
  it('renders any Markdown-heavy text exactly as before', () => {
    fc.assert(
      fc.property(fc.oneof(markdownish, blockish), (md) => markdownToHtml(md) === reference.markdownToHtml(md)),
      { numRuns: 3000 },
    );
  });

  it('renders any inline text exactly as before, at every depth, with links or without', () => {
    fc.assert(
      fc.property(
        markdownish,
        fc.integer({ min: 0, max: 9 }),
        fc.boolean(),
        (text, depth, links) => renderInline(text, depth, links) === reference.renderInline(text, depth, links),
      ),
      { numRuns: 3000 },
    );
  });

  it('treats every UTF-16 code unit after an opener or a backslash as before', () => {
    // What a regex's \s and . match decided these; the renderer tests code units itself now (links
    // and autolinks end on the same test of \s as emphasis, and the random texts above reach them).
    for (let c = 0; c < 0x10000; c++) {
      const u = String.fromCharCode(c);
      const text = `*${u}x* **x${u}** *a\\${u}*`;
      const html = renderInline(text);
      if (html !== reference.renderInline(text)) expect(html, `U+${c.toString(16)}`).toBe(reference.renderInline(text));
    }
  });

  it('lets no markup of its input through and never throws, whatever the input', () => {
    const anything = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      markdownish,
      blockish,
      fc.array(markdownish, { maxLength: 20 }).map((p) => p.join('\n')),
    );
    fc.assert(
      fc.property(anything, fc.integer({ min: 0, max: 9 }), fc.boolean(), (md, depth, links) => {
        expectOwnMarkupOnly(markdownToHtml(md));
        expectOwnMarkupOnly(renderInline(md, depth, links));
      }),
      { numRuns: 1000 },
    );
  });
});
