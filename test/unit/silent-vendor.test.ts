// The silent-vendor path for any embargo length: reminders, the final notice and the downstream
// alert all happen before publication, the final notice a fixed lead before it when time is short.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, DEFAULT_POLICY, type Policy, pendingDeadlines, plannedPublicationAt, ms } from '../../functions/domain/index.js';
import { SYSTEM, aCase } from '../builders/case.js';

interface Run {
  firstContact: number;
  publishAt: number;
  reminders: number[];
  finalNotice: number;
  downstreamAlert: number;
}

/** Plays the silent-vendor deadlines of vendor-1 to the end, as the event loop would, with nobody answering. */
function silentRun(embargoDays: number, policy: Policy = DEFAULT_POLICY): Run {
  const c = aCase('VU#100001', { ...policy, embargoDays }).accepted();
  c.withVendors({ name: 'Distro', downstream: true }).embargoed();
  const firstContact = ms(c.state.vendors[0]?.firstContactAt ?? '');
  const publishAt = ms(plannedPublicationAt(c.state) ?? '');
  const reminders: number[] = [];
  for (let i = 0; i < 10; i++) {
    const d = pendingDeadlines(c.state, c.policy).find(
      (x) => x.vendorId === 'vendor-1' && (x.kind === 'vendor-reminder' || x.kind === 'vendor-unresponsive'),
    );
    if (!d) break;
    c.at(d.at);
    if (d.kind === 'vendor-reminder') {
      reminders.push(ms(d.at));
      c.run({ type: 'send-reminder', kind: 'vendor-acknowledgement', vendorId: 'vendor-1' }, SYSTEM);
      continue;
    }
    c.run({ type: 'mark-unresponsive', vendorId: 'vendor-1' }, SYSTEM)
      .run({ type: 'send-reminder', kind: 'final-notice', vendorId: 'vendor-1' }, SYSTEM)
      .run({ type: 'record-vendor-contact', vendorId: 'vendor-2', purpose: 'downstream-alert' }, SYSTEM);
    break;
  }
  const [v1, v2] = c.state.vendors;
  return {
    firstContact,
    publishAt,
    reminders,
    finalNotice: ms(v1?.finalNoticeAt ?? 'never'),
    downstreamAlert: ms(v2?.firstContactAt ?? 'never'),
  };
}

const lead = DEFAULT_POLICY.finalNoticeLeadDays * DAY_MS;
const fullPath = ((DEFAULT_POLICY.maxContactAttempts - 1) * DEFAULT_POLICY.reminderDays + DEFAULT_POLICY.unresponsiveDays) * DAY_MS;

describe('the silent-vendor schedule fits the embargo', () => {
  it.each([10, 20, 30])('sends the final notice and alerts downstream a fixed lead before a day-%i publication', (days) => {
    const r = silentRun(days);
    expect(r.finalNotice).toBe(r.publishAt - lead);
    expect(r.downstreamAlert).toBe(r.finalNotice);
  });

  it.each([45, 90])('keeps the full 7 + 7 + 14 day path when a day-%i embargo leaves room for it', (days) => {
    const r = silentRun(days);
    expect(r.reminders).toEqual([r.firstContact + 7 * DAY_MS, r.firstContact + 14 * DAY_MS]);
    expect(r.finalNotice).toBe(r.firstContact + 28 * DAY_MS);
  });

  it('for any embargo length: reminders in order, a day apart at least, then the final notice and the downstream alert before publication', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(10, 20, 30, 45, 90), fc.integer({ min: 1, max: 120 })), (days) => {
        const r = silentRun(days);
        const steps = [r.firstContact, ...r.reminders, r.finalNotice];
        for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThanOrEqual(steps[i - 1] ?? 0);
        for (let i = 1; i < steps.length - 1; i++) expect((steps[i] ?? 0) - (steps[i - 1] ?? 0)).toBeGreaterThanOrEqual(DAY_MS);
        expect(r.reminders.length).toBeLessThanOrEqual(DEFAULT_POLICY.maxContactAttempts - 1);
        expect(r.downstreamAlert).toBe(r.finalNotice);
        expect(r.finalNotice).toBeLessThan(r.publishAt);
        // The lead is kept whenever the embargo is long enough to keep it at all.
        if (r.publishAt - r.firstContact >= lead) expect(r.finalNotice).toBeLessThanOrEqual(r.publishAt - lead);
        // Time is short: the final notice is exactly the lead before publication (or at first contact, if even that is past).
        if (r.publishAt - lead - r.firstContact < fullPath) expect(r.finalNotice).toBe(Math.max(r.firstContact, r.publishAt - lead));
        else expect(r.finalNotice).toBe(r.firstContact + fullPath);
      }),
      { numRuns: 60 },
    );
  });

  it('moves the schedule when the embargo is shortened after the first contact', () => {
    const c = aCase('VU#100001').accepted().embargoed();
    const endsAt = new Date(ms(c.state.vendors[0]?.firstContactAt ?? '') + 20 * DAY_MS).toISOString();
    c.run({ type: 'set-embargo', endsAt, reason: 'the reporter publishes on day 20' }, { role: 'coordinator', participant: 'c@x' });
    const next = pendingDeadlines(c.state, c.policy).filter((d) => d.vendorId === 'vendor-1' && d.kind.startsWith('vendor-'));
    expect(next[0]?.kind).toBe('vendor-reminder');
    // 13 days to the final notice instead of 28: each gap shrinks by 13/28.
    expect(ms(next[0]?.at ?? '')).toBe(ms(c.state.vendors[0]?.firstContactAt ?? '') + (7 * 13 * DAY_MS) / 28);
  });
});
