// What a web page the developer visits can do to `npm start`: nothing. The /_local routes (every
// e-mail, so every private link, and the clock) need the dev token; a POST there takes JSON only,
// so no "simple" cross-origin request gets through; no reply carries a wildcard CORS header; the
// emulators refuse browsers; and every listener is bound to 127.0.0.1.
import { request } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type E2E, bootStack } from '../builders/local-stack.js';
import { aReportInput } from '../builders/case.js';

const EVIL = 'https://evil.example';
const LOCAL_ROUTES: [string, string][] = [
  ['GET', '/_local/mail'],
  ['GET', '/_local/clock'],
  ['POST', '/_local/clock'],
  ['GET', '/_local/anything-else'],
];

let e: E2E;
let listened: net.Server[] = [];
beforeAll(async () => {
  // Every server opened while the stack starts, whoever opens it (dynalite, the SES emulator, …).
  const listen = vi.spyOn(net.Server.prototype, 'listen');
  try {
    e = await bootStack();
  } finally {
    listened = listen.mock.contexts.filter((s): s is net.Server => s instanceof net.Server);
    listen.mockRestore();
  }
  // Something to read: a report sends e-mails with private links.
  expect((await e.call('POST', '/reports', { body: aReportInput() })).status).toBe(201);
});
afterAll(async () => e?.stop());

const clockNow = async () => {
  const r = await e.call('GET', '/_local/clock', { token: e.coordinator });
  expect(r.status, r.text).toBe(200);
  return (r.json as { now: string }).now;
};

function expectProblem(r: { status: number; headers: Headers; json: unknown }, status: number) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toBe('application/problem+json');
  expect(r.json).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    errors: expect.any(Array),
  });
}

