// The CSAF 2.0 `csaf_security_advisory` for a published note (OASIS CSAF 2.0, profile 4.4):
// publisher = the coordinator; the product tree is vendor → product → version; each vulnerability
// carries its CVE, CWE, notes, product status from the vendors' statements, scores (CSAF 2.0 knows
// only CVSS v2 and v3), remediations and threats. Pure: the tests validate the output with the BSI
// validator (schema and mandatory tests) and the OASIS schema.
import type { CaseState } from '../case.js';
import { fixReferences, referenceTitle, referencesOf } from '../vendor-references.js';
import type { CaseFlags } from '../vultron.js';
import { CWE_NAMES, cweIdOf } from './cwe.js';
import { metricsOf, type CvssV2Json, type CvssV3Json } from './cvss-json.js';
import {
  type CsafStatus,
  type ProductFact,
  type PublicationOptions,
  type VersionFact,
  type VulnerabilityFacts,
  csafStatusOf,
  externalReferences,
  fixedByVendor,
  noteTitle,
  noteUrls,
  publishedVulnerabilities,
  reporterCredit,
  revisionsOf,
} from './facts.js';

export interface CsafProduct {
  product_id: string;
  name: string;
}

export interface CsafBranch {
  category: 'vendor' | 'product_name' | 'product_version' | 'product_version_range';
  name: string;
  branches?: CsafBranch[];
  product?: CsafProduct;
}

export interface CsafNote {
  category: 'description' | 'details' | 'faq' | 'general' | 'legal_disclaimer' | 'other' | 'summary';
  text: string;
  title?: string;
}

export interface CsafReference {
  category?: 'external' | 'self';
  summary: string;
  url: string;
}

export type CsafProductStatus = Partial<Record<CsafStatus, string[]>>;

export interface CsafVulnerability {
  cve?: string;
  cwe?: { id: string; name: string };
  title: string;
  notes: CsafNote[];
  product_status: CsafProductStatus;
  /** The first release; absent in a vendor's document before publication. */
  release_date?: string;
  references?: CsafReference[];
  scores?: { products: string[]; cvss_v2?: CvssV2Json; cvss_v3?: CvssV3Json }[];
  remediations?: {
    category: 'vendor_fix' | 'none_available' | 'mitigation' | 'no_fix_planned' | 'workaround';
    details: string;
    product_ids: string[];
    url?: string;
  }[];
  threats?: { category: 'exploit_status' | 'impact' | 'target_set'; details: string; product_ids?: string[] }[];
  ids?: { system_name: string; text: string }[];
}

export interface CsafDocument {
  document: {
    category: 'csaf_security_advisory' | 'csaf_vex';
    csaf_version: '2.0';
    lang: 'en';
    title: string;
    publisher: { category: 'coordinator'; name: string; namespace: string; contact_details?: string };
    /** WHITE for the public advisory; a vendor's own document AMBER or RED, with `text` for TLP 2.0's AMBER+STRICT. */
    distribution: { tlp: { label: 'WHITE' | 'AMBER' | 'RED'; url: string }; text?: string };
    tracking: {
      id: string;
      /** final once published; interim for a vendor's document before publication. */
      status: 'final' | 'interim';
      version: string;
      initial_release_date: string;
      current_release_date: string;
      revision_history: { date: string; number: string; summary: string }[];
      generator: { engine: { name: string } };
    };
    notes: CsafNote[];
    /** At least one when present (the schema's minItems). */
    references?: CsafReference[];
    acknowledgments?: { names?: string[]; organization?: string; summary?: string }[];
  };
  product_tree: { branches: CsafBranch[] };
  vulnerabilities: CsafVulnerability[];
}

/** Words that mark a version string as a range (CSAF mandatory test 6.1.31). */
const RANGE_WORDS = ['after', 'all', 'before', 'earlier', 'later', 'prior', 'versions'];
export const looksLikeRange = (version: string): boolean =>
  ['<', '>'].some((c) => version.includes(c)) ||
  version
    .toLowerCase()
    .split(/\s/)
    .some((w) => RANGE_WORDS.includes(w));

const versionKey = (x: VersionFact) => `${x.version}\u0000${x.lessThan ?? ''}`;

/** Assigns product ids: one per vendor/product/version, and one per vendor/product without versions. */
export class ProductTree {
  private readonly vendors = new Map<
    string,
    {
      name: string;
      products: Map<
        string,
        { name: string; versionless?: CsafProduct; versions: Map<string, { branch: CsafBranch; product: CsafProduct }> }
      >;
    }
  >();
  private n = 0;

  private nextId(): string {
    this.n += 1;
    return `CSAFPID-${String(this.n).padStart(4, '0')}`;
  }

