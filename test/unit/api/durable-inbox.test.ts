// Every mutating route follows the durable-inbox rule: the event is in the log first, then the
// waiting execution is woken; with nobody waiting, the event simply waits in the log.
import { describe, expect, it } from 'vitest';
import type { HttpMethod } from '../../../lib/api-routes.js';
import { type CallerName, aWorld } from '../../builders/api-world.js';
import { call } from '../../builders/http.js';

const ROUTES: { method: HttpMethod; path: string; caller: CallerName; body: unknown; event: string }[] = [
  {
    method: 'POST',
    path: '/reports/{caseId}/messages',
    caller: 'reporterOfCase',
    body: { kind: 'comment', body: 'any news?' },
    event: 'comment-added',
  },
  { method: 'POST', path: '/cases/{caseId}/vendors', caller: 'coordinator', body: { vendors: [{ name: 'Gamma' }] }, event: 'vendor-added' },
  {
    method: 'PUT',
    path: '/cases/{caseId}/embargo',
    caller: 'coordinator',
    body: { endsAt: '2027-06-01T12:00:00Z', reason: 'a release cycle' },
    event: 'embargo-changed',
  },
  {
    method: 'POST',
    path: '/cases/{caseId}/signals',
    caller: 'coordinator',
    body: { kind: 'attacks-observed', evidence: 'honeypot logs' },
    event: 'signal-raised',
  },
  { method: 'POST', path: '/vendor/cases/{caseId}/acknowledge', caller: 'vendorOfCase', body: null, event: 'vendor-acknowledged' },
  {
    method: 'PUT',
    path: '/vendor/cases/{caseId}/status',
    caller: 'vendorOfCase',
    body: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }] },
    event: 'vendor-status-updated',
  },
  {
    method: 'POST',
    path: '/vendor/cases/{caseId}/messages',
    caller: 'otherVendorOnCase',
    body: { kind: 'comment', body: 'hello' },
    event: 'comment-added',
  },
];

describe('the durable inbox', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s appends the event, then wakes the waiting execution',
    async (_name, route) => {
      const w = await aWorld();
      const before = (await w.app.store.load(w.a))!.version;
      await w.app.store.putWait(w.a, { kind: 'case-event', token: 'task-1', since: w.app.clock.now });
      w.app.signals.waiting.add('task-1');
      // The wake must see the event already in the log: check at the moment the token is resumed.
      const seenAtWake: string[] = [];
      const succeed = w.app.signals.succeed.bind(w.app.signals);
      w.app.signals.succeed = async (token, output) => {
        seenAtWake.push(...(await w.app.store.readEvents(w.a, { afterSeq: before })).events.map((e) => e.type));
        return succeed(token, output);
      };
      const r = await call(w.app.deps, route.method, route.path, {
        params: { caseId: w.a },
        caller: w.callers[route.caller],
        body: route.body,
      });
      expect(r.status, r.raw).toBe(202);
      expect(r.body).toMatchObject({ caseId: w.a, phase: 'embargo' });
      expect(w.app.signals.succeeded).toEqual([{ token: 'task-1', output: { caseId: w.a } }]);
      expect(seenAtWake).toContain(route.event);
      expect(await w.app.store.getWait(w.a)).toBeNull();
    },
  );

  it('keeps the event in the log when no execution is waiting', async () => {
    const w = await aWorld();
    const r = await call(w.app.deps, 'POST', '/cases/{caseId}/signals', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      body: { kind: 'public', evidence: 'a blog' },
    });
    expect(r.status).toBe(202);
    expect(w.app.signals.succeeded).toEqual([]);
    expect((await w.app.store.readEvents(w.a, { limit: 1000 })).events.at(-1)?.type).toBe('signal-raised');
  });

  it('answers coordinators with the new Vultron states and the events appended, participants with less', async () => {
    const w = await aWorld();
    const c = await call(w.app.deps, 'POST', '/cases/{caseId}/signals', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      body: { kind: 'exploit-public', evidence: 'poc on github' },
    });
    expect(c.body).toMatchObject({
      caseId: w.a,
      em: 'EXITED',
      embargo: { state: 'EXITED' },
      events: ['signal-raised'],
      cs: expect.stringMatching(/X/),
    });
    const v = await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/acknowledge', {
      params: { caseId: w.a },
      caller: w.callers.vendorOfCase,
    });
    expect(Object.keys(v.body as object).sort()).toEqual(['caseId', 'embargo', 'phase']);
  });

  it('maps a reporter self-disclosure, information and draft comments to their commands', async () => {
    const w = await aWorld();
    const r = await call(w.app.deps, 'POST', '/reports/{caseId}/messages', {
      params: { caseId: w.a },
      caller: w.callers.reporterOfCase,
      body: { kind: 'self-disclosure', body: 'my blog post is live' },
    });
    expect(r.status, r.raw).toBe(202);
    expect(r.body).toMatchObject({ embargo: { state: 'EXITED' } });
    const draftComment = await call(w.app.deps, 'POST', '/reports/{caseId}/messages', {
      params: { caseId: w.a },
      caller: w.callers.reporterOfCase,
      body: { kind: 'draft-comment', body: 'typo in para 2' },
    });
    expect(draftComment.status).toBe(409);
    const info = await call(w.app.deps, 'POST', '/reports/{caseId}/messages', {
      params: { caseId: w.a },
      caller: w.callers.reporterOfCase,
      body: { kind: 'information', body: 'more detail' },
    });
    expect(info.status).toBe(409);
    expect((info.body as { detail: string }).detail).toMatch(/phase "embargo"/);
  });

  it('takes CVE IDs from a vendor as proposals, as pairs or aligned with the vulnerabilities, that only a coordinator turns into the ID', async () => {
    const w = await aWorld();
    const r = await call(w.app.deps, 'PUT', '/vendor/cases/{caseId}/status', {
      params: { caseId: w.a },
      caller: w.callers.vendorOfCase,
      body: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], isCna: true, cveIds: ['CVE-2026-31337'] },
    });
    expect(r.status, r.raw).toBe(202);
    let s = (await w.app.store.load(w.a))!.state;
    expect(s.vulnerabilities[0]?.cveId).toBeNull();
    expect(s.vendors[0]).toMatchObject({ isCna: false, proposals: { isCna: true, cveIds: { 'vul-1': { cveId: 'CVE-2026-31337' } } } });
    const accept = await call(w.app.deps, 'PUT', '/cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve', {
      params: { caseId: w.a, vulnerabilityId: 'vul-1' },
      caller: w.callers.coordinator,
      body: { acceptProposalFrom: 'vendor-1' },
    });
    expect(accept.status, accept.raw).toBe(202);
    s = (await w.app.store.load(w.a))!.state;
    expect(s.vulnerabilities[0]).toMatchObject({ cveId: 'CVE-2026-31337', cveSource: 'vendor', cveVendorId: 'vendor-1' });
  });
});
