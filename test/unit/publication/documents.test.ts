import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';
import { describe, expect, it } from 'vitest';
import {
  CWE_NAMES,
  PublicationBlocked,
  assertPublishable,
  buildDocuments,
  cvssV2Json,
  osvPrefix,
} from '../../../functions/domain/publication/index.js';
import { aCase } from '../../builders/case.js';
import { expectSafeHtml } from './html-safety.js';
import { SCENARIOS, multiVendor, noCveYet, optionsFor, singleVendorFixed } from './published-cases.js';
import { validateCsaf, validateCsafBsi, validateCveContainer, validateOsv } from './validators.js';

describe('documents of every published scenario', () => {
  for (const scenario of SCENARIOS) {
    describe(scenario.name, () => {
      const s = scenario.build();
      const docs = buildDocuments(s, optionsFor(s));

      it('is a CSAF 2.0 security advisory that passes the BSI validator (schema and mandatory tests) and the OASIS schema', async () => {
        const verdict = await validateCsaf(docs.csaf);
        expect(verdict.errors).toEqual([]);
        expect(verdict.valid).toBe(true);
      });

      it('has a CVE CNA container per CVE ID that passes the CVE 5.1.1 schema', () => {
        expect(docs.cveRecords.map((r) => r.cveId)).toEqual(s.vulnerabilities.flatMap((v) => (v.cveId ? [v.cveId] : [])));
        for (const r of docs.cveRecords) expect(validateCveContainer(r.cnaContainer).errors).toEqual([]);
      });

      it('has OSV records that pass the OSV schema', () => {
        expect(docs.osv).toHaveLength(s.vulnerabilities.length);
        for (const r of docs.osv) expect(validateOsv(r).errors).toEqual([]);
      });

      it('passes the runtime check and renders a safe page', () => {
        expect(() => assertPublishable(docs)).not.toThrow();
        expectSafeHtml(docs.html);
      });
    });
  }
});

describe('what the documents say', () => {
  it('publishes the shared revision, marks the fixed vendor with a vendor_fix carrying its statement, and credits the named reporter', () => {
    const s = singleVendorFixed().state;
    const docs = buildDocuments(s, optionsFor(s));
    const v = docs.csaf.vulnerabilities[0];

    expect(docs.revision).toBe(s.draft.shared?.revision);
    // The revision's body, then the vendor sections written from the case as approved.
    const body = s.draft.revisions.find((r) => r.revision === s.draft.shared?.revision)?.markdown ?? '';
    expect(docs.markdown.startsWith(body.trimEnd())).toBe(true);
    expect(docs.markdown).toContain('| Acme | Affected (fix available) |');
    expect(docs.markdown).toContain('> We fixed this in 4\\.2\\.2\\. Upgrade now\\.');
    expect(v?.cve).toBe('CVE-2026-10001');
    expect(v?.cwe).toEqual({ id: 'CWE-22', name: CWE_NAMES['CWE-22'] });
    expect(v?.product_status.known_affected).toEqual(['CSAFPID-0001']);
    expect(v?.remediations?.[0]).toMatchObject({ category: 'vendor_fix', product_ids: ['CSAFPID-0001'] });
    expect(v?.remediations?.[0]?.details).toContain('We fixed this in 4.2.2. Upgrade now.');
    expect(v?.scores?.[0]?.cvss_v2).toMatchObject({ baseScore: 7.5, environmentalScore: expect.any(Number) });
    expect(docs.csaf.document.acknowledgments).toEqual([{ names: ['Ada L.'], summary: 'reporting this vulnerability' }]);
    const cna = docs.cveRecords[0]?.cnaContainer;
    expect(cna?.credits).toEqual([
      { lang: 'en', value: 'Ada L.', type: 'finder' },
      { lang: 'en', value: 'Example CERT', type: 'coordinator' },
    ]);
    expect(cna?.metrics?.map((m) => Object.keys(m).find((k) => k.startsWith('cvss')))).toEqual(['cvssV4_0', 'cvssV3_1', 'cvssV2_0']);
    expect(cna?.problemTypes?.[0]?.descriptions[0]).toMatchObject({ cweId: 'CWE-22', type: 'CWE' });
    expect(cna?.datePublic).toBe(s.published?.at);
    expect(cna?.references[0]?.url).toBe('https://cvd.example/notes/VU%23100001');
  });

  it('maps each vendor status to CSAF product status and CVE version status, and credits nobody for an anonymous reporter', () => {
    const s = multiVendor().state;
    const docs = buildDocuments(s, optionsFor(s));
    const xss = docs.csaf.vulnerabilities[1];
    const ids = (group: keyof NonNullable<typeof xss>['product_status']) => xss?.product_status[group] ?? [];

    expect(ids('known_affected')).toHaveLength(2); // Acme 4.0 up to 4.2.2, and Initech, which said affected
    expect(ids('known_not_affected')).toHaveLength(2); // Acme 4.2.2 (no fix from Acme) and Globex, which said not affected
    expect(ids('under_investigation')).toHaveLength(0);
    expect(docs.csaf.document.acknowledgments).toBeUndefined();
    expect(xss?.threats?.[0]).toMatchObject({ category: 'exploit_status' });
    expect(JSON.stringify(docs.csaf.product_tree)).toContain('"category":"product_version_range","name":"2.x and earlier"');
    const rec = docs.cveRecords.find((r) => r.cveId === 'CVE-2026-20002')?.cnaContainer;
    expect(rec?.credits).toEqual([{ lang: 'en', value: 'Example CERT', type: 'coordinator' }]);
    expect(rec?.affected.find((a) => a.vendor === 'Globex')).toMatchObject({
      defaultStatus: 'unaffected',
      versions: [{ version: '2.x and earlier', status: 'unaffected' }],
    });
    expect(rec?.affected.find((a) => a.vendor === 'Acme')?.versions).toEqual([
      { version: '4.0', status: 'affected', versionType: 'custom', lessThan: '4.2.2' },
      { version: '4.2.2', status: 'unaffected' },
    ]);
    expect(docs.osv.map((o) => o.id)).toEqual(['x_CVD-VU-100002-1', 'x_CVD-VU-100002-2']);
  });

  it('names an unlisted CWE in a note instead of a CSAF cwe the validator would reject, and lists the missing CVE IDs', () => {
    const s = noCveYet().state;
    const docs = buildDocuments(s, optionsFor(s));

    expect(docs.csaf.vulnerabilities[0]?.cwe).toBeUndefined();
    expect(docs.csaf.vulnerabilities[0]?.notes).toContainEqual({ category: 'other', title: 'Weakness', text: 'CWE-99999 Something new' });
    expect(docs.missingCveIds).toEqual(['vul-1']);
    expect(() => assertPublishable(docs, { requireCveIds: true })).toThrow(/no CVE ID yet for vul-1/);
  });

  it('spells every listed CWE name exactly as the CWE catalogue the validator uses', () => {
    for (const [id, name] of Object.entries(CWE_NAMES)) expect(weaknesses.find((w) => w.id === id)?.name, id).toBe(name);
  });

  it('uses a registered OSV prefix as it is and puts any other behind x_', () => {
    expect(osvPrefix(undefined)).toBe('x_CVD');
    expect(osvPrefix('GHSA')).toBe('GHSA');
    expect(osvPrefix('x_MINE')).toBe('x_MINE');
  });
});

