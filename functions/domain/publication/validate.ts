// The check before anything goes public. The full validation (the BSI CSAF validator's schema and
// mandatory tests, the OASIS CSAF schema, the CVE 5.1.1 container schema, the OSV schema) runs in
// the tests on every document the renderers produce; it is too heavy for a Lambda bundle (see the
// report in publication.ts). At run time this module checks, by hand, the rules those validators
// enforce that a case's data could break: required fields, product ids that resolve, one status per
// product, CVE ids and limits, and that the HTML carries no markup of the case's making.
import type { CsafBranch, CsafDocument } from './csaf.js';
import type { CveRecordDocument } from './cve-record.js';
import type { PublicationDocuments } from './documents.js';
import type { OsvRecord } from './osv.js';

/** Thrown when a document is not fit to publish; the workflow catches it by name and tells the coordinators. */
export class PublicationBlocked extends Error {
  override readonly name = 'PublicationBlocked';
  constructor(readonly problems: readonly string[]) {
    super(`publication blocked: ${problems.join('; ')}`);
  }
}

export const isPublicationBlocked = (e: unknown): e is PublicationBlocked => e instanceof Error && e.name === 'PublicationBlocked';

const CVE_ID = /^CVE-[0-9]{4}-[0-9]{4,19}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const nonEmpty = (s: unknown): s is string => typeof s === 'string' && s.trim().length > 0;
const httpUrl = (s: unknown) => {
  if (typeof s !== 'string') return false;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

function productIds(branches: readonly CsafBranch[], out: Map<string, number>, path: string, problems: string[]): void {
  branches.forEach((b, i) => {
    const here = `${path}/${i}`;
    if (!nonEmpty(b.name)) problems.push(`CSAF ${here}: a branch needs a name`);
    const hasProduct = b.product !== undefined;
    const hasBranches = (b.branches?.length ?? 0) > 0;
    if (hasProduct === hasBranches) problems.push(`CSAF ${here}: a branch holds either a product or branches`);
    if (b.product) {
      if (!nonEmpty(b.product.name) || !nonEmpty(b.product.product_id)) problems.push(`CSAF ${here}: a product needs a name and an id`);
      out.set(b.product.product_id, (out.get(b.product.product_id) ?? 0) + 1);
    }
    if (b.branches) productIds(b.branches, out, `${here}/branches`, problems);
  });
}

export function checkCsaf(doc: CsafDocument): string[] {
  const p: string[] = [];
  const d = doc.document;
  if (d.category !== 'csaf_security_advisory' || d.csaf_version !== '2.0') p.push('CSAF: not a CSAF 2.0 security advisory');
  if (!nonEmpty(d.title) || !nonEmpty(d.publisher.name) || !httpUrl(d.publisher.namespace))
    p.push('CSAF: the document needs a title and a publisher with a name and a URL namespace');
  const t = d.tracking;
  if (!nonEmpty(t.id) || !/^[\S](.*[\S])?$/.test(t.id)) p.push('CSAF: tracking.id must be non-empty without surrounding blanks');
  for (const date of [t.initial_release_date, t.current_release_date, ...t.revision_history.map((r) => r.date)])
    if (!ISO.test(date)) p.push(`CSAF: "${date}" is not a date-time`);
  if (t.revision_history.length === 0) p.push('CSAF: the revision history is empty');
  if (d.references?.length === 0) p.push('CSAF: references, when given, name at least one');
  for (const r of d.references ?? []) if (!httpUrl(r.url)) p.push(`CSAF: reference "${r.url}" is not a URL`);
  for (const a of d.acknowledgments ?? [])
    if (!a.names?.length && !a.organization && !a.summary) p.push('CSAF: an acknowledgment names nobody');
  const ids = new Map<string, number>();
  productIds(doc.product_tree.branches, ids, '/product_tree/branches', p);
  if (ids.size === 0) p.push('CSAF: the product tree names no product');
  for (const [id, n] of ids) if (n > 1) p.push(`CSAF: product id ${id} is defined ${n} times`);
  if (doc.vulnerabilities.length === 0) p.push('CSAF: a security advisory needs vulnerabilities');
  doc.vulnerabilities.forEach((v, i) => {
    const at = `CSAF /vulnerabilities/${i}`;
    if (v.cve !== undefined && !CVE_ID.test(v.cve)) p.push(`${at}: "${v.cve}" is not a CVE id`);
    if (v.notes.length === 0 || v.notes.some((n) => !nonEmpty(n.text))) p.push(`${at}: needs notes with text`);
    const seen = new Map<string, string>();
    for (const [group, list] of Object.entries(v.product_status)) {
      for (const id of list ?? []) {
        if (!ids.has(id)) p.push(`${at}: product_status.${group} names unknown product ${id}`);
        const other = seen.get(id);
        if (other && other !== group) p.push(`${at}: product ${id} is both ${other} and ${group}`);
        seen.set(id, group);
      }
    }
    if (seen.size === 0) p.push(`${at}: product_status is empty`);
    for (const s of v.scores ?? []) {
      if (s.products.length === 0) p.push(`${at}: a score names no product`);
      for (const id of s.products) if (!ids.has(id)) p.push(`${at}: a score names unknown product ${id}`);
    }
    for (const r of v.remediations ?? []) {
      if (!nonEmpty(r.details)) p.push(`${at}: a remediation needs details`);
      for (const id of r.product_ids) if (!ids.has(id)) p.push(`${at}: a remediation names unknown product ${id}`);
    }
  });
  return p;
}

export function checkCveRecord(r: CveRecordDocument): string[] {
  const p: string[] = [];
  const at = `CVE ${r.cveId}`;
  const c = r.cnaContainer;
  if (!CVE_ID.test(r.cveId)) p.push(`${at}: not a CVE id`);
  if (!UUID.test(c.providerMetadata.orgId)) p.push(`${at}: providerMetadata.orgId must be the CNA's UUID (set CVE_ORG_ID)`);
  if (!c.descriptions.some((d) => /^en([_-][a-z]{2})?$/i.test(d.lang) && nonEmpty(d.value) && d.value.length <= 4096))
    p.push(`${at}: needs an English description of 1 to 4096 characters`);
  if (c.title !== undefined && c.title.length > 256) p.push(`${at}: the title is longer than 256 characters`);
  if (c.affected.length === 0) p.push(`${at}: names no affected product`);
  for (const a of c.affected) {
    if (!nonEmpty(a.vendor) || !nonEmpty(a.product)) p.push(`${at}: an affected product needs a vendor and a product name`);
    for (const v of a.versions ?? [])
      if (!nonEmpty(v.version) || (v.lessThan !== undefined && !v.versionType)) p.push(`${at}: version "${v.version}" is incomplete`);
  }
  if (c.references.length === 0 || c.references.length > 512) p.push(`${at}: needs 1 to 512 references`);
  for (const ref of c.references) if (!httpUrl(ref.url) || ref.url.length > 2048) p.push(`${at}: reference "${ref.url}" is not a URL`);
  for (const pt of c.problemTypes ?? [])
    for (const d of pt.descriptions)
      if (d.cweId !== undefined && !/^CWE-[1-9][0-9]*$/.test(d.cweId)) p.push(`${at}: "${d.cweId}" is not a CWE id`);
  if (!ISO.test(c.datePublic)) p.push(`${at}: datePublic is not a date-time`);
  return p;
}

export function checkOsv(r: OsvRecord): string[] {
  const p: string[] = [];
  if (!/^(x_|[A-Za-z][A-Za-z0-9]*(-[A-Z]+)?-)/.test(r.id)) p.push(`OSV ${r.id}: the id needs a prefix`);
  if (!ISO.test(r.modified)) p.push(`OSV ${r.id}: modified is not a date-time`);
  for (const ref of r.references) if (!httpUrl(ref.url)) p.push(`OSV ${r.id}: reference "${ref.url}" is not a URL`);
  return p;
}

/** Defence in depth for the renderer: the page must not carry script, handlers or script URLs. */
export function checkHtml(html: string): string[] {
  const p: string[] = [];
  if (/<script/i.test(html)) p.push('HTML: contains a script element');
  if (/<[^>]*\son[a-z]+\s*=/i.test(html)) p.push('HTML: contains an event-handler attribute');
  if (/href\s*=\s*["']?\s*(javascript|data|vbscript):/i.test(html)) p.push('HTML: contains a script URL');
  return p;
}

export interface PublishableOptions {
  /** Refuse a note whose vulnerabilities lack CVE IDs (CVE_MODE pool or cve-services). */
  requireCveIds?: boolean;
}

/** Throws PublicationBlocked, listing every problem, unless all documents are fit to publish. */
export function assertPublishable(docs: PublicationDocuments, opts: PublishableOptions = {}): void {
  const problems = [
    ...docs.problems,
    ...(opts.requireCveIds && docs.missingCveIds.length ? [`no CVE ID yet for ${docs.missingCveIds.join(', ')}`] : []),
    ...(nonEmpty(docs.markdown) ? [] : ['the note is empty']),
    ...checkHtml(docs.html),
    ...checkCsaf(docs.csaf),
    ...docs.cveRecords.flatMap(checkCveRecord),
    ...docs.osv.flatMap(checkOsv),
  ];
  if (problems.length) throw new PublicationBlocked(problems);
}
