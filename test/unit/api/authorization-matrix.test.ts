// Every route of docs/api.md served by these handlers × every kind of caller, with the status each must
// get. Outsiders with a token that does not open the case all get the same 404 (auth.ts).
// The public notes and feed routes belong to the public-notes handler and are tested with it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type HttpMethod, apiRoutes } from '../../../lib/api-routes.js';
import { CALLERS, type CallerName, type World, type WorldPhase, aWorld } from '../../builders/api-world.js';
import { aReportInput } from '../../builders/case.js';
import { call } from '../../builders/http.js';

type Expect = Record<CallerName, number>;

const everyone = (status: number): Expect => Object.fromEntries(CALLERS.map((c) => [c, status])) as Expect;
/** Reporter routes: only the case's reporter; no token 401; every other token the same 404. */
const reporterOnly = (ok: number): Expect => ({ ...everyone(404), anonymous: 401, reporterOfCase: ok });
/** Vendor routes: both vendors on the case (each sees its own view); every other token 404. */
const vendorsOfCase = (ok: number): Expect => ({ ...everyone(404), anonymous: 401, vendorOfCase: ok, otherVendorOnCase: ok });
/** Coordinator routes: the Cognito authorizer's claims or nothing (401). */
const coordinatorOnly = (ok: number): Expect => ({ ...everyone(401), coordinator: ok });

interface Row {
  method: HttpMethod;
  path: string;
  phase?: WorldPhase;
  /** Path parameters made for the row (a file every participant received). */
  setup?: (w: World) => Promise<Record<string, string>>;
  body?: unknown;
  query?: Record<string, string>;
  expect: Expect;
}

const future = '2027-06-01T12:00:00Z';
const FILE = { filename: 'fix.patch', contentType: 'text/x-diff', size: 5, sha256: createHash('sha256').update('hello').digest('hex') };

/** A file the coordinators sent to everyone on the case. */
async function fileForEveryone(w: World): Promise<Record<string, string>> {
  const up = await call(w.app.deps, 'POST', '/cases/{caseId}/attachments', {
    params: { caseId: w.a },
    caller: w.callers.coordinator,
    body: FILE,
  });
  const attachmentId = (up.body as { attachmentId: string }).attachmentId;
  w.app.files.store.put(`cases/${w.a}/${attachmentId}`, 'hello');
  const sent = await call(w.app.deps, 'POST', '/cases/{caseId}/messages', {
    params: { caseId: w.a },
    caller: w.callers.coordinator,
    body: { to: 'everyone', body: 'the fix', attachmentIds: [attachmentId] },
  });
  if (sent.status !== 202) throw new Error(sent.raw);
  return { attachmentId };
}

const DIRECTORY_VENDOR = { name: 'Acme Directory', aliases: ['ACME-D'], contacts: [{ email: 'psirt@acme.example' }] };

/** An organisation in the directory, made by a coordinator. */
async function directoryVendor(w: World): Promise<Record<string, string>> {
  const r = await call(w.app.deps, 'POST', '/directory/vendors', { caller: w.callers.coordinator, body: DIRECTORY_VENDOR });
  if (r.status !== 201) throw new Error(r.raw);
  return { vendorRef: (r.body as { vendorRef: string }).vendorRef };
}

