// Assertions on rendered HTML: no markup of the input's making can survive.
import { expect } from 'vitest';

const TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'link',
  'body',
  'header',
  'main',
  'article',
  'footer',
  'time',
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'blockquote',
  'pre',
  'code',
  'strong',
  'em',
  'a',
]);
const ATTRIBUTES = new Set(['lang', 'charset', 'name', 'content', 'rel', 'type', 'href', 'title', 'datetime', 'start']);

export function expectSafeHtml(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
  expect(html).not.toMatch(/<(iframe|object|embed|svg|math|style|img|form|input|base)\b/i);
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    const tag = (m[1] ?? '').toLowerCase();
    expect(TAGS, `unexpected <${tag}>`).toContain(tag);
    for (const a of (m[2] ?? '').matchAll(/\s([^\s=/>]+)(?:=("([^"]*)"|'[^']*'|[^\s>]*))?/g)) {
      const name = (a[1] ?? '').toLowerCase();
      expect(ATTRIBUTES, `unexpected attribute ${name} on <${tag}>`).toContain(name);
      expect(a[2] === undefined || a[3] !== undefined, `attribute ${name} is double-quoted`).toBe(true);
      if (name === 'href') {
        const href = a[3] ?? '';
        expect(href, 'every link is http(s)').toMatch(/^https?:\/\//);
        expect(href).not.toMatch(/javascript:|data:|vbscript:/i);
      }
    }
  }
}
