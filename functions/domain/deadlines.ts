// The deadline planner (docs/workflow.md "Deadlines"): the next thing that must
// happen by itself on a case, and when. Pure: the workflow waits until `at` and then acts.
import { type CaseState, type VendorState, isNotAffected } from './case.js';
import { plannedPublicationAt } from './embargo.js';
import type { Policy } from './policy.js';
import { type Unreachable, unreachableReason, unreachableSince, vendorUnreachable } from './reachability.js';
import { silentVendorStep } from './silent-vendor.js';
import { SliceTooNarrow } from './errors.js';
import { addDays, addHours, ms } from './time.js';
import { type VendorPartFacts, vendorPartOf } from './vendor-parts.js';

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
  const basis = vendorBasis(s, policy);
  out.push(
    ...bySlice(
      s,
      policy,
      (vendors) => vendors.flatMap((v) => vendorDeadlines(s, v, policy, basis)),
      (f) => (f.next ? [f.next] : []),
    ),
  );
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
  return byTime(out);
}

/**
 * Each vendor's deadlines as last computed, and the basis they were computed under (vendorBasis:
 * every case-wide input they read). The fold copies only the vendors an event changes, so the
 * summary, the index keys and the parts' facts of one write compute each vendor once.
 */
const VENDOR_DEADLINES = new WeakMap<VendorState, { basis: string; list: readonly (Deadline & { vendorId: string })[] }>();

/** A vendor's pending deadlines (the unreachable escalation, the silent-vendor step, the statement reminder). */
function vendorDeadlines(s: CaseState, v: VendorState, policy: Policy, basis: string): readonly (Deadline & { vendorId: string })[] {
  const known = VENDOR_DEADLINES.get(v);
  if (known?.basis === basis) return known.list;
  const list = computeVendorDeadlines(s, v, policy);
  VENDOR_DEADLINES.set(v, { basis, list });
  return list;
}

function computeVendorDeadlines(s: CaseState, v: VendorState, policy: Policy): (Deadline & { vendorId: string })[] {
  const out: (Deadline & { vendorId: string })[] = [];
  const live = s.phase === 'embargo' || s.phase === 'draft-review' || s.phase === 'publication';
  if (live || s.phase === 'outreach') {
    // A vendor nobody can reach (no confirmed contact, or every one bounced) needs a coordinator:
    // escalated on the triage SLA's rhythm, from when it became unreachable.
    const since = unreachableSince(v);
    if (since !== null) {
      const last = v.lastContactEscalationAt;
      const at =
        last === undefined
          ? addHours(since, policy.triageSlaHours * (v.contactEscalations + 1))
          : addHours(ms(last) > ms(since) ? last : since, policy.triageSlaHours);
      out.push({ kind: 'vendor-contact', at, vendorId: v.vendorId });
    }
  }
  if (!live) return out;
  const planned = plannedPublicationAt(s);
  const next = silentVendorStep(v, planned, policy);
  if (next) out.push({ ...next, vendorId: v.vendorId });
  const publishAt = planned ?? s.receivedAt ?? '1970-01-01T00:00:00.000Z';
  // A reminder to a vendor nobody can reach would only bounce again.
  if (v.firstContactAt && v.statement === null && !v.statementReminderAt && !isNotAffected(v) && !v.unresponsiveAt && !vendorUnreachable(v))
    out.push({ kind: 'statement-reminder', at: addDays(publishAt, -policy.statementReminderDays), vendorId: v.vendorId });
  return out;
}

/** Earliest first, then by kind; equal ones keep their order (vendor order). Each instant parsed once. */
function byTime<T extends Deadline>(list: readonly T[]): T[] {
  return list
    .map((d) => ({ d, t: ms(d.at) }))
    .sort((a, b) => a.t - b.t || a.d.kind.localeCompare(b.d.kind))
    .map((x) => x.d);
}

/**
 * The version of the rules a vendor's deadlines and attention follow (computeVendorDeadlines,
 * silentVendorStep, the attention kinds): raise it with any change to them, so that the facts
 * cores keep of their parts are recomputed rather than read (a rollback across it too).
 */
export const VENDOR_RULES = 1;

/**
 * The case-wide inputs of every vendor's deadlines and attention: what a part's facts were computed
 * under. The policy's vendor schedule is part of it, so facts written under another policy are stale.
 */
