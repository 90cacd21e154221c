// A web page on another origin, open in the developer's browser while `npm start` runs, tries
// what the local stack must never allow: reading the sent e-mails (every private link), moving
// the clock with a no-preflight text/plain POST, reading or emptying the SES emulator's inbox, and
// reading DynamoDB. In real chromium every read fails and nothing changes.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { bootStack } from '../builders/local-stack.js';
import { aReportInput } from '../builders/case.js';
import { browserSuite } from './page-helpers.js';

let other: Server | undefined;
let otherOrigin = '';
const suite = browserSuite('cross-origin', {
  boot: async () => {
    // Another origin on this machine (another port): a page the developer happens to have open.
    other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html><html lang="en"><title>Some other site</title><link rel="icon" href="data:,"><main><h1>Some other site</h1></main></html>',
      );
    });
    await new Promise<void>((resolve) => other?.listen(0, '127.0.0.1', resolve));
    otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    return bootStack();
  },
  close: () => new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve())),
  // The browser reports each refused cross-origin read as a console error: that is the point.
  ignore: /CORS policy|Failed to load resource|net::ERR_FAILED/,
});

/** Runs `script` (an async function body, as text: the tests have no DOM types) in the page. */
const attempt = (script: string) => `(async () => { try { ${script} } catch (e) { return 'refused: ' + e.name; } })()`;

it('lets a page of another origin read nothing and change nothing', async () => {
  const { e } = suite;
  expect((await e.call('POST', '/reports', { body: aReportInput() })).status).toBe(201);
  const mailBefore = (await e.mail()).length;
  expect(mailBefore).toBeGreaterThan(0);
  const clockBefore = await e.now();
  const port = (name: string) => e.stack.listeners().find((l) => l.name === name)?.address.port;
  const api = e.stack.apiUrl;
  const ses = `http://127.0.0.1:${port('ses')}`;
  const ddb = `http://127.0.0.1:${port('dynamodb')}`;

  await suite.runIn(await suite.newPage(), 'other-origin', async (page) => {
    await page.goto(`${otherOrigin}/`);
    const run = (script: string) => page.evaluate<string>(attempt(script));
    const read = (url: string, init = '{}') =>
      run(`const r = await fetch(${JSON.stringify(url)}, ${init}); return 'read ' + r.status + ': ' + (await r.text()).slice(0, 80);`);

    // Reads: each needs a CORS header the stack never sends.
    expect(await read(`${api}/_local/mail`)).toBe('refused: TypeError');
    expect(await read(`${api}/_local/mail`, `{ headers: { authorization: 'Bearer ${e.coordinator}' } }`)).toBe('refused: TypeError');
    expect(await read(`${api}/_local/clock`)).toBe('refused: TypeError');
    expect(await read(`${ses}/store`)).toBe('refused: TypeError');
    expect(
      await read(
        `${ddb}/`,
        `{ method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables', authorization: 'AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=c' }, body: '{}' }`,
      ),
    ).toBe('refused: TypeError');

    // Writes that need no preflight: the request is sent, its answer unreadable; it must change nothing.
    const blind = (url: string, body: string) =>
      run(
        `await fetch(${JSON.stringify(url)}, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(body)} }); return 'sent';`,
      );
    expect(await blind(`${api}/_local/clock`, '{"advance":"P30D"}')).toBe('sent');
    expect(await blind(`${ses}/clear-store`, '')).toBe('sent');
    // A form post, as a hidden form on that page would send it.
    await page.evaluate(
      `(() => { const f = document.createElement('form'); f.method = 'POST'; f.action = ${JSON.stringify(`${api}/_local/clock`)}; f.enctype = 'text/plain'; f.target = 'sink'; const i = document.createElement('input'); i.name = '{"advance":"P1Y","x":"'; i.value = '"}'; f.append(i); const s = document.createElement('iframe'); s.name = 'sink'; document.body.append(s, f); f.submit(); })()`,
    );
    await page.waitForTimeout(500);
  });

  expect(await e.now()).toBe(clockBefore);
  expect((await e.mail()).length).toBe(mailBefore);
});
