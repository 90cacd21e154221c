// A slice of a large case (the core and some vendor parts) says what the whole case says of its
// queue entry and deadlines, and a vendor's change folded onto its slice splits into the same core
// and part as the change folded onto the whole case: the case store writes a vendor's action from
// its slice alone (functions/domain/case-parts.ts, functions/domain/deadlines.ts), so any
// difference here would be a wrong queue row, a missed reminder, or a vendor's part written wrong.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VENDORS_PER_PART, joinCase, splitCase, splitSlice, vendorPartOf } from '../../functions/domain/case-parts.js';
import {
  type CaseState,
  type Policy,
  type StoredEvent,
  type VendorState,
  DEFAULT_POLICY,
  apply,
  nextDeadline,
  pendingDeadlines,
} from '../../functions/domain/index.js';
import { queueFacts } from '../../functions/domain/queue-entry.js';
import { VENDOR_RULES, vendorBasis, vendorPartFacts } from '../../functions/domain/deadlines.js';
import { aCase } from '../builders/case.js';

const base = aCase().submitted().registered().prescreened().accepted().contactsConfirmed().contacted().state;
const template = base.vendors[0] as VendorState;
const day = (d: number) => new Date(Date.parse('2026-11-01T09:00:00.000Z') + d * 86_400_000).toISOString();

/** A vendor in any of the states that change its deadlines or its attention. */
const vendorArb = fc.record({
  acknowledged: fc.boolean(),
  unresponsive: fc.boolean(),
  contacts: fc.constantFrom('confirmed', 'none', 'bounced'),
  attempts: fc.integer({ min: 0, max: 3 }),
  lastAttempt: fc.integer({ min: 0, max: 40 }),
  downstream: fc.boolean(),
  statement: fc.boolean(),
  statementReminded: fc.boolean(),
  escalations: fc.integer({ min: 0, max: 2 }),
});

type VendorPick = typeof vendorArb extends fc.Arbitrary<infer T> ? T : never;

function vendorFrom(i: number, f: VendorPick): VendorState {
  const contact = template.contacts[0];
  if (!contact) throw new Error('the builder made no contact');
  const contacts =
    f.contacts === 'none'
      ? []
      : [
          {
            ...contact,
            email: `psirt@vendor-${i + 1}.example`,
            ...(f.contacts === 'bounced' ? { bounced: { at: day(3), kind: 'bounce' as const } } : {}),
          },
        ];
  const attempts = Array.from({ length: f.attempts }, (_, n) => ({
    at: day(n * 7),
    attempt: n + 1,
    purpose: n === 0 ? ('report' as const) : ('reminder' as const),
  }));
  return {
    ...template,
    vendorId: `vendor-${i + 1}`,
    name: `Vendor ${i + 1}`,
    contacts,
    attempts,
    firstContactAt: f.attempts > 0 ? day(0) : null,
    lastAttemptAt: f.attempts > 0 ? day(f.lastAttempt) : null,
    acknowledgedAt: f.acknowledged ? day(2) : null,
    unresponsiveAt: f.unresponsive ? day(20) : null,
    downstream: f.downstream,
    statement: f.statement ? 'Fixed in 4.2.' : null,
    statementReminderAt: f.statementReminded ? day(30) : null,
    contactEscalations: f.escalations,
    ...(f.escalations > 0 ? { lastContactEscalationAt: day(f.escalations * 2) } : {}),
  } as VendorState;
}

const phaseArb = fc.constantFrom('outreach', 'embargo', 'draft-review', 'publication', 'published', 'closed');

const caseArb = fc
  .tuple(
    fc.array(vendorArb, { minLength: VENDORS_PER_PART + 1, maxLength: VENDORS_PER_PART * 3 + 5 }),
    phaseArb,
    fc.integer({ min: 10, max: 90 }),
  )
  .map(([vendors, phase, endsIn]): CaseState => {
    const embargo =
      phase === 'outreach' ? base.embargo : { ...base.embargo, state: 'ACTIVE' as const, activatedAt: day(0), endsAt: day(endsIn) };
    return {
      ...base,
      phase: phase as CaseState['phase'],
      embargo,
      vendors: vendors.map((f, i) => vendorFrom(i, f)),
      sent: { a: { 'report:vendor-1': day(0) } },
    };
  });

