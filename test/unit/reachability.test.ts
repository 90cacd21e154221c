// Reachable or flagged (functions/domain/reachability.ts): a vendor with no confirmed contact, or
// whose every confirmed contact bounced or complained, is one attention state with the triage SLA's
// escalation, and never a silent vendor.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  DomainError,
  addHours,
  attentionOf,
  decide,
  pendingDeadlines,
  type Actor,
  type CaseState,
  type Command,
} from '../../functions/domain/index.js';
import { reachableContacts, unreachableReason, vendorUnreachable } from '../../functions/domain/reachability.js';
import { silentVendorStep } from '../../functions/domain/silent-vendor.js';
import { COORDINATOR, REPORTER, SYSTEM, aCase, vendorActor } from '../builders/case.js';

const bounce = (email: string, kind: 'bounce' | 'complaint' = 'bounce'): Command => ({ type: 'record-bounce', email, kind });
const vendor1 = (s: CaseState) => s.vendors.find((v) => v.vendorId === 'vendor-1')!;
const deadlinesOf = (s: CaseState, policy = aCase().policy) => pendingDeadlines(s, policy).filter((d) => d.vendorId === 'vendor-1');

const confirm = (...emails: string[]): Command => ({
  type: 'update-vendor',
  vendorId: 'vendor-1',
  contacts: emails.map((email) => ({ email })),
});
/** An embargoed case whose one vendor (the report's Acme) has one confirmed contact, or the ones given. */
const embargoed = (...emails: string[]) =>
  aCase()
    .accepted()
    .run(confirm(...(emails.length ? emails : ['psirt@acme.example'])), COORDINATOR)
    .embargoed();
const twoContacts = () => embargoed('psirt@acme.example', 'Security@Acme.example');

describe('the rule', () => {
  it('a vendor with no confirmed contact, or whose every contact bounced, is unreachable; one working contact is enough', () => {
    const c = twoContacts();
    expect(unreachableReason(vendor1(c.state))).toBeNull();
    c.later(1).run(bounce('psirt@acme.example'), SYSTEM);
    expect(unreachableReason(vendor1(c.state))).toBeNull();
    expect(reachableContacts(vendor1(c.state)).map((x) => x.email)).toEqual(['Security@Acme.example']);
    c.later(1).run(bounce('security@acme.example', 'complaint'), SYSTEM);
    expect(unreachableReason(vendor1(c.state))).toBe('bounced');
    expect(vendorUnreachable({ contacts: [] })).toBe(true);
    expect(unreachableReason({ contacts: [] })).toBe('no-contact');
  });

  it('names each reason as its own attention state in the queue and on the case', () => {
    const c = aCase().accepted().run(confirm('psirt@acme.example'), COORDINATOR).withVendors({ name: 'Globex', contacts: [] });
    expect(attentionOf(c.state, DEFAULT_POLICY)).toEqual([{ kind: 'vendor-without-contact', vendorIds: ['vendor-2'] }]);
    c.run(bounce('psirt@acme.example'), SYSTEM);
    expect(attentionOf(c.state, DEFAULT_POLICY)).toEqual([
      { kind: 'vendor-without-contact', vendorIds: ['vendor-2'] },
      { kind: 'vendor-contacts-bounced', vendorIds: ['vendor-1'] },
    ]);
    // A coordinator replaces the bounced address: the flag goes.
    c.run(confirm('security@acme.example'), COORDINATOR);
    expect(attentionOf(c.state, DEFAULT_POLICY)).toEqual([{ kind: 'vendor-without-contact', vendorIds: ['vendor-2'] }]);
  });
});

