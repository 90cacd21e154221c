// The tunable numbers of triage, kept apart from the rules so an operator can change them per deployment.

export interface TriagePolicy {
  /**
   * A CVSS v2 Environmental score below this suggests declining (seeds: low Environmental scores,
   * often software with a small user base, are generally declined). 4.0 is where v2's "low" band ends.
   */
  v2EnvironmentalThreshold: number;
  /**
   * Without a proof of concept or a patch, a description at least this long, together with an account
   * of how the vulnerability is exploited, still counts as a credible report.
   */
  substantiveDescriptionMinChars: number;
}

export const DEFAULT_TRIAGE_POLICY: Readonly<TriagePolicy> = Object.freeze({
  v2EnvironmentalThreshold: 4.0,
  substantiveDescriptionMinChars: 200,
});

export function triagePolicy(overrides: Partial<TriagePolicy> = {}): TriagePolicy {
  return {
    v2EnvironmentalThreshold: overrides.v2EnvironmentalThreshold ?? DEFAULT_TRIAGE_POLICY.v2EnvironmentalThreshold,
    substantiveDescriptionMinChars: overrides.substantiveDescriptionMinChars ?? DEFAULT_TRIAGE_POLICY.substantiveDescriptionMinChars,
  };
}
