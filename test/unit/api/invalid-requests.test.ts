// Bad requests get the right 4xx with a message a person can act on, never echo the input as
// markup, and leave the store exactly as it was.
import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpMethod } from '../../../lib/api-routes.js';
import { type World, aWorld, snapshot } from '../../builders/api-world.js';
import { aReportInput } from '../../builders/case.js';
import { type Caller, call } from '../../builders/http.js';

const SCRIPT = '<script>alert(1)</script>';
let w: World;
beforeEach(async () => {
  w = await aWorld();
});

interface Case {
  name: string;
  method: HttpMethod;
  path: string;
  caller: (w: World) => Caller;
  body: unknown;
  headers?: Record<string, string>;
  status: number;
  paths?: string[];
  detail?: RegExp;
}

const coordinator = (x: World) => x.callers.coordinator;
const reporter = (x: World) => x.callers.reporterOfCase;
const vendor = (x: World) => x.callers.vendorOfCase;
const anyone = (x: World) => x.callers.anonymous;

const CASES: Case[] = [
  {
    name: 'a report with every required field missing',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: {},
    status: 400,
    paths: ['reporter', 'product', 'vendors', 'title', 'description', 'requestedService'],
  },
  {
    name: 'a report with wrong types',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: { ...aReportInput(), title: 42, multipleVendors: 'yes', vendors: 'Acme' },
    status: 400,
    paths: ['vendors', 'multipleVendors', 'title'],
  },
  {
    name: 'a report with an unknown requested service',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: { ...aReportInput(), requestedService: 'bug-bounty' },
    status: 400,
    paths: ['requestedService'],
    detail: /1 invalid field/,
  },
  {
    name: 'a report whose e-mail is markup',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: { ...aReportInput(), reporter: { email: `${SCRIPT}@x.example` } },
    status: 400,
    paths: ['reporter.email'],
  },
  {
    name: 'a report whose title is markup beyond the length limit',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: { ...aReportInput(), title: SCRIPT.repeat(20) },
    status: 400,
    paths: ['title'],
  },
  {
    name: 'a report that is not JSON',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: 'title=x',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    status: 415,
  },
  {
    name: 'a report sent without a content type',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: JSON.stringify(aReportInput()),
    headers: { 'Content-Type': '' },
    status: 415,
  },
  {
    name: 'a report of malformed JSON that holds markup',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: `{"title": "${SCRIPT}`,
    status: 400,
    detail: /not valid JSON/,
  },
  {
    name: 'a report over 256 KiB',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: JSON.stringify({ ...aReportInput(), description: 'x'.repeat(300 * 1024) }),
    status: 413,
  },
  {
    name: 'a small body that declares more than 256 KiB',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: JSON.stringify(aReportInput()),
    headers: { 'Content-Length': String(300 * 1024) },
    status: 413,
  },
  {
    name: 'an empty body',
    method: 'POST',
    path: '/cases/{caseId}/signals',
    caller: coordinator,
    body: null,
    status: 400,
    detail: /needs a JSON body/,
  },
  {
    name: 'a triage decision that is not one',
    method: 'POST',
    path: '/cases/{caseId}/triage',
    caller: coordinator,
    body: { decision: 'maybe', reasons: ['because'] },
    status: 400,
    paths: ['decision', 'reasons.0'],
  },
  {
    name: 'vendors without names or valid contacts',
    method: 'POST',
    path: '/cases/{caseId}/vendors',
    caller: coordinator,
    body: { vendors: [{ name: '', contacts: ['not-an-address'] }] },
    status: 400,
    paths: ['vendors.0.name', 'vendors.0.contacts.0'],
  },
  {
    name: 'an empty vendor list',
    method: 'POST',
    path: '/cases/{caseId}/vendors',
    caller: coordinator,
    body: { vendors: [] },
    status: 400,
    paths: ['vendors'],
  },
  {
    name: 'an embargo end that is not a date',
    method: 'PUT',
    path: '/cases/{caseId}/embargo',
    caller: coordinator,
    body: { endsAt: 'next tuesday', reason: '' },
    status: 400,
    paths: ['endsAt', 'reason'],
  },
  {
    name: 'an embargo end in the past',
    method: 'PUT',
    path: '/cases/{caseId}/embargo',
    caller: coordinator,
    body: { endsAt: '2020-01-01T00:00:00Z', reason: 'x' },
    status: 400,
    detail: /in the future/,
  },
  {
    name: 'a vendor’s embargo proposal whose reason hides control and bidirectional characters',
    method: 'PUT',
    path: '/vendor/cases/{caseId}/embargo',
    caller: vendor,
    body: { endsAt: '2027-03-01T12:00:00Z', reason: 'ok\u0007 \u202Efdp.exe' },
    status: 400,
    paths: ['reason'],
  },
  {
    name: 'a reporter’s embargo proposal with an over-long reason and no date',
    method: 'PUT',
    path: '/reports/{caseId}/embargo',
    caller: reporter,
    body: { reason: 'x'.repeat(1001) },
    status: 400,
    paths: ['endsAt', 'reason'],
  },
  {
    name: 'a coordinator answer that also sets a date',
    method: 'PUT',
    path: '/cases/{caseId}/embargo',
    caller: coordinator,
    body: { acceptProposal: 'EP-1', endsAt: '2027-03-01T12:00:00Z', reason: 'both' },
    status: 400,
    paths: ['endsAt'],
  },
  {
    name: 'a signal of an unknown kind',
    method: 'POST',
    path: '/cases/{caseId}/signals',
    caller: coordinator,
    body: { kind: 'rumour', evidence: 'x' },
    status: 400,
    paths: ['kind'],
  },
  {
    name: 'a vulnerability without a title',
    method: 'POST',
    path: '/cases/{caseId}/vulnerabilities',
    caller: coordinator,
    body: { description: 'x' },
    status: 400,
    paths: ['title'],
  },
  {
    name: 'a publication decision on a case not in draft review',
    method: 'POST',
    path: '/cases/{caseId}/publication',
    caller: coordinator,
    body: { decision: 'approve' },
    status: 409,
    detail: /phase "embargo".*Allowed in this state: .*set-embargo/,
  },
  {
    name: 'a triage decision after triage',
    method: 'POST',
    path: '/cases/{caseId}/triage',
    caller: coordinator,
    body: { decision: 'accept' },
    status: 409,
    detail: /phase "embargo"/,
  },
  {
    name: 'a reporter message of an unknown kind',
    method: 'POST',
    path: '/reports/{caseId}/messages',
    caller: reporter,
    body: { kind: 'shout', body: '' },
    status: 400,
    paths: ['kind', 'body'],
  },
  {
    name: 'a vendor status with an unknown status value',
    method: 'PUT',
    path: '/vendor/cases/{caseId}/status',
    caller: vendor,
    body: { vulnerabilities: [{ id: 'vul-1', status: 'fixed' }], fixReady: 'soon' },
    status: 400,
    paths: ['vulnerabilities.0.status', 'fixReady'],
  },
  {
    name: 'a vendor status for a vulnerability that does not exist',
    method: 'PUT',
    path: '/vendor/cases/{caseId}/status',
    caller: vendor,
    body: { vulnerabilities: [{ id: 'vul-9', status: 'affected' }] },
    status: 404,
  },
  {
    name: 'a CVE ID proposed for a vulnerability the vendor is not affected by',
    method: 'PUT',
    path: '/vendor/cases/{caseId}/status',
    caller: vendor,
    body: { vulnerabilities: [{ id: 'vul-1', status: 'not-affected' }], cveIds: [{ vulnerabilityId: 'vul-1', cveId: 'CVE-2021-44228' }] },
    status: 400,
    detail: /affected by/,
  },
  // Strict intake: a vector is only ever a vector, a one-line field one line, and no field hides controls.
  {
    name: 'a report whose CVSS vector carries Markdown',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: { ...aReportInput(), cvss: { v3: 'CVSS:3.1/AV:N\n\n## Vendor information\n\nx\n\n## Notes\n\n' } },
    status: 400,
    paths: ['cvss.v3'],
  },
  {
    name: 'a report with a v2 vector in the v4 field',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: { ...aReportInput(), cvss: { v4: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' } },
    status: 400,
    paths: ['cvss.v4'],
  },
  {
    name: 'a report whose title spans lines',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: { ...aReportInput(), title: 'Bug\n## Vendor information' },
    status: 400,
    paths: ['title'],
  },
  {
    name: 'a report with bidi controls and a NUL',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: { ...aReportInput(), description: 'safe \u202Eexe.txt', impact: 'a\u0000b', product: { name: 'W\u2066idget' } },
    status: 400,
    paths: ['description', 'impact', 'product.name'],
  },
  {
    name: 'a reported vendor name with a C1 control',
    method: 'POST',
    path: '/reports',
    caller: anyone,
    body: { ...aReportInput(), vendors: [{ name: 'Acme\u0085Corp' }] },
    status: 400,
    paths: ['vendors.0.name'],
  },
  {
    name: 'a vendor statement with an escape sequence',
    method: 'PUT',
    path: '/vendor/cases/{caseId}/status',
    caller: vendor,
    body: { statement: 'fixed \u001b[2J' },
    status: 400,
    paths: ['statement'],
  },
  {
    name: 'a coordinator vulnerability whose vector is not one',
    method: 'POST',
    path: '/cases/{caseId}/vulnerabilities',
    caller: coordinator,
    body: { title: 'x', cvss: { v2: 'AV:N`\n# x' } },
    status: 400,
    paths: ['cvss.v2'],
  },
  {
    name: 'vendor contacts that are not addresses',
    method: 'PUT',
    path: '/cases/{caseId}/vendors/{vendorId}',
    caller: coordinator,
    body: { contacts: [{ email: 'nobody' }, 'x@y.example'] },
    status: 400,
    paths: ['contacts.0.email', 'contacts.1'],
  },
  {
    name: 'a vendor edit that changes nothing',
    method: 'PUT',
    path: '/cases/{caseId}/vendors/{vendorId}',
    caller: coordinator,
    body: {},
    status: 400,
    detail: /at least one field/,
  },
  {
    name: 'a link action that is not one',
    method: 'POST',
    path: '/cases/{caseId}/vendors/{vendorId}/links',
    caller: coordinator,
    body: { action: 'burn' },
    status: 400,
    paths: ['action'],
  },
  {
    name: 'a link action for an address that is not a contact',
    method: 'POST',
    path: '/cases/{caseId}/vendors/{vendorId}/links',
    caller: coordinator,
    body: { action: 'revoke', email: 'eve@attacker.example' },
    status: 404,
  },
  {
    name: 'a reporter link action naming an address',
    method: 'POST',
    path: '/cases/{caseId}/reporter/links',
    caller: coordinator,
    body: { action: 'revoke', email: 'ada@example.org' },
    status: 400,
    paths: ['email'],
  },
  {
    name: 'a CVE ID that is not one',
    method: 'PUT',
    path: '/cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
    caller: coordinator,
    body: { cveId: 'CVE-26-1' },
    status: 400,
    paths: ['cveId'],
  },
  {
    name: 'a CVE request that names nothing',
    method: 'PUT',
    path: '/cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
    caller: coordinator,
    body: {},
    status: 400,
  },
  {
    name: 'accepting a CVE proposal nobody made',
    method: 'PUT',
    path: '/cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
    caller: coordinator,
    body: { acceptProposalFrom: 'vendor-1' },
    status: 400,
    detail: /proposed no CVE ID/,
  },
  {
    name: 'CVE IDs that are markup',
    method: 'PUT',
    path: '/vendor/cases/{caseId}/status',
    caller: vendor,
    body: { isCna: true, cveIds: [SCRIPT] },
    status: 400,
    paths: ['cveIds.0'],
  },
  {
    name: 'a vendor comment with markup beyond the length limit',
    method: 'POST',
    path: '/vendor/cases/{caseId}/messages',
    caller: vendor,
    body: { body: SCRIPT.repeat(1000) },
    status: 400,
    paths: ['body'],
  },
];

describe('invalid requests', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('refuses %s and writes nothing', async (_name, c) => {
    const before = await snapshot(w.app, [w.a, w.b]);
    const r = await call(w.app.deps, c.method, c.path, {
      params: { caseId: w.a, vendorId: 'vendor-1', vulnerabilityId: 'vul-1' },
      caller: c.caller(w),
      body: c.body,
      ...(c.headers ? { headers: c.headers } : {}),
    });
    expect(r.status, r.raw).toBe(c.status);
    expect(r.headers['content-type']).toBe('application/problem+json');
    const p = r.body as { type: string; title: string; status: number; detail: string; errors: { path: string; message: string }[] };
    expect(p.status).toBe(c.status);
    expect(p.title).toBeTruthy();
    expect(p.detail).toBeTruthy();
    if (c.paths) expect(p.errors.map((e) => e.path).sort()).toEqual([...c.paths].sort());
    if (c.detail) expect(p.detail).toMatch(c.detail);
    for (const e of p.errors) expect(e.message).not.toMatch(/undefined|\[object/);
    expect(r.raw).not.toMatch(/[<>]/);
    expect(await snapshot(w.app, [w.a, w.b])).toEqual(before);
  });

  it('names the state that forbids a command and what it allows', async () => {
    const r = await call(w.app.deps, 'POST', '/cases/{caseId}/publication', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      body: { decision: 'approve' },
    });
    expect(r.body).toMatchObject({
      status: 409,
      state: { phase: 'embargo', rm: 'ACCEPTED', em: 'ACTIVE' },
      allowed: expect.arrayContaining(['set-embargo', 'revise-draft']),
    });
  });

  it('ignores unknown fields', async () => {
    const r = await call(w.app.deps, 'POST', '/cases/{caseId}/signals', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      body: { kind: 'public', evidence: 'x', severity: 'huge', __proto__: { admin: true } },
    });
    expect(r.status).toBe(202);
    const last = (await w.app.store.readEvents(w.a, { limit: 1000 })).events.at(-1);
    expect(last).not.toHaveProperty('severity');
  });

  it('keeps markup in text fields as plain text, stored verbatim and never sent as markup', async () => {
    const title = `${SCRIPT} in <b>upload</b> & more`;
    const r = await call(w.app.deps, 'POST', '/reports', {
      body: { ...aReportInput(), title, description: `<img src=x onerror=alert(1)>` },
    });
    expect(r.status).toBe(201);
    const { caseId, reporterToken } = r.body as { caseId: string; reporterToken: string };
    expect((await w.app.store.load(caseId))?.state.report?.title).toBe(title);
    const view = await call(w.app.deps, 'GET', '/reports/{caseId}', {
      params: { caseId },
      caller: { kind: 'token', token: reporterToken },
    });
    expect((view.body as { title: string }).title).toBe(title);
    expect(view.raw).not.toMatch(/[<>&]/);
    expect(view.headers['x-content-type-options']).toBe('nosniff');
  });

  it('does not echo a vendor name that is markup in a domain error as markup', async () => {
    const name = `<script>x</script>`;
    await call(w.app.deps, 'POST', '/cases/{caseId}/vendors', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      body: { vendors: [{ name }] },
    });
    const again = await call(w.app.deps, 'POST', '/cases/{caseId}/vendors', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      body: { vendors: [{ name }] },
    });
    expect(again.status).toBe(400);
    expect((again.body as { detail: string }).detail).toContain('already on the case');
    expect(again.raw).not.toMatch(/[<>]/);
  });

  // DynamoDB refuses a key over 2048 bytes (a sort key over 1024) with ValidationException, and so
  // does the in-memory store: these answered 500 before the API refused them itself.
  it('answers a path id longer than any id with the one 404, and writes nothing', async () => {
    const before = await snapshot(w.app, [w.a, w.b]);
    const unknown = await call(w.app.deps, 'GET', '/reports/{caseId}', {
      params: { caseId: 'VU-NOSUCH00' },
      caller: w.callers.reporterOfCase,
    });
    const long = '\u{1F600}'.repeat(600);
    const asCoordinator = (method: 'GET' | 'POST' | 'PUT', path: string, params: Record<string, string>, body?: unknown) =>
      call(w.app.deps, method, path, { params, caller: w.callers.coordinator, ...(body !== undefined ? { body } : {}) });
    const answers = [
      await asCoordinator('GET', '/cases/{caseId}', { caseId: long }),
      await asCoordinator('GET', '/cases/{caseId}/events', { caseId: long }),
      await asCoordinator('POST', '/cases/{caseId}/signals', { caseId: long }, { kind: 'public', evidence: 'x' }),
      await asCoordinator('PUT', '/cases/{caseId}/vendors/{vendorId}', { caseId: w.a, vendorId: long }, { isCna: true }),
      await asCoordinator(
        'PUT',
        '/cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
        { caseId: w.a, vulnerabilityId: long },
        { cveId: 'CVE-2026-1234' },
      ),
      await call(w.app.deps, 'GET', '/vendor/cases/{caseId}', { params: { caseId: long }, caller: w.callers.vendorOfCase }),
    ];
    for (const r of answers) expect({ status: r.status, raw: r.raw }).toEqual({ status: 404, raw: unknown.raw });
    expect(await snapshot(w.app, [w.a, w.b])).toEqual(before);
  });

  it('refuses a queue cursor whose key is longer than a table takes as one it did not issue', async () => {
    const cursor = Buffer.from(`~#${'x'.repeat(3000)}`, 'utf8').toString('base64url');
    const merged = `m.${Buffer.from(JSON.stringify({ embargo: cursor })).toString('base64url')}`;
    const queries: Record<string, string>[] = [{ phase: 'embargo', cursor }, { cursor: merged }];
    for (const query of queries) {
      const r = await call(w.app.deps, 'GET', '/cases', { caller: w.callers.coordinator, query });
      expect(r.status, r.raw).toBe(400);
      expect(r.body).toMatchObject({ errors: [{ path: 'cursor' }] });
    }
  });

  it('answers an unknown route with 404', async () => {
    const { coordinatorQueriesApi } = await import('../../../functions/app/api/coordinator.js');
    const { anEvent } = await import('../../builders/http.js');
    const r = await coordinatorQueriesApi(() => w.app.deps, anEvent('POST', '/cases', { caller: w.callers.coordinator, body: {} }));
    expect(r.statusCode).toBe(404);
  });

  it('rejects a bad queue cursor, limit or phase with 400', async () => {
    const queries: Record<string, string>[] = [
      { cursor: 'bogus' },
      { limit: '0' },
      { limit: 'ten' },
      { phase: 'limbo' },
      { phase: 'triage', cursor: 'bogus' },
    ];
    for (const query of queries) {
      const r = await call(w.app.deps, 'GET', '/cases', { caller: w.callers.coordinator, query });
      expect(r.status, JSON.stringify(query)).toBe(400);
    }
    const e = await call(w.app.deps, 'GET', '/cases/{caseId}/events', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      query: { cursor: '-1' },
    });
    expect(e.status).toBe(400);
  });
});
