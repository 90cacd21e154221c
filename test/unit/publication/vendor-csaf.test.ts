// A vendor's own CSAF document before publication, the pure builder: valid with the OASIS schema and
// the BSI validator's mandatory tests; only the vendor's own products, statuses and statement; two
// vendors' documents share nothing of each other, even when their names, products and statements
// carry Markdown, HTML and control characters, which stay JSON strings.
import { describe, expect, it } from 'vitest';
import {
  type CsafDocument,
  buildCsaf,
  buildVendorCsaf,
  checkCsaf,
  vendorCsafDistribution,
} from '../../../functions/domain/publication/index.js';
import type { CaseState } from '../../../functions/domain/index.js';
import { COORDINATOR, aCase, aReport, vendorActor } from '../../builders/case.js';
import { OPTIONS, SCENARIOS, optionsFor } from './published-cases.js';
import { validateCsaf } from './validators.js';

const AT = '2026-12-01T10:00:00.000Z';
const O = { publicBaseUrl: OPTIONS.publicBaseUrl, coordinatorName: OPTIONS.coordinatorName, at: AT };

/** Structure and control characters a participant might try to smuggle in. */
const HOSTILE = '<script>alert(1)</script> **b** [x](javascript:alert(2)) | t | "q" \\ \u0007\u001b[31m\u0000';
/** What belongs to each vendor alone: its name, its products, its statement. */
const PRIVATE = {
  a: { name: `AlphaCo ${HOSTILE}`, product: `AlphaProd canaryA1 ${HOSTILE}`, statement: `canaryA2 fixed soon ${HOSTILE}` },
  b: { name: `BetaCorp ${HOSTILE}`, product: `BetaProd canaryB1 ${HOSTILE}`, statement: `canaryB2 not us ${HOSTILE}` },
  c: { name: 'GammaLtd canaryC0', product: 'GammaProd canaryC1', statement: 'canaryC2' },
};

