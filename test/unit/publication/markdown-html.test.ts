import { describe, expect, it } from 'vitest';
import { mdText } from '../../../functions/domain/note.js';
import { markdownToHtml, safeHref } from '../../../functions/domain/publication/markdown-html.js';
import { expectSafeHtml } from './html-safety.js';

describe('the note Markdown renderer', () => {
  it('renders the subset the note uses: headings, paragraphs, lists, tables, quotes, code, autolinks', () => {
    const md = [
      '# VU#1: Title',
      '',
      '## Overview',
      '',
      'Widget 4\\.2\\.1 has `a=b` and **strong** and *em*.',
      'Second line.',
      '',
      '| Vendor | Status |',
      '|---|---|',
      '| Acme \\| Co | Affected |',
      '',
      '> We fixed it\\.',
      '> ',
      '> Upgrade\\.',
      '',
      '- <https://acme.example/a?b=1&c=2>',
      '- Reported: 2026-11-01',
      '',
      '1. first',
      '2. second',
    ].join('\n');

    const html = markdownToHtml(md);

    expect(html).toContain('<h1>VU#1: Title</h1>');
    expect(html).toContain('<h2>Overview</h2>');
    expect(html).toContain('<p>Widget 4.2.1 has <code>a=b</code> and <strong>strong</strong> and <em>em</em>.<br>\nSecond line.</p>');
    expect(html).toContain('<tr><td>Acme | Co</td><td>Affected</td></tr>');
    expect(html).toContain('<blockquote>\n<p>We fixed it.</p>\n<p>Upgrade.</p>\n</blockquote>');
    expect(html).toContain(
      '<li><a href="https://acme.example/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">https://acme.example/a?b=1&amp;c=2</a></li>',
    );
    expect(html).toContain('<ol>\n<li>first</li>\n<li>second</li>\n</ol>');
    expectSafeHtml(html);
  });

  it('passes no raw HTML through, in any block', () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>';
    const md = [
      `# ${evil}`,
      evil,
      `> ${evil}`,
      `- ${evil}`,
      `| ${evil} | b |`,
      '|---|---|',
      `| ${evil} | b |`,
      '```',
      evil,
      '```',
      `\`${evil}\``,
    ].join('\n\n');

    const html = markdownToHtml(md);

    expectSafeHtml(html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('keeps only http(s) links: javascript:, data:, vbscript: and obfuscated schemes stay text', () => {
    const links = [
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD4=)',
      '[x](vbscript:msgbox)',
      '<javascript:alert(1)>',
      '[x](java&#x09;script:alert(1))',
      '[x](//evil.example/x)',
      '[x](https://ok.example/"onmouseover="alert(1))',
      "[x](https://ok.example/'onmouseover='alert(1))",
      '[a [b](https://ok.example/nested) c](https://ok.example/outer)',
    ].join('\n\n');

    const html = markdownToHtml(links);

    expectSafeHtml(html);
    expect(html).not.toMatch(/href="[^"]*["'][^"]*on\w+=/);
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('java\tscript:alert(1)')).toBeNull();
    expect(safeHref('https://user:pw@evil.example/')).toBeNull();
    expect(safeHref('https://ok.example/x"y')).toBe('https://ok.example/x%22y');
  });

  it('renders any text escaped with mdText as exactly that text', () => {
    const samples = [
      'a*b*c',
      '# not a heading',
      '1. not a list',
      '- not a list',
      '> not a quote',
      '[x](https://a.example)',
      '<https://a.example>',
      'x | y',
      'back\\slash',
      'tick`s',
      '<b>bold</b> & "q" \'s\'',
    ];
    for (const s of samples) {
      const html = markdownToHtml(mdText(s));
      const text = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
      expect(html).toBe(`<p>${text}</p>`);
    }
  });

  it('survives deeply nested input without throwing or emitting markup', () => {
    const html = markdownToHtml(`${'> '.repeat(200)}deep ${'*'.repeat(500)} ${'['.repeat(300)}`);
    expectSafeHtml(html);
  });
});