describe('CVSS v2 environmental in CSAF', () => {
  const vector = 'AV:N/AC:L/Au:N/C:P/I:P/A:P/CDP:H/TD:H/CR:M/IR:M/AR:M';

  it('is rounded the way the BSI validator checks it (8.8, where a no-intermediate-rounding calculator says 8.7)', async () => {
    const s = singleVendorFixed({ cvss: { v2: vector } }).state;
    const docs = buildDocuments(s, optionsFor(s));
    expect(cvssV2Json(vector)).toMatchObject({ baseScore: 7.5, environmentalScore: 8.8 });
    expect((await validateCsafBsi(docs.csaf)).valid).toBe(true);

    const wrong = structuredClone(docs.csaf);
    const score = wrong.vulnerabilities[0]?.scores?.[0]?.cvss_v2;
    if (score) score.environmentalScore = 8.7;
    const verdict = await validateCsafBsi(wrong);
    expect(verdict.valid).toBe(false);
    expect(verdict.errors.join('\n')).toMatch(/6_1_9/);
  });
});

describe('publication is refused loudly', () => {
  it('throws PublicationBlocked naming the bad vector and the missing draft', () => {
    const b = aCase('VU#100009').submitted().accepted().contacted().embargoed();
    const docs = buildDocuments(b.state, { ...optionsFor(b.state), revision: 7 });
    let caught: unknown;
    try {
      assertPublishable(docs);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(PublicationBlocked);
    expect((caught as Error).name).toBe('PublicationBlocked');
    expect((caught as PublicationBlocked).problems.join('\n')).toMatch(/no draft revision 7/);
  });

  it('refuses documents the validators would refuse: unknown product ids, contradicting status, a bad CVE org id', () => {
    const s = singleVendorFixed().state;
    const docs = buildDocuments(s, { ...optionsFor(s), cveOrgId: 'not-a-uuid' });
    const v = docs.csaf.vulnerabilities[0];
    if (v) v.product_status = { known_affected: ['CSAFPID-0001', 'CSAFPID-9999'], fixed: ['CSAFPID-0001'] };
    expect(() => assertPublishable(docs)).toThrow(/unknown product CSAFPID-9999[\s\S]*both known_affected and fixed[\s\S]*orgId/);
  });

  it('refuses a vector that cannot be scored', () => {
    // Intake refuses such a vector now; a case stored before that may still hold one.
    const s = singleVendorFixed().state;
    const stored = { ...s, vulnerabilities: s.vulnerabilities.map((v) => ({ ...v, cvss: { ...v.cvss, v3: 'CVSS:3.1/AV:N' } })) };
    expect(() => assertPublishable(buildDocuments(stored, optionsFor(stored)))).toThrow(/vul-1: CVSS v3/);
  });
});
