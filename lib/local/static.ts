// The web pages, served by the local API stand-in: `/` the report form, `/status` and `/vendor`
// the token-link pages, `/console/` the coordinator console, `/assets/*` their scripts and styles.
// web/dist is (re)built with esbuild when it is missing or older than web/src (a few hundred ms).
// API routes win over every static path but `/`.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { WEB_DIST, buildWeb, isStale } from '../../scripts/build-web.js';
import { matchRoute } from './api-gateway.js';
import type { LocalRoute } from './template.js';

export interface StaticReply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const PAGES: Record<string, string> = {
  '/': 'report.html',
  '/index.html': 'report.html',
  '/status': 'status.html',
  '/vendor': 'vendor.html',
  '/console/': 'console.html',
};
const REDIRECTS: Record<string, string> = { '/console': '/console/', '/status/': '/status', '/vendor/': '/vendor' };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

// Scripts and styles from this origin only; the pages call the API on the same origin.
const SECURITY = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

let building: Promise<unknown> | null = null;
let checkedAt = 0;

/** Builds web/dist when missing or stale; checks at most once a second, and one build at a time. */
export async function ensureWebBuilt(): Promise<void> {
  if (building) {
    await building;
    return;
  }
  if (Date.now() - checkedAt < 1000) return;
  checkedAt = Date.now();
  if (!isStale()) return;
  building = buildWeb().finally(() => {
    building = null;
  });
  await building;
}

/** The static reply for this request, or null to let the API (or a 404) answer. */
export async function serveWeb(req: IncomingMessage, url: URL, routes: LocalRoute[]): Promise<StaticReply | null> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const p = url.pathname;
  const isAsset = /^\/assets\/[A-Za-z0-9_-]+\.(js|css|map|js\.map)$/.test(p);
  if (!(p in PAGES) && !(p in REDIRECTS) && !isAsset) return null;
  if (p !== '/' && matchRoute(routes, 'GET', p).methodAllowed) return null;
  const redirect = REDIRECTS[p];
  if (redirect) return { status: 308, headers: { location: `${redirect}${url.search}` }, body: '' };
  await ensureWebBuilt();
  const file = path.join(WEB_DIST, isAsset ? p.slice(1) : (PAGES[p] ?? ''));
  try {
    const body = await readFile(file);
    return { status: 200, headers: { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', ...SECURITY }, body: req.method === 'HEAD' ? '' : body };
  } catch {
    return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' };
  }
}
