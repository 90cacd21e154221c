// GET /vendor/cases/{caseId}/csaf.json over the API: each vendor on case A gets a valid CSAF
// document of its own part, with none of the other vendor's canaries; the TLP a coordinator sets
// (PUT /cases/{caseId}/vendor-csaf, an event) appears in it; a revoked link gets the same 404 as a
// stranger; bad bodies write nothing; once published the route answers 409 and points to the
// public advisory.
import { describe, expect, it } from 'vitest';
import { execute } from '../../../functions/app/commands.js';
import { type World, aWorld, snapshot } from '../../builders/api-world.js';
import { COORDINATOR, SYSTEM } from '../../builders/case.js';
import { UNKNOWN_CASE } from '../../reliability/fuzz-kit.js';
import { type Caller, call } from '../../builders/http.js';
import { validateCsaf } from '../publication/validators.js';

interface Csaf {
  document: {
    distribution: { tlp: { label: string }; text: string };
    tracking: { id: string; status: string };
    notes: { title: string; text: string }[];
  };
  product_tree: unknown;
}

const ACME = { product: 'AcmeWidget canaryacmeprod <b>x</b>', statement: 'canaryacmestmt **fixed** in 4.2.2' };
const BETA = { product: 'BetaGadget canarybetaprod', statement: 'canarybetastmt <script>alert(1)</script>' };

const csafOf = (w: World, caller: Caller, caseId = w.a) =>
  call(w.app.deps, 'GET', '/vendor/cases/{caseId}/csaf.json', { params: { caseId }, caller });
const setTlp = (w: World, body: unknown, caller: Caller = w.callers.coordinator) =>
  call(w.app.deps, 'PUT', '/cases/{caseId}/vendor-csaf', { params: { caseId: w.a }, caller, body });

/** Case A with a second vulnerability listing a product of each vendor, and each vendor's status and statement. */
async function aCaseWithTwoVendors(): Promise<World> {
  const w = await aWorld('embargo');
  const added = await call(w.app.deps, 'POST', '/cases/{caseId}/vulnerabilities', {
    params: { caseId: w.a },
    caller: w.callers.coordinator,
    body: {
      title: 'Path traversal in the updater',
      description: 'The updater follows ../ in archive entries.',
      affected: [
        {
          vendorId: 'vendor-1',
          vendor: 'Acme',
          product: ACME.product,
          versions: [{ version: '4.0', status: 'affected', lessThan: '4.2.2' }],
        },
        { vendorId: 'vendor-2', vendor: 'Beta', product: BETA.product, versions: [{ version: '7.1', status: 'affected' }] },
      ],
    },
  });
  expect(added.status, added.raw).toBe(202);
  for (const [caller, part] of [
    [w.callers.vendorOfCase, ACME],
    [w.callers.otherVendorOnCase, BETA],
  ] as const) {
    const r = await call(w.app.deps, 'PUT', '/vendor/cases/{caseId}/status', {
      params: { caseId: w.a },
      caller,
      body: {
        vulnerabilities: [
          { id: 'vul-1', status: 'affected' },
          { id: 'vul-2', status: 'affected' },
        ],
        fixReady: part === ACME,
        statement: part.statement,
      },
    });
    expect(r.status, r.raw).toBe(202);
  }
  return w;
}