  private productEntry(p: ProductFact) {
    const vk = p.vendor.toLowerCase();
    let vendor = this.vendors.get(vk);
    if (!vendor) {
      vendor = { name: p.vendor, products: new Map() };
      this.vendors.set(vk, vendor);
    }
    const pk = p.product.toLowerCase();
    let product = vendor.products.get(pk);
    if (!product) {
      product = { name: p.product, versions: new Map() };
      vendor.products.set(pk, product);
    }
    return product;
  }

  /** The product id for a version of a product (or the product as a whole when version is null). */
  idFor(p: ProductFact, x: VersionFact | null): string {
    const entry = this.productEntry(p);
    if (!x) {
      entry.versionless ??= { product_id: this.nextId(), name: `${p.vendor} ${p.product}` };
      return entry.versionless.product_id;
    }
    const key = versionKey(x);
    const found = entry.versions.get(key);
    if (found) return found.product.product_id;
    const range = x.lessThan !== undefined || looksLikeRange(x.version);
    const name =
      x.lessThan !== undefined
        ? `vers:generic/${x.version === '0' || x.version === '*' ? '' : `>=${x.version}|`}<${x.lessThan}`
        : x.version;
    const product = {
      product_id: this.nextId(),
      name: `${p.vendor} ${p.product} ${x.lessThan !== undefined ? `${x.version} to before ${x.lessThan}` : x.version}`,
    };
    entry.versions.set(key, { branch: { category: range ? 'product_version_range' : 'product_version', name, product }, product });
    return product.product_id;
  }

  branches(): CsafBranch[] {
    return [...this.vendors.values()].map((v) => ({
      category: 'vendor',
      name: v.name,
      branches: [...v.products.values()].flatMap((p): CsafBranch[] => {
        const versions = [...p.versions.values()].map((x) => x.branch);
        // A branch holds either sub-branches or a product: a product also named without versions
        // gets a sibling product_name branch of its own.
        const out: CsafBranch[] = [];
        if (versions.length) out.push({ category: 'product_name', name: p.name, branches: versions });
        if (p.versionless) out.push({ category: 'product_name', name: p.name, product: p.versionless });
        return out;
      }),
    }));
  }
}

const add = (status: CsafProductStatus, key: CsafStatus, id: string) => {
  const list = status[key] ?? [];
  status[key] = list;
  if (!list.includes(id)) list.push(id);
};

/** What a vulnerability's entry says besides its facts: where the document stands. */
export interface VulnerabilityFraming {
  /** The case's flags (exploit public, attacks observed). */
  flags: CaseFlags;
  ids: { system_name: string; text: string }[];
  /** The first release; absent before publication. */
  releaseDate?: string;
  /** What is said of affected products without a fix. */
  noFix: string;
  /** Said instead of an empty description; without it an empty one stays empty (and blocks publication). */
  noDescription?: string;
}

/** One vulnerability as CSAF has it, its products named in `tree`: the public advisory and a vendor's own document share it. */
export function csafVulnerability(tree: ProductTree, facts: VulnerabilityFacts, framing: VulnerabilityFraming): CsafVulnerability {
  const { vulnerability: v, products } = facts;
  const status: CsafProductStatus = {};
  const byVendorFix = new Map<string, { details: string; ids: string[]; url?: string }>();
  const unfixed: string[] = [];
  for (const p of products) {
    const versions: (VersionFact | null)[] = p.versions.length ? p.versions : [null];
    for (const x of versions) {
      const id = tree.idFor(p, x);
      const st = csafStatusOf(p, x);
      add(status, st, id);
      if (st !== 'known_affected') continue;
      if (fixedByVendor(p)) {
        const key = p.vendorState?.vendorId ?? p.vendor;
        const statement = p.vendorState?.statement?.trim();
        // Where to get it: the vendor's most direct reference (patch, release notes, advisory).
        const url = p.vendorState ? fixReferences(p.vendorState)[0]?.url : undefined;
        const fix = byVendorFix.get(key) ?? {
          details: statement
            ? `${p.vendor} has released a fix. Vendor statement: ${statement}`
            : `${p.vendor} has released a fix; see the vendor's advisory.`,
          ids: [],
          ...(url ? { url } : {}),
        };
        fix.ids.push(id);
        byVendorFix.set(key, fix);
      } else unfixed.push(id);
    }
  }
  const metrics = metricsOf(v.cvss);
  const scored = [...(status.known_affected ?? []), ...(status.fixed ?? []), ...(status.under_investigation ?? [])];
  const cweId = cweIdOf(v.cwe);
  const cweName = cweId ? CWE_NAMES[cweId] : undefined;
  const description = v.description.trim() ? v.description : (framing.noDescription ?? v.description);
  const notes: CsafNote[] = [{ category: 'description', title: 'Description', text: description }];
  if (v.cwe && !cweName) notes.push({ category: 'other', title: 'Weakness', text: v.cwe });
  const remediations: NonNullable<CsafVulnerability['remediations']> = [...byVendorFix.values()].map((f) => ({
    category: 'vendor_fix',
    details: f.details,
    product_ids: f.ids,
    ...(f.url ? { url: f.url } : {}),
  }));
  if (unfixed.length) remediations.push({ category: 'none_available', details: framing.noFix, product_ids: unfixed });
  const threats: NonNullable<CsafVulnerability['threats']> = [];
  if (framing.flags.a) threats.push({ category: 'exploit_status', details: 'Attacks exploiting this vulnerability have been observed.' });
  else if (framing.flags.x) threats.push({ category: 'exploit_status', details: 'Exploit code is publicly available.' });
  return {
    ...(v.cveId ? { cve: v.cveId } : {}),
    ...(cweId && cweName ? { cwe: { id: cweId, name: cweName } } : {}),
    title: v.title,
    ids: framing.ids,
    notes,
    product_status: status,
    ...(framing.releaseDate ? { release_date: framing.releaseDate } : {}),
    ...(scored.length && (metrics.v2 || metrics.v3)
      ? { scores: [{ products: scored, ...(metrics.v2 ? { cvss_v2: metrics.v2 } : {}), ...(metrics.v3 ? { cvss_v3: metrics.v3 } : {}) }] }
      : {}),
    ...(remediations.length ? { remediations } : {}),
    ...(threats.length ? { threats } : {}),
  };
}

