// What every published document says, taken once from the case: the products per vulnerability
// with each vendor's status, the credit, the references and the URLs. CSAF, CVE and OSV renderers
// read these facts, so the three never disagree about what is affected.
import type { CaseState, VendorState, Vulnerability } from '../case.js';
import type { AffectedProduct, VendorStatus } from '../events.js';
import { INITIAL_RELEASE_SUMMARY, type NoteRevision } from '../note-revisions.js';
import { type VendorReference, referencesOf } from '../vendor-references.js';
import { safeHref } from './markdown-html.js';
import { DEFAULT_VENDOR_CSAF_TLP, type VendorCsafTlp } from '../tlp.js';

export interface PublicationOptions {
  /** The note's public id (the case id today). */
  noteId: string;
  /** When the note goes (or went) public, ISO-8601 UTC. */
  publishedAt: string;
  /** The deployment's public base URL, no trailing slash (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** The coordinator's name: CSAF publisher, credits, page titles. */
  coordinatorName: string;
  /** The CNA's organisation UUID for CVE providerMetadata (CVE_ORG_ID). */
  cveOrgId: string;
  /** The CNA's short name (CVE_SHORT_NAME), optional. */
  cveShortName?: string;
  /** OSV id prefix (OSV_PREFIX), default 'CVD'. */
  osvPrefix?: string;
  /** The draft revision to publish; default: the revision shared with the participants, else the latest. */
  revision?: number;
  /** The note's revisions, the first release first (noteRevisions); default: the first release alone, at publishedAt. */
  revisions?: readonly NoteRevision[];
}

/** The note's revision history for the documents: at least the first release. */
export function revisionsOf(o: Pick<PublicationOptions, 'publishedAt' | 'revisions'>): readonly NoteRevision[] {
  return o.revisions?.length ? o.revisions : [{ number: 1, at: o.publishedAt, summary: INITIAL_RELEASE_SUMMARY }];
}

export type VersionStatus = 'affected' | 'unaffected' | 'unknown';

export interface VersionFact {
  version: string;
  status: VersionStatus;
  lessThan?: string;
}

export interface ProductFact {
  vendor: string;
  product: string;
  vendorState: VendorState | undefined;
  /** The vendor's own status for this vulnerability, if it gave one. */
  vendorStatus: VendorStatus | undefined;
  versions: VersionFact[];
}

