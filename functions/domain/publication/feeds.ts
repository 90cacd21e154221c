// The public feeds of published notes: JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) and
// Atom (RFC 4287). Titles and summaries are plain text; Atom escapes them for XML.
export interface FeedEntry {
  noteId: string;
  title: string;
  summary: string;
  publishedAt: string;
  /** Once the note was updated: when last, its revision and that update's change line. */
  updatedAt?: string;
  noteRevision?: number;
  changeSummary?: string;
}

/** The entry's text: the summary, and the latest update's dated change line once there is one. */
const textOf = (e: FeedEntry): string =>
  e.updatedAt
    ? `${e.summary}\n\nUpdated ${e.updatedAt.slice(0, 10)}${e.noteRevision ? ` (revision ${e.noteRevision})` : ''}: ${e.changeSummary ?? 'the note was updated.'}`
    : e.summary;

export interface FeedOptions {
  publicBaseUrl: string;
  coordinatorName: string;
}

const noteUrl = (base: string, id: string) => `${base.replace(/\/+$/, '')}/notes/${encodeURIComponent(id)}`;

export function renderJsonFeed(entries: readonly FeedEntry[], o: FeedOptions): object {
  const base = o.publicBaseUrl.replace(/\/+$/, '');
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: `${o.coordinatorName} vulnerability notes`,
    home_page_url: `${base}/notes`,
    feed_url: `${base}/feed.json`,
    language: 'en',
    items: entries.map((e) => ({
      id: noteUrl(base, e.noteId),
      url: `${noteUrl(base, e.noteId)}.html`,
      title: e.title,
      summary: e.summary,
      content_text: textOf(e),
      date_published: e.publishedAt,
      ...(e.updatedAt ? { date_modified: e.updatedAt } : {}),
      attachments: [{ url: `${noteUrl(base, e.noteId)}/csaf.json`, mime_type: 'application/json', title: 'CSAF 2.0' }],
    })),
  };
}

/** XML 1.0 text: the five entities, and characters XML cannot carry at all are dropped. */
export const escapeXml = (s: string): string =>
  s
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

export function renderAtomFeed(entries: readonly FeedEntry[], o: FeedOptions, now: string): string {
  const base = o.publicBaseUrl.replace(/\/+$/, '');
  const updated =
    entries
      .map((e) => e.updatedAt ?? e.publishedAt)
      .sort()
      .at(-1) ?? now;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(`${base}/feed.atom`)}</id>`,
    `  <title>${escapeXml(`${o.coordinatorName} vulnerability notes`)}</title>`,
    `  <updated>${escapeXml(updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(`${base}/feed.atom`)}"/>`,
    `  <link rel="alternate" type="application/json" href="${escapeXml(`${base}/notes`)}"/>`,
    `  <author><name>${escapeXml(o.coordinatorName)}</name></author>`,
  ];
  for (const e of entries) {
    const url = noteUrl(base, e.noteId);
    lines.push(
      '  <entry>',
      `    <id>${escapeXml(url)}</id>`,
      `    <title type="text">${escapeXml(e.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(`${url}.html`)}"/>`,
      `    <link rel="related" type="application/json" href="${escapeXml(`${url}/csaf.json`)}"/>`,
      `    <published>${escapeXml(e.publishedAt)}</published>`,
      `    <updated>${escapeXml(e.updatedAt ?? e.publishedAt)}</updated>`,
      `    <summary type="text">${escapeXml(textOf(e))}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
