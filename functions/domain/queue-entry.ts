// A case as the coordinator queue lists it. The store computes its facts at each write and keeps
// them in the case's small summary item, the one item the queue index holds, so listing cases never
// reads (and the index never copies) a case's whole state.
import type { CaseState } from './case-state.js';
import { attentionOf, nextDeadline, vendorCount } from './deadlines.js';
import type { Policy } from './policy.js';
import { type PriorityFacts, priorityOf } from './priority.js';

export interface EmbargoView {
  state: CaseState['embargo']['state'];
  endsAt: string | null;
}

export const embargoView = (s: CaseState): EmbargoView => ({ state: s.embargo.state, endsAt: s.embargo.endsAt });

/**
 * What the summary item keeps: nothing here may depend on the time of reading. The priority's
 * inputs, not the priority: it is computed where it is read (queueRow), so a function that only
 * writes cases does not carry its rules.
 */
export function queueFacts(s: CaseState, policy: Policy) {
  const d = nextDeadline(s, policy);
  const v2 = s.prescreen?.scores.v2;
  const evidence = s.report?.evidence;
  const priority: PriorityFacts = {
    prescreen: s.prescreen ? { scores: v2 ? { v2 } : {}, triage: { ssvcOutcome: s.prescreen.triage.ssvcOutcome } } : null,
    // Whether there is a proof of concept or a patch, not its text: a report's own words stay out of the index.
    report: evidence
      ? { evidence: { proofOfConcept: evidence.proofOfConcept.trim() ? 'y' : '', patch: evidence.patch.trim() ? 'y' : '' } }
      : null,
    priorityOverride: s.priorityOverride,
  };
  return {
    caseId: s.caseId,
    title: s.report?.title ?? '',
    phase: s.phase,
    receivedAt: s.receivedAt,
    nextDeadline: d ? { kind: d.kind, at: d.at, ...(d.vendorId ? { vendorId: d.vendorId } : {}) } : null,
    recommendation: s.prescreen?.triage.recommendation ?? null,
    priority,
    embargo: embargoView(s),
    // Counted from the core's facts on a slice (a change made on the core and one vendor's part).
    vendors: vendorCount(s, policy),
    attention: attentionOf(s, policy),
    blocked: s.blocked !== null,
    // What a workflow wait reads (functions/app/event-loop.ts awaitSignal), so it need not read the case.
    appliedSeq: s.appliedSeq,
    blockedSeq: s.blocked?.seq ?? null,
  };
}

export type QueueFacts = ReturnType<typeof queueFacts>;

/** A row of GET /cases, from the facts the summary item holds. */
export function queueRow(f: QueueFacts, policy: Policy) {
  return {
    caseId: f.caseId,
    title: f.title,
    phase: f.phase,
    receivedAt: f.receivedAt,
    nextDeadline: f.nextDeadline,
    recommendation: f.recommendation,
    priority: priorityOf(f.priority, policy).level,
    prioritySource: f.priority.priorityOverride ? ('override' as const) : ('computed' as const),
    embargo: f.embargo,
    vendors: f.vendors,
    attention: f.attention,
    blocked: f.blocked,
  };
}

export type QueueRow = ReturnType<typeof queueRow>;