describe('a vendor’s own CSAF document over the API', () => {
  it('gives each vendor a valid document of its own part, with nothing of the other vendor', async () => {
    const w = await aCaseWithTwoVendors();
    const acme = await csafOf(w, w.callers.vendorOfCase);
    const beta = await csafOf(w, w.callers.otherVendorOnCase);
    for (const r of [acme, beta]) {
      expect(r.status, r.raw).toBe(200);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['cache-control']).toBe('no-store');
      const verdict = await validateCsaf(r.body);
      expect(verdict.errors).toEqual([]);
    }
    const a = acme.body as Csaf;
    expect(a.document.tracking).toMatchObject({ id: `${w.a}-vendor-1`, status: 'interim' });
    expect(a.document.distribution.tlp.label).toBe('AMBER');
    expect(a.document.distribution.text).toContain('TLP:AMBER+STRICT');
    expect(acme.raw).toContain('canaryacmeprod');
    expect(acme.raw).toContain('canaryacmestmt');
    expect(beta.raw).toContain('canarybetastmt');
    expect(beta.raw).toContain('canarybetaprod');
    for (const canary of ['canarybetaprod', 'canarybetastmt', 'Beta', 'psirt@beta']) expect(acme.raw).not.toContain(canary);
    for (const canary of ['canaryacmeprod', 'canaryacmestmt', 'Acme', 'psirt@acme']) expect(beta.raw).not.toContain(canary);
    // Nobody's contact, no reporter: the reporter shared their contact with vendors, still not here.
    for (const r of [acme, beta]) for (const x of ['Ada L.', 'ada@example.org']) expect(r.raw).not.toContain(x);
    // What the participants wrote is a JSON string; the bytes hold no markup.
    expect(beta.raw).not.toContain('<script>');
  });

  it('carries the TLP a coordinator sets: an event in the log, RED in every vendor’s next document', async () => {
    const w = await aCaseWithTwoVendors();
    const r = await setTlp(w, { tlp: 'RED' });
    expect(r.status, r.raw).toBe(202);
    const events = await w.app.store.readEvents(w.a, { limit: 1000 });
    expect(events.events.filter((e) => e.type === 'vendor-csaf-tlp-set').map((e) => e.by.role)).toEqual(['coordinator']);
    for (const caller of [w.callers.vendorOfCase, w.callers.otherVendorOnCase]) {
      const doc = (await csafOf(w, caller)).body as Csaf;
      expect(doc.document.distribution.tlp.label).toBe('RED');
      expect(doc.document.distribution.text).toContain('TLP:RED');
      expect((await validateCsaf(doc)).valid).toBe(true);
    }
    const view = await call(w.app.deps, 'GET', '/cases/{caseId}', { params: { caseId: w.a }, caller: w.callers.coordinator });
    expect((view.body as { vendorCsaf: unknown }).vendorCsaf).toEqual({ tlp: 'RED' });
  });

  it('refuses a TLP other than AMBER+STRICT or RED, and a vendor setting its own, writing nothing', async () => {
    const w = await aCaseWithTwoVendors();
    const before = await snapshot(w.app, [w.a, w.b]);
    for (const body of [{ tlp: 'WHITE' }, { tlp: 'GREEN' }, { tlp: 'amber+strict' }, { tlp: 'RED<b>' }, {}, { tlp: null }]) {
      const r = await setTlp(w, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toBe('application/problem+json');
    }
    expect((await setTlp(w, { tlp: 'RED' }, w.callers.vendorOfCase)).status).toBe(401);
    expect((await setTlp(w, { tlp: 'RED' }, w.callers.reporterOfCase)).status).toBe(401);
    expect(await snapshot(w.app, [w.a, w.b])).toEqual(before);
  });

  it('answers a revoked link, a reporter and a stranger with the same 404 as an unknown case', async () => {
    const w = await aCaseWithTwoVendors();
    const unknown = await csafOf(w, w.callers.vendorOfCase, UNKNOWN_CASE);
    expect(unknown.status).toBe(404);
    for (const caller of [w.callers.reporterOfCase, w.callers.vendorOfOtherCase]) expect((await csafOf(w, caller)).raw).toBe(unknown.raw);
    const revoked = await call(w.app.deps, 'POST', '/cases/{caseId}/vendors/{vendorId}/links', {
      params: { caseId: w.a, vendorId: 'vendor-1' },
      caller: w.callers.coordinator,
      body: { action: 'revoke' },
    });
    expect(revoked.status, revoked.raw).toBe(202);
    const after = await csafOf(w, w.callers.vendorOfCase);
    expect(after.status).toBe(404);
    expect(after.raw).toBe(unknown.raw);
    expect((await csafOf(w, w.callers.otherVendorOnCase)).status).toBe(200);
  });

  it('answers 409 while the case has no vulnerability yet', async () => {
    const w = await aWorld('triage');
    const r = await csafOf(w, w.callers.vendorOfCase);
    expect(r.status, r.raw).toBe(409);
    expect(r.headers['content-type']).toBe('application/problem+json');
  });

  it('answers 409 once the note is published, pointing to the public advisory', async () => {
    const w = await aWorld('draft-review');
    await execute(w.app.deps, w.a, { type: 'decide-publication', decision: 'approve' }, COORDINATOR);
    const s = (await w.app.store.load(w.a))!.state;
    w.app.clock.set(s.publication.publishAt!);
    await execute(w.app.deps, w.a, { type: 'publish', noteId: w.a }, SYSTEM);
    const r = await csafOf(w, w.callers.vendorOfCase);
    expect(r.status, r.raw).toBe(409);
    expect((r.body as { csaf: string }).csaf).toBe(`${w.app.deps.publication.publicBaseUrl}/notes/${encodeURIComponent(w.a)}/csaf.json`);
  });
});
