import { describe, expect, it } from 'vitest';
import {
  AFTER_DECLINE_GUIDANCE,
  CVE_REQUEST_URL,
  DECLINE_REASON_TEXT,
  DECLINE_REASONS,
  declineGuidance,
  recommendTriage,
  type DeclineReason,
} from '../../../functions/domain/triage/index.js';
import { aReport } from '../../builders/report.js';

// A report CERT/CC would take on: evidence, a version, the vendor tried and silent, several vendors.
const aStrongReport = () =>
  aReport().withPoc().withExploitation('Send one request with a 200-byte Content-Length header.').vendorSilent().multipleVendors();

const reasonsOf = (r: ReturnType<typeof recommendTriage>): DeclineReason[] => r.suggestedReasons.map((s) => s.reason);

describe("the seeds' decline reasons", () => {
  it('suggests declining a CVE-ID-only request and points the reporter to the CVE program', () => {
    // Prepare: a report SSVC alone would coordinate
    const report = aStrongReport().cveIdOnly().build();

    // Act
    const result = recommendTriage({ report, scores: {} });

    // Assess
    expect(result.ssvc.outcome).toBe('coordinate');
    expect(result.recommendation).toBe('decline');
    expect(result.suggestedReasons).toContainEqual({
      reason: 'cve-id-only',
      evidence: 'report.requestedService = "cve-id-only": the reporter only wants a CVE ID',
    });
    expect(result.rationale).toContain('cve-id-only');
    expect(DECLINE_REASON_TEXT['cve-id-only'].guidance).toContain(CVE_REQUEST_URL);
    expect(DECLINE_REASON_TEXT['cve-id-only'].guidance).toContain('CVE Numbering Authority');
  });

  it('suggests declining a publication-only request for an issue already coordinated with the vendor', () => {
    const report = aStrongReport().publicationOnly().build();

    const result = recommendTriage({ report, scores: {} });

    expect(result.recommendation).toBe('decline');
    const reason = result.suggestedReasons.find((s) => s.reason === 'publication-only');
    expect(reason?.evidence).toBe(
      'report.requestedService = "publication-only": the reporter only wants publication; already in contact with "Acme"',
    );
  });

  it('suggests declining when the CVSS v2 Environmental score is below the threshold (a small user base)', () => {
    const result = recommendTriage({ report: aStrongReport().build(), scores: { v2Environmental: 3.2, v2Base: 7.5 } });

    expect(result.suggestedReasons).toEqual([
      { reason: 'low-cvss-v2-environmental', evidence: 'CVSS v2 Environmental score 3.2 is below the policy threshold 4.0' },
    ]);
    // A reason is a ground the coordinator may cite; it does not overrule SSVC on its own.
    expect(result.recommendation).toBe('coordinate');
  });

  it('does not flag a v2 Environmental score at the threshold, or one that was never computed', () => {
    expect(reasonsOf(recommendTriage({ report: aStrongReport().build(), scores: { v2Environmental: 4.0 } }))).toEqual([]);
    expect(reasonsOf(recommendTriage({ report: aStrongReport().build(), scores: { v2Base: 1.0, v3Base: 2.0, v4: 1.5 } }))).toEqual([]);
  });

  it('takes the v2 Environmental threshold from the policy', () => {
    const result = recommendTriage({
      report: aStrongReport().build(),
      scores: { v2Environmental: 4.5 },
      policy: { v2EnvironmentalThreshold: 5 },
    });

    expect(result.suggestedReasons).toEqual([
      { reason: 'low-cvss-v2-environmental', evidence: 'CVSS v2 Environmental score 4.5 is below the policy threshold 5.0' },
    ]);
  });

  it('suggests declining for lack of evidence when there is neither a proof of concept nor a patch', () => {
    const result = recommendTriage({ report: aReport().withoutEvidence().build(), scores: {} });

    expect(result.suggestedReasons).toContainEqual({
      reason: 'insufficient-evidence',
      evidence: 'no proof of concept and no patch: report.evidence.proofOfConcept and .patch are empty',
    });
  });

  it('accepts a proposed patch as evidence', () => {
    expect(reasonsOf(recommendTriage({ report: aReport().withPatch().build(), scores: {} }))).not.toContain('insufficient-evidence');
  });

  it('never suggests lack of resources, which only a coordinator can judge, yet knows it as a reason', () => {
    const weakest = aReport().withoutEvidence().cveIdOnly().withoutVersion().build();

    expect(reasonsOf(recommendTriage({ report: weakest, scores: { v2Environmental: 0 } }))).not.toContain('resources');
    expect(DECLINE_REASONS).toContain('resources');
    expect(DECLINE_REASON_TEXT.resources.guidance).toContain('not a reflection on you');
  });

  it("lists the reasons in the seeds' order", () => {
    const result = recommendTriage({ report: aReport().withoutEvidence().cveIdOnly().build(), scores: { v2Environmental: 1.9 } });

    expect(reasonsOf(result)).toEqual(['low-cvss-v2-environmental', 'insufficient-evidence', 'cve-id-only']);
  });
});

