// Embargo negotiation: reporters and vendors propose an end date with a reason, a coordinator
// accepts one or sets another. A proposal alone never moves the date, and the Vultron embargo state
// goes PROPOSED / ACTIVE / REVISE only by legal steps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Actor, type CaseState, type Command, DEFAULT_POLICY, DomainError, decide } from '../../functions/domain/index.js';
import { EM_STATES, emAllows } from '../../functions/domain/vultron.js';
import { addDays } from '../../functions/domain/time.js';
import { COORDINATOR, REPORTER, aCase, vendorActor } from '../builders/case.js';

const VENDOR = vendorActor('vendor-1');
const request = (endsAt: string, reason = 'our release train needs it'): Command => ({ type: 'request-embargo', endsAt, reason });
const openOf = (s: CaseState) => (s.embargo.requests ?? []).filter((r) => r.answer === 'open');

describe('a participant proposes an embargo end', () => {
  it('records the proposal with its reason, moves ACTIVE to REVISE, and leaves the date alone', () => {
    const c = aCase().embargoed();
    const endsAt = c.state.embargo.endsAt;
    c.run(request(addDays(c.now, 90)), VENDOR);
    expect(c.state.embargo.endsAt).toBe(endsAt);
    expect(c.state.embargo.state).toBe('REVISE');
    expect(openOf(c.state)).toMatchObject([{ proposalId: `EP-${c.state.version}`, by: VENDOR, reason: 'our release train needs it' }]);
  });

  it('turns NONE into PROPOSED before the embargo opens, and the proposal does not count for its end until accepted', () => {
    const c = aCase().accepted();
    c.run(request(addDays(c.now, 10)), REPORTER);
    expect(c.state.embargo.state).toBe('PROPOSED');
    c.embargoed();
    // The default 45 days, not the reporter's 10: a proposal is not a decision.
    expect(c.state.embargo.endsAt).not.toBe(openOf(c.state)[0]?.endsAt);
    expect(c.state.embargo.state).toBe('REVISE');
  });

  it('keeps one open proposal per participant: a new one withdraws the previous', () => {
    const c = aCase().embargoed();
    for (let i = 1; i <= 5; i++) c.run(request(addDays(c.now, 60 + i)), VENDOR);
    c.run(request(addDays(c.now, 50)), REPORTER);
    expect(openOf(c.state).map((r) => r.by.role)).toEqual(['vendor', 'reporter']);
    expect((c.state.embargo.requests ?? []).filter((r) => r.answer === 'withdrawn')).toHaveLength(4);
  });

  it('refuses a date in the past, more than a year ahead, an empty reason, a coordinator, and an ended embargo', () => {
    const c = aCase().embargoed();
    const refuse = (command: Command, actor: Actor) =>
      expect(() => decide(c.state, command, { now: c.now, actor, policy: DEFAULT_POLICY })).toThrow(DomainError);
    refuse(request(addDays(c.now, -1)), VENDOR);
    refuse(request(addDays(c.now, 366)), VENDOR);
    refuse(request(addDays(c.now, 30), '   '), VENDOR);
    refuse(request(addDays(c.now, 30)), COORDINATOR);
    c.run({ type: 'raise-signal', kind: 'public', evidence: 'a blog post' }, COORDINATOR);
    refuse(request(addDays(c.now, 30)), REPORTER);
  });
});

