// The deadline planner (docs/workflow.md "Deadlines"): the next thing that must
// happen by itself on a case, and when. Pure: the workflow waits until `at` and then acts.
import { type CaseState, isNotAffected } from './case.js';
import { plannedPublicationAt } from './embargo.js';
import type { Policy } from './policy.js';
import { type Unreachable, unreachableReason, unreachableSince, vendorUnreachable } from './reachability.js';
import { silentVendorStep } from './silent-vendor.js';
import { addDays, addHours, ms } from './time.js';

export const DEADLINE_KINDS = [
  'triage-sla',
  'information-request',
  'vendor-contact',
  'vendor-reminder',
  'vendor-unresponsive',
  'statement-reminder',
  'draft-due',
  'publication-decision',
  'publication',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export interface Deadline {
  kind: DeadlineKind;
  at: string;
  vendorId?: string;
}

/** Every deadline currently pending on the case, earliest first. */
export function pendingDeadlines(s: CaseState, policy: Policy): Deadline[] {
  const out: Deadline[] = [];
  if (s.phase === 'triage') {
    const info = s.triage.infoRequest;
    if (info && info.answeredAt === null) out.push({ kind: 'information-request', at: info.dueAt });
    else if (s.receivedAt && s.triage.decision === null)
      out.push({ kind: 'triage-sla', at: addHours(s.receivedAt, policy.triageSlaHours * (s.triage.escalations + 1)) });
  }
  if (s.phase === 'outreach' || s.phase === 'embargo' || s.phase === 'draft-review' || s.phase === 'publication') {
    // A vendor nobody can reach (no confirmed contact, or every one bounced) needs a coordinator:
    // escalated on the triage SLA's rhythm, from when it became unreachable.
    for (const v of s.vendors) {
      const since = unreachableSince(v);
      if (since === null) continue;
      const last = v.lastContactEscalationAt;
      const at =
        last === undefined
          ? addHours(since, policy.triageSlaHours * (v.contactEscalations + 1))
          : addHours(ms(last) > ms(since) ? last : since, policy.triageSlaHours);
      out.push({ kind: 'vendor-contact', at, vendorId: v.vendorId });
    }
  }
  if (s.phase === 'embargo' || s.phase === 'draft-review' || s.phase === 'publication') {
    const planned = plannedPublicationAt(s);
    for (const v of s.vendors) {
      const next = silentVendorStep(v, planned, policy);
      if (next) out.push({ ...next, vendorId: v.vendorId });
    }
    const publishAt = planned ?? s.receivedAt ?? '1970-01-01T00:00:00.000Z';
    for (const v of s.vendors) {
      if (!v.firstContactAt || v.statement !== null || v.statementReminderAt || isNotAffected(v) || v.unresponsiveAt) continue;
      if (vendorUnreachable(v)) continue; // a reminder would only bounce again
      out.push({ kind: 'statement-reminder', at: addDays(publishAt, -policy.statementReminderDays), vendorId: v.vendorId });
    }
  }
  if (s.phase === 'embargo') {
    if (s.embargo.state === 'EXITED' && s.embargo.exitedAt) out.push({ kind: 'draft-due', at: s.embargo.exitedAt });
    else if (s.embargo.endsAt) out.push({ kind: 'draft-due', at: addDays(s.embargo.endsAt, -policy.draftLeadDays) });
  }
  if (s.phase === 'draft-review' && s.draft.shared && s.publication.decision !== 'approve') {
    const at = s.publication.lastReminderAt
      ? addHours(s.publication.lastReminderAt, policy.publicationReminderHours)
      : s.draft.shared.publishAt;
    out.push({ kind: 'publication-decision', at });
  }
  if (s.phase === 'publication' && s.publication.publishAt) out.push({ kind: 'publication', at: s.publication.publishAt });
  return out.sort((a, b) => ms(a.at) - ms(b.at) || a.kind.localeCompare(b.kind));
}

/** The attention states, one per reason a vendor cannot be reached (functions/domain/reachability.ts). */
export const ATTENTION_KINDS = ['vendor-without-contact', 'vendor-contacts-bounced'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];
const KIND_OF: Record<Unreachable, AttentionKind> = { 'no-contact': 'vendor-without-contact', bounced: 'vendor-contacts-bounced' };

/** What needs a coordinator on this case now, whatever its deadlines: for the queue and the console banner. */
export function attentionOf(s: CaseState): { kind: AttentionKind; vendorIds: string[] }[] {
  if (s.phase === 'closed' || s.phase === 'declined' || s.phase === 'published') return [];
  return ATTENTION_KINDS.flatMap((kind) => {
    const vendorIds = s.vendors.filter((v) => {
      const why = unreachableReason(v);
      return why !== null && KIND_OF[why] === kind;
    });
    return vendorIds.length ? [{ kind, vendorIds: vendorIds.map((v) => v.vendorId) }] : [];
  });
}

/** The next deadline and its kind, or null when nothing waits on time. */
export const nextDeadline = (s: CaseState, policy: Policy): Deadline | null => pendingDeadlines(s, policy)[0] ?? null;

/** Deadlines that have fallen due at `now`. */
export const dueDeadlines = (s: CaseState, policy: Policy, now: string): Deadline[] =>
  pendingDeadlines(s, policy).filter((d) => ms(d.at) <= ms(now));

/** Seconds to wait for a deadline (at least 1: Step Functions rejects 0). */
export const secondsUntil = (at: string, now: string): number => Math.max(1, Math.ceil((ms(at) - ms(now)) / 1000));
