// How a large case is stored in parts (functions/domain/case-parts.ts): the case store relies on
// join(split(s)) giving s back, and on equal states splitting into parts of equal JSON (it tells a
// changed part by the hash of its JSON).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dictionaryId } from '../../functions/adapters/snapshot-items.js';
import { VENDORS_PER_PART, VENDOR_PART_DICTIONARY, joinCase, splitCase, vendorPartName } from '../../functions/domain/case-parts.js';
import { type CaseState, DEFAULT_POLICY } from '../../functions/domain/index.js';
import { aCase } from '../builders/case.js';

/** A real case with its vendors, copied out to `count` (the split does not look inside a vendor). */
const base = aCase().submitted().registered().prescreened().accepted().contactsConfirmed().contacted().state;
function withVendors(count: number, sent: boolean): CaseState {
  const template = base.vendors[0];
  if (!template) throw new Error('the builder made no vendor');
  const vendors = Array.from({ length: count }, (_, i) => ({ ...template, vendorId: `vendor-${i + 1}`, name: `Vendor ${i + 1}` }));
  const s: CaseState = { ...base, vendors };
  if (sent) s.sent = { a: { [`report:vendor-${count}`]: '2026-11-01T00:00:00.000Z' } };
  else delete s.sent;
  return s;
}

describe('a large case in parts', () => {
  it('keeps a case with up to one part of vendors in one item', () => {
    expect(splitCase(withVendors(0, true), DEFAULT_POLICY)).toBeNull();
    expect(splitCase(withVendors(VENDORS_PER_PART, true), DEFAULT_POLICY)).toBeNull();
    expect(splitCase(withVendors(VENDORS_PER_PART + 1, false), DEFAULT_POLICY)).not.toBeNull();
  });

  it('gives the case back from its parts, and equal parts from the case given back', () => {
    fc.assert(
      fc.property(fc.integer({ min: VENDORS_PER_PART + 1, max: 400 }), fc.boolean(), (count, sent) => {
        const s = withVendors(count, sent);
        const split = splitCase(s, DEFAULT_POLICY);
        if (split === null) throw new Error('not split');
        // What the store does: each part and the core through JSON, then joined.
        const stored = JSON.parse(JSON.stringify(split)) as { core: unknown; parts: Record<string, unknown> };
        const back = joinCase(stored.core, stored.parts);
        expect(back).toEqual(s);
        const again = splitCase(back, DEFAULT_POLICY);
        expect(JSON.stringify(again?.core)).toBe(JSON.stringify(split.core));
        for (const [name, part] of Object.entries(split.parts)) expect(JSON.stringify(again?.parts[name])).toBe(JSON.stringify(part));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps vendors in their order, each in the part its position names, and none in the core', () => {
    const s = withVendors(500, true);
    const split = splitCase(s, DEFAULT_POLICY);
    if (split === null) throw new Error('not split');
    expect(split.core.vendors).toEqual([]);
    expect(split.core).not.toHaveProperty('sent');
    const names = Object.keys(split.parts).filter((n) => n !== 'sent');
    expect(names).toHaveLength(Math.ceil(500 / VENDORS_PER_PART));
    s.vendors.forEach((v, i) => {
      expect((split.parts[vendorPartName(i)] as { vendorId: string }[]).map((x) => x.vendorId)).toContain(v.vendorId);
    });
    // Part order is position order, whatever order the store hands the parts back in.
    const reversed = Object.fromEntries(Object.entries(split.parts).reverse());
    expect(joinCase(split.core, reversed).vendors.map((v) => v.vendorId)).toEqual(s.vendors.map((v) => v.vendorId));
  });

  it('keeps the dictionary stored parts name: an edit would leave every large case unreadable', () => {
    // Parts name their dictionary by this id. To change it, put a new one in front in caseProjection
    // (functions/app/deps.ts) and keep this one.
    expect(dictionaryId(VENDOR_PART_DICTIONARY)).toBe('YZLrvWOr');
  });
});