/** What the store does: the split through JSON, then the core joined with the parts named. */
function stored(s: CaseState, policy: Policy = DEFAULT_POLICY) {
  const split = splitCase(s, policy);
  if (split === null) throw new Error('not split');
  return JSON.parse(JSON.stringify(split)) as { core: unknown; parts: Record<string, unknown> };
}
const sliceOf = (st: { core: unknown; parts: Record<string, unknown> }, names: readonly string[]) =>
  joinCase(st.core, Object.fromEntries(Object.entries(st.parts).filter(([n]) => names.includes(n))));

const vendorNames = (st: { parts: Record<string, unknown> }) => Object.keys(st.parts).filter((n) => n !== 'sent');

describe('a slice of a large case', () => {
  it('gives the whole case’s queue entry and next deadline, whichever parts it holds', () => {
    fc.assert(
      fc.property(caseArb, fc.array(fc.nat(), { maxLength: 4 }), (s, picks) => {
        const st = stored(s);
        const names = vendorNames(st);
        // Never every part: that is the whole case (the next test).
        const held = [...new Set(picks.map((p) => names[p % names.length] as string))].slice(0, names.length - 1);
        const slice = sliceOf(st, held);
        expect(slice.vendors.length).toBeLessThan(s.vendors.length);
        expect(queueFacts(slice, DEFAULT_POLICY)).toEqual(queueFacts(s, DEFAULT_POLICY));
        expect(nextDeadline(slice, DEFAULT_POLICY)).toEqual(nextDeadline(s, DEFAULT_POLICY));
      }),
      { numRuns: 150 },
    );
  });

  it('is not a slice once it holds every part, and then carries no facts', () => {
    fc.assert(
      fc.property(caseArb, (s) => {
        const st = stored(s);
        expect(joinCase(st.core, st.parts)).toEqual(s);
      }),
      { numRuns: 30 },
    );
  });

  it('splits a vendor’s change folded onto its slice into the core and part of the change folded onto the whole case', () => {
    const eventArb = (vendorId: string, seq: number): fc.Arbitrary<StoredEvent> => {
      const at = day(25);
      const by = { role: 'vendor' as const, participant: vendorId };
      return fc.oneof(
        fc.constant({ type: 'vendor-acknowledged', vendorId, at, by, seq } as StoredEvent),
        fc.constant({
          type: 'vendor-status-updated',
          vendorId,
          statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }],
          statement: 'We fixed it.',
          fixReady: true,
          at,
          by,
          seq,
        } as StoredEvent),
        fc.constant({ type: 'vendor-unresponsive', vendorId, at, by: { role: 'system' }, seq } as StoredEvent),
        fc.constant({ type: 'reminder-sent', kind: 'statement', vendorId, at, by: { role: 'system' }, seq } as StoredEvent),
        fc.constant({ type: 'events-applied', upToSeq: seq - 1, at, by: { role: 'system' }, seq } as StoredEvent),
      );
    };
    fc.assert(
      fc.property(
        caseArb.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.nat({ max: s.vendors.length - 1 }).chain((i) => eventArb(`vendor-${i + 1}`, s.version + 1)),
          ),
        ),
        ([s, e]) => {
          const st = stored(s);
          const part = vendorPartOf((e as { vendorId?: string }).vendorId ?? 'vendor-1') as string;
          const held = [part, 'sent'];
          const onSlice = splitSlice(apply(sliceOf(st, held), e), held, DEFAULT_POLICY);
          const onWhole = splitCase(apply(s, e), DEFAULT_POLICY);
          // None of these events moves the phase or the planned publication: the slice can always say.
          expect(onSlice).not.toBeNull();
          expect(JSON.stringify(onSlice?.core)).toBe(JSON.stringify(onWhole?.core));
          for (const name of held) expect(JSON.stringify(onSlice?.parts[name])).toBe(JSON.stringify(onWhole?.parts[name]));
          expect(Object.keys(onSlice?.parts ?? {}).sort()).toEqual([...held].sort());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a change that reaches past it: a vendor added, mail recorded without the record of mail sent, a new publication date', () => {
    const s = fc.sample(
      caseArb.filter((c) => c.phase === 'embargo'),
      { numRuns: 1, seed: 7 },
    )[0] as CaseState;
    const st = stored(s);
    const by = { role: 'coordinator' as const };
    const at = day(25);
    const seq = s.version + 1;
    const added = {
      type: 'vendor-added',
      vendorId: `vendor-${s.vendors.length + 1}`,
      name: 'Newcomer',
      contacts: [],
      isCna: false,
      downstream: false,
      at,
      by,
      seq,
    } as StoredEvent;
    const last = vendorPartOf(`vendor-${s.vendors.length}`) as string;
    expect(splitSlice(apply(sliceOf(st, [last, 'sent']), added), [last, 'sent'], DEFAULT_POLICY)).toBeNull();
    // The vendor's own id, but decided on the slice: the id a slice's length gives is another vendor's.
    const misnumbered = { ...added, vendorId: `vendor-${VENDORS_PER_PART + 1}` } as StoredEvent;
    expect(splitSlice(apply(sliceOf(st, ['v000000', 'sent']), misnumbered), ['v000000', 'sent'], DEFAULT_POLICY)).toBeNull();
    const mailed = { type: 'notification-sent', key: 'reminder:vendor-1:2', at, by: { role: 'system' }, seq } as StoredEvent;
    expect(splitSlice(apply(sliceOf(st, ['v000000']), mailed), ['v000000'], DEFAULT_POLICY)).toBeNull();
    expect(splitSlice(apply(sliceOf(st, ['v000000', 'sent']), mailed), ['v000000', 'sent'], DEFAULT_POLICY)).not.toBeNull();
    const moved = { ...s.embargo, endsAt: day(120) };
    expect(splitSlice({ ...sliceOf(st, ['v000000', 'sent']), embargo: moved }, ['v000000', 'sent'], DEFAULT_POLICY)).toBeNull();
    // And a slice whose facts went stale is never read as if they held.
    expect(() => nextDeadline({ ...sliceOf(st, ['v000000']), embargo: moved }, DEFAULT_POLICY)).toThrow(/stale/);
    // A core written before the facts: no change on a slice of it.
    const { vendorFacts: _, ...old } = st.core as { vendorFacts: unknown };
    expect(splitSlice(joinCase(old, { v000000: st.parts.v000000 }), ['v000000'], DEFAULT_POLICY)).toBeNull();
  });

  it('counts every policy setting a vendor’s deadlines read in the basis of the facts', () => {
    // A setting left out would let facts computed under the old policy be read under the new one.
    const s = fc.sample(
      caseArb.filter((c) => c.phase === 'embargo'),
      { numRuns: 1, seed: 11 },
    )[0] as CaseState;
    for (const key of Object.keys(DEFAULT_POLICY) as (keyof Policy)[]) {
      const changed: Policy = { ...DEFAULT_POLICY, [key]: DEFAULT_POLICY[key] * 2 + 1 };
      const sameBasis = vendorBasis(s, changed) === vendorBasis(s, DEFAULT_POLICY);
      const sameFacts =
        JSON.stringify(vendorPartFacts(s, s.vendors, changed)) === JSON.stringify(vendorPartFacts(s, s.vendors, DEFAULT_POLICY));
      const sameDeadlines =
        JSON.stringify(pendingDeadlines(s, changed).filter((d) => d.vendorId)) ===
        JSON.stringify(pendingDeadlines(s, DEFAULT_POLICY).filter((d) => d.vendorId));
      if (sameBasis) expect({ key, sameFacts, sameDeadlines }).toEqual({ key, sameFacts: true, sameDeadlines: true });
    }
  });

  it('pins what the rules make of a fixed set of vendors to VENDOR_RULES: a change to them must raise it', () => {
    // Facts a release computed under other rules would otherwise be read as current (a rollback too).
    // If this fails after a change to a vendor's deadlines or attention, raise VENDOR_RULES in
    // functions/domain/deadlines.ts and put the new digest here.
    const cases = fc.sample(caseArb, { numRuns: 40, seed: 2026 });
    const facts = cases.map((c) => vendorPartFacts(c, c.vendors, DEFAULT_POLICY));
    const digest = createHash('sha256').update(JSON.stringify(facts)).digest('base64url').slice(0, 16);
    expect({ rules: VENDOR_RULES, digest }).toEqual({ rules: 1, digest: 'nPr6ITPybYSFgC8q' });
  });
});