export interface VulnerabilityFacts {
  vulnerability: Vulnerability;
  products: ProductFact[];
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function vendorFor(s: CaseState, a: { vendorId?: string; vendor: string }): VendorState | undefined {
  return (a.vendorId ? s.vendors.find((v) => v.vendorId === a.vendorId) : undefined) ?? s.vendors.find((v) => same(v.name, a.vendor));
}

/** The listed products among `entries`, one per vendor and product name, their versions merged. */
function listedProducts(s: CaseState, v: Vulnerability, entries: readonly AffectedProduct[]): ProductFact[] {
  const products: ProductFact[] = [];
  for (const a of entries) {
    const vendorState = vendorFor(s, a);
    const vendor = a.vendor.trim() || vendorState?.name || 'unknown vendor';
    const product = a.product.trim() || 'n/a';
    const key = `${vendor.toLowerCase()}\u0000${product.toLowerCase()}`;
    const existing = products.find((p) => `${p.vendor.toLowerCase()}\u0000${p.product.toLowerCase()}` === key);
    const versions = a.versions
      .filter((x) => x.version.trim() !== '')
      .map((x) => ({ version: x.version.trim(), status: x.status, ...(x.lessThan?.trim() ? { lessThan: x.lessThan.trim() } : {}) }));
    if (existing) {
      for (const x of versions)
        if (!existing.versions.some((y) => y.version === x.version && y.lessThan === x.lessThan)) existing.versions.push(x);
      continue;
    }
    products.push({ vendor, product, vendorState, vendorStatus: vendorState?.statuses[v.vulnerabilityId], versions });
  }
  return products;
}

/** A vendor that stated a status without a listed product: its status stands for the product "n/a". */
const statedOnly = (vs: VendorState, v: Vulnerability): ProductFact => ({
  vendor: vs.name,
  product: 'n/a',
  vendorState: vs,
  vendorStatus: vs.statuses[v.vulnerabilityId],
  versions: [],
});

/** CVE and CSAF both need at least one product: the reported product, of the vendor given. */
const reportedProduct = (s: CaseState, v: Vulnerability, vs: VendorState | undefined): ProductFact => ({
  vendor: vs?.name ?? 'unknown vendor',
  product: s.report?.product.name || 'n/a',
  vendorState: vs,
  vendorStatus: vs?.statuses[v.vulnerabilityId],
  versions: [],
});

/** The products a vulnerability affects, plus every vendor that stated a status without being listed. */
export function vulnerabilityFacts(s: CaseState, v: Vulnerability): VulnerabilityFacts {
  const products = listedProducts(s, v, v.affected);
  const seen = new Set(products.map((p) => p.vendorState?.vendorId ?? `name:${p.vendor.toLowerCase()}`));
  for (const vs of s.vendors) {
    const status = vs.statuses[v.vulnerabilityId];
    if (!status || seen.has(vs.vendorId) || seen.has(`name:${vs.name.toLowerCase()}`)) continue;
    products.push(statedOnly(vs, v));
  }
  // Without any: the reported product of the first vendor.
  if (products.length === 0) products.push(reportedProduct(s, v, s.vendors[0]));
  return { vulnerability: v, products };
}

/** The TLP of the vendors' own CSAF documents on the case: the coordinators' choice, else AMBER+STRICT. */
export const vendorCsafTlpOf = (s: CaseState): VendorCsafTlp => s.vendorCsafTlp ?? DEFAULT_VENDOR_CSAF_TLP;

/**
 * Whether a listed product is this vendor's: the attribution the public documents make (vendorFor),
 * from this vendor alone. An entry naming a vendor id is that vendor's (vendors are never removed,
 * so the id always finds its vendor); only an entry without one goes by name (names are unique on a
 * case). So a view built from one vendor's part of a large case attributes as the whole case does.
 */
export const isOwnProduct = (me: VendorState, a: { vendorId?: string; vendor: string }): boolean =>
  a.vendorId ? a.vendorId === me.vendorId : same(me.name, a.vendor);

/**
 * One vendor's part of every vulnerability, built from its own listed products and its own status
 * only: no other vendor's product, name or status can enter it, not even as a fallback.
 */
export function vendorVulnerabilityFacts(s: CaseState, me: VendorState): VulnerabilityFacts[] {
  return s.vulnerabilities.map((v) => {
    const products = listedProducts(
      s,
      v,
      v.affected.filter((a) => isOwnProduct(me, a)),
    );
    if (products.length === 0) products.push(me.statuses[v.vulnerabilityId] ? statedOnly(me, v) : reportedProduct(s, v, me));
    return { vulnerability: v, products };
  });
}

/** The vulnerabilities that are published: all of the case's, in order. */
export const publishedVulnerabilities = (s: CaseState): VulnerabilityFacts[] => s.vulnerabilities.map((v) => vulnerabilityFacts(s, v));

export type CsafStatus = 'known_affected' | 'known_not_affected' | 'fixed' | 'under_investigation';

/** One version's status as CSAF sees it: the vendor's word wins over the listing. */
export function csafStatusOf(p: ProductFact, x: VersionFact | null): CsafStatus {
  if (p.vendorStatus === 'not-affected') return 'known_not_affected';
  if (!x) return p.vendorStatus === 'affected' ? 'known_affected' : 'under_investigation';
  if (x.status === 'unaffected') return p.vendorStatus === 'affected' && p.vendorState?.flags.f ? 'fixed' : 'known_not_affected';
  if (x.status === 'unknown') return 'under_investigation';
  return 'known_affected';
}

/** One version's status as CVE JSON sees it. */
export function cveStatusOf(p: ProductFact, x: VersionFact): VersionStatus {
  return p.vendorStatus === 'not-affected' ? 'unaffected' : x.status;
}

export function cveDefaultStatusOf(p: ProductFact): VersionStatus {
  if (p.vendorStatus === 'not-affected') return 'unaffected';
  if (p.vendorStatus === 'affected' && p.versions.length === 0) return 'affected';
  return 'unknown';
}

export interface Credit {
  name?: string;
  organization?: string;
  /** "Ada L. of Example Labs". */
  display: string;
}

/** The reporter's credit, or null when they chose to stay anonymous or gave no name. */
export function reporterCredit(s: CaseState): Credit | null {
  const r = s.report?.reporter;
  if (r?.credit !== 'named') return null;
  const name = r.name.trim();
  const organization = r.organization.trim();
  if (!name && !organization) return null;
  return {
    ...(name ? { name } : {}),
    ...(organization ? { organization } : {}),
    display: [name, organization].filter(Boolean).join(' of '),
  };
}

/** Public references from the report (http(s) only; the report schema already insists on that). */
export function externalReferences(s: CaseState): string[] {
  const refs = [...(s.report?.publicReferences ?? []), ...(s.report?.exploitReferences ?? [])];
  // The WHATWG serialisation percent-encodes what a URI may not contain (quotes, angle brackets, spaces).
  return [...new Set(refs.flatMap((u) => (safeHref(u) ? [safeHref(u) ?? ''] : [])))];
}

/** The references of the vendors a vulnerability names, each vendor once, each URL once and not among `taken`. */
export function vendorReferencesFor(
  products: readonly ProductFact[],
  taken: readonly string[],
): { vendor: VendorState; reference: VendorReference }[] {
  const seen = new Set(taken);
  const vendors = [...new Set(products.flatMap((p) => (p.vendorState ? [p.vendorState] : [])))];
  return vendors.flatMap((vendor) =>
    referencesOf(vendor).flatMap((reference) => {
      if (seen.has(reference.url)) return [];
      seen.add(reference.url);
      return [{ vendor, reference }];
    }),
  );
}

export interface NoteUrls {
  note: string;
  html: string;
  csaf: string;
  cve: (cveId: string) => string;
  /** The site's stylesheet for note pages (web/src/note.css). */
  stylesheet: string;
}

export function noteUrls(o: Pick<PublicationOptions, 'publicBaseUrl' | 'noteId'>): NoteUrls {
  const site = o.publicBaseUrl.replace(/\/+$/, '');
  const note = `${site}/notes/${encodeURIComponent(o.noteId)}`;
  return {
    note,
    html: `${note}.html`,
    csaf: `${note}/csaf.json`,
    cve: (cveId) => `${note}/cve/${encodeURIComponent(cveId)}.json`,
    stylesheet: `${site}/assets/note.css`,
  };
}

/** The note's title: the first vulnerability's, as the Markdown's heading has it. */
export const noteTitle = (s: CaseState): string => s.vulnerabilities[0]?.title ?? s.report?.title ?? s.caseId;

export const truncate = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export const fixedByVendor = (p: ProductFact): boolean => !!p.vendorState?.flags.f;
