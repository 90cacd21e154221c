// Text and URLs made safe for HTML: what every page and the Markdown renderer write data through.

const HTML_ESCAPES: Readonly<Record<number, string>> = { 38: '&amp;', 60: '&lt;', 62: '&gt;', 34: '&quot;', 39: '&#39;' };

/** Escapes text for HTML element content and for double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  if (!/[&<>"']/.test(s)) return s;
  // A loop rather than replace() with a callback, which costs several times as much on text dense with `<`.
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const e = c <= 0x3e ? HTML_ESCAPES[c] : undefined;
    if (e !== undefined) {
      out += s.slice(from, i) + e;
      from = i + 1;
    }
  }
  return out + s.slice(from);
}

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
