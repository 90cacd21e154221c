// Every case's priority (docs/domain.md "Priority"): the seed sets priorities from the CVSS v2
// Environmental score and makes a report without proof of concept or patch low priority; the SSVC
// outcome moves it a step. Computed from the case, never stored; a coordinator may override it.
import type { Policy } from './policy.js';

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** A v2 Environmental (or, without one, base) score at or above this is high before the SSVC step. */
export const HIGH_V2_SCORE = 7.0;

export interface PriorityOverride {
  level: Priority;
  reason: string;
  by: string;
  at: string;
}

export interface PriorityView {
  level: Priority;
  source: 'computed' | 'override';
  computed: Priority;
  inputs: { v2Environmental: number | null; ssvcOutcome: string | null; proofOfConcept: boolean; patch: boolean };
  /** Why the computed level is what it is, one line per rule that applied. */
  why: string[];
  override: PriorityOverride | null;
}

const step = (p: Priority, by: number): Priority =>
  PRIORITIES[Math.min(PRIORITIES.length - 1, Math.max(0, PRIORITIES.indexOf(p) - by))] ?? p;

/** What the priority reads of a case (CaseState fits; named here so the case's types can name Priority). */
export interface PriorityFacts {
  prescreen: { scores: { v2?: { base: number; environmental?: number } }; triage: { ssvcOutcome: string } } | null;
  report: { evidence: { proofOfConcept: string; patch: string } } | null;
  priorityOverride: PriorityOverride | null;
}

export function priorityOf(s: PriorityFacts, policy: Policy): PriorityView {
  const v2 = s.prescreen?.scores.v2;
  const score = v2 ? (v2.environmental ?? v2.base) : null;
  const outcome = s.prescreen?.triage.ssvcOutcome ?? null;
  const proofOfConcept = (s.report?.evidence.proofOfConcept ?? '').trim() !== '';
  const patch = (s.report?.evidence.patch ?? '').trim() !== '';
  const why: string[] = [];
  let level: Priority = 'medium';
  if (score === null) why.push('no CVSS v2 vector: medium');
  else if (score >= HIGH_V2_SCORE) {
    level = 'high';
    why.push(`CVSS v2 Environmental ${score} ≥ ${HIGH_V2_SCORE}: high`);
  } else if (score < policy.lowV2EnvironmentalScore) {
    level = 'low';
    why.push(`CVSS v2 Environmental ${score} < ${policy.lowV2EnvironmentalScore}: low`);
  } else why.push(`CVSS v2 Environmental ${score}: medium`);
  if (outcome === 'coordinate') {
    level = step(level, 1);
    why.push('SSVC outcome coordinate: one step up');
  } else if (outcome === 'decline') {
    level = step(level, -1);
    why.push('SSVC outcome decline: one step down');
  }
  // The seed: "Reports lacking a proof of concept or proposed patch will be considered low priority".
  if (s.report && !proofOfConcept && !patch) {
    level = 'low';
    why.push('no proof of concept and no patch: low');
  }
  const override = s.priorityOverride;
  return {
    level: override?.level ?? level,
    source: override ? 'override' : 'computed',
    computed: level,
    inputs: { v2Environmental: score, ssvcOutcome: outcome, proofOfConcept, patch },
    why,
    override,
  };
}
