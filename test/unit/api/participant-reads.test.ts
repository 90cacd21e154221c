// A reporter's or vendor's change is decided on the case its authentication read: one read of the
// case item per request, not two (on a case with hundreds of vendors that item is tens of KB). A
// copy that went stale in between costs one conflict, and the decision is taken again on the
// fresh case, so nobody acts on a case that has moved on.
import { describe, expect, it } from 'vitest';
import type { HttpMethod } from '../../../lib/api-routes.js';
import { execute } from '../../../functions/app/commands.js';
import { type CallerName, aWorld, type World } from '../../builders/api-world.js';
import { COORDINATOR } from '../../builders/case.js';
import { call } from '../../builders/http.js';

const ROUTES: { method: HttpMethod; path: string; caller: CallerName; body: unknown }[] = [
  { method: 'POST', path: '/vendor/cases/{caseId}/acknowledge', caller: 'vendorOfCase', body: null },
  {
    method: 'PUT',
    path: '/vendor/cases/{caseId}/status',
    caller: 'vendorOfCase',
    body: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }] },
  },
  {
    method: 'PUT',
    path: '/vendor/cases/{caseId}/embargo',
    caller: 'vendorOfCase',
    body: { endsAt: '2027-06-01T12:00:00Z', reason: 'our release train' },
  },
  { method: 'POST', path: '/vendor/cases/{caseId}/messages', caller: 'vendorOfCase', body: { kind: 'comment', body: 'on it' } },
  { method: 'POST', path: '/reports/{caseId}/messages', caller: 'reporterOfCase', body: { kind: 'comment', body: 'any news?' } },
  {
    method: 'PUT',
    path: '/reports/{caseId}/embargo',
    caller: 'reporterOfCase',
    body: { endsAt: '2027-01-10T12:00:00Z', reason: 'a talk' },
  },
];

/** Reads of the case: whole loads and slices (a vendor's own change reads its slice of the case). */
function countLoads(w: World): { loads: string[] } {
  const seen = { loads: [] as string[] };
  let inSlice = false;
  const load = w.app.store.load.bind(w.app.store);
  w.app.store.load = (caseId) => {
    // A slice that falls back to the whole case reads it through load(): one read, counted once.
    if (!inSlice) seen.loads.push(caseId);
    return load(caseId);
  };
  const loadSlice = w.app.store.loadSlice.bind(w.app.store);
  w.app.store.loadSlice = async (caseId, names) => {
    seen.loads.push(caseId);
    inSlice = true;
    try {
      return await loadSlice(caseId, names);
    } finally {
      inSlice = false;
    }
  };
  return seen;
}

/** Runs `race` once, just before the first append carrying `eventType`: a write between authentication and append. */
function raceBefore(w: World, eventType: string, race: () => Promise<unknown>): { raced: () => boolean } {
  const append = w.app.store.append.bind(w.app.store);
  let raced = false;
  w.app.store.append = async (caseId, version, events, opts) => {
    if (!raced && events.some((e) => e.type === eventType)) {
      raced = true;
      await race();
    }
    return append(caseId, version, events, opts);
  };
  return { raced: () => raced };
}

describe("a participant's change", () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s reads the case once', async (_name, route) => {
    const w = await aWorld();
    const seen = countLoads(w);
    const before = (await w.app.store.readEvents(w.a)).events.length;
    const r = await call(w.app.deps, route.method, route.path, {
      params: { caseId: w.a },
      caller: w.callers[route.caller],
      body: route.body,
    });
    expect(r.status, r.raw).toBe(202);
    expect(seen.loads).toEqual([w.a]);
    expect((await w.app.store.readEvents(w.a)).events.length).toBeGreaterThan(before);
  });

  it('decided on a copy the case has moved past, is decided again on the fresh case', async () => {
    const w = await aWorld();
    // The coordinator closes the case between the vendor's authentication and its write.
    const race = raceBefore(w, 'vendor-status-updated', () =>
      execute(w.app.deps, w.a, { type: 'close-case', reason: 'withdrawn by the reporter', closure: 'withdrawn' }, COORDINATOR),
    );
    const seen = countLoads(w);
    const r = await call(w.app.deps, 'PUT', '/vendor/cases/{caseId}/status', {
      params: { caseId: w.a },
      caller: w.callers.vendorOfCase,
      body: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], statement: 'Fixed in 4.2.2.' },
    });
    expect(race.raced()).toBe(true);
    // The retry read the case again and refused: the closed case keeps no vendor change.
    expect(r.status, r.raw).toBe(409);
    expect(seen.loads.filter((id) => id === w.a).length).toBeGreaterThanOrEqual(2);
    const state = (await w.app.store.load(w.a))!.state;
    expect(state.phase).toBe('closed');
    expect(state.vendors.every((v) => v.statement === null)).toBe(true);
  });

  it('keeps a write that raced it, and lands on top of it', async () => {
    const w = await aWorld();
    const race = raceBefore(w, 'vendor-acknowledged', () =>
      execute(w.app.deps, w.a, { type: 'set-embargo', endsAt: '2027-03-01T12:00:00Z', reason: 'agreed' }, COORDINATOR),
    );
    const r = await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/acknowledge', {
      params: { caseId: w.a },
      caller: w.callers.vendorOfCase,
    });
    expect(r.status, r.raw).toBe(202);
    expect(race.raced()).toBe(true);
    const events = (await w.app.store.readEvents(w.a)).events.map((e) => e.type);
    expect(events.slice(-2)).toEqual(['embargo-changed', 'vendor-acknowledged']);
  });
});