/** A raw request, for headers fetch will not set (Host). */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the /_local routes', () => {
  it('refuse a request without the dev token, or with a wrong one, as problem+json', async () => {
    for (const [method, path] of LOCAL_ROUTES) {
      for (const auth of [undefined, 'Bearer not-the-dev-token', `Bearer ${e.coordinator}x`, e.coordinator, `Basic ${e.coordinator}`]) {
        const r = await e.call(method, path, {
          headers: { ...(auth ? { authorization: auth } : {}), origin: EVIL },
          ...(method === 'POST' ? { body: { advance: 'P30D' } } : {}),
        });
        expectProblem(r, 401);
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(r.text).not.toContain('#token=');
      }
    }
  });

  it('let a cross-origin page read nothing: no Access-Control-Allow-Origin header at all, even with the token or on a preflight', async () => {
    const noToken = await e.call('GET', '/_local/mail', { headers: { origin: EVIL } });
    expectProblem(noToken, 401);
    expect(noToken.headers.get('access-control-allow-origin')).toBeNull();

    const withToken = await e.call('GET', '/_local/mail', { token: e.coordinator, headers: { origin: EVIL } });
    expect(withToken.status).toBe(200);
    expect((withToken.json as { emails: unknown[] }).emails.length).toBeGreaterThan(0);
    expect(withToken.headers.get('access-control-allow-origin')).toBeNull();

    for (const path of ['/_local/mail', '/_local/clock']) {
      const preflight = await e.call('OPTIONS', path, {
        headers: { origin: EVIL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.status).toBe(401);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
    }
  });

  it('move the clock only for a JSON body: a text/plain or form POST (no preflight needed) gets 415 and changes nothing, token or not', async () => {
    const before = await clockNow();
    // Bodies that would move the clock if they were read.
    for (const [type, body] of [
      ['text/plain', '{"advance":"P30D"}'],
      ['text/plain;charset=UTF-8', '{"to":"2030-01-01T00:00:00Z"}'],
      ['application/x-www-form-urlencoded', 'advance=P30D'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="advance"\r\n\r\nP30D\r\n--x--\r\n'],
    ] as const) {
      const r = await e.call('POST', '/_local/clock', { token: e.coordinator, raw: body, headers: { 'content-type': type, origin: EVIL } });
      expectProblem(r, 415);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      const anonymous = await e.call('POST', '/_local/clock', { raw: body, headers: { 'content-type': type, origin: EVIL } });
      expectProblem(anonymous, 401);
    }
    const noType = await e.call('POST', '/_local/clock', {
      token: e.coordinator,
      raw: '{"advance":"P30D"}',
      headers: { 'content-type': '' },
    });
    expectProblem(noType, 415);
    expect(await clockNow()).toBe(before);
  });

  it('refuse bad JSON with a clear error and leave the clock alone; good JSON moves it', async () => {
    const before = await clockNow();
    for (const body of [
      'not json',
      '[]',
      '{}',
      '{"advance":"30 days"}',
      '{"to":"someday"}',
      '{"advance":"P1D","to":"2030-01-01T00:00:00Z"}',
      '{"to":"2000-01-01T00:00:00Z"}',
    ]) {
      const r = await e.call('POST', '/_local/clock', { token: e.coordinator, raw: body, headers: { 'content-type': 'application/json' } });
      expect([400, 409], body).toContain(r.status);
      expectProblem(r, r.status);
      expect((r.json as { detail: string }).detail).not.toBe('');
    }
    expect(await clockNow()).toBe(before);
    const moved = await e.call('POST', '/_local/clock', { token: e.coordinator, body: { advance: 'PT1H' } });
    expect(moved.status, moved.text).toBe(200);
    expect(Date.parse(await clockNow()) - Date.parse(before)).toBe(3_600_000);
  });

  it('answer a wrong method with 405 and the methods it takes', async () => {
    const r = await e.call('PUT', '/_local/clock', { token: e.coordinator, body: { advance: 'P1D' } });
    expectProblem(r, 405);
    expect(r.headers.get('allow')).toBe('GET, POST');
  });
});

describe('the API and the pages', () => {
  it('carry no wildcard CORS header: the pages are on the API origin and need none', async () => {
    const requests: [string, string, { token?: string; body?: unknown }][] = [
      ['GET', '/health', {}],
      ['GET', '/openapi.json', {}],
      ['GET', '/notes', {}],
      ['POST', '/reports', { body: aReportInput() }],
      ['POST', '/reports', { body: {} }],
      ['GET', '/cases?limit=1', { token: e.coordinator }],
      ['GET', '/cases?limit=1', {}],
      ['GET', '/no/such/route', {}],
      ['OPTIONS', '/reports', {}],
      ['GET', '/', {}],
      ['GET', '/console/', {}],
      ['GET', '/console/config.json', {}],
    ];
    for (const [method, path, opts] of requests) {
      const r = await e.call(method, path, { ...opts, headers: { origin: EVIL, 'access-control-request-method': 'POST' } });
      expect(r.status, `${method} ${path}`).toBeLessThan(500);
      expect(r.headers.get('access-control-allow-origin'), `${method} ${path}`).toBeNull();
    }
  });
});

describe('the listeners', () => {
  it('are all bound to 127.0.0.1: the API, DynamoDB, SES, Step Functions, Secrets Manager, S3 and SMTP', () => {
    const named = e.stack.listeners();
    expect(named.map((l) => l.name).sort()).toEqual(['api', 'dynamodb', 's3', 'secretsManager', 'ses', 'smtp', 'stepFunctions']);
    for (const l of named) expect(l.address.address, l.name).toBe('127.0.0.1');
    // Every server opened during the start and still open, including any not named above.
    const open = listened.filter((s) => s.listening);
    expect(open.length).toBeGreaterThanOrEqual(named.length);
    for (const s of open) expect(s.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(new Set(open.map((s) => (s.address() as net.AddressInfo).port))).toEqual(new Set(named.map((l) => l.address.port)));
  });

  it('of the emulators refuse web pages and other host names, with no CORS header', async () => {
    const port = (name: string) => e.stack.listeners().find((l) => l.name === name)?.address.port;
    for (const name of ['dynamodb', 'ses', 'stepFunctions', 'secretsManager']) {
      const base = `http://127.0.0.1:${port(name)}`;
      // dynalite would answer this preflight with `Access-Control-Allow-Origin: *`.
      const preflight = await raw(`${base}/`, {
        method: 'OPTIONS',
        headers: {
          origin: EVIL,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-amz-target',
        },
      });
      expect(preflight.status, name).toBe(403);
      expect(preflight.headers['access-control-allow-origin'], name).toBeUndefined();
      const rebound = await raw(`${base}/`, { headers: { host: `evil.example:${port(name)}` } });
      expect(rebound.status, name).toBe(403);
    }
    const ses = `http://127.0.0.1:${port('ses')}`;
    const before = (await e.mail()).length;
    expect((await raw(`${ses}/store`, { headers: { host: `rebound.example:${port('ses')}` } })).status).toBe(403);
    // A no-preflight POST from another site would empty the inbox.
    expect((await raw(`${ses}/clear-store`, { method: 'POST', headers: { origin: EVIL } })).status).toBe(403);
    expect((await e.mail()).length).toBe(before);
    // The SES inbox page still works at its own origin.
    expect((await raw(`${ses}/store`, { headers: { origin: ses } })).status).toBe(200);
  });

  it('of S3 answer the product’s pages (CORS for uploads) and refuse any other page or host name', async () => {
    const port = e.stack.listeners().find((l) => l.name === 's3')?.address.port;
    const object = `http://127.0.0.1:${port}/cvd-files/cases/x/y`;
    const preflight = (origin: string) =>
      raw(object, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
      });
    const evil = await preflight(EVIL);
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const ours = await preflight(e.stack.apiUrl);
    expect(ours.status).toBe(200);
    expect(ours.headers['access-control-allow-origin']).toBe(e.stack.apiUrl);
    expect((await raw(object, { headers: { host: `evil.example:${port}` } })).status).toBe(403);
    // A simple (no-preflight) write from another site's page is refused before the stand-in sees it.
    expect((await raw(object, { method: 'PUT', headers: { origin: EVIL }, body: 'x' })).status).toBe(403);
  });
});
