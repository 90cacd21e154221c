import { describe, expect, it } from 'vitest';
import {
  COORDINATOR_PUBLISH_ROWS,
  COORDINATOR_TRIAGE_ROWS,
  EXPLOITATION,
  lookupPublishOutcome,
  lookupTriageOutcome,
  PUBLIC_SAFETY_IMPACT,
  PUBLIC_VALUE_ADDED,
  publishRowInputs,
  REPORT_CREDIBILITY,
  REPORT_PUBLIC,
  SUPPLIER_CARDINALITY,
  SUPPLIER_CONTACTED,
  SUPPLIER_ENGAGEMENT,
  SUPPLIER_INVOLVEMENT,
  triageRowInputs,
  UTILITY,
  type SsvcPublishInputs,
  type SsvcTriageInputs,
} from '../../../functions/domain/triage/index.js';

function allTriageCombinations(): SsvcTriageInputs[] {
  const all: SsvcTriageInputs[] = [];
  for (const reportPublic of REPORT_PUBLIC)
    for (const supplierContacted of SUPPLIER_CONTACTED)
      for (const reportCredibility of REPORT_CREDIBILITY)
        for (const supplierCardinality of SUPPLIER_CARDINALITY)
          for (const supplierEngagement of SUPPLIER_ENGAGEMENT)
            for (const utility of UTILITY)
              for (const publicSafetyImpact of PUBLIC_SAFETY_IMPACT)
                all.push({
                  reportPublic,
                  supplierContacted,
                  reportCredibility,
                  supplierCardinality,
                  supplierEngagement,
                  utility,
                  publicSafetyImpact,
                });
  return all;
}

function allPublishCombinations(): SsvcPublishInputs[] {
  const all: SsvcPublishInputs[] = [];
  for (const supplierInvolvement of SUPPLIER_INVOLVEMENT)
    for (const exploitation of EXPLOITATION)
      for (const publicValueAdded of PUBLIC_VALUE_ADDED) all.push({ supplierInvolvement, exploitation, publicValueAdded });
  return all;
}

const key = (o: object): string => Object.values(o).join('|');