/** The note's first line: the reported product and how many vulnerabilities it has. */
export function overviewOf(s: CaseState): string {
  const title = noteTitle(s);
  return s.report
    ? `${s.report.product.name}${s.report.product.version ? ` ${s.report.product.version}` : ''} contains ${s.vulnerabilities.length === 1 ? 'a vulnerability' : `${s.vulnerabilities.length} vulnerabilities`}: ${title}.`
    : title;
}

export function buildCsaf(s: CaseState, o: PublicationOptions): CsafDocument {
  const urls = noteUrls(o);
  const tree = new ProductTree();
  const credit = reporterCredit(s);
  const refs = externalReferences(s);
  const title = noteTitle(s);

  const vulnerabilities = publishedVulnerabilities(s).map((facts) =>
    csafVulnerability(tree, facts, {
      flags: s.flags,
      ids: [{ system_name: `${o.coordinatorName} vulnerability`, text: `${o.noteId} ${facts.vulnerability.vulnerabilityId}` }],
      releaseDate: o.publishedAt,
      noFix: 'No fix is known at the time of publication. See the vendor information in the note.',
    }),
  );

  const vendorNotes = s.vendors
    .filter((v) => v.statement?.trim())
    .map((v): CsafNote => ({ category: 'other', title: `Statement of ${v.name}`, text: v.statement ?? '' }));
  const overview = overviewOf(s);

  // Each update of the note is a revision: the version grows, the first release date stays.
  const history = revisionsOf(o);
  const latest = history.at(-1) ?? { number: 1, at: o.publishedAt };
  return {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      lang: 'en',
      title: `${o.noteId}: ${title}`,
      publisher: { category: 'coordinator', name: o.coordinatorName, namespace: o.publicBaseUrl.replace(/\/+$/, '') },
      distribution: { tlp: { label: 'WHITE', url: 'https://www.first.org/tlp/' } },
      tracking: {
        id: o.noteId,
        status: 'final',
        version: String(latest.number),
        initial_release_date: o.publishedAt,
        current_release_date: latest.at,
        revision_history: history.map((r) => ({ date: r.at, number: String(r.number), summary: r.summary })),
        generator: { engine: { name: 'cvd-coordinator' } },
      },
      notes: [
        { category: 'summary', title: 'Overview', text: overview },
        ...(s.report?.impact ? [{ category: 'general' as const, title: 'Impact', text: s.report.impact }] : []),
        ...vendorNotes,
      ],
      references: [
        { category: 'self', summary: `${o.noteId} vulnerability note`, url: urls.note },
        { category: 'self', summary: 'This CSAF document', url: urls.csaf },
        ...refs.map((url): CsafReference => ({ category: 'external', summary: 'Public reference', url })),
        ...s.vendors.flatMap((v) =>
          referencesOf(v).map((r): CsafReference => ({ category: 'external', summary: referenceTitle(v.name, r), url: r.url })),
        ),
      ],
      ...(credit
        ? {
            acknowledgments: [
              {
                ...(credit.name ? { names: [credit.name] } : {}),
                ...(credit.organization ? { organization: credit.organization } : {}),
                summary: 'reporting this vulnerability',
              },
            ],
          }
        : {}),
    },
    product_tree: { branches: tree.branches() },
    vulnerabilities,
  };
}
