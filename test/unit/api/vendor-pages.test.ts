// Large cases (issue 15): the coordinator's case view carries the first page of vendors, and
// GET /cases/{caseId}/vendors the rest. Following the cursor reads every vendor exactly once, in
// the order they were added; an ordinary case is untouched (all its vendors, vendorsNext null);
// nobody but the coordinators pages a case's vendors, and one case's cursor opens no other list.
// The view's timeline holds the latest events only, and says so.
import { describe, expect, it } from 'vitest';
import { CoordinatorCaseViewSchema, VendorsPageSchema } from '../../../functions/app/api/response-schemas.js';
import { FIRST_VENDOR_PAGE } from '../../../functions/app/api/vendor-rows.js';
import { TIMELINE_EVENTS } from '../../../functions/app/api/coordinator.js';
import { CALLERS, type World, aWorld } from '../../builders/api-world.js';
import { call } from '../../builders/http.js';

const ADDED = 118; // with Acme and Beta: 120 vendors, as VINCE's users report trouble at about that many

async function worldWithManyVendors(added = ADDED): Promise<World> {
  const w = await aWorld();
  const vendors = Array.from({ length: added }, (_, i) => ({ name: `Vendor ${i + 3}`, contacts: [`psirt@vendor-${i + 3}.example`] }));
  for (let i = 0; i < vendors.length; i += 100) {
    const r = await call(w.app.deps, 'POST', '/cases/{caseId}/vendors', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      body: { vendors: vendors.slice(i, i + 100) },
    });
    expect(r.status).toBe(202);
  }
  return w;
}

const caseView = (w: World, caseId = w.a) =>
  call(w.app.deps, 'GET', '/cases/{caseId}', { params: { caseId }, caller: w.callers.coordinator });
const page = (w: World, query: Record<string, string>, caller: keyof World['callers'] = 'coordinator', caseId = w.a) =>
  call(w.app.deps, 'GET', '/cases/{caseId}/vendors', { params: { caseId }, caller: w.callers[caller], query });

type Row = { vendorId: string; name: string };

describe('the vendors of a large case, paginated', () => {
  it('the view holds the first page; its cursor then the pages read every vendor once, in order', async () => {
    const w = await worldWithManyVendors();
    const v = await caseView(w);
    expect(v.status).toBe(200);
    expect(CoordinatorCaseViewSchema.safeParse(v.body).success).toBe(true);
    const body = v.body as { vendors: Row[]; vendorsTotal: number; vendorsNext: string | null };
    expect(body.vendors).toHaveLength(FIRST_VENDOR_PAGE);
    expect(body.vendorsTotal).toBe(ADDED + 2);
    expect(body.vendorsNext).toEqual(expect.any(String));

    const seen: string[] = body.vendors.map((x) => x.vendorId);
    let cursor = body.vendorsNext;
    for (let reads = 0; cursor !== null && reads < 10; reads++) {
      const r = await page(w, { cursor, limit: '30' });
      expect(r.status).toBe(200);
      expect(VendorsPageSchema.safeParse(r.body).success).toBe(true);
      const p = r.body as { vendors: Row[]; cursor: string | null; total: number };
      expect(p.total).toBe(ADDED + 2);
      expect(p.vendors.length).toBeLessThanOrEqual(30);
      seen.push(...p.vendors.map((x) => x.vendorId));
      cursor = p.cursor;
    }
    expect(cursor).toBeNull();
    expect(seen).toEqual(Array.from({ length: ADDED + 2 }, (_, i) => `vendor-${i + 1}`));
  });

  it('without a cursor the route starts at the first vendor, and rows are the view’s rows', async () => {
    const w = await worldWithManyVendors();
    const view = (await caseView(w)).body as { vendors: Row[] };
    const first = (await page(w, { limit: '5' })).body as { vendors: Row[]; cursor: string };
    expect(first.vendors).toEqual(view.vendors.slice(0, 5));
    const next = (await page(w, { cursor: first.cursor, limit: '5' })).body as { vendors: Row[] };
    expect(next.vendors).toEqual(view.vendors.slice(5, 10));
  });

  it('leaves an ordinary case as it was: every vendor in the view, no next page', async () => {
    const w = await aWorld();
    const body = (await caseView(w)).body as { vendors: Row[]; vendorsTotal: number; vendorsNext: string | null };
    expect(body.vendors.map((x) => x.name)).toEqual(['Acme', 'Beta']);
    expect(body).toMatchObject({ vendorsTotal: 2, vendorsNext: null });
    expect((await page(w, {})).body).toMatchObject({ total: 2, cursor: null });
  });

  it('the timeline holds the latest events of a large case, all of an ordinary one', async () => {
    const w = await worldWithManyVendors(TIMELINE_EVENTS);
    type Timeline = { timeline: { seq: number }[]; timelineComplete: boolean; version: number };
    const big = (await caseView(w)).body as Timeline;
    expect(big.version, 'the case has more events than the timeline holds').toBeGreaterThan(TIMELINE_EVENTS);
    expect(big.timelineComplete).toBe(false);
    expect(big.timeline.length).toBeLessThanOrEqual(TIMELINE_EVENTS);
    expect(big.timeline.at(-1)?.seq).toBeGreaterThan(big.version - 5);
    const small = (await caseView(w, w.b)).body as Timeline;
    expect(small.timelineComplete).toBe(true);
    const log = (await call(w.app.deps, 'GET', '/cases/{caseId}/events', { params: { caseId: w.b }, caller: w.callers.coordinator }))
      .body as { events: { seq: number; type: string }[] };
    expect(small.timeline.map((e) => e.seq)).toEqual(log.events.filter((e) => e.type !== 'events-applied').map((e) => e.seq));
  });

  it('refuses a cursor this case never gave, another case’s included, and a bad limit, with 400', async () => {
    const w = await worldWithManyVendors();
    const next = ((await caseView(w)).body as { vendorsNext: string }).vendorsNext;
    // Case b has one vendor: case a's cursor (past vendor-50) names no vendor there.
    for (const cursor of ['v.vendor-999', 'v.', 'garbage', '50']) expect((await page(w, { cursor })).status, cursor).toBe(400);
    expect((await page(w, { cursor: next }, 'coordinator', w.b)).status).toBe(400);
    expect((await page(w, { limit: '0' })).status).toBe(400);
    expect((await page(w, { limit: '201' })).status).toBe(400);
  });

  it('pages no vendor list for a vendor, a reporter or anyone else, with the cursor or without', async () => {
    const w = await worldWithManyVendors();
    const next = ((await caseView(w)).body as { vendorsNext: string }).vendorsNext;
    for (const caller of CALLERS.filter((c) => c !== 'coordinator')) {
      for (const query of [{}, { cursor: next }] as Record<string, string>[]) {
        const r = await page(w, query, caller);
        expect(r.status, caller).toBe(401);
        expect(JSON.stringify(r.body)).not.toContain('psirt@');
      }
    }
  });
});