describe('the recommendation', () => {
  it('coordinates a credible report whose several vendors stayed silent', () => {
    const result = recommendTriage({ report: aStrongReport().build(), scores: {} });

    expect(result.recommendation).toBe('coordinate');
    expect(result.ssvc.table).toEqual({ name: 'Coordinator Triage', version: '1.0.0' });
    expect(result.ssvc.inputs.supplierEngagement.value).toBe('unresponsive');
  });

  it('tracks a credible report whose single vendor went silent when the exploit is laborious', () => {
    const result = recommendTriage({ report: aReport().withPoc().vendorSilent().build(), scores: {} });

    expect(result.recommendation).toBe('track');
  });

  it('declines a report whose reporter has not tried the vendor, as SSVC does', () => {
    const result = recommendTriage({ report: aReport().withPoc().build(), scores: {} });

    expect(result.recommendation).toBe('decline');
    expect(result.ssvc.inputs.supplierContacted.evidence).toBe('no vendor marked contacted');
    expect(result.rationale).toBe('SSVC coordinator triage outcome: decline');
  });

  it("follows the coordinator's overrides: a public multi-vendor issue with a super effective exploit and safety impact is coordinated", () => {
    const report = aReport().alreadyPublic().multipleVendors().build();

    const result = recommendTriage({
      report,
      scores: {},
      ssvcOverrides: { utility: 'super effective', publicSafetyImpact: 'significant' },
    });

    expect(result.recommendation).toBe('coordinate');
    expect(result.ssvc.inputs.utility.source).toBe('coordinator');
    expect(result.ssvc.inputs.publicSafetyImpact.source).toBe('coordinator');
  });

  it('still declines a CVE-ID-only request whatever the overrides make SSVC say', () => {
    const result = recommendTriage({
      report: aStrongReport().cveIdOnly().build(),
      scores: {},
      ssvcOverrides: { utility: 'super effective', publicSafetyImpact: 'significant' },
    });

    expect(result.ssvc.outcome).toBe('coordinate');
    expect(result.recommendation).toBe('decline');
  });
});

describe('asking the reporter for more', () => {
  it('lists what a thin coordination request lacks and suggests asking for it', () => {
    const report = aReport().withoutEvidence().withoutVersion().withoutVendorContactDetails().build();

    const { requestInformation } = recommendTriage({ report, scores: {} });

    expect(requestInformation).toEqual({
      suggested: true,
      missing: ['affected version', 'proof of concept or patch', 'vendor contact details', 'how the vulnerability is exploited'],
    });
  });

  it('asks for nothing when the report is complete', () => {
    expect(recommendTriage({ report: aStrongReport().build(), scores: {} }).requestInformation).toEqual({ suggested: false, missing: [] });
  });

  it('asks for contact details when any named vendor lacks them', () => {
    const report = aStrongReport().andVendor('Globex', {}).build();

    expect(recommendTriage({ report, scores: {} }).requestInformation.missing).toEqual(['vendor contact details']);
  });

  it('does not suggest asking when the request will be declined for its type anyway', () => {
    const { requestInformation } = recommendTriage({ report: aReport().withoutEvidence().cveIdOnly().build(), scores: {} });

    expect(requestInformation.suggested).toBe(false);
    expect(requestInformation.missing).toContain('proof of concept or patch');
  });
});

describe('what a declined reporter is told', () => {
  it('has a title and guidance for every reason', () => {
    for (const reason of DECLINE_REASONS) {
      expect(DECLINE_REASON_TEXT[reason].title).not.toBe('');
      expect(DECLINE_REASON_TEXT[reason].guidance.length).toBeGreaterThan(100);
    }
  });

  it('encourages contacting the vendor and careful self-publication without a weaponised proof of concept', () => {
    expect(AFTER_DECLINE_GUIDANCE).toContain('contact the vendor or maintainer directly');
    expect(AFTER_DECLINE_GUIDANCE).toContain('only enough for users to understand the issue and mitigate attacks');
    expect(AFTER_DECLINE_GUIDANCE).toContain('not a full proof of concept that can be misused');
    expect(AFTER_DECLINE_GUIDANCE).toContain('free to disclose it at any time');
  });

  it("writes one paragraph per distinct reason in the seeds' order, then the common guidance", () => {
    const text = declineGuidance(['cve-id-only', 'low-cvss-v2-environmental', 'cve-id-only']);

    const paragraphs = text.split('\n\n');
    expect(paragraphs).toHaveLength(3);
    expect(paragraphs[0]).toMatch(/^Low CVSS v2 Environmental score\. /);
    expect(paragraphs[1]).toMatch(/^Only a CVE ID is requested\. /);
    expect(paragraphs[2]).toBe(AFTER_DECLINE_GUIDANCE);
  });

  it('still guides the reporter when SSVC declines for no seed reason', () => {
    expect(declineGuidance([])).toBe(AFTER_DECLINE_GUIDANCE);
  });
});
