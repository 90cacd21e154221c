// Intake and triage: the report, registration, the pre-screen, the coordinator's decision and the
// information request.
import type { CaseEvent, AffectedProduct, VulnerabilityFields } from '../events.js';
import type { Report } from '../report.js';
import { termsAgreementOf } from '../terms.js';
import type { Decisions } from '../command.js';
import { addDays, ms } from '../time.js';
import { conflict, invalid, notFound } from './guards.js';

/** The case's first vulnerability, taken from the report on acceptance. */
function vulnerabilityFromReport(r: Report): VulnerabilityFields {
  const affected: AffectedProduct[] = r.vendors.map((v) => ({
    vendor: v.name,
    product: r.product.name,
    versions: r.product.version ? [{ version: r.product.version, status: 'affected' }] : [],
  }));
  const description = [r.description, r.impact ? `Impact: ${r.impact}` : ''].filter(Boolean).join('\n\n');
  return { title: r.title, description, cvss: { ...r.cvss }, affected };
}

export const intakeDecisions: Decisions<
  'submit-report' | 'register' | 'record-prescreen' | 'decide-triage' | 'request-information' | 'close-as-invalid' | 'escalate-triage'
> = {
  'submit-report': (s, c, { base }) => {
    if (s.version !== 0) throw conflict(s, 'this case already has a report', []);
    // The version is the server's, never the client's: a reporter can only say yes.
    return [
      {
        ...base,
        type: 'report-submitted',
        caseId: c.caseId,
        report: c.report,
        terms: termsAgreementOf(c.report.acceptsTerms),
        ...(c.via ? { via: c.via } : {}),
      },
    ];
  },

  register: (s, _c, { base }) => {
    if (s.version === 0) throw notFound('no such case');
    if (s.registeredAt) return []; // idempotent: a retried step does nothing
    return [{ ...base, type: 'case-registered' }];
  },

  'record-prescreen': (_s, c, { base }) => [
    { ...base, type: 'case-prescreened', scores: c.scores, scoreErrors: c.scoreErrors, triage: c.triage },
  ],

  'decide-triage': (s, c, { base }) => {
    if (s.triage.decision && s.triage.decision.decision !== 'request-info')
      throw conflict(s, `triage was already decided (${s.triage.decision.decision})`);
    const reasons = [...new Set(c.reasons ?? [])];
    const comment = (c.comment ?? '').trim();
    if (c.decision === 'decline' && reasons.length === 0) throw invalid('declining needs at least one reason');
    if (c.decision !== 'decline' && reasons.length > 0) throw invalid('reasons are given only when declining');
    const rec = s.prescreen?.triage.recommendation;
    const overrides =
      rec !== undefined && ((c.decision === 'decline' && rec !== 'decline') || (c.decision === 'accept' && rec === 'decline'));
    // The system recommends; a coordinator may override, with a reason.
    if (overrides && comment === '') throw invalid(`the recommendation was "${rec}"; overriding it needs a comment saying why`);
    const events: CaseEvent[] = [
      { ...base, type: 'triage-decided', decision: c.decision, reasons, comment, overridesRecommendation: overrides },
    ];
    if (c.decision === 'accept' && s.report) {
      if (s.vulnerabilities.length === 0)
        events.push({ ...base, type: 'vulnerability-added', vulnerabilityId: 'vul-1', ...vulnerabilityFromReport(s.report) });
      const known = new Set(s.vendors.map((v) => v.name.toLowerCase()));
      let n = s.vendors.length;
      for (const v of s.report.vendors) {
        if (known.has(v.name.toLowerCase())) continue;
        known.add(v.name.toLowerCase());
        // The reporter's address for a vendor is a suggestion: a reporter could name their own
        // address and so hold the vendor's link. No link goes out until a coordinator confirms one.
        events.push({
          ...base,
          type: 'vendor-added',
          vendorId: `vendor-${++n}`,
          name: v.name,
          contacts: [],
          ...(v.contactEmail ? { suggestedContacts: [v.contactEmail] } : {}),
          isCna: false,
          downstream: false,
        });
      }
    }
    return events;
  },

  'request-information': (s, c, { base, now, policy }) => {
    if (s.triage.decision?.decision !== 'request-info') throw conflict(s, 'information is requested only after a request-info decision');
    const pending = s.triage.infoRequest;
    if (pending && pending.answeredAt === null && ms(pending.requestedAt) >= ms(s.triage.decision.at)) return [];
    return [{ ...base, type: 'information-requested', dueAt: addDays(now, policy.informationRequestDays), questions: c.questions }];
  },

  'close-as-invalid': (s, _c, { base, now }) => {
    const info = s.triage.infoRequest;
    if (!info || info.answeredAt !== null || ms(info.dueAt) > ms(now)) throw conflict(s, 'the information request is not overdue');
    return [
      { ...base, type: 'case-closed', closure: 'invalid', reason: 'the reporter did not answer the request for information in time' },
    ];
  },

  'escalate-triage': (s, _c, { base }) =>
    s.triage.decision ? [] : [{ ...base, type: 'escalated', kind: 'triage', count: s.triage.escalations + 1 }],
};
