// A vendor's own CSAF 2.0 document before publication (docs/domain.md "A vendor's own CSAF
// document"): built for that vendor from its products, its statuses and its statement, never cut
// from the public advisory, so no other vendor, the reporter or an internal note can be in it. The
// vulnerabilities' entries come from the advisory's own builder (csafVulnerability).
import type { CaseState } from '../case.js';
import type { VendorCsafTlp } from '../tlp.js';
import { type CsafDocument, type CsafNote, type CsafReference, ProductTree, csafVulnerability, overviewOf } from './csaf.js';
import { type PublicationOptions, externalReferences, noteTitle, vendorCsafTlpOf, vendorVulnerabilityFacts } from './facts.js';

export interface VendorCsafOptions extends Pick<PublicationOptions, 'publicBaseUrl' | 'coordinatorName'> {
  /** When the document is made, ISO-8601 UTC: its release date. */
  at: string;
}

const TLP_URL = 'https://www.first.org/tlp/';

/**
 * CSAF 2.0 knows only TLP 1.0's labels: AMBER+STRICT goes out as AMBER, its restriction in
 * `distribution.text`, so the document stays valid and says what it means.
 */
export function vendorCsafDistribution(tlp: VendorCsafTlp, vendorName: string): CsafDocument['document']['distribution'] {
  return tlp === 'RED'
    ? {
        tlp: { label: 'RED', url: TLP_URL },
        text: `TLP:RED. For the named recipients at ${vendorName} on this case only; share it with no one else. Not public before the coordinator publishes the note.`,
      }
    : {
        tlp: { label: 'AMBER', url: TLP_URL },
        text: `TLP:AMBER+STRICT. For ${vendorName}'s own organisation only; share it with no one outside it. Not public before the coordinator publishes the note. (CSAF 2.0 names TLP 1.0 labels only, hence the label AMBER.)`,
      };
}

/** The document's tracking id: one per case and vendor. */
export const vendorCsafId = (caseId: string, vendorId: string): string => `${caseId}-${vendorId}`;

export function buildVendorCsaf(s: CaseState, vendorId: string, o: VendorCsafOptions): CsafDocument {
  const me = s.vendors.find((v) => v.vendorId === vendorId);
  if (!me) throw new RangeError(`no vendor ${vendorId} on case ${s.caseId}`);
  const tree = new ProductTree();
  const vulnerabilities = vendorVulnerabilityFacts(s, me).map((facts) =>
    csafVulnerability(tree, facts, {
      flags: s.flags,
      ids: [{ system_name: `${o.coordinatorName} case`, text: `${s.caseId} ${facts.vulnerability.vulnerabilityId}` }],
      noFix: 'No fix has been reported for this product yet.',
      noDescription: 'The coordinators have not described this vulnerability yet.',
    }),
  );
  const statement = me.statement?.trim();
  const notes: CsafNote[] = [
    { category: 'summary', title: 'Overview', text: overviewOf(s) },
    ...(s.report?.impact ? [{ category: 'general' as const, title: 'Impact', text: s.report.impact }] : []),
    ...(statement ? [{ category: 'other' as const, title: `Statement of ${me.name}`, text: statement }] : []),
    {
      category: 'legal_disclaimer',
      title: 'Before publication',
      text:
        `Prepared for ${me.name} by ${o.coordinatorName} before publication: it holds ${me.name}'s part of the case only, ` +
        `as recorded on ${o.at}.${s.embargo.endsAt ? ` The embargo ends at ${s.embargo.endsAt}.` : ''}`,
    },
  ];
  const references = externalReferences(s).map((url): CsafReference => ({ category: 'external', summary: 'Public reference', url }));
  return {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      lang: 'en',
      title: `${s.caseId}: ${noteTitle(s)} (${me.name}, before publication)`,
      publisher: { category: 'coordinator', name: o.coordinatorName, namespace: o.publicBaseUrl.replace(/\/+$/, '') },
      distribution: vendorCsafDistribution(vendorCsafTlpOf(s), me.name),
      tracking: {
        id: vendorCsafId(s.caseId, me.vendorId),
        status: 'interim',
        version: '1',
        initial_release_date: o.at,
        current_release_date: o.at,
        revision_history: [{ date: o.at, number: '1', summary: 'The vendor’s part of the case before publication.' }],
        generator: { engine: { name: 'cvd-coordinator' } },
      },
      notes,
      ...(references.length ? { references } : {}),
    },
    product_tree: { branches: tree.branches() },
    vulnerabilities,
  };
}