describe('record-bounce', () => {
  it('marks the confirmed contact with that address, whatever its case, once', () => {
    const c = twoContacts();
    const before = c.events.length;
    c.run(bounce('SECURITY@acme.EXAMPLE', 'complaint'), SYSTEM);
    expect(c.events.slice(before).map((e) => e.type)).toEqual(['contact-bounced']);
    expect(c.events.at(-1)).toMatchObject({ vendorId: 'vendor-1', email: 'Security@Acme.example', kind: 'complaint' });
    expect(vendor1(c.state).contacts.find((x) => x.email === 'Security@Acme.example')?.bounced).toEqual({ at: c.now, kind: 'complaint' });
    // SES may report the same address again: nothing new.
    c.run(bounce('security@acme.example'), SYSTEM);
    expect(c.events.length).toBe(before + 1);
  });

  it.each([
    ['an address on no vendor of the case', 'eve@attacker.example'],
    ['an address that only looks like one', 'psirt@acme.example.attacker.example'],
    ['a part of one', 'acme.example'],
  ])('changes nothing for %s', (_what, email) => {
    const c = twoContacts();
    expect(decide(c.state, bounce(email), { now: c.now, actor: SYSTEM, policy: c.policy })).toEqual([]);
  });

  it("marks the reporter's own address once: a reporter-bounced event, no vendor touched", () => {
    const c = twoContacts();
    const events = decide(c.state, bounce('Ada@Example.org'), { now: c.now, actor: SYSTEM, policy: c.policy });
    expect(events.map((e) => e.type)).toEqual(['reporter-bounced']);
    c.run(bounce('ada@example.org'), SYSTEM);
    expect(c.state.reporterBounced).toEqual({ at: c.now, kind: 'bounce' });
    expect(c.state.vendors.flatMap((v) => v.contacts).every((x) => !x.bounced)).toBe(true);
    expect(decide(c.state, bounce('ada@example.org'), { now: c.now, actor: SYSTEM, policy: c.policy })).toEqual([]);
  });

  it('changes nothing for a suggested address no coordinator confirmed', () => {
    const c = aCase().accepted();
    expect(vendor1(c.state).suggestedContacts.length).toBeGreaterThan(0);
    const suggested = vendor1(c.state).suggestedContacts[0]!.email;
    expect(decide(c.state, bounce(suggested), { now: c.now, actor: SYSTEM, policy: c.policy })).toEqual([]);
  });

  it('changes nothing on a finished case, or on one that does not exist', () => {
    const c = twoContacts().run({ type: 'close-case', reason: 'done' }, COORDINATOR);
    expect(decide(c.state, bounce('psirt@acme.example'), { now: c.now, actor: SYSTEM, policy: c.policy })).toEqual([]);
    const empty = aCase();
    expect(decide(empty.state, bounce('psirt@acme.example'), { now: empty.now, actor: SYSTEM, policy: empty.policy })).toEqual([]);
  });

  it.each<[string, Actor]>([
    ['the reporter', REPORTER],
    ['a vendor', vendorActor('vendor-1')],
    ['a coordinator', COORDINATOR],
  ])('cannot be run by %s: only the system records what SES says', (_who, actor) => {
    const c = twoContacts();
    expect(() => decide(c.state, bounce('psirt@acme.example'), { now: c.now, actor, policy: c.policy })).toThrow(DomainError);
  });

  it('keeps the mark when a coordinator keeps the address, and forgets it with the address', () => {
    const c = embargoed().run(bounce('psirt@acme.example'), SYSTEM);
    c.run(confirm('psirt@acme.example', 'cert@acme.example'), COORDINATOR);
    expect(vendor1(c.state).contacts.map((x) => [x.email, !!x.bounced])).toEqual([
      ['psirt@acme.example', true],
      ['cert@acme.example', false],
    ]);
    c.run(confirm('cert@acme.example'), COORDINATOR).run(confirm('psirt@acme.example'), COORDINATOR);
    expect(vendor1(c.state).contacts[0]?.bounced).toBeUndefined();
  });
});

describe('an unreachable vendor is escalated, never taken for a silent one', () => {
  it('stops reminders and the unresponsive path, and escalates on the triage SLA from the bounce', () => {
    const c = embargoed();
    // Nobody bounced yet: the silent-vendor path runs.
    expect(deadlinesOf(c.state).map((d) => d.kind)).toContain('vendor-reminder');
    c.laterDays(2).run(bounce('psirt@acme.example'), SYSTEM);
    const bouncedAt = c.now;
    const kinds = deadlinesOf(c.state).map((d) => d.kind);
    expect(kinds).not.toContain('vendor-reminder');
    expect(kinds).not.toContain('vendor-unresponsive');
    expect(kinds).not.toContain('statement-reminder');
    expect(silentVendorStep(vendor1(c.state), null, c.policy)).toBeNull();
    expect(deadlinesOf(c.state)).toEqual([
      { kind: 'vendor-contact', at: addHours(bouncedAt, c.policy.triageSlaHours), vendorId: 'vendor-1' },
    ]);
    // Weeks on, it is still not "unresponsive".
    c.laterDays(30).run({ type: 'mark-unresponsive', vendorId: 'vendor-1' }, SYSTEM);
    expect(vendor1(c.state).unresponsiveAt).toBeNull();
    // Each escalation sets the next one a triage SLA later.
    c.run({ type: 'escalate-vendor-contact', vendorId: 'vendor-1' }, SYSTEM);
    expect(vendor1(c.state).contactEscalations).toBe(1);
    expect(deadlinesOf(c.state)).toEqual([{ kind: 'vendor-contact', at: addHours(c.now, c.policy.triageSlaHours), vendorId: 'vendor-1' }]);
  });

  it('goes back to the silent-vendor path, counted from the new contact, once a coordinator confirms one', () => {
    const c = embargoed();
    c.laterDays(1).run(bounce('psirt@acme.example'), SYSTEM);
    c.laterDays(10).run(confirm('psirt@acme.example', 'cert@acme.example'), COORDINATOR);
    const confirmedAt = c.now;
    const ds = deadlinesOf(c.state);
    expect(ds.map((d) => d.kind)).not.toContain('vendor-contact');
    // Counted from the first contact 11 days ago it would be due already; from the new contact it is
    // days away (the schedule may be compressed to fit the publication date).
    const reminder = ds.find((d) => d.kind === 'vendor-reminder')?.at ?? '';
    expect(Date.parse(reminder)).toBeGreaterThan(Date.parse(addHours(confirmedAt, 24)));
    expect(Date.parse(reminder)).toBeLessThanOrEqual(Date.parse(addHours(confirmedAt, 24 * c.policy.reminderDays)));
  });

  it('a vendor that bounced before it was ever reached keeps the case in outreach, and is not contacted', () => {
    const c = aCase().accepted().run(confirm('psirt@acme.example'), COORDINATOR);
    c.run(bounce('psirt@acme.example'), SYSTEM);
    expect(c.state.phase).toBe('outreach');
    const acme = vendor1(c.state);
    expect(vendorUnreachable(acme)).toBe(true);
    expect(() =>
      decide(
        c.state,
        { type: 'record-vendor-contact', vendorId: acme.vendorId, purpose: 'report' },
        { now: c.now, actor: SYSTEM, policy: c.policy },
      ),
    ).toThrow(/no confirmed contact/);
  });
});
