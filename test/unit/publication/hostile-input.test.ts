// Hostile input in every text field a reporter, vendor or coordinator controls must never reach
// the published HTML as markup; the machine-readable documents must stay valid with it.
import { describe, expect, it } from 'vitest';
import { buildDocuments } from '../../../functions/domain/publication/index.js';
import { COORDINATOR, SYSTEM, aCase, aReport, vendorActor } from '../../builders/case.js';
import { expectSafeHtml } from './html-safety.js';
import { OPTIONS, optionsFor, publishWithRenderedNote } from './published-cases.js';
import { validateCsaf, validateCveContainer, validateOsv } from './validators.js';

const EVIL = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '[click](javascript:alert(3))',
  '<a href="javascript:alert(4)">a</a>',
  '"><svg onload=alert(5)>',
  "' onmouseover='alert(6)",
  '<https://ok.example/" onclick="alert(7)>',
  '![x](data:text/html;base64,PHNjcmlwdD4=)',
  '`</code><script>alert(8)</script>`',
].join(' ');
const evil = (label: string) => `${label} ${EVIL}`;
/** Report fields of at most 200 characters get as much of the payload as fits. */
const short = (label: string) => evil(label).slice(0, 200);

function hostileCase() {
  const b = aCase('VU#666')
    .submitted(
      aReport({
        reporter: { name: short('name'), email: 'evil@example.org', organization: short('org'), credit: 'named', pgpKey: evil('pgp') },
        product: { name: short('product'), version: short('version') },
        vendors: [{ name: short('vendor'), contactEmail: 'psirt@evil.example', contacted: true, communication: evil('communication') }],
        title: short('title'),
        description: evil('description'),
        exploitation: evil('exploitation'),
        impact: evil('impact'),
        discovery: evil('discovery'),
        evidence: { proofOfConcept: evil('poc'), patch: evil('patch') },
        publicReferences: ['https://ref.example/a"b\'c<d>e?x=<script>'],
        privateComments: evil('private'),
      }),
    )
    .accepted()
    .withVendors({ name: short('second vendor') })
    .contacted()
    .embargoed();
  b.run(
    {
      type: 'add-vulnerability',
      vulnerability: {
        title: evil('vuln title'),
        description: evil('vuln description'),
        cwe: evil('CWE-79'),
        cvss: { v3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        affected: [
          {
            vendor: evil('affected vendor'),
            product: evil('affected product'),
            versions: [{ version: evil('v'), status: 'affected', lessThan: evil('lt') }],
          },
        ],
      },
    },
    COORDINATOR,
  );
  b.run(
    {
      type: 'update-vendor-status',
      statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }],
      fixReady: true,
      statement: `${evil('statement')}\n${evil('line 2')}\n\n# ${evil('heading')}`,
    },
    vendorActor('vendor-1'),
  );
  b.run(
    { type: 'update-vendor-status', statuses: [{ vulnerabilityId: 'vul-2', status: 'not-affected' }], statement: evil('other statement') },
    vendorActor('vendor-2'),
  );
  b.inDraftReview();
  b.run({ type: 'assign-cve', vulnerabilityId: 'vul-1', cveId: 'CVE-2026-6666', source: 'pool' }, SYSTEM);
  b.run({ type: 'assign-cve', vulnerabilityId: 'vul-2', cveId: 'CVE-2026-6667', source: 'pool' }, SYSTEM);
  return b;
}

describe('hostile input in every text field', () => {
  it('never reaches the note page as markup when the note is rendered from the case', () => {
    const s = publishWithRenderedNote(hostileCase()).state;
    const docs = buildDocuments(s, optionsFor(s));

    expectSafeHtml(docs.html);
    expect(docs.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(docs.html).not.toContain('href="javascript');
  });

  it('never reaches the page as markup when a coordinator writes the draft with raw HTML and script links', () => {
    const b = hostileCase();
    b.drafted(
      `# ${EVIL}\n\n${EVIL}\n\n> ${EVIL}\n\n- ${EVIL}\n\n| ${EVIL} | x |\n|---|---|\n| ${EVIL} | y |\n\n<div onclick="x">raw</div>\n\n[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](data:x)`,
    );
    const s = b.published('VU#666').state;
    const docs = buildDocuments(s, { ...optionsFor(s), coordinatorName: evil('coordinator') });

    expectSafeHtml(docs.html);
  });

  it('keeps every document valid: CSAF (BSI validator and OASIS schema), CVE 5.1.1, OSV', async () => {
    const s = publishWithRenderedNote(hostileCase()).state;
    const docs = buildDocuments(s, { ...OPTIONS, noteId: 'VU#666', publishedAt: s.published?.at ?? '' });

    expect((await validateCsaf(docs.csaf)).errors).toEqual([]);
    expect(docs.cveRecords).toHaveLength(2);
    for (const r of docs.cveRecords) expect(validateCveContainer(r.cnaContainer).errors).toEqual([]);
    for (const r of docs.osv) expect(validateOsv(r).errors).toEqual([]);
    // The private parts of the report are never published.
    const all = JSON.stringify([docs.csaf, docs.cveRecords, docs.osv, docs.markdown, docs.html]);
    for (const secret of ['private', 'poc', 'patch', 'pgp', 'communication', 'evil@example.org'])
      expect(all).not.toContain(`${secret} <script>`);
    expect(all).not.toContain('evil@example.org');
  });
});
