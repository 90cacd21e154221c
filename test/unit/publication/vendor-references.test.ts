// Vendors' references (their advisory, release notes, patches) in every published document: the
// note's Solution and References with the URL as the only link and the vendor's words as text, the
// CSAF references and each fixed vendor's vendor_fix (its own products only), the CVE records' and
// OSV's references; all as the coordinator approved them, and valid with the official validators.
import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../../functions/domain/index.js';
import { buildDocuments, markdownToHtml } from '../../../functions/domain/publication/index.js';
import { referencesProblem, vendorReferenceUrl } from '../../../functions/domain/vendor-references.js';
import { COORDINATOR, SYSTEM, aCase, vendorActor } from '../../builders/case.js';
import { expectSafeHtml } from './html-safety.js';
import { optionsFor } from './published-cases.js';
import { validateCsaf, validateCveContainer, validateOsv } from './validators.js';

const HOSTILE = '[click](javascript:alert(1)) <img src=x onerror=alert(2)> **bold** <https://evil.example/x> # h | t';
const ACME_NOTES = 'https://acme.example/releases/4.2.3';
const ACME_PATCH = 'https://acme.example/patches/42.diff';
const ACME_OTHER = 'https://acme.example/blog/why';
const GLOBEX_ADVISORY = 'https://globex.example/advisories/7';

/** Acme (vendor-1) fixed with references, Globex (vendor-2) affected without a fix but with an advisory; published. */
function withReferences() {
  const b = aCase('VU#200001').submitted().accepted().withVendors({ name: 'Globex' }).contacted().embargoed();
  b.run(
    {
      type: 'update-vendor-status',
      statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }],
      fixReady: true,
      references: [
        { url: ACME_NOTES, summary: HOSTILE, kind: 'release-notes' },
        { url: ACME_PATCH, kind: 'patch' },
        { url: ACME_OTHER, summary: 'Background', kind: 'other' },
      ],
    },
    vendorActor('vendor-1'),
  );
  b.run(
    {
      type: 'update-vendor-status',
      statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }],
      references: [{ url: GLOBEX_ADVISORY, summary: 'Globex advisory 7', kind: 'advisory' }],
    },
    vendorActor('vendor-2'),
  );
  b.inDraftReview();
  b.run({ type: 'assign-cve', vulnerabilityId: 'vul-1', cveId: 'CVE-2026-20001', source: 'pool' }, SYSTEM);
  return b;
}

const docsOf = (s: CaseState) => buildDocuments(s, optionsFor(s));
const section = (markdown: string, name: string) => markdown.split(`## ${name}\n`)[1]?.split('\n## ')[0] ?? '';
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);