/** Three vendors (the reporter named none of them), two vulnerabilities, in embargo: nothing public yet. */
function threeVendors(): CaseState {
  const b = aCase('VU#300001')
    .submitted(aReport({ vendors: [{ name: 'Reported Vendor', contactEmail: 'psirt@reported.example', contacted: false }] }))
    .accepted()
    .withVendors({ name: PRIVATE.a.name }, { name: PRIVATE.b.name }, { name: PRIVATE.c.name })
    .embargoed();
  const [a, bb, c] = ['vendor-2', 'vendor-3', 'vendor-4'];
  b.run(
    {
      type: 'add-vulnerability',
      vulnerability: {
        title: 'Stored XSS in the console',
        description: 'Product names are rendered without escaping.',
        cwe: 'CWE-79',
        cvss: { v3: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N' },
        affected: [
          {
            vendorId: a,
            vendor: PRIVATE.a.name,
            product: PRIVATE.a.product,
            versions: [{ version: '1.0', status: 'affected', lessThan: '1.4' }],
          },
          { vendor: PRIVATE.b.name, product: PRIVATE.b.product, versions: [{ version: '2.x and earlier', status: 'affected' }] },
          { vendorId: c, vendor: PRIVATE.c.name, product: PRIVATE.c.product, versions: [] },
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
      fixReady: true,
      statement: PRIVATE.a.statement,
    },
    vendorActor(a),
  );
  b.run(
    { type: 'update-vendor-status', statuses: [{ vulnerabilityId: 'vul-2', status: 'not-affected' }], statement: PRIVATE.b.statement },
    vendorActor(bb),
  );
  b.run(
    { type: 'update-vendor-status', statuses: [{ vulnerabilityId: 'vul-2', status: 'unknown' }], statement: PRIVATE.c.statement },
    vendorActor(c),
  );
  return b.state;
}

const ids = { a: 'vendor-2', b: 'vendor-3', c: 'vendor-4' } as const;
type Who = keyof typeof ids;
const WHO: Who[] = ['a', 'b', 'c'];

/** Every string value in a document, and every key. */
function walk(x: unknown, strings: string[] = [], keys: Set<string> = new Set()): { strings: string[]; keys: Set<string> } {
  if (typeof x === 'string') strings.push(x);
  else if (Array.isArray(x)) for (const y of x) walk(y, strings, keys);
  else if (x && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) {
      keys.add(k);
      walk(v, strings, keys);
    }
  return { strings, keys };
}

/** The keys the public advisory's builder produces for every scenario: a participant's text never becomes one. */
const CSAF_KEYS = new Set(SCENARIOS.flatMap((x) => [...walk(buildCsaf(x.build(), optionsFor(x.build()))).keys]));

describe('a vendor’s own CSAF document before publication', () => {
  const s = threeVendors();
  const docs = Object.fromEntries(WHO.map((w) => [w, buildVendorCsaf(s, ids[w], O)])) as Record<Who, CsafDocument>;

  for (const w of WHO)
    it(`is valid for vendor ${w} (OASIS schema, BSI mandatory tests, the run-time check)`, async () => {
      const verdict = await validateCsaf(docs[w]);
      expect(verdict.errors).toEqual([]);
      expect(verdict.valid).toBe(true);
      expect(checkCsaf(docs[w])).toEqual([]);
      expect(docs[w].document.tracking.status).toBe('interim');
      expect(docs[w].document.tracking.id).toBe(`VU#300001-${ids[w]}`);
    });

  it('names only the vendor’s own products, with its own statuses', () => {
    const a = docs.a;
    const names = walk(a.product_tree).strings;
    expect(names.some((n) => n.includes('AlphaProd'))).toBe(true);
    expect(names.every((n) => !n.includes('BetaProd') && !n.includes('GammaProd') && !n.includes('Reported Vendor'))).toBe(true);
    // vul-1 lists a range and its version; vul-2 (not listed for anyone) stands for the reported product, affected as A says.
    expect(a.vulnerabilities.map((v) => Object.keys(v.product_status))).toEqual([['known_affected'], ['known_affected']]);
    expect(a.vulnerabilities[0]?.remediations?.[0]?.details).toContain('canaryA2');
    // B is not affected by vul-2; C has no status for vul-1 and says unknown for vul-2.
    expect(docs.b.vulnerabilities[1]?.product_status).toEqual({ known_not_affected: expect.any(Array) });
    expect(docs.c.vulnerabilities.map((v) => Object.keys(v.product_status))).toEqual([['under_investigation'], ['under_investigation']]);
  });

  it('shares nothing of one vendor with another, and names neither the reporter nor their contact', () => {
    for (const w of WHO)
      for (const other of WHO) {
        if (w === other) continue;
        const text = JSON.stringify(docs[w]);
        for (const secret of Object.values(PRIVATE[other])) expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
        expect(text).not.toContain(`canary${other.toUpperCase()}`);
      }
    for (const w of WHO) {
      const text = JSON.stringify(docs[w]);
      expect(text).not.toContain('Ada L.');
      expect(text).not.toContain('ada@example.org');
      expect(docs[w].document.acknowledgments).toBeUndefined();
    }
  });

  it('keeps hostile names, products and statements as JSON strings, exactly as given', () => {
    const a = docs.a;
    const { strings, keys } = walk(JSON.parse(JSON.stringify(a)) as unknown);
    for (const k of keys) expect(CSAF_KEYS.has(k) || ['text', 'distribution'].includes(k), k).toBe(true);
    expect(strings).toContain(`Statement of ${PRIVATE.a.name}`);
    expect(strings.find((x) => x.startsWith('Statement of'))).toBe(`Statement of ${PRIVATE.a.name}`);
    expect(strings.some((x) => x.includes(PRIVATE.a.product))).toBe(true);
    // Serialised, control characters are escapes: the bytes hold none.
    expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(JSON.stringify(a))).toBe(false);
  });

  it('carries the TLP the coordinator set: AMBER+STRICT by default, as AMBER with its words; RED when set', () => {
    expect(docs.a.document.distribution.tlp.label).toBe('AMBER');
    expect(docs.a.document.distribution.text).toContain('TLP:AMBER+STRICT');
    const red = aCase('VU#300002').submitted(aReport()).accepted().embargoed();
    red.run({ type: 'set-vendor-csaf-tlp', tlp: 'RED' }, COORDINATOR);
    const doc = buildVendorCsaf(red.state, 'vendor-1', O);
    expect(doc.document.distribution).toEqual(vendorCsafDistribution('RED', 'Acme'));
    expect(doc.document.distribution.tlp.label).toBe('RED');
    expect(doc.document.distribution.text).toContain('TLP:RED');
  });

  it('stays valid while a vulnerability has no description yet (the public advisory would wait for one)', async () => {
    const b = aCase('VU#300004').submitted(aReport()).accepted().embargoed();
    b.run(
      { type: 'add-vulnerability', vulnerability: { title: 'Symlink following', description: '', cvss: {}, affected: [] } },
      COORDINATOR,
    );
    const doc = buildVendorCsaf(b.state, 'vendor-1', O);
    expect((await validateCsaf(doc)).errors).toEqual([]);
    expect(checkCsaf(doc)).toEqual([]);
  });

  it('refuses a vendor the case does not have', () => {
    expect(() => buildVendorCsaf(s, 'vendor-9', O)).toThrow(RangeError);
  });
});

describe('the TLP of the vendors’ documents', () => {
  it('is set by coordinators only, and setting the same one again records nothing', () => {
    const b = aCase('VU#300003').submitted(aReport()).accepted().embargoed();
    const before = b.state.version;
    b.run({ type: 'set-vendor-csaf-tlp', tlp: 'AMBER+STRICT' }, COORDINATOR);
    expect(b.state.version).toBe(before);
    b.run({ type: 'set-vendor-csaf-tlp', tlp: 'RED' }, COORDINATOR);
    expect(b.state.vendorCsafTlp).toBe('RED');
    expect(() => b.run({ type: 'set-vendor-csaf-tlp', tlp: 'AMBER+STRICT' }, vendorActor('vendor-1'))).toThrow(/may not/);
  });
});
