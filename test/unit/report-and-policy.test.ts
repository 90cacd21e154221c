import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, defaultEmbargoEnd, loadPolicy, parseReport } from '../../functions/domain/index.js';
import { aReportInput } from '../builders/case.js';

describe('the report schema', () => {
  it('fills the defaults a reporter would expect', () => {
    const r = parseReport({
      reporter: { email: 'a@b.org' },
      product: { name: 'W' },
      vendors: [{ name: 'Acme' }],
      title: 't',
      description: 'd',
      requestedService: 'cve-id-only',
    });
    expect(r.ok && r.value).toMatchObject({
      reporter: { credit: 'named', shareContactWithVendors: false },
      alreadyPublic: false,
      disclosurePlans: { intendsToDisclose: false, date: null },
    });
  });

  it('lists every invalid field with a clear message', () => {
    const r = parseReport({
      reporter: { email: 'nope', credit: 'loud' },
      product: {},
      vendors: [],
      title: '',
      requestedService: 'fame',
      publicReferences: ['javascript:alert(1)'],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.fromEntries(r.errors.map((e) => [e.path, e.message]))).toEqual({
      'reporter.email': 'reporter.email must be an e-mail address',
      'reporter.credit': 'reporter.credit must be "named" or "anonymous"',
      'product.name': 'product.name is required',
      vendors: 'name at least one vendor',
      title: 'title is required',
      description: 'description is required',
      'publicReferences.0': 'a reference must be an http(s) URL',
      requestedService: 'requestedService must be one of coordination, cve-id-only, publication-only',
    });
  });

  it('rejects wrong types and oversized text', () => {
    const r = parseReport({ ...aReportInput(), alreadyPublic: 'yes', evidence: { proofOfConcept: 'x'.repeat(64 * 1024 + 1) } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual(['evidence.proofOfConcept', 'alreadyPublic']);
  });

  it('keeps script text as plain data (escaping is the renderer’s job) and trims it', () => {
    const r = parseReport({ ...aReportInput(), title: '  <script>alert(1)</script>  ' });
    expect(r.ok && r.value.title).toBe('<script>alert(1)</script>');
  });
});

describe('the policy', () => {
  it('defaults to the CERT/CC numbers', () => {
    expect(DEFAULT_POLICY).toMatchObject({
      embargoDays: 45,
      embargoHourUtc: 12,
      triageSlaHours: 48,
      reminderDays: 7,
      unresponsiveDays: 14,
      draftLeadDays: 14,
    });
  });
  it('reads overrides from the environment and refuses nonsense', () => {
    expect(loadPolicy({ EMBARGO_DAYS: '90', TRIAGE_SLA_HOURS: '24' })).toMatchObject({ embargoDays: 90, triageSlaHours: 24 });
    expect(() => loadPolicy({ EMBARGO_DAYS: 'soon' })).toThrow(/EMBARGO_DAYS must be a non-negative number/);
    expect(() => loadPolicy({ EMBARGO_HOUR_UTC: '25' })).toThrow(/0..23/);
  });
  it('computes the default embargo end across a month and a year boundary', () => {
    expect(defaultEmbargoEnd('2026-12-20T23:59:00Z', DEFAULT_POLICY)).toBe('2027-02-03T12:00:00.000Z');
    expect(defaultEmbargoEnd('2026-11-01T09:00:00Z', { ...DEFAULT_POLICY, embargoDays: 30, embargoHourUtc: 0 })).toBe(
      '2026-12-01T00:00:00.000Z',
    );
  });
});
