import { describe, expect, it } from 'vitest';
import { deriveTriageInputs, triageInputValues } from '../../../functions/domain/triage/index.js';
import { aReport } from '../../builders/report.js';

const LONG_DESCRIPTION =
  'The request parser in Widget Server copies the Content-Length header into a fixed 64-byte stack buffer without ' +
  'checking its length. A header longer than the buffer overwrites the saved return address, and the server crashes ' +
  'or runs attacker-chosen code with the privileges of the widget user.';

describe('guessing Report Public', () => {
  it('says public when the reporter says it is already public', () => {
    const { reportPublic } = deriveTriageInputs(aReport().alreadyPublic().build());

    expect(reportPublic).toEqual({ value: 'yes', source: 'report', evidence: 'report.alreadyPublic = true' });
  });

  it('says public when the reporter lists public references, and names one', () => {
    const { reportPublic } = deriveTriageInputs(aReport().withPublicReference('https://blog.example/post').build());

    expect(reportPublic.value).toBe('yes');
    expect(reportPublic.evidence).toContain('report.publicReferences lists 1 URL');
    expect(reportPublic.evidence).toContain('https://blog.example/post');
  });

  it('says public when an exploit is public, since a public exploit discloses the details', () => {
    const { reportPublic } = deriveTriageInputs(aReport().withExploitReference().build());

    expect(reportPublic.value).toBe('yes');
    expect(reportPublic.evidence).toContain('report.exploitReferences');
  });

  it('says not public when nothing points to public material', () => {
    expect(deriveTriageInputs(aReport().build()).reportPublic.value).toBe('no');
  });
});

describe('guessing Supplier Contacted', () => {
  it('says contacted when a vendor is marked contacted, naming it and the date', () => {
    const { supplierContacted } = deriveTriageInputs(aReport().vendorContacted().build());

    expect(supplierContacted.value).toBe('yes');
    expect(supplierContacted.evidence).toBe('vendor "Acme" marked contacted (first contact 2026-03-01T09:00:00Z)');
  });

  it('says not contacted when no vendor is marked contacted', () => {
    expect(deriveTriageInputs(aReport().build()).supplierContacted).toEqual({
      value: 'no',
      source: 'report',
      evidence: 'no vendor marked contacted',
    });
  });
});

describe('guessing Report Credibility', () => {
  it('finds a report with a proof of concept credible', () => {
    const { reportCredibility } = deriveTriageInputs(aReport().withPoc().build());

    expect(reportCredibility).toEqual({ value: 'credible', source: 'report', evidence: 'report.evidence.proofOfConcept is given' });
  });

  it('finds a report with a proposed patch credible', () => {
    expect(deriveTriageInputs(aReport().withPatch().build()).reportCredibility.evidence).toBe('report.evidence.patch is given');
  });

  it('finds a substantive description that explains exploitation credible without a proof of concept', () => {
    const report = aReport().withDescription(LONG_DESCRIPTION).withExploitation('Send one request with a 200-byte header.').build();

    const { reportCredibility } = deriveTriageInputs(report);

    expect(reportCredibility.value).toBe('credible');
    expect(reportCredibility.evidence).toContain('description is substantive');
  });

  it('finds a long description that never says how it is exploited not credible', () => {
    const { reportCredibility } = deriveTriageInputs(aReport().withDescription(LONG_DESCRIPTION).build());

    expect(reportCredibility.value).toBe('not credible');
    expect(reportCredibility.evidence).toBe('no proof of concept, no patch, and report.exploitation is empty');
  });

  it('finds a one-line report not credible and says what it lacks', () => {
    const { reportCredibility } = deriveTriageInputs(aReport().withExploitation('Send a long header.').build());

    expect(reportCredibility.value).toBe('not credible');
    expect(reportCredibility.evidence).toMatch(/the description has \d+ characters \(fewer than 200\)/);
  });

  it('lets the policy set what counts as a substantive description', () => {
    const report = aReport().withExploitation('Send a long header.').build();

    expect(deriveTriageInputs(report, {}, { substantiveDescriptionMinChars: 20 }).reportCredibility.value).toBe('credible');
  });
});

describe('guessing Supplier Cardinality', () => {
  it('says multiple when the reporter ticks "several vendors affected"', () => {
    expect(deriveTriageInputs(aReport().multipleVendors().build()).supplierCardinality).toEqual({
      value: 'multiple',
      source: 'report',
      evidence: 'report.multipleVendors = true',
    });
  });

  it('says multiple when the report names more than one vendor', () => {
    const { supplierCardinality } = deriveTriageInputs(aReport().andVendor('Globex').build());

    expect(supplierCardinality.value).toBe('multiple');
    expect(supplierCardinality.evidence).toBe('report names 2 vendors');
  });

  it('says one for a single vendor', () => {
    expect(deriveTriageInputs(aReport().build()).supplierCardinality.value).toBe('one');
  });
});

