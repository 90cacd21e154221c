// The pre-screen a coordinator sees before deciding: the SSVC outcome with its inputs, the seeds'
// decline reasons that apply (each with its evidence), and what to ask the reporter for.
import type { Report } from '../report.js';
import type { SsvcTriageInputs, TriageOutcome } from './decision-points.js';
import type { DeclineReason } from './decline-reasons.js';
import { deriveTriageInputs, triageInputValues, type DerivedTriageInputs } from './derive-inputs.js';
import { triagePolicy, type TriagePolicy } from './policy.js';
import { lookupTriageOutcome, SSVC_TRIAGE_TABLE } from './ssvc.js';

/** Scores computed from the report's vectors; only v2 Environmental drives a rule (the seeds rank by it). */
export interface TriageScores {
  v2Environmental?: number;
  v2Base?: number;
  v3Base?: number;
  v4?: number;
}

export interface SuggestedReason {
  reason: DeclineReason;
  evidence: string;
}

/** Information a coordinator would ask the reporter for before deciding. */
export const INFORMATION_ITEMS = [
  'affected version',
  'proof of concept or patch',
  'vendor contact details',
  'how the vulnerability is exploited',
] as const;

export type InformationItem = (typeof INFORMATION_ITEMS)[number];

export interface TriageRecommendationInput {
  report: Report;
  scores: TriageScores;
  ssvcOverrides?: Partial<SsvcTriageInputs>;
  policy?: Partial<TriagePolicy>;
}

export interface TriageRecommendation {
  recommendation: TriageOutcome;
  /** One sentence on how the recommendation follows from the SSVC outcome and the request type. */
  rationale: string;
  ssvc: {
    table: { name: string; version: string };
    inputs: DerivedTriageInputs;
    outcome: TriageOutcome;
  };
  suggestedReasons: SuggestedReason[];
  requestInformation: { suggested: boolean; missing: InformationItem[] };
}

/**
 * Every seed reason whose condition holds, in the seeds' order, whatever the SSVC outcome: they are
 * grounds a coordinator may cite, not verdicts. 'resources' is never suggested; only a person knows
 * the team's load.
 */
// CVSS scores read with one decimal (4 → "4.0"), without rounding away a finer value.
const score = (n: number): string => (Number.isInteger(n) ? n.toFixed(1) : String(n));

function suggestReasons(report: Report, scores: TriageScores, policy: TriagePolicy): SuggestedReason[] {
  const reasons: SuggestedReason[] = [];
  const v2Env = scores.v2Environmental;
  if (v2Env !== undefined && v2Env < policy.v2EnvironmentalThreshold) {
    reasons.push({
      reason: 'low-cvss-v2-environmental',
      evidence: `CVSS v2 Environmental score ${score(v2Env)} is below the policy threshold ${score(policy.v2EnvironmentalThreshold)}`,
    });
  }
  if (report.evidence.proofOfConcept === '' && report.evidence.patch === '') {
    reasons.push({
      reason: 'insufficient-evidence',
      evidence: 'no proof of concept and no patch: report.evidence.proofOfConcept and .patch are empty',
    });
  }
  if (report.requestedService === 'cve-id-only') {
    reasons.push({ reason: 'cve-id-only', evidence: 'report.requestedService = "cve-id-only": the reporter only wants a CVE ID' });
  }
  if (report.requestedService === 'publication-only') {
    const contacted = report.vendors.filter((v) => v.contacted).map((v) => `"${v.name}"`);
    const history = contacted.length > 0 ? `; already in contact with ${contacted.join(', ')}` : '';
    reasons.push({
      reason: 'publication-only',
      evidence: `report.requestedService = "publication-only": the reporter only wants publication${history}`,
    });
  }
  return reasons;
}

function missingInformation(report: Report): InformationItem[] {
  const missing: InformationItem[] = [];
  if (report.product.version === '') missing.push('affected version');
  if (report.evidence.proofOfConcept === '' && report.evidence.patch === '') missing.push('proof of concept or patch');
  // A coordinator needs an address for every vendor it will contact; a vendor already reached may still lack one.
  if (report.vendors.some((v) => v.contactEmail === undefined)) missing.push('vendor contact details');
  if (report.exploitation === '') missing.push('how the vulnerability is exploited');
  return missing;
}

/**
 * Recommends decline, track or coordinate. Rules:
 * - the recommendation is the SSVC Coordinator Triage outcome for the derived (or overridden) inputs;
 * - except a CVE-ID-only or publication-only request, which recommends decline whatever SSVC says:
 *   the seeds decline both because CERT/CC only assigns IDs and publishes for cases it coordinates;
 * - asking the reporter for more is suggested when they want coordination and something is missing
 *   (for the other two services the answer is decline either way, so asking would waste their time).
 */
export function recommendTriage(input: TriageRecommendationInput): TriageRecommendation {
  const { report, scores } = input;
  const policy = triagePolicy(input.policy);
  const inputs = deriveTriageInputs(report, input.ssvcOverrides ?? {}, policy);
  const outcome = lookupTriageOutcome(triageInputValues(inputs));
  const suggestedReasons = suggestReasons(report, scores, policy);
  const missing = missingInformation(report);

  const narrowRequest = report.requestedService !== 'coordination';
  const recommendation: TriageOutcome = narrowRequest ? 'decline' : outcome;
  const rationale = narrowRequest
    ? `the reporter asked for "${report.requestedService}" only, which is declined whatever SSVC says (SSVC outcome: ${outcome})`
    : `SSVC coordinator triage outcome: ${outcome}`;

  return {
    recommendation,
    rationale,
    ssvc: { table: { name: SSVC_TRIAGE_TABLE.name, version: SSVC_TRIAGE_TABLE.version }, inputs, outcome },
    suggestedReasons,
    requestInformation: { suggested: !narrowRequest && missing.length > 0, missing },
  };
}
