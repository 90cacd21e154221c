// OSV records (https://ossf.github.io/osv-schema/), one per vulnerability, under a configurable id
// prefix (OSV_PREFIX, default 'CVD'). OSV ids must start with a registered database prefix or
// with 'x_'; a prefix that is neither is published under 'x_' (so 'CVD' gives 'x_CVD-…') until it
// is registered with OSV. The products are not packages of any OSV ecosystem, so they are listed
// in database_specific rather than in `affected` (which requires an ecosystem).
import type { CaseState } from '../case.js';
import type { ReferenceKind } from '../vendor-references.js';
import { metricsOf } from './cvss-json.js';
import {
  type PublicationOptions,
  cveStatusOf,
  externalReferences,
  noteUrls,
  publishedVulnerabilities,
  reporterCredit,
  revisionsOf,
  vendorReferencesFor,
} from './facts.js';

type OsvReferenceType = 'ADVISORY' | 'FIX' | 'WEB';
/** OSV has no type for release notes: they are WEB, like any other page. */
const OSV_TYPES: Readonly<Record<ReferenceKind, OsvReferenceType>> = {
  advisory: 'ADVISORY',
  patch: 'FIX',
  'release-notes': 'WEB',
  other: 'WEB',
};

export { DEFAULT_OSV_PREFIX } from './osv-prefix.js';
import { DEFAULT_OSV_PREFIX } from './osv-prefix.js';
export const OSV_SCHEMA_VERSION = '1.7.0';

/** The prefixes of the OSV schema (validation/schema.json, $defs.prefix) at the version we copied. */
const REGISTERED =
  /^(ASB-A|PUB-A|ALPINE|ALSA|ALBA|ALEA|AZL|BELL|BIT|CGA|CLEANSTART|CLSA|CURL|CVE|DEBIAN|DHI|DRUPAL|DSA|DLA|ELA|DTSA|ECHO|EEF|FreeBSD|GHSA|GO|GSD|HSEC|JLSEC|KUBE|LBSEC|LSN|MAL|MINI|MGASA|OESA|OSEC|OSV|openSUSE-SU|PHSA|PSF|PYSEC|RHBA|RHEA|RHSA|RLSA|RXSA|RSEC|ROOT|RUSTSEC|SUSE-[SRFO]U|UBUNTU|USN|V8)$/;

/** The id stem for a prefix: registered prefixes as they are, others behind 'x_'. */
export function osvPrefix(configured: string | undefined): string {
  const p = (configured ?? '').trim().replace(/-+$/, '') || DEFAULT_OSV_PREFIX;
  if (p.startsWith('x_') || REGISTERED.test(p)) return p;
  return `x_${p}`;
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'note';

export interface OsvRecord {
  schema_version: string;
  id: string;
  modified: string;
  published: string;
  aliases?: string[];
  summary: string;
  details: string;
  severity?: { type: 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4'; score: string }[];
  references: { type: OsvReferenceType; url: string }[];
  credits?: { name: string; type: 'FINDER' | 'COORDINATOR' }[];
  database_specific: {
    note_id: string;
    vulnerability_id: string;
    affected: {
      vendor: string;
      product: string;
      vendor_status: string;
      versions: { version: string; status: string; less_than?: string }[];
    }[];
  };
}

export function buildOsv(s: CaseState, o: PublicationOptions): OsvRecord[] {
  const urls = noteUrls(o);
  const credit = reporterCredit(s);
  const refs = externalReferences(s);
  const prefix = osvPrefix(o.osvPrefix);
  const all = publishedVulnerabilities(s);
  return all.map(({ vulnerability: v, products }, i): OsvRecord => {
    const m = metricsOf(v.cvss);
    const severity: NonNullable<OsvRecord['severity']> = [];
    if (m.v4) severity.push({ type: 'CVSS_V4', score: m.v4.vectorString });
    if (m.v3) severity.push({ type: 'CVSS_V3', score: m.v3.vectorString });
    if (m.v2) severity.push({ type: 'CVSS_V2', score: m.v2.vectorString });
    return {
      schema_version: OSV_SCHEMA_VERSION,
      id: `${prefix}-${slug(o.noteId)}${all.length > 1 ? `-${i + 1}` : ''}`,
      // An update of the note modifies the record; `published` stays the first release.
      modified: revisionsOf(o).at(-1)?.at ?? o.publishedAt,
      published: o.publishedAt,
      ...(v.cveId ? { aliases: [v.cveId] } : {}),
      summary: v.title,
      details: v.description,
      ...(severity.length ? { severity } : {}),
      references: [
        { type: 'ADVISORY', url: urls.note },
        ...refs.map((url) => ({ type: 'WEB' as const, url })),
        ...vendorReferencesFor(products, [urls.note, ...refs]).map(({ reference: r }) => ({ type: OSV_TYPES[r.kind], url: r.url })),
      ],
      credits: [
        ...(credit ? [{ name: credit.display, type: 'FINDER' as const }] : []),
        { name: o.coordinatorName, type: 'COORDINATOR' as const },
      ],
      database_specific: {
        note_id: o.noteId,
        vulnerability_id: v.vulnerabilityId,
        affected: products.map((p) => ({
          vendor: p.vendor,
          product: p.product,
          vendor_status: p.vendorStatus ?? 'unknown',
          versions: p.versions.map((x) => ({
            version: x.version,
            status: cveStatusOf(p, x),
            ...(x.lessThan ? { less_than: x.lessThan } : {}),
          })),
        })),
      },
    };
  });
}