describe('SSVC coordinator triage table', () => {
  it('has exactly one row for each of the 192 combinations of the seven decision points', () => {
    const combinations = allTriageCombinations();
    const rowKeys = COORDINATOR_TRIAGE_ROWS.map((row) => key(triageRowInputs(row)));

    expect(combinations).toHaveLength(192);
    expect(new Set(rowKeys).size).toBe(192);
    expect(new Set(rowKeys)).toEqual(new Set(combinations.map(key)));
    for (const inputs of combinations) expect(() => lookupTriageOutcome(inputs)).not.toThrow();
  });

  it('gives back the outcome of every CSV row', () => {
    for (const row of COORDINATOR_TRIAGE_ROWS) expect(lookupTriageOutcome(triageRowInputs(row))).toBe(row[7]);
  });

  it('declines a public, uncontacted, not credible report about one vendor (CSV row 0)', () => {
    expect(
      lookupTriageOutcome({
        reportPublic: 'yes',
        supplierContacted: 'no',
        reportCredibility: 'not credible',
        supplierCardinality: 'one',
        supplierEngagement: 'active',
        utility: 'laborious',
        publicSafetyImpact: 'minimal',
      }),
    ).toBe('decline');
  });

  it('coordinates a credible private report about several unresponsive vendors with a super effective exploit (CSV row 10)', () => {
    expect(
      lookupTriageOutcome({
        reportPublic: 'no',
        supplierContacted: 'yes',
        reportCredibility: 'credible',
        supplierCardinality: 'multiple',
        supplierEngagement: 'unresponsive',
        utility: 'super effective',
        publicSafetyImpact: 'minimal',
      }),
    ).toBe('coordinate');
  });

  it('tracks a credible report whose single vendor went silent when the exploit is laborious (CSV row 72)', () => {
    expect(
      lookupTriageOutcome({
        reportPublic: 'no',
        supplierContacted: 'yes',
        reportCredibility: 'credible',
        supplierCardinality: 'one',
        supplierEngagement: 'unresponsive',
        utility: 'laborious',
        publicSafetyImpact: 'minimal',
      }),
    ).toBe('track');
  });

  it('still coordinates a public, uncontacted report when several vendors, a super effective exploit and public safety are at stake (CSV row 119)', () => {
    expect(
      lookupTriageOutcome({
        reportPublic: 'yes',
        supplierContacted: 'no',
        reportCredibility: 'not credible',
        supplierCardinality: 'multiple',
        supplierEngagement: 'active',
        utility: 'super effective',
        publicSafetyImpact: 'significant',
      }),
    ).toBe('coordinate');
  });

  it("declines every public or uncontacted report outside that exception (the table's gate)", () => {
    const gated = allTriageCombinations().filter((i) => i.reportPublic === 'yes' || i.supplierContacted === 'no');
    const exception = (i: SsvcTriageInputs): boolean =>
      i.supplierCardinality === 'multiple' && i.utility === 'super effective' && i.publicSafetyImpact === 'significant';

    expect(gated).toHaveLength(144);
    for (const inputs of gated) expect(lookupTriageOutcome(inputs)).toBe(exception(inputs) ? 'coordinate' : 'decline');
  });

  it('counts 150 declines, 15 tracks and 27 coordinates, as published', () => {
    const count = (outcome: string): number => COORDINATOR_TRIAGE_ROWS.filter((row) => row[7] === outcome).length;

    expect([count('decline'), count('track'), count('coordinate')]).toEqual([150, 15, 27]);
  });

  it('refuses inputs outside the vocabulary instead of guessing', () => {
    const bogus = { ...triageRowInputs(COORDINATOR_TRIAGE_ROWS[0]!), utility: 'handy' } as unknown as SsvcTriageInputs;

    expect(() => lookupTriageOutcome(bogus)).toThrow(/no SSVC coordinator triage row/);
  });
});

describe('SSVC coordinator publication table', () => {
  it('has exactly one row for each of the 27 combinations', () => {
    const rowKeys = COORDINATOR_PUBLISH_ROWS.map((row) => key(publishRowInputs(row)));

    expect(new Set(rowKeys)).toEqual(new Set(allPublishCombinations().map(key)));
    expect(rowKeys).toHaveLength(27);
    for (const row of COORDINATOR_PUBLISH_ROWS) expect(lookupPublishOutcome(publishRowInputs(row))).toBe(row[3]);
  });

  it('publishes when the note would be the first public information, even with a fix ready and no exploitation (CSV row 9)', () => {
    expect(lookupPublishOutcome({ supplierInvolvement: 'fix ready', exploitation: 'none', publicValueAdded: 'precedence' })).toBe(
      'publish',
    );
  });

  it('does not publish a note that adds little to good existing information (CSV row 4)', () => {
    expect(
      lookupPublishOutcome({ supplierInvolvement: 'uncooperative/unresponsive', exploitation: 'none', publicValueAdded: 'limited' }),
    ).toBe('do not publish');
  });

  it('publishes even limited added value when the vendor is unresponsive and attacks are active (CSV row 17)', () => {
    expect(
      lookupPublishOutcome({ supplierInvolvement: 'uncooperative/unresponsive', exploitation: 'active', publicValueAdded: 'limited' }),
    ).toBe('publish');
  });

  it('publishes an ampliative note about an unresponsive vendor with a public proof of concept, but not a cooperative one (CSV rows 18 and 13)', () => {
    expect(
      lookupPublishOutcome({
        supplierInvolvement: 'uncooperative/unresponsive',
        exploitation: 'public poc',
        publicValueAdded: 'ampliative',
      }),
    ).toBe('publish');
    expect(lookupPublishOutcome({ supplierInvolvement: 'cooperative', exploitation: 'public poc', publicValueAdded: 'ampliative' })).toBe(
      'do not publish',
    );
  });
});