describe('the coordinator answers', () => {
  it('accepts one: the date moves to it, the others are declined, and everyone is told the coordinator’s reason, not the proposer’s', () => {
    const c = aCase().embargoed();
    c.run(request(addDays(c.now, 80), 'SECRET vendor reason'), VENDOR);
    const vendorProposal = openOf(c.state)[0]!;
    c.run(request(addDays(c.now, 20)), REPORTER);
    c.run({ type: 'answer-embargo-request', proposalId: vendorProposal.proposalId, answer: 'accept' }, COORDINATOR);
    expect(c.state.embargo.endsAt).toBe(vendorProposal.endsAt);
    expect(c.state.embargo.state).toBe('ACTIVE');
    expect((c.state.embargo.requests ?? []).map((r) => r.answer)).toEqual(['accepted', 'declined']);
    const changed = c.events.filter((e) => e.type === 'embargo-changed').at(-1);
    expect(JSON.stringify(changed)).not.toContain('SECRET');
  });

  it('declines one: the date stays, and with nothing open the embargo is ACTIVE again', () => {
    const c = aCase().embargoed();
    const endsAt = c.state.embargo.endsAt;
    c.run(request(addDays(c.now, 10)), VENDOR);
    c.run(
      { type: 'answer-embargo-request', proposalId: openOf(c.state)[0]!.proposalId, answer: 'decline', reason: 'too short' },
      COORDINATOR,
    );
    expect(c.state.embargo).toMatchObject({ state: 'ACTIVE', endsAt });
  });

  it('setting another date answers every open proposal', () => {
    const c = aCase().embargoed();
    c.run(request(addDays(c.now, 10)), VENDOR);
    c.run({ type: 'set-embargo', endsAt: addDays(c.now, 60), reason: 'agreed on a call' }, COORDINATOR);
    expect(openOf(c.state)).toEqual([]);
    expect(c.state.embargo.state).toBe('ACTIVE');
  });

  it('refuses an unknown or already answered proposal, and a participant answering', () => {
    const c = aCase().embargoed();
    c.run(request(addDays(c.now, 10)), VENDOR);
    const id = openOf(c.state)[0]!.proposalId;
    const ctx = (actor: Actor) => ({ now: c.now, actor, policy: DEFAULT_POLICY });
    expect(() => decide(c.state, { type: 'answer-embargo-request', proposalId: id, answer: 'accept' }, ctx(VENDOR))).toThrow(DomainError);
    expect(() => decide(c.state, { type: 'answer-embargo-request', proposalId: 'EP-999', answer: 'accept' }, ctx(COORDINATOR))).toThrow(
      /no embargo proposal/,
    );
    c.run({ type: 'answer-embargo-request', proposalId: id, answer: 'decline' }, COORDINATOR);
    expect(() => decide(c.state, { type: 'answer-embargo-request', proposalId: id, answer: 'accept' }, ctx(COORDINATOR))).toThrow(
      /already declined/,
    );
  });

  it('lets open proposals lapse when the embargo ends', () => {
    const c = aCase().embargoed();
    c.run(request(addDays(c.now, 90)), VENDOR);
    c.run({ type: 'raise-signal', kind: 'attacks-observed', evidence: 'seen in the wild' }, COORDINATOR);
    expect(c.state.embargo.state).toBe('EXITED');
    expect((c.state.embargo.requests ?? []).map((r) => r.answer)).toEqual(['lapsed']);
  });
});

describe('any sequence of proposals and answers', () => {
  const step = fc.oneof(
    fc.record({ kind: fc.constant('request' as const), who: fc.constantFrom(REPORTER, VENDOR), days: fc.integer({ min: -5, max: 400 }) }),
    fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(6), accept: fc.boolean() }),
    fc.record({ kind: fc.constant('set' as const), days: fc.integer({ min: 1, max: 120 }) }),
    fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 10 }) }),
    fc.constant({ kind: 'open' as const }),
  );

  it('moves the embargo state only by legal steps, never moves the date on a proposal, and is REVISE exactly while one waits', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const c = aCase().accepted().contactsConfirmed();
        c.run({ type: 'record-vendor-contact', vendorId: 'vendor-1', purpose: 'report' }, { role: 'system' });
        for (const s of steps) {
          const before = c.state;
          try {
            if (s.kind === 'request') c.run(request(addDays(c.now, s.days)), s.who);
            else if (s.kind === 'answer') {
              const open = openOf(c.state);
              const target = open[s.pick % Math.max(1, open.length)];
              if (target)
                c.run(
                  { type: 'answer-embargo-request', proposalId: target.proposalId, answer: s.accept ? 'accept' : 'decline' },
                  COORDINATOR,
                );
            } else if (s.kind === 'set') c.run({ type: 'set-embargo', endsAt: addDays(c.now, s.days), reason: 'coordinator' }, COORDINATOR);
            else if (s.kind === 'wait') c.laterDays(s.days);
            else if (c.state.phase === 'outreach') c.run({ type: 'open-embargo' }, { role: 'system' });
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            expect(c.state).toBe(before);
            continue;
          }
          const em = c.state.embargo;
          // One command may take two steps (PROPOSED → ACTIVE → REVISE when the embargo opens), each legal.
          const from = before.embargo.state;
          if (em.state !== from)
            expect(emAllows(from, em.state) || EM_STATES.some((m) => emAllows(from, m) && emAllows(m, em.state))).toBe(true);
          if (s.kind === 'request') expect(em.endsAt).toBe(before.embargo.endsAt);
          const active = em.state === 'ACTIVE' || em.state === 'REVISE';
          if (active) expect(em.state === 'REVISE').toBe(openOf(c.state).length > 0);
          expect(new Set(openOf(c.state).map((r) => r.by.role)).size).toBe(openOf(c.state).length);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
