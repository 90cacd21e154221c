// What each caller sees: the coordinator everything docs/api.md lists; a vendor only its own part until
// publication; a reporter never a vendor's statement or identity before publication.
import { describe, expect, it } from 'vitest';
import { CoordinatorCaseViewSchema, ReporterCaseViewSchema, VendorCaseViewSchema } from '../../../functions/app/api/response-schemas.js';
import { reporterView, vendorView } from '../../../functions/app/api/views.js';
import { aWorld } from '../../builders/api-world.js';
import { SYSTEM, aCase, aReport, vendorActor } from '../../builders/case.js';
import { call } from '../../builders/http.js';

const STATEMENT_A = 'Acme: fixed in 4.2.2, private build 77.';
const STATEMENT_B = 'Beta: we ship the widget in our appliance; patch pending.';

async function worldWithStatements() {
  const w = await aWorld();
  const put = (caller: 'vendorOfCase' | 'otherVendorOnCase', statement: string, status: string) =>
    call(w.app.deps, 'PUT', '/vendor/cases/{caseId}/status', {
      params: { caseId: w.a },
      caller: w.callers[caller],
      body: { vulnerabilities: [{ id: 'vul-1', status }], statement, fixReady: true },
    });
  expect((await put('vendorOfCase', STATEMENT_A, 'affected')).status).toBe(202);
  expect((await put('otherVendorOnCase', STATEMENT_B, 'not-affected')).status).toBe(202);
  await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
    params: { caseId: w.a },
    caller: w.callers.otherVendorOnCase,
    body: { body: 'Beta private note to the coordinator' },
  });
  return w;
}
const view = async (w: Awaited<ReturnType<typeof aWorld>>, path: string, caller: keyof typeof w.callers) =>
  call(w.app.deps, 'GET', path, { params: { caseId: w.a }, caller: w.callers[caller] });

describe('vendor isolation before publication', () => {
  it('shows vendor A its own status and statement and nothing of vendor B', async () => {
    const w = await worldWithStatements();
    const r = await view(w, '/vendor/cases/{caseId}', 'vendorOfCase');
    expect(r.status).toBe(200);
    expect(VendorCaseViewSchema.safeParse(r.body).success).toBe(true);
    expect(r.body).toMatchObject({
      vendor: { vendorId: 'vendor-1', name: 'Acme', statement: STATEMENT_A, statuses: { 'vul-1': 'affected' }, fixReady: true },
    });
    expect(r.raw).not.toMatch(/Beta|patch pending|not-affected|vendor-2/);
    expect(r.raw).not.toContain('Beta private note');
  });

  it('shows vendor B nothing of vendor A, not even in the affected products of a vulnerability', async () => {
    const w = await worldWithStatements();
    const r = await view(w, '/vendor/cases/{caseId}', 'otherVendorOnCase');
    expect(r.raw).not.toMatch(/Acme|private build|vendor-1/);
    expect(r.body).toMatchObject({ vendor: { name: 'Beta', statement: STATEMENT_B } });
  });

  it('shows the reporter no vendor statement, status or name', async () => {
    const w = await worldWithStatements();
    const r = await view(w, '/reports/{caseId}', 'reporterOfCase');
    expect(ReporterCaseViewSchema.safeParse(r.body).success).toBe(true);
    const { report: _own, ...rest } = r.body as Record<string, unknown>;
    const raw = JSON.stringify(rest);
    expect(raw).not.toMatch(/private build|patch pending|Beta|not-affected|Beta private note/);
  });

  it('hides the reporter contact from vendors unless the reporter agreed, and never shows private comments', async () => {
    const agreed = aCase('VU-1')
      .submitted(aReport({ privateComments: 'my employer must not know' }))
      .contacted();
    const v = vendorView(agreed.state, 'vendor-1');
    expect(v.report?.reporter?.email).toBe('ada@example.org');
    expect(JSON.stringify(v)).not.toContain('my employer');
    const declined = aCase('VU-2')
      .submitted(aReport({ reporter: { email: 'ada@example.org', shareContactWithVendors: false } }))
      .contacted();
    expect(vendorView(declined.state, 'vendor-1').report?.reporter).toBeNull();
    expect(JSON.stringify(vendorView(declined.state, 'vendor-1'))).not.toContain('ada@example.org');
  });

  it('builds each reader’s draft for them: a vendor reads its own row, statement and fix only; the reporter no vendor at all', () => {
    const b = aCase('VU-3')
      .submitted()
      .accepted()
      .withVendors({ name: 'Globex' })
      .contacted()
      .run(
        {
          type: 'update-vendor-status',
          statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }],
          statement: 'Globex statement',
          fixReady: true,
        },
        vendorActor('vendor-2'),
      )
      .drafted('# Note\n\n## Overview\n\nA bug.\n');
    const forAcme = vendorView(b.state, 'vendor-1').draft?.markdown ?? '';
    expect(forAcme).not.toMatch(/Globex/);
    expect(forAcme).toContain('| Acme |');
    expect(forAcme).toContain('## Acknowledgements');
    const forGlobex = vendorView(b.state, 'vendor-2').draft?.markdown ?? '';
    expect(forGlobex).toContain('> Globex statement');
    expect(forGlobex).toContain('Apply the update from Globex');
    expect(forGlobex).not.toMatch(/Acme/);
    const forReporter = reporterView(b.state).draft?.markdown ?? '';
    expect(forReporter).not.toMatch(/Globex|Acme/);
    expect(forReporter).toContain('## Overview');
  });

  it('shows every vendor with status, statement and references once the note is published', async () => {
    const b = aCase('VU-4').submitted().accepted().withVendors({ name: 'Globex' }).contacted();
    const references = [{ url: 'https://globex.example/sa', kind: 'advisory' as const }];
    b.run(
      {
        type: 'update-vendor-status',
        statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }],
        statement: 'Globex statement',
        references,
      },
      vendorActor('vendor-2'),
    );
    const s = b.published().state;
    expect(vendorView(s, 'vendor-1').vendors).toEqual(
      expect.arrayContaining([{ name: 'Globex', status: 'affected', statement: 'Globex statement', references }]),
    );
  });
});

