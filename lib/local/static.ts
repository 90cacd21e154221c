// The web pages, served by the local API stand-in: `/` the report form, `/status` and `/vendor`
// the token-link pages, `/console/` the coordinator console (with `/console/config.json`, how to
// sign in), `/assets/*` their scripts and styles.
// web/dist is (re)built with esbuild when it is missing or older than web/src (a few hundred ms).
// API routes win over every static path but `/`.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { WEB_DIST, buildWeb, isStale } from '../../scripts/build-web.js';
import { CONSOLE_CONFIG_PATH, type ConsoleConfig, PAGE_FILES, PAGE_REDIRECTS, pageSecurityHeaders } from '../web-routes.js';
import { matchRoute } from './api-gateway.js';
import type { LocalRoute } from './template.js';

export interface StaticReply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
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
export async function serveWeb(
  req: IncomingMessage,
  url: URL,
  routes: LocalRoute[],
  consoleConfig: ConsoleConfig = { signIn: null },
  /** Other origins the pages call (the S3 stand-in, for uploads). */
  connectOrigins: readonly string[] = [],
): Promise<StaticReply | null> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const p = url.pathname;
  const isAsset = /^\/assets\/[A-Za-z0-9_-]+\.(js|css|map|js\.map)$/.test(p);
  if (p === CONSOLE_CONFIG_PATH) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
      body: req.method === 'HEAD' ? '' : JSON.stringify(consoleConfig),
    };
  }
  if (!(p in PAGE_FILES) && !(p in PAGE_REDIRECTS) && !isAsset) return null;
  if (p !== '/' && matchRoute(routes, 'GET', p).methodAllowed) return null;
  const redirect = PAGE_REDIRECTS[p];
  if (redirect) return { status: 308, headers: { location: `${redirect}${url.search}` }, body: '' };
  await ensureWebBuilt();
  const file = path.join(WEB_DIST, isAsset ? p.slice(1) : (PAGE_FILES[p] ?? ''));
  const tokenOrigin = consoleConfig.signIn ? [new URL(consoleConfig.signIn.tokenUrl).origin] : [];
  try {
    const body = await readFile(file);
    return {
      status: 200,
      headers: {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        ...pageSecurityHeaders([...tokenOrigin, ...connectOrigins]),
        'cache-control': 'no-cache',
      },
      body: req.method === 'HEAD' ? '' : body,
    };
  } catch {
    return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' };
  }
}
