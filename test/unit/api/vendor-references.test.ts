// A vendor's references over HTTP (PUT /vendor/cases/{caseId}/status): https only, a few, plain
// text; anything else a 400 with nothing written. A vendor's token addresses only its own part:
// naming another vendor in the body changes nothing of that vendor's. Its view and the
// coordinators' show the list; the other vendor and the reporter never see it.
import { beforeEach, describe, expect, it } from 'vitest';
import { type World, aWorld, snapshot } from '../../builders/api-world.js';
import { call } from '../../builders/http.js';

let w: World;
beforeEach(async () => {
  w = await aWorld('embargo');
});

const status = (body: unknown, caller = w.callers.vendorOfCase) =>
  call(w.app.deps, 'PUT', '/vendor/cases/{caseId}/status', { params: { caseId: w.a }, caller, body });
const vendorView = async (caller = w.callers.vendorOfCase) =>
  (await call(w.app.deps, 'GET', '/vendor/cases/{caseId}', { params: { caseId: w.a }, caller })).body as {
    vendor: { references: unknown[] };
  };
const coordinatorView = async () =>
  (await call(w.app.deps, 'GET', '/cases/{caseId}', { params: { caseId: w.a }, caller: w.callers.coordinator })).body as {
    vendors: { vendorId: string; references: unknown[] }[];
  };

const ADVISORY = { url: 'https://acme.example/advisories/1', summary: 'Acme-SA-1', kind: 'advisory' };

describe('PUT /vendor/cases/{caseId}/status with references', () => {
  it('keeps the list (kind "other" when none is given, the URL as the parser writes it) for the vendor and the coordinators', async () => {
    const r = await status({ references: [ADVISORY, { url: 'https://ACME.example/notes?v=4.2.3' }] });
    expect(r.status, r.raw).toBe(202);
    const expected = [ADVISORY, { url: 'https://acme.example/notes?v=4.2.3', kind: 'other' }];
    expect((await vendorView()).vendor.references).toEqual(expected);
    expect((await coordinatorView()).vendors.find((v) => v.vendorId === 'vendor-1')?.references).toEqual(expected);
    // The other vendor and the reporter read nothing of it.
    expect(JSON.stringify(await vendorView(w.callers.otherVendorOnCase))).not.toContain('acme.example/advisories');
    const reporter = await call(w.app.deps, 'GET', '/reports/{caseId}', { params: { caseId: w.a }, caller: w.callers.reporterOfCase });
    expect(reporter.raw).not.toContain('acme.example/advisories');
    // The whole list is replaced; [] clears it.
    expect((await status({ references: [] })).status).toBe(202);
    expect((await vendorView()).vendor.references).toEqual([]);
  });

  it.each([
    ['http://', { references: [{ url: 'http://acme.example/advisory' }] }],
    ['javascript:', { references: [{ url: 'javascript:alert(1)', summary: 'x' }] }],
    ['credentials', { references: [{ url: 'https://u:p@acme.example/' }] }],
    ['a space in the URL', { references: [{ url: 'https://acme.example/a b' }] }],
    ['an unknown kind', { references: [{ url: 'https://acme.example/', kind: 'exploit' }] }],
    ['a control character in the summary', { references: [{ url: 'https://acme.example/', summary: 'a\u0007b' }] }],
    ['a line break in the summary', { references: [{ url: 'https://acme.example/', summary: 'a\nb' }] }],
    ['a summary too long', { references: [{ url: 'https://acme.example/', summary: 'x'.repeat(201) }] }],
    ['eleven', { references: Array.from({ length: 11 }, (_, i) => ({ url: `https://acme.example/${i}` })) }],
    ['a URL twice', { references: [{ url: 'https://acme.example/a' }, { url: 'https://ACME.example/a' }] }],
    ['not a list', { references: 'https://acme.example/' }],
  ])('refuses %s with a 400 and writes nothing', async (_, body) => {
    const before = await snapshot(w.app, [w.a, w.b]);
    const r = await status(body);
    expect(r.status, r.raw).toBe(400);
    expect((r.body as { errors: { path: string }[] }).errors.every((e) => e.path.startsWith('references'))).toBe(true);
    // The message never echoes what was sent.
    expect(r.raw).not.toContain('javascript:alert');
    expect(await snapshot(w.app, [w.a, w.b])).toEqual(before);
  });

  it('writes only to the caller’s own vendor, whatever the body names', async () => {
    const r = await status({ vendorId: 'vendor-2', vendor: 'vendor-2', references: [ADVISORY] });
    expect(r.status, r.raw).toBe(202);
    const vendors = (await coordinatorView()).vendors;
    expect(vendors.find((v) => v.vendorId === 'vendor-1')?.references).toEqual([ADVISORY]);
    expect(vendors.find((v) => v.vendorId === 'vendor-2')?.references).toEqual([]);
    // Beta's own token writes Beta's list, leaving Acme's.
    expect((await status({ references: [{ url: 'https://beta.example/sa' }] }, w.callers.otherVendorOnCase)).status).toBe(202);
    const after = (await coordinatorView()).vendors;
    expect(after.find((v) => v.vendorId === 'vendor-1')?.references).toEqual([ADVISORY]);
    expect(after.find((v) => v.vendorId === 'vendor-2')?.references).toEqual([{ url: 'https://beta.example/sa', kind: 'other' }]);
  });
});