describe('guessing Supplier Engagement', () => {
  it('calls a contacted vendor that never replied unresponsive, quoting the words that say so', () => {
    const { supplierEngagement } = deriveTriageInputs(aReport().vendorSilent().build());

    expect(supplierEngagement).toEqual({
      value: 'unresponsive',
      source: 'report',
      evidence: 'vendor "Acme" was contacted and its communication says "no reply"',
    });
  });

  it.each(['They never responded.', 'Mail bounced.', 'Vendor has not replied after three weeks.', "They didn't answer"])(
    'reads "%s" as silence',
    (communication) => {
      expect(deriveTriageInputs(aReport().vendorContacted(communication).build()).supplierEngagement.value).toBe('unresponsive');
    },
  );

  it('calls a vendor that acknowledged the report active', () => {
    const { supplierEngagement } = deriveTriageInputs(aReport().vendorContacted().build());

    expect(supplierEngagement.value).toBe('active');
    expect(supplierEngagement.source).toBe('default');
  });

  it('defaults to active when no vendor was contacted, since there is nothing to judge', () => {
    expect(deriveTriageInputs(aReport().build()).supplierEngagement).toEqual({
      value: 'active',
      source: 'default',
      evidence: 'no vendor marked contacted, so no engagement to judge; default active',
    });
  });
});

describe('guessing Utility', () => {
  it('defaults to laborious when nothing suggests automation', () => {
    const { utility } = deriveTriageInputs(aReport().build());

    expect(utility.value).toBe('laborious');
    expect(utility.source).toBe('default');
  });

  it('rates an exploit seen in the wild efficient', () => {
    const { utility } = deriveTriageInputs(aReport().exploitedInTheWild().build());

    expect(utility.value).toBe('efficient');
    expect(utility.evidence).toContain('report.exploitedInTheWild = true');
  });

  it('rates an unauthenticated network exploit without user interaction efficient, from the CVSS v3.1 vector', () => {
    const report = aReport().withCvss({ v3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }).build();

    const { utility } = deriveTriageInputs(report);

    expect(utility.value).toBe('efficient');
    expect(utility.evidence).toContain('report.cvss.v3 has AV:N/AC:L/PR:N/UI:N');
  });

  it('does not read automation into a vector that needs user interaction', () => {
    const report = aReport().withCvss({ v3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' }).build();

    expect(deriveTriageInputs(report).utility.value).toBe('laborious');
  });

  it('reads automation from the CVSS v4.0 and v2 vectors too', () => {
    const v4 = aReport().withCvss({ v4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }).build();
    const v2 = aReport().withCvss({ v2: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }).build();

    expect(deriveTriageInputs(v4).utility.value).toBe('efficient');
    expect(deriveTriageInputs(v2).utility.value).toBe('efficient');
  });

  it('reads automation from how the reporter says it is exploited', () => {
    const { utility } = deriveTriageInputs(aReport().withExploitation('One unauthenticated packet is enough.').build());

    expect(utility.value).toBe('efficient');
    expect(utility.evidence).toContain('report.exploitation says "unauthenticated"');
  });

  it('never guesses super effective, which needs a coordinator to judge the targets', () => {
    const report = aReport()
      .exploitedInTheWild()
      .withCvss({ v3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' })
      .withExploitation('mass exploitation observed')
      .build();

    expect(deriveTriageInputs(report).utility.value).toBe('efficient');
  });
});

describe('guessing Public Safety Impact', () => {
  it('defaults to minimal, because a reporter cannot tell us', () => {
    expect(deriveTriageInputs(aReport().build()).publicSafetyImpact).toMatchObject({ value: 'minimal', source: 'default' });
  });
});

describe('coordinator overrides', () => {
  it("win over the guesses and are marked as the coordinator's, keeping the guess for review", () => {
    const report = aReport().build();

    const derived = deriveTriageInputs(report, { supplierContacted: 'yes', publicSafetyImpact: 'significant' });

    expect(derived.supplierContacted).toEqual({
      value: 'yes',
      source: 'coordinator',
      evidence: 'set by the coordinator (the system guessed "no": no vendor marked contacted)',
    });
    expect(derived.publicSafetyImpact.value).toBe('significant');
    expect(derived.publicSafetyImpact.source).toBe('coordinator');
    expect(derived.reportPublic.source).toBe('report');
  });

  it("are marked as the coordinator's even when they agree with the guess", () => {
    expect(deriveTriageInputs(aReport().build(), { reportPublic: 'no' }).reportPublic.source).toBe('coordinator');
  });

  it('leave the bare values ready for the table lookup', () => {
    const derived = deriveTriageInputs(aReport().withPoc().vendorSilent().build(), { utility: 'super effective' });

    expect(triageInputValues(derived)).toEqual({
      reportPublic: 'no',
      supplierContacted: 'yes',
      reportCredibility: 'credible',
      supplierCardinality: 'one',
      supplierEngagement: 'unresponsive',
      utility: 'super effective',
      publicSafetyImpact: 'minimal',
    });
  });
});