const ROWS: Row[] = [
  { method: 'POST', path: '/reports', body: aReportInput(), expect: everyone(201) },
  { method: 'GET', path: '/reports/{caseId}', expect: reporterOnly(200) },
  { method: 'POST', path: '/reports/{caseId}/messages', body: { kind: 'comment', body: 'any news?' }, expect: reporterOnly(202) },
  {
    method: 'PUT',
    path: '/reports/{caseId}/embargo',
    body: { endsAt: future, reason: 'we present it at a conference' },
    expect: reporterOnly(202),
  },
  { method: 'GET', path: '/reports/{caseId}/messages', expect: reporterOnly(200) },
  { method: 'GET', path: '/reports/{caseId}/messages', query: { limit: '5' }, expect: reporterOnly(200) },
  { method: 'POST', path: '/reports/{caseId}/attachments', body: FILE, expect: reporterOnly(201) },
  { method: 'GET', path: '/reports/{caseId}/attachments/{attachmentId}', setup: fileForEveryone, expect: reporterOnly(200) },

  { method: 'GET', path: '/cases', expect: coordinatorOnly(200) },
  { method: 'GET', path: '/cases', query: { phase: 'embargo', limit: '10' }, expect: coordinatorOnly(200) },
  { method: 'GET', path: '/cases/{caseId}', expect: coordinatorOnly(200) },
  { method: 'GET', path: '/cases/{caseId}/events', expect: coordinatorOnly(200) },
  { method: 'GET', path: '/cases/{caseId}/vendors', expect: coordinatorOnly(200) },
  { method: 'GET', path: '/cases/{caseId}/vendors', query: { limit: '1' }, expect: coordinatorOnly(200) },
  { method: 'GET', path: '/cases/{caseId}/messages', expect: coordinatorOnly(200) },
  { method: 'POST', path: '/cases/{caseId}/attachments', body: FILE, expect: coordinatorOnly(201) },
  { method: 'PUT', path: '/cases/{caseId}/file-retention', body: { keep: true }, expect: coordinatorOnly(200) },
  { method: 'GET', path: '/cases/{caseId}/attachments/{attachmentId}', setup: fileForEveryone, expect: coordinatorOnly(200) },
  { method: 'POST', path: '/cases/{caseId}/messages', body: { to: 'everyone', body: 'hello all' }, expect: coordinatorOnly(202) },
  { method: 'POST', path: '/cases/{caseId}/messages', body: { to: 'internal', body: 'between us' }, expect: coordinatorOnly(202) },
  {
    method: 'POST',
    path: '/cases/{caseId}/messages',
    body: { to: { vendorIds: ['vendor-2'] }, body: 'to Beta only' },
    expect: coordinatorOnly(202),
  },
  {
    method: 'POST',
    path: '/cases/{caseId}/triage',
    phase: 'triage',
    body: { decision: 'accept', reasons: [], comment: 'we coordinate this' },
    expect: coordinatorOnly(202),
  },
  {
    method: 'POST',
    path: '/cases/{caseId}/vendors',
    body: { vendors: [{ name: 'Gamma', contacts: ['sec@gamma.example'], isCna: false }] },
    expect: coordinatorOnly(202),
  },
  {
    method: 'PUT',
    path: '/cases/{caseId}/vendors/{vendorId}',
    body: { contacts: [{ email: 'psirt@acme.example' }, { email: 'second@acme.example' }] },
    expect: coordinatorOnly(202),
  },
  {
    method: 'POST',
    path: '/cases/{caseId}/vendors/{vendorId}/links',
    body: { action: 'reissue', email: 'psirt@acme.example' },
    expect: coordinatorOnly(202),
  },
  { method: 'POST', path: '/cases/{caseId}/reporter/links', body: { action: 'reissue' }, expect: coordinatorOnly(202) },
  {
    method: 'POST',
    path: '/cases/{caseId}/vulnerabilities',
    body: { title: 'A second flaw', description: 'in the parser' },
    expect: coordinatorOnly(202),
  },
  {
    method: 'PUT',
    path: '/cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
    body: { cveId: 'CVE-2026-424242' },
    expect: coordinatorOnly(202),
  },
  {
    method: 'PUT',
    path: '/cases/{caseId}/embargo',
    body: { endsAt: future, reason: 'the vendor needs a release cycle' },
    expect: coordinatorOnly(202),
  },
  {
    method: 'POST',
    path: '/cases/{caseId}/signals',
    body: { kind: 'public', evidence: 'https://news.example/x' },
    expect: coordinatorOnly(202),
  },
  { method: 'PUT', path: '/cases/{caseId}/draft', body: { markdown: '# Note\n\nText.' }, expect: coordinatorOnly(202) },
  {
    method: 'POST',
    path: '/cases/{caseId}/publication',
    phase: 'draft-review',
    body: { decision: 'approve' },
    expect: coordinatorOnly(202),
  },
  { method: 'POST', path: '/cases/{caseId}/close', body: { reason: 'withdrawn by the reporter' }, expect: coordinatorOnly(202) },
  // A reporter or vendor cannot push its own case up the queue.
  { method: 'PUT', path: '/cases/{caseId}/priority', body: { level: 'high', reason: 'hospital vendor' }, expect: coordinatorOnly(202) },

  // Only coordinators decide how far the vendors' documents may travel.
  { method: 'PUT', path: '/cases/{caseId}/vendor-csaf', body: { tlp: 'RED' }, expect: coordinatorOnly(202) },
  // The directory is the coordinators' alone: a vendor cannot read its rivals' contacts, nor make itself a CNA.
  { method: 'GET', path: '/directory/vendors', expect: coordinatorOnly(200) },
  { method: 'GET', path: '/inbound/held', expect: coordinatorOnly(200) },
  { method: 'GET', path: '/directory/vendors', query: { q: 'acme', limit: '5' }, expect: coordinatorOnly(200) },
  { method: 'POST', path: '/directory/vendors', body: DIRECTORY_VENDOR, expect: coordinatorOnly(201) },
  { method: 'GET', path: '/directory/vendors/{vendorRef}', setup: directoryVendor, expect: coordinatorOnly(200) },
  {
    method: 'PUT',
    path: '/directory/vendors/{vendorRef}',
    setup: directoryVendor,
    body: { ...DIRECTORY_VENDOR, isCna: true, cnaShortName: 'acme', version: 1 },
    expect: coordinatorOnly(200),
  },

  { method: 'GET', path: '/vendor/cases/{caseId}', expect: vendorsOfCase(200) },
  // Each vendor on the case gets its own document; everyone else the same 404.
  { method: 'GET', path: '/vendor/cases/{caseId}/csaf.json', expect: vendorsOfCase(200) },
  { method: 'POST', path: '/vendor/cases/{caseId}/acknowledge', body: {}, expect: vendorsOfCase(202) },
  {
    method: 'PUT',
    path: '/vendor/cases/{caseId}/status',
    body: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], fixReady: true, statement: 'Fixed in 4.2.2.' },
    expect: vendorsOfCase(202),
  },
  { method: 'POST', path: '/vendor/cases/{caseId}/messages', body: { body: 'we are on it' }, expect: vendorsOfCase(202) },
  {
    method: 'PUT',
    path: '/vendor/cases/{caseId}/embargo',
    body: { endsAt: future, reason: 'our release train' },
    expect: vendorsOfCase(202),
  },
  { method: 'GET', path: '/vendor/cases/{caseId}/messages', expect: vendorsOfCase(200) },
  { method: 'POST', path: '/vendor/cases/{caseId}/attachments', body: FILE, expect: vendorsOfCase(201) },
  { method: 'GET', path: '/vendor/cases/{caseId}/attachments/{attachmentId}', setup: fileForEveryone, expect: vendorsOfCase(200) },

  { method: 'GET', path: '/openapi.json', expect: everyone(200) },
  { method: 'GET', path: '/health', expect: everyone(200) },
];

