// The silent-vendor schedule (docs/workflow.md "Deadlines"): reminders, then the final notice and the
// downstream alert. It is compressed to fit the time left, so the final notice never lands later
// than a fixed lead before publication, however short the embargo.
import type { VendorState } from './case-state.js';
import type { Policy } from './policy.js';
import { reachableContacts, vendorUnreachable } from './reachability.js';
import { DAY_MS, iso, ms } from './time.js';

export interface SilentVendorStep {
  kind: 'vendor-reminder' | 'vendor-unresponsive';
  at: string;
}

/** Reminders closer together than this are noise: the schedule goes straight to the final notice. */
const MIN_REMINDER_GAP_MS = DAY_MS;

/**
 * The next step for a vendor that has not answered, or null when it answered, was given up on, was
 * never reached, or cannot be reached now (every contact bounced: that is the coordinators' to fix,
 * not the vendor's silence). `publishAt` is the planned publication (null: none yet, nothing to fit).
 */
export function silentVendorStep(v: VendorState, publishAt: string | null, policy: Policy): SilentVendorStep | null {
  if (v.acknowledgedAt || v.unresponsiveAt || !v.lastAttemptAt || vendorUnreachable(v)) return null;
  // A contact confirmed since the last attempt was mailed the notification then: the vendor's
  // silence counts from there (after a bounce, from the address that works).
  const last = Math.max(ms(v.lastAttemptAt), ...reachableContacts(v).map((c) => ms(c.confirmedAt)));
  const cap = publishAt === null ? Number.POSITIVE_INFINITY : ms(publishAt) - policy.finalNoticeLeadDays * DAY_MS;
  const reminders = Math.max(0, policy.maxContactAttempts - v.attempts.length);
  const span = (reminders * policy.reminderDays + policy.unresponsiveDays) * DAY_MS;
  // The same factor shrinks every remaining gap, so the schedule keeps its shape and ends on the cap.
  const factor = span > 0 && last + span > cap ? Math.max(0, cap - last) / span : 1;
  const gap = factor * policy.reminderDays * DAY_MS;
  if (reminders > 0 && (factor === 1 || gap >= MIN_REMINDER_GAP_MS)) return { kind: 'vendor-reminder', at: iso(last + gap) };
  const final = factor === 1 ? last + policy.unresponsiveDays * DAY_MS : Math.max(last, cap);
  return { kind: 'vendor-unresponsive', at: iso(final) };
}
