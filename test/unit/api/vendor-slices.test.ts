// A vendor's view of a case with hundreds of vendors is read as a slice: the case's core and the
// part holding that vendor, a few KB, not every vendor. It must be the very view the whole case
// gives, hold no other vendor on its way, and never become the base of a change.
import { describe, expect, it } from 'vitest';
import { appendWithRetry } from '../../../functions/adapters/event-store.js';
import { authenticateVendorReader } from '../../../functions/app/api/auth.js';
import { inboxView } from '../../../functions/app/api/message-routes.js';
import { vendorView } from '../../../functions/app/api/views.js';
import { execute } from '../../../functions/app/commands.js';
import { readerOf } from '../../../functions/domain/audience.js';
import { VENDORS_PER_PART, vendorPartOf } from '../../../functions/domain/case-parts.js';
import { reportThroughApi, toDraftReview, toEmbargo, toTriage, vendorToken } from '../../builders/api-world.js';
import { aTestApp, type TestApp } from '../../builders/app.js';
import { COORDINATOR } from '../../builders/case.js';
import { anEvent, bearer, call } from '../../builders/http.js';

const VENDORS = VENDORS_PER_PART + 8;
// The report names Acme; the coordinator adds the others (Acme is on the case once).
const names = ['Acme', ...Array.from({ length: VENDORS - 1 }, (_, i) => `Vendor${i + 2}`)];

async function largeCase(phase: 'triage' | 'embargo' | 'draft-review'): Promise<{ app: TestApp; caseId: string }> {
  const app = aTestApp();
  const { caseId } = await reportThroughApi(app);
  await toTriage(app, caseId, names);
  if (phase !== 'triage') await toEmbargo(app, caseId);
  if (phase === 'draft-review') await toDraftReview(app, caseId);
  return { app, caseId };
}

function countReads(app: TestApp): { loads: number; slices: string[][] } {
  const seen = { loads: 0, slices: [] as string[][] };
  const load = app.store.load.bind(app.store);
  const loadSlice = app.store.loadSlice.bind(app.store);
  app.store.load = (caseId) => {
    seen.loads++;
    return load(caseId);
  };
  app.store.loadSlice = (caseId, parts) => {
    seen.slices.push([...parts]);
    return loadSlice(caseId, parts);
  };
  return seen;
}

const event = (token: string, caseId: string) => anEvent('GET', '/vendor/cases/{caseId}', { params: { caseId }, caller: bearer(token) });

describe("a vendor's view of a large case", () => {
  it.each(['triage', 'embargo', 'draft-review'] as const)(
    'in %s is the view of the whole case, read as the core and its part',
    async (phase) => {
      const { app, caseId } = await largeCase(phase);
      const whole = (await app.store.load(caseId))?.state;
      if (!whole) throw new Error('no case');
      for (const vendorId of ['vendor-1', `vendor-${VENDORS_PER_PART + 1}`, `vendor-${VENDORS}`]) {
        const token = await vendorToken(app, caseId, vendorId);
        const reads = countReads(app);
        const r = await call(app.deps, 'GET', '/vendor/cases/{caseId}', { params: { caseId }, caller: bearer(token) });
        const actor = { role: 'vendor' as const, participant: vendorId };
        const expected = vendorView(whole, vendorId, await inboxView(app.deps, whole, readerOf(actor)));
        expect(r.status, r.raw).toBe(200);
        expect(r.body).toEqual(JSON.parse(JSON.stringify(expected)));
        expect(reads).toEqual({ loads: 0, slices: [[vendorPartOf(vendorId)]] });
      }
    },
  );

  it('hands the route this vendor alone, in a large case and in an ordinary one, and refuses it as the base of a change', async () => {
    const { app, caseId } = await largeCase('embargo');
    const small = await reportThroughApi(app);
    await toTriage(app, small.caseId, ['Acme', 'Beta']);
    for (const [id, vendorId] of [
      [caseId, `vendor-${VENDORS_PER_PART + 2}`],
      [small.caseId, 'vendor-2'],
    ] as const) {
      const me = await authenticateVendorReader(app.deps, event(await vendorToken(app, id, vendorId), id), id);
      expect(me.state.vendors.map((v) => v.vendorId)).toEqual([vendorId]);
      await expect(
        appendWithRetry(app.store, id, () => [], { first: { caseId: id, version: me.version, state: me.state } }),
      ).rejects.toThrow('partial state');
    }
  });

  it("never shows a vendor another vendor's product, even one listed under a name it now holds", async () => {
    const { app, caseId } = await largeCase('embargo');
    const affected = [{ vendorId: 'vendor-1', vendor: 'Acme', product: 'SecretRouter', versions: [] }];
    const vulnerability = { title: 'Overflow', description: 'A bug.', cvss: {}, affected };
    await execute(app.deps, caseId, { type: 'add-vulnerability', vulnerability }, COORDINATOR);
    // Acme is renamed, and a new vendor takes its old name, in another part of the case.
    await execute(app.deps, caseId, { type: 'update-vendor', vendorId: 'vendor-1', name: 'Acme Networks' }, COORDINATOR);
    await execute(
      app.deps,
      caseId,
      { type: 'add-vendors', vendors: [{ name: 'Acme', contacts: [{ email: 'psirt@new-acme.example' }] }] },
      COORDINATOR,
    );
    const newcomer = `vendor-${VENDORS + 1}`;
    expect(vendorPartOf(newcomer)).not.toBe(vendorPartOf('vendor-1'));

    const products = async (vendorId: string) => {
      const r = await call(app.deps, 'GET', '/vendor/cases/{caseId}', {
        params: { caseId },
        caller: bearer(await vendorToken(app, caseId, vendorId)),
      });
      const view = r.body as { vulnerabilities: { title: string; affected: { product: string }[] }[] };
      return view.vulnerabilities.find((v) => v.title === 'Overflow')?.affected.map((a) => a.product);
    };

    expect(await products('vendor-1')).toEqual(['SecretRouter']);
    expect(await products(newcomer)).toEqual([]);
  });

  it('is refused, as any foreign token is, once the link is revoked', async () => {
    const { app, caseId } = await largeCase('embargo');
    const vendorId = `vendor-${VENDORS_PER_PART + 3}`;
    const token = await vendorToken(app, caseId, vendorId);
    await execute(app.deps, caseId, { type: 'manage-links', action: 'revoke', vendorId }, COORDINATOR);

    const r = await call(app.deps, 'GET', '/vendor/cases/{caseId}', { params: { caseId }, caller: bearer(token) });

    expect(r.status).toBe(404);
  });
});