describe('vendor references in the published documents', () => {
  it('puts the fixed vendor’s fix references in the Solution and every vendor’s in References, the URL the only link', () => {
    const docs = docsOf(withReferences().published('VU#200001').state);
    const solution = section(docs.markdown, 'Solution');
    expect(solution).toContain(`<${ACME_NOTES}>`);
    expect(solution).toContain(`<${ACME_PATCH}>`);
    // Not how to obtain a fix, and Globex has none.
    expect(solution).not.toContain(ACME_OTHER);
    expect(solution).not.toContain(GLOBEX_ADVISORY);
    const references = section(docs.markdown, 'References');
    for (const url of [ACME_NOTES, ACME_PATCH, ACME_OTHER, GLOBEX_ADVISORY]) expect(references).toContain(`<${url}>`);

    const html = markdownToHtml(docs.markdown);
    expectSafeHtml(html);
    expectSafeHtml(docs.html);
    // Every link in the note is a reference someone gave: the hostile summary's targets are text.
    const allowed = new Set([ACME_NOTES, ACME_PATCH, ACME_OTHER, GLOBEX_ADVISORY]);
    for (const h of hrefs(html)) expect(allowed, `unexpected link ${h}`).toContain(h);
    expect(hrefs(html)).not.toContain('https://evil.example/x');
    expect(html).toContain('[click](javascript:alert(1))');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('**bold**');
    expect(html).toContain(`Acme release notes: <a href="${ACME_NOTES}" rel="nofollow noopener noreferrer">${ACME_NOTES}</a> ([click]`);
  });

  it('lists them in CSAF, with the fix URL on the fixed vendor’s own remediation only, valid, and in the VEX', async () => {
    const s = withReferences().published('VU#200001').state;
    const { csaf } = docsOf(s);
    const external = csaf.document.references!.filter((r) => r.category === 'external');
    expect(external).toEqual(
      expect.arrayContaining([
        { category: 'external', summary: `Acme release notes: ${HOSTILE}`, url: ACME_NOTES },
        { category: 'external', summary: 'Acme patch', url: ACME_PATCH },
        { category: 'external', summary: 'Acme reference: Background', url: ACME_OTHER },
        { category: 'external', summary: 'Globex advisory: Globex advisory 7', url: GLOBEX_ADVISORY },
      ]),
    );
    const v = csaf.vulnerabilities[0]!;
    const fixes = (v.remediations ?? []).filter((r) => r.category === 'vendor_fix');
    expect(fixes).toHaveLength(1);
    // The patch is the most direct way to the fix.
    expect(fixes[0]!.url).toBe(ACME_PATCH);
    const names = (ids: string[]) =>
      ids.map((id) => JSON.stringify(csaf.product_tree).match(new RegExp(`"product_id":"${id}","name":"([^"]*)"`))?.[1]);
    expect(names(fixes[0]!.product_ids).every((n) => n?.startsWith('Acme '))).toBe(true);
    const none = (v.remediations ?? []).find((r) => r.category === 'none_available');
    expect(none?.url).toBeUndefined();
    expect(names(none?.product_ids ?? []).every((n) => n?.startsWith('Globex '))).toBe(true);
    expect((await validateCsaf(csaf)).errors).toEqual([]);
    const { buildCsafVex } = await import('../../../functions/domain/publication/index.js');
    const vex = buildCsafVex(s, optionsFor(s));
    expect(vex.document.references).toEqual(expect.arrayContaining([expect.objectContaining({ url: GLOBEX_ADVISORY })]));
    expect((await validateCsaf(vex)).errors).toEqual([]);
  });

  it('tags them in the CVE record and types them in OSV, each URL once, valid', () => {
    const { cveRecords, osv } = docsOf(withReferences().published('VU#200001').state);
    const refs = cveRecords[0]!.cnaContainer.references;
    expect(refs).toEqual(
      expect.arrayContaining([
        { url: ACME_NOTES, name: `Acme release notes: ${HOSTILE}`, tags: ['release-notes'] },
        { url: ACME_PATCH, name: 'Acme patch', tags: ['patch'] },
        { url: ACME_OTHER, name: 'Acme reference: Background' },
        { url: GLOBEX_ADVISORY, name: 'Globex advisory: Globex advisory 7', tags: ['vendor-advisory'] },
      ]),
    );
    expect(validateCveContainer(cveRecords[0]!.cnaContainer).errors).toEqual([]);
    expect(osv[0]!.references).toEqual(
      expect.arrayContaining([
        { type: 'WEB', url: ACME_NOTES },
        { type: 'FIX', url: ACME_PATCH },
        { type: 'ADVISORY', url: GLOBEX_ADVISORY },
      ]),
    );
    for (const r of osv) expect(validateOsv(r).errors).toEqual([]);
    for (const list of [refs.map((r) => r.url), osv[0]!.references.map((r) => r.url)]) expect(new Set(list).size).toBe(list.length);
  });

  it('shows only what the coordinator approved: a reference added after the approval waits for the next one', () => {
    const b = withReferences();
    b.drafted().run({ type: 'decide-publication', decision: 'approve' }, COORDINATOR);
    const LATE = 'https://acme.example/late';
    const late = { type: 'update-vendor-status' as const, statuses: [], references: [{ url: LATE, kind: 'advisory' as const }] };
    b.run(late, vendorActor('vendor-1'));
    b.published('VU#200001');
    let docs = docsOf(b.state);
    expect(docs.markdown).toContain(ACME_NOTES);
    expect(docs.markdown).not.toContain(LATE);
    expect(JSON.stringify(docs.csaf)).not.toContain(LATE);
    expect(JSON.stringify(docs.cveRecords)).not.toContain(LATE);
    // Accepted into the next revision: now everywhere, and the earlier list (replaced) gone.
    b.run({ type: 'release-note-update', noteRevision: 1 }, SYSTEM);
    b.run({ type: 'decide-publication', decision: 'approve', acceptUpdates: ['vendor-1'] }, COORDINATOR);
    docs = buildDocuments(b.state, { ...optionsFor(b.state), revision: b.state.published!.revision });
    expect(docs.markdown).toContain(`<${LATE}>`);
    expect(docs.markdown).not.toContain(ACME_NOTES);
    expect(docs.csaf.document.references!.map((r) => r.url)).toContain(LATE);
    expect(docs.cveRecords[0]!.cnaContainer.references.map((r) => r.url)).toContain(LATE);
  });

  it('lets a vendor read its own references in the draft before publication, and no other vendor’s', async () => {
    const { composeNote } = await import('../../../functions/domain/note.js');
    const s = withReferences().drafted().state;
    const opts = { publishAt: '2027-01-01T00:00:00Z' };
    const acme = composeNote('# Draft', s, { kind: 'vendor', vendorId: 'vendor-1' }, opts);
    expect(acme).toContain(ACME_PATCH);
    expect(acme).not.toContain(GLOBEX_ADVISORY);
    const globex = composeNote('# Draft', s, { kind: 'vendor', vendorId: 'vendor-2' }, opts);
    expect(globex).toContain(GLOBEX_ADVISORY);
    expect(globex).not.toContain('acme.example');
    expect(composeNote('# Draft', s, { kind: 'reporter' }, opts)).not.toMatch(/acme\.example|globex\.example/);
  });
});

