import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReportInput } from '../../../functions/domain/report.js';
import {
  DECLINE_REASONS,
  deriveTriageInputs,
  PUBLIC_SAFETY_IMPACT,
  recommendTriage,
  REPORT_CREDIBILITY,
  REPORT_PUBLIC,
  SUPPLIER_CARDINALITY,
  SUPPLIER_CONTACTED,
  SUPPLIER_ENGAGEMENT,
  TRIAGE_DECISION_POINTS,
  TRIAGE_OUTCOMES,
  UTILITY,
  type SsvcTriageInputs,
} from '../../../functions/domain/triage/index.js';
import { ReportBuilder } from '../../builders/report.js';

// Free text drawn from words the rules react to, so the generated reports reach every branch.
const phrase = fc
  .array(fc.constantFrom('no reply', 'acknowledged', 'unauthenticated', 'patch soon', 'never responded', 'crash', 'x'.repeat(120)), {
    maxLength: 3,
  })
  .map((words) => words.join(' '));

const vendor = fc.record({
  name: fc.constantFrom('Acme', 'Globex', 'Initech'),
  contactEmail: fc.option(fc.constant('security@vendor.example'), { nil: undefined }),
  contacted: fc.boolean(),
  communication: phrase,
});

const reportInput: fc.Arbitrary<ReportInput> = fc.record({
  reporter: fc.constant({ email: 'ada@researcher.example' }),
  product: fc.record({ name: fc.constant('Widget Server'), version: fc.constantFrom('', '2.4.1') }),
  vendors: fc.array(vendor, { minLength: 1, maxLength: 3 }),
  multipleVendors: fc.boolean(),
  title: fc.constant('A vulnerability'),
  description: fc.constantFrom('Short.', 'y'.repeat(250)),
  exploitation: phrase,
  evidence: fc.record({ proofOfConcept: fc.constantFrom('', 'poc'), patch: fc.constantFrom('', 'diff') }),
  cvss: fc.record({
    v3: fc.option(fc.constantFrom('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N'), {
      nil: undefined,
    }),
  }),
  alreadyPublic: fc.boolean(),
  publicReferences: fc.array(fc.constant('https://blog.example/post'), { maxLength: 1 }),
  exploitedInTheWild: fc.boolean(),
  requestedService: fc.constantFrom('coordination', 'cve-id-only', 'publication-only'),
});

const overrides: fc.Arbitrary<Partial<SsvcTriageInputs>> = fc.record(
  {
    reportPublic: fc.constantFrom(...REPORT_PUBLIC),
    supplierContacted: fc.constantFrom(...SUPPLIER_CONTACTED),
    reportCredibility: fc.constantFrom(...REPORT_CREDIBILITY),
    supplierCardinality: fc.constantFrom(...SUPPLIER_CARDINALITY),
    supplierEngagement: fc.constantFrom(...SUPPLIER_ENGAGEMENT),
    utility: fc.constantFrom(...UTILITY),
    publicSafetyImpact: fc.constantFrom(...PUBLIC_SAFETY_IMPACT),
  },
  { requiredKeys: [] },
);

const scores = fc.record(
  {
    v2Environmental: fc.double({ min: 0, max: 10, noNaN: true }),
    v2Base: fc.double({ min: 0, max: 10, noNaN: true }),
    v3Base: fc.double({ min: 0, max: 10, noNaN: true }),
    v4: fc.double({ min: 0, max: 10, noNaN: true }),
  },
  { requiredKeys: [] },
);

describe('triage, for any report', () => {
  it('recommends decline, track or coordinate, and every suggested reason is a known one with evidence', () => {
    fc.assert(
      fc.property(reportInput, scores, overrides, (input, s, o) => {
        const result = recommendTriage({ report: new ReportBuilder(input).build(), scores: s, ssvcOverrides: o });

        expect(TRIAGE_OUTCOMES).toContain(result.recommendation);
        for (const suggested of result.suggestedReasons) {
          expect(DECLINE_REASONS).toContain(suggested.reason);
          expect(suggested.reason).not.toBe('resources');
          expect(suggested.evidence.trim()).not.toBe('');
        }
      }),
    );
  });

  it('gives every decision point an allowed value, a source and evidence, and lets overrides win', () => {
    fc.assert(
      fc.property(reportInput, overrides, (input, o) => {
        const derived = deriveTriageInputs(new ReportBuilder(input).build(), o);

        for (const point of TRIAGE_DECISION_POINTS) {
          const guess = derived[point.key];
          expect(point.values).toContain(guess.value);
          expect(guess.evidence.trim()).not.toBe('');
          const override = o[point.key];
          if (override !== undefined) expect(guess).toMatchObject({ value: override, source: 'coordinator' });
          else expect(guess.source).not.toBe('coordinator');
        }
      }),
    );
  });

  it('declines every CVE-ID-only or publication-only request, citing it', () => {
    fc.assert(
      fc.property(reportInput, overrides, (input, o) => {
        const result = recommendTriage({ report: new ReportBuilder(input).build(), scores: {}, ssvcOverrides: o });

        if (input.requestedService === 'coordination') expect(result.recommendation).toBe(result.ssvc.outcome);
        else {
          expect(result.recommendation).toBe('decline');
          expect(result.suggestedReasons.map((r) => r.reason)).toContain(input.requestedService);
        }
      }),
    );
  });
});
