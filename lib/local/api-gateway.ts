// A node:http stand-in for the REST API: the routes come from the template, each request becomes
// an API Gateway proxy event for the in-process handler, and coordinator routes check the dev
// token the way the Cognito authorizer checks a JWT, passing the same claims. No CORS: the pages
// are served from this same origin, and only origins the template configures get a preflight.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { LocalRoute } from './template.js';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: object) => Promise<APIGatewayProxyResult>;

export interface LocalApiOptions {
  routes: LocalRoute[];
  /** The handler behind each function logical id. */
  handlerFor: (functionLogicalId: string) => Promise<ProxyHandler>;
  devToken: string;
  coordinatorEmail: string;
  /** Extra routes served by the runtime itself (/_local/*, static pages); return null to fall through. */
  extra?: (req: IncomingMessage, body: Buffer, url: URL) => Promise<LocalReply | null>;
  /** Origins configured for the deployed API's CORS (ALLOWED_ORIGINS); never a wildcard. */
  allowedOrigins?: readonly string[];
  maxBodyBytes?: number;
}

export interface LocalReply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether the request carries `Authorization: Bearer <devToken>`; compared in constant time. */
export function hasDevToken(req: IncomingMessage, devToken: string): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(String(req.headers.authorization ?? ''));
  return m?.[1] !== undefined && timingSafeEqual(digest(m[1]), digest(devToken));
}

const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

interface Match {
  route: LocalRoute;
  params: Record<string, string>;
  score: number;
}

/** Matches a path against the template's resources; literal segments beat {params}, as in API Gateway. */
export function matchRoute(routes: LocalRoute[], method: string, pathname: string): { match: Match | null; methodAllowed: boolean } {
  const segments = pathname
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  let best: Match | null = null;
  let pathExists = false;
  for (const route of routes) {
    const parts = route.path.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let score = 0;
    let ok = true;
    parts.forEach((p, i) => {
      const seg = segments[i] ?? '';
      if (/^\{.+\}$/.test(p)) params[p.slice(1, -1)] = seg;
      else if (p === seg) score += 1;
      else ok = false;
    });
    if (!ok) continue;
    pathExists = true;
    if (route.method !== method) continue;
    if (!best || score > best.score) best = { route, params, score };
  }
  return { match: best, methodAllowed: pathExists };
}

const json = (status: number, body: unknown) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export async function startLocalApi(opts: LocalApiOptions, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > (opts.maxBodyBytes ?? API_GATEWAY_MAX_BODY)) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      void handle(req, Buffer.concat(chunks), tooLarge).then(
        (r) => {
          res.writeHead(r.status, r.headers);
          res.end(r.body);
        },
        (e: unknown) => {
          console.error('local API error', e);
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'Internal server error' }));
        },
      );
    });
  });

  async function handle(req: IncomingMessage, body: Buffer, tooLarge: boolean) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (tooLarge) return json(413, { message: 'Request Entity Too Large' });
    const extra = await opts.extra?.(req, body, url);
    if (extra) return extra;
    // A preflight only for an origin the template configures, as the deployed API answers it; the
    // handlers add Access-Control-Allow-Origin to their own replies for those origins alone.
    const origin = req.headers.origin;
    if (method === 'OPTIONS' && origin !== undefined && (opts.allowedOrigins ?? []).includes(origin)) {
      return {
        status: 204,
        headers: {
          'access-control-allow-origin': origin,
          vary: 'Origin',
          'access-control-allow-methods': 'GET,POST,PUT',
          'access-control-allow-headers': 'authorization,content-type,idempotency-key',
        },
        body: '',
      };
    }
    const { match, methodAllowed } = matchRoute(opts.routes, method, url.pathname);
    if (!match) return methodAllowed ? json(405, { message: 'Method Not Allowed' }) : json(404, { message: 'Not Found' });

    let authorizer: APIGatewayProxyEvent['requestContext']['authorizer'] = null;
    if (match.route.authorization === 'COGNITO_USER_POOLS') {
      const auth = String(req.headers.authorization ?? '');
      const token = auth.replace(/^Bearer\s+/i, '');
      // The Cognito authorizer answers 401 before the handler runs; so does this one.
      if (token !== opts.devToken) return json(401, { message: 'Unauthorized' });
      authorizer = {
        claims: {
          'cognito:groups': 'coordinators',
          'cognito:username': 'dev-coordinator',
          email: opts.coordinatorEmail,
          sub: 'local-dev-coordinator',
        },
      };
    }
    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      const values = Array.isArray(v) ? v : [v];
      headers[k] = values.join(',');
      multiValueHeaders[k] = values;
    }
    const query: Record<string, string> = {};
    const multiQuery: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) {
      query[k] = v;
      multiQuery[k] = [...(multiQuery[k] ?? []), v];
    }
    const event: APIGatewayProxyEvent = {
      resource: match.route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: Object.keys(query).length ? query : null,
      multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
      pathParameters: Object.keys(match.params).length ? match.params : null,
      stageVariables: null,
      body: body.length ? body.toString('utf8') : null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        authorizer,
        protocol: 'HTTP/1.1',
        httpMethod: method,
        identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1' } as APIGatewayProxyEvent['requestContext']['identity'],
        path: url.pathname,
        stage: 'local',
        requestId: randomUUID(),
        requestTimeEpoch: Date.now(),
        resourceId: 'local',
        resourcePath: match.route.path,
      },
    };
    const handler = await opts.handlerFor(match.route.functionLogicalId);
    let result: APIGatewayProxyResult;
    try {
      result = await handler(event, { awsRequestId: event.requestContext.requestId, functionName: match.route.functionLogicalId });
    } catch (e) {
      // An uncaught handler error is a 502 on API Gateway too.
      console.error(`handler ${match.route.functionLogicalId} failed`, e);
      return json(502, { message: 'Internal server error' });
    }
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) outHeaders[k.toLowerCase()] = String(v);
    return {
      status: result.statusCode,
      headers: outHeaders,
      body: result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body,
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