describe('which references a vendor may give', () => {
  it('takes https URLs as the parser writes them and refuses every other scheme, credentials and hidden characters', () => {
    expect(vendorReferenceUrl('https://Acme.example/a b')).toBeNull();
    expect(vendorReferenceUrl('https://acme.example/a"<b>')).toBe('https://acme.example/a%22%3Cb%3E');
    expect(vendorReferenceUrl('HTTPS://ACME.example')).toBe('https://acme.example/');
    for (const bad of [
      'http://acme.example/',
      'javascript:alert(1)',
      'data:text/html,x',
      'java\tscript:alert(1)',
      'https://user:pw@acme.example/',
      'https://acme.example/\u0000',
      '//acme.example/',
      'acme.example',
      `https://acme.example/${'a'.repeat(2048)}`,
    ])
      expect(vendorReferenceUrl(bad), bad).toBeNull();
  });

  it('refuses in the decider too: too many, a bad URL, a URL twice', () => {
    const ref = (i: number) => ({ url: `https://acme.example/${i}`, kind: 'advisory' as const });
    expect(referencesProblem(Array.from({ length: 10 }, (_, i) => ref(i)))).toBeNull();
    expect(referencesProblem(Array.from({ length: 11 }, (_, i) => ref(i)))).toMatch(/at most 10/);
    expect(referencesProblem([{ url: 'http://acme.example/', kind: 'advisory' }])).toMatch(/https/);
    expect(referencesProblem([ref(1), ref(1)])).toMatch(/once/);
    const b = aCase().submitted().accepted().contacted().embargoed();
    expect(() =>
      b.run(
        { type: 'update-vendor-status', statuses: [], references: [{ url: 'javascript:alert(1)', kind: 'patch' }] },
        vendorActor('vendor-1'),
      ),
    ).toThrow(/https/);
    expect(b.state.vendors[0]!.references).toBeUndefined();
  });
});