describe("the coordinator's view", () => {
  it('has every field docs/api.md lists, the pending decision, the next deadline and the timeline', async () => {
    const w = await worldWithStatements();
    await w.app.store.putWait(w.a, { kind: 'case-event', token: 'task-token-1', since: w.app.clock.now });
    const r = await view(w, '/cases/{caseId}', 'coordinator');
    expect(r.status).toBe(200);
    const parsed = CoordinatorCaseViewSchema.safeParse(r.body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const v = r.body as Record<string, unknown> & { vendors: Record<string, unknown>[]; timeline: { type: string }[] };
    expect(v).toMatchObject({
      caseId: w.a,
      phase: 'embargo',
      rm: 'ACCEPTED',
      em: 'ACTIVE',
      pendingDecision: { kind: 'case-event', since: w.app.clock.now },
      nextDeadline: { kind: expect.any(String), at: expect.any(String) },
      noteId: null,
      triage: { recommendation: 'coordinate', suggestedReasons: [], decision: { decision: 'accept' } },
    });
    expect(v.cs).toMatch(/^[vV][fF][dD][pP][xX][aA]$/);
    expect(v.vendors[0]).toMatchObject({
      vendorId: 'vendor-1',
      name: 'Acme',
      isCna: false,
      status: 'affected',
      unresponsive: false,
      statement: STATEMENT_A,
    });
    expect(v.vendors[1]).toMatchObject({ name: 'Beta', status: 'not-affected' });
    expect(JSON.stringify(v)).not.toContain('task-token-1');
    expect(v.timeline.map((e) => e.type)).toContain('vendor-status-updated');
    expect(v.report).toMatchObject({ title: 'Unauthenticated RCE in the upload handler' });
  });

  it('pages through the event log', async () => {
    const w = await aWorld();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await call(w.app.deps, 'GET', '/cases/{caseId}/events', {
        params: { caseId: w.a },
        caller: w.callers.coordinator,
        query: { limit: '3', ...(cursor ? { cursor } : {}) },
      });
      const page = r.body as { events: { seq: number }[]; cursor: string | null };
      seen.push(...page.events.map((e) => e.seq));
      cursor = page.cursor;
    } while (cursor);
    const all = (await w.app.store.readEvents(w.a, { limit: 1000 })).events.map((e) => e.seq);
    expect(seen).toEqual(all);
  });

  it('merges the open phases into one queue by next deadline, page by page', async () => {
    const w = await aWorld();
    // A third case, still in triage: its 48-hour SLA comes before the embargoed cases' deadlines.
    const r = await call(w.app.deps, 'POST', '/reports', { body: aReport() });
    const third = (r.body as { caseId: string }).caseId;
    await import('../../../functions/app/commands.js').then(({ execute }) => execute(w.app.deps, third, { type: 'register' }, SYSTEM));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q = await call(w.app.deps, 'GET', '/cases', {
        caller: w.callers.coordinator,
        query: { limit: '1', ...(cursor ? { cursor } : {}) },
      });
      expect(q.status, q.raw).toBe(200);
      const page = q.body as { items: { caseId: string; nextDeadline: { at: string } | null }[]; cursor: string | null };
      seen.push(...page.items.map((i) => i.caseId));
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(new Set(seen)).toEqual(new Set([w.a, w.b, third]));
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBe(third);
    const all = await call(w.app.deps, 'GET', '/cases', { caller: w.callers.coordinator });
    const at = (all.body as { items: { nextDeadline: { at: string } | null }[] }).items.map((i) => i.nextDeadline?.at ?? '~');
    expect(at).toEqual([...at].sort());
  });
});