export function vendorBasis(s: CaseState, policy: Policy): string {
  const p = policy;
  // VENDOR_RULES first: facts a release with other rules computed are never read as current.
  const schedule = [
    p.triageSlaHours,
    p.reminderDays,
    p.maxContactAttempts,
    p.unresponsiveDays,
    p.finalNoticeLeadDays,
    p.statementReminderDays,
  ];
  return JSON.stringify([VENDOR_RULES, s.phase, plannedPublicationAt(s), s.receivedAt, schedule]);
}

/** What the core keeps of these vendors (one part's): see VendorPartFacts. */
export function vendorPartFacts(s: CaseState, vendors: readonly VendorState[], policy: Policy): VendorPartFacts {
  const basis = vendorBasis(s, policy);
  const [next] = byTime(vendors.flatMap((v) => vendorDeadlines(s, v, policy, basis)));
  return {
    vendors: vendors.length,
    next: next ? { kind: next.kind as NonNullable<VendorPartFacts['next']>['kind'], at: next.at, vendorId: next.vendorId } : null,
    attention: attentionOfVendors(s, vendors),
    downstream: vendors.filter((v) => v.downstream).length,
  };
}

/**
 * Something of every vendor, part by part in vendor order: from the vendors themselves on a whole
 * case, and on a slice (sliceFacts) from the facts the core keeps of each part it lacks. Facts
 * computed under another basis would be wrong, silently: that is a bug, and it throws.
 */
function bySlice<T>(s: CaseState, policy: Policy, ofVendors: (vs: VendorState[]) => T[], ofFacts: (f: VendorPartFacts) => T[]): T[] {
  const facts = s.sliceFacts;
  if (facts === undefined) return ofVendors(s.vendors);
  if (facts.basis !== vendorBasis(s, policy)) throw new SliceTooNarrow(`case ${s.caseId}: a slice whose vendor facts are stale`);
  const held = new Map<string, VendorState[]>();
  for (const v of s.vendors) {
    const part = vendorPartOf(v.vendorId) ?? '';
    held.set(part, [...(held.get(part) ?? []), v]);
  }
  return Object.keys(facts.parts)
    .sort()
    .flatMap((name) => {
      const vendors = held.get(name);
      const f = facts.parts[name];
      return vendors ? ofVendors(vendors) : f ? ofFacts(f) : [];
    });
}

/** How many vendors the case has (a slice holds only some). */
export const vendorCount = (s: CaseState, policy: Policy): number =>
  bySlice(
    s,
    policy,
    (vs) => [vs.length],
    (f) => [f.vendors],
  ).reduce((a, b) => a + b, 0);

/** How many vendors of the case are downstream. */
export const downstreamCount = (s: CaseState, policy: Policy): number =>
  bySlice(
    s,
    policy,
    (vs) => [vs.filter((v) => v.downstream).length],
    (f) => [f.downstream],
  ).reduce((a, b) => a + b, 0);

/** The attention states, one per reason a vendor cannot be reached (functions/domain/reachability.ts). */
export const ATTENTION_KINDS = ['vendor-without-contact', 'vendor-contacts-bounced'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];
const KIND_OF: Record<Unreachable, AttentionKind> = { 'no-contact': 'vendor-without-contact', bounced: 'vendor-contacts-bounced' };

/** What needs a coordinator on this case now, whatever its deadlines: for the queue and the console banner. */
export function attentionOf(s: CaseState, policy: Policy): { kind: AttentionKind; vendorIds: string[] }[] {
  const each = bySlice(
    s,
    policy,
    (vs) => attentionOfVendors(s, vs),
    (f) => f.attention,
  );
  return ATTENTION_KINDS.flatMap((kind) => {
    const vendorIds = each.filter((a) => a.kind === kind).flatMap((a) => a.vendorIds);
    return vendorIds.length ? [{ kind, vendorIds }] : [];
  });
}

function attentionOfVendors(s: CaseState, vendors: readonly VendorState[]): { kind: AttentionKind; vendorIds: string[] }[] {
  if (s.phase === 'closed' || s.phase === 'declined' || s.phase === 'published') return [];
  return ATTENTION_KINDS.flatMap((kind) => {
    const vendorIds = vendors.filter((v) => {
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
