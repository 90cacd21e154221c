// Published cases for the publication tests, driven through the real decide/fold with aCase():
// vendors with statuses and statements, CVE IDs, CWEs, every CVSS version, several vulnerabilities.
import { renderNoteBody } from '../../../functions/domain/note.js';
import type { PublicationOptions } from '../../../functions/domain/publication/index.js';
import type { CaseState, ReportInput } from '../../../functions/domain/index.js';
import { COORDINATOR, SYSTEM, type CaseBuilder, aCase, aReport, vendorActor } from '../../builders/case.js';

export const OPTIONS: Omit<PublicationOptions, 'noteId' | 'publishedAt'> = {
  publicBaseUrl: 'https://cvd.example',
  coordinatorName: 'Example CERT',
  cveOrgId: '9a3c1b5e-2f4d-4a6b-8c7d-0e1f2a3b4c5d',
  cveShortName: 'examplecert',
  osvPrefix: 'CVD',
};

export const optionsFor = (s: CaseState): PublicationOptions => ({
  ...OPTIONS,
  noteId: s.published?.noteId ?? s.caseId,
  publishedAt: s.published?.at ?? '2027-01-01T00:00:00.000Z',
});

/** Drafts the note from the case itself (as the workflow does) and publishes it. */
export function publishWithRenderedNote(b: CaseBuilder): CaseBuilder {
  if (b.state.phase !== 'draft-review') b.inDraftReview();
  b.drafted(renderNoteBody(b.state));
  return b.published(b.caseId);
}

export interface Scenario {
  name: string;
  build: () => CaseState;
}

/** One vendor, affected, fix ready with a statement; CVE from the pool; v2 (with environmental), v3.1, v4. */
export function singleVendorFixed(report: Partial<ReportInput> = {}, statement = 'We fixed this in 4.2.2. Upgrade now.'): CaseBuilder {
  const b = aCase('VU#100001')
    .submitted(
      aReport({
        cvss: {
          v2: 'AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M',
          v3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
          v4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
        },
        publicReferences: ['https://acme.example/advisories/2026-1'],
        ...report,
      }),
    )
    .accepted()
    .contacted()
    .embargoed();
  b.run({ type: 'update-vulnerability', vulnerabilityId: 'vul-1', changes: { cwe: 'CWE-22' } }, COORDINATOR);
  b.run(
    { type: 'update-vendor-status', statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }], fixReady: true, statement },
    vendorActor('vendor-1'),
  );
  b.inDraftReview();
  b.run({ type: 'assign-cve', vulnerabilityId: 'vul-1', cveId: 'CVE-2026-10001', source: 'pool' }, SYSTEM);
  return publishWithRenderedNote(b);
}

/** Three vendors (affected without fix, not affected, silent), two vulnerabilities, version ranges, an anonymous reporter. */
export function multiVendor(): CaseBuilder {
  const b = aCase('VU#100002')
    .submitted(
      aReport({
        reporter: { name: 'Eve', email: 'eve@example.org', credit: 'anonymous' },
        cvss: { v3: 'CVSS:3.0/AV:N/AC:H/PR:L/UI:R/S:C/C:L/I:L/A:N' },
      }),
    )
    .accepted()
    .withVendors({ name: 'Globex' }, { name: 'Initech', isCna: true })
    .contacted()
    .embargoed();
  b.run(
    {
      type: 'add-vulnerability',
      vulnerability: {
        title: 'Stored XSS in the admin console',
        description: 'The admin console renders product names without escaping.',
        cwe: 'CWE-79',
        cvss: { v4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:L/VI:L/VA:N/SC:L/SI:L/SA:N/E:P' },
        affected: [
          {
            vendor: 'Acme',
            product: 'Widget Server',
            versions: [
              { version: '4.0', status: 'affected', lessThan: '4.2.2' },
              { version: '4.2.2', status: 'unaffected' },
            ],
          },
          { vendor: 'Globex', product: 'Gizmo', versions: [{ version: '2.x and earlier', status: 'affected' }] },
          { vendor: 'Initech', product: 'TPS', versions: [] },
        ],
      },
    },
    COORDINATOR,
  );
  b.run(
    {
      type: 'update-vendor-status',
      statuses: [
        { vulnerabilityId: 'vul-1', status: 'affected' },
        { vulnerabilityId: 'vul-2', status: 'affected' },
      ],
    },
    vendorActor('vendor-1'),
  );
  b.run(
    {
      type: 'update-vendor-status',
      statuses: [{ vulnerabilityId: 'vul-2', status: 'not-affected' }],
      statement: 'Gizmo does not use the console.',
    },
    vendorActor('vendor-2'),
  );
  // Initech, a CNA, proposes its own ID; a coordinator accepts it.
  b.run(
    {
      type: 'update-vendor-status',
      statuses: [{ vulnerabilityId: 'vul-2', status: 'affected' }],
      cveIds: [{ vulnerabilityId: 'vul-2', cveId: 'CVE-2026-20002' }],
    },
    vendorActor('vendor-3'),
  );
  b.run({ type: 'set-cve', vulnerabilityId: 'vul-2', acceptProposalFrom: 'vendor-3' }, COORDINATOR);
  b.inDraftReview();
  b.run({ type: 'assign-cve', vulnerabilityId: 'vul-1', cveId: 'CVE-2026-10002', source: 'pool' }, SYSTEM);
  b.run({ type: 'raise-signal', kind: 'exploit-public', evidence: 'https://exploit.example/poc' }, COORDINATOR);
  return publishWithRenderedNote(b);
}

/** A vulnerability without a CVE ID (manual mode), an unknown CWE, no vectors. */
export function noCveYet(): CaseBuilder {
  const b = aCase('VU#100003')
    .submitted(aReport({ cvss: {} }))
    .accepted()
    .contacted()
    .embargoed();
  b.run({ type: 'update-vulnerability', vulnerabilityId: 'vul-1', changes: { cwe: 'CWE-99999 Something new' } }, COORDINATOR);
  return publishWithRenderedNote(b);
}

export const SCENARIOS: Scenario[] = [
  { name: 'one vendor with a fix, CVE from the pool, CVSS v2/v3.1/v4', build: () => singleVendorFixed().state },
  { name: 'three vendors, two vulnerabilities, version ranges, anonymous reporter, public exploit', build: () => multiVendor().state },
  { name: 'no CVE ID yet, an unlisted CWE and no vectors', build: () => noCveYet().state },
];