describe('the authorization matrix', () => {
  it('covers every route of lib/api-routes.ts but those of the public-notes handler', () => {
    const covered = new Set(ROWS.map((r) => `${r.method} ${r.path}`));
    const missing = apiRoutes
      .filter((r) => r.handler !== 'public-notes' && !covered.has(`${r.method} ${r.path}`))
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  const cells = ROWS.flatMap((row) => CALLERS.map((caller) => ({ row, caller, status: row.expect[caller] })));
  it.each(
    cells.map(
      (c) => [`${c.row.method} ${c.row.path}${c.row.query ? `?${new URLSearchParams(c.row.query)}` : ''}`, c.caller, c.status, c] as const,
    ),
  )('%s as %s answers %i', async (_route, caller, status, { row }) => {
    const w = await aWorld(row.phase ?? 'embargo');
    const made = row.setup ? await row.setup(w) : {};
    const r = await call(w.app.deps, row.method, row.path, {
      params: {
        ...made,
        ...(row.path.includes('{caseId}') ? { caseId: w.a } : {}),
        ...(row.path.includes('{vendorId}') ? { vendorId: w.vendorIds.acme } : {}),
        ...(row.path.includes('{vulnerabilityId}') ? { vulnerabilityId: 'vul-1' } : {}),
      },
      caller: w.callers[caller],
      ...(row.body !== undefined ? { body: row.body } : {}),
      ...(row.query ? { query: row.query } : {}),
    });
    expect(r.status, r.raw).toBe(status);
    if (status >= 400) expect(r.headers['content-type']).toBe('application/problem+json');
  });
});

describe('what outsiders learn', () => {
  it('gives a wrong token, a foreign token, the other role and an unknown case byte-identical answers', async () => {
    const w = await aWorld();
    const ask = (caseId: string, callerName: CallerName, token?: string) =>
      call(w.app.deps, 'GET', '/reports/{caseId}', {
        params: { caseId },
        caller: token ? { kind: 'token', token } : w.callers[callerName],
      });
    const answers = await Promise.all([
      ask(w.a, 'reporterOfOtherCase'),
      ask(w.a, 'vendorOfCase'),
      ask('VU-NOSUCH00', 'reporterOfCase'),
      ask(w.a, 'anonymous', 'x'.repeat(43)),
      ask('VU-NOSUCH00', 'anonymous', 'x'.repeat(43)),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(404);
      expect(a.raw).toBe(answers[0]!.raw);
    }
    expect(answers[0]!.body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'not found', errors: [] });
  });

  it('stops honouring a revoked token, and a token 30 days after the case closed', async () => {
    const w = await aWorld();
    const { hashToken } = await import('../../../functions/adapters/event-store.js');
    const vendor = w.callers.vendorOfCase;
    if (vendor.kind !== 'token') throw new Error('unreachable');
    await w.app.store.revokeGrant(hashToken(vendor.token), w.app.clock.now);
    expect((await call(w.app.deps, 'GET', '/vendor/cases/{caseId}', { params: { caseId: w.a }, caller: vendor })).status).toBe(404);

    await call(w.app.deps, 'POST', '/cases/{caseId}/close', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      body: { reason: 'done' },
    });
    const asReporter = () => call(w.app.deps, 'GET', '/reports/{caseId}', { params: { caseId: w.a }, caller: w.callers.reporterOfCase });
    w.app.clock.advanceDays(29);
    expect((await asReporter()).status).toBe(200);
    w.app.clock.advanceDays(2);
    expect((await asReporter()).status).toBe(404);
  });

  it('forbids a signed-in user outside the coordinators group, and says 401 without any sign-in', async () => {
    const w = await aWorld();
    const r = await call(w.app.deps, 'GET', '/cases/{caseId}', {
      params: { caseId: w.a },
      caller: { kind: 'coordinator', groups: 'readers' },
    });
    expect(r.status).toBe(403);
    const none = await call(w.app.deps, 'GET', '/reports/{caseId}', { params: { caseId: w.a } });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
  });

  it('records the coordinator who acted, from the username claim', async () => {
    const w = await aWorld();
    await call(w.app.deps, 'POST', '/cases/{caseId}/signals', {
      params: { caseId: w.a },
      caller: { kind: 'coordinator', username: 'carol' },
      body: { kind: 'public', evidence: 'a blog' },
    });
    const events = (await w.app.store.readEvents(w.a, { limit: 1000 })).events;
    expect(events.at(-1)).toMatchObject({ type: 'signal-raised', by: { role: 'coordinator', participant: 'carol' } });
  });
});
