// The publication use cases: CVE IDs before the draft goes out, and at publication the documents
// (note HTML, CSAF, CVE records, OSV) built, validated and written as the public NOTE# item, then
// the CVE records sent to CVE Services for the IDs we assigned.
//
// Runtime validation: the BSI CSAF validator (with its CWE catalogue, ajv schemas and cvss2js) is
// measured at ~1.1 MB minified when bundled with esbuild, more than the rest of a workflow handler,
// so the Lambda runs `assertPublishable` (hand-written structural checks of the rules a case's data
// can break) and the tests run the full validators on every document the renderers produce.
import type { CvePool } from '../adapters/cve-pool.js';
import type { CveServices } from '../adapters/cve-services.js';
import { MAX_DOCUMENTS_BYTES, type NoteStore, type PublishedNote, encodeDocuments } from '../adapters/note-store.js';
import type { CaseState } from '../domain/case.js';
import { SYSTEM_ACTOR } from '../domain/events.js';
import { type PublicationDocuments, buildDocuments as renderDocuments } from '../domain/publication/documents.js';
import { type PublicationOptions, noteUrls, vulnerabilityFacts } from '../domain/publication/facts.js';
import { renderAtomFeed, renderJsonFeed } from '../domain/publication/feeds.js';
import { NOTE_PAGE_CSP } from '../domain/publication/note-page.js';
import { renderSecurityTxt } from '../domain/publication/security-txt.js';
import { PublicationBlocked, assertPublishable } from '../domain/publication/validate.js';
import { execute } from './commands.js';
import type { AppDeps } from './deps.js';

export { type PublicationConfig, publicationConfigFromEnv } from './publication-config.js';
import type { PublicationConfig } from './publication-config.js';

export const publicationOptions = (c: PublicationConfig, noteId: string, publishedAt: string): PublicationOptions => ({
  noteId,
  publishedAt,
  publicBaseUrl: c.publicBaseUrl,
  coordinatorName: c.coordinatorName,
  cveOrgId: c.cveOrgId,
  ...(c.cveShortName ? { cveShortName: c.cveShortName } : {}),
  osvPrefix: c.osvPrefix,
});

// ---- CVE IDs --------------------------------------------------------------------------------

export interface CveAssignmentReport {
  /** IDs assigned by this call. */
  assigned: { vulnerabilityId: string; cveId: string; source: 'pool' | 'cve-services' }[];
  /** Vulnerabilities that an affected vendor, being a CNA, is to number (and has not yet). */
  awaitingVendor: { vulnerabilityId: string; vendorIds: string[] }[];
  /** Vulnerabilities still without an ID after this call (vendor ones included). */
  missing: string[];
}

export interface CveDeps {
  pool?: CvePool;
  cveServices?: CveServices;
  publication: Pick<PublicationConfig, 'cveMode' | 'cveShortName'>;
}

/**
 * Gives every vulnerability without a CVE ID one from the configured source (DOMAIN.md item 8),
 * except those an affected vendor that is a CNA numbers itself (vendor-cve-assigned). Safe to
 * retry: the pool is idempotent per (case, vulnerability), and an assigned ID is recorded at once.
 * Throws CvePoolExhausted (by name) when the pool is empty.
 */
export async function assignCveIdsFor(deps: Pick<AppDeps, 'store' | 'policy' | 'now'> & CveDeps, state: CaseState): Promise<{ state: CaseState; report: CveAssignmentReport }> {
  const report: CveAssignmentReport = { assigned: [], awaitingVendor: [], missing: [] };
  let s = state;
  for (const v of state.vulnerabilities) {
    if (v.cveId) continue;
    const cnaVendors = vulnerabilityFacts(state, v)
      .products.filter((p) => p.vendorState?.isCna && p.vendorStatus !== 'not-affected')
      .map((p) => p.vendorState?.vendorId ?? '');
    if (cnaVendors.length) {
      report.awaitingVendor.push({ vulnerabilityId: v.vulnerabilityId, vendorIds: [...new Set(cnaVendors)] });
      continue;
    }
    const mode = deps.publication.cveMode;
    let cveId: string | null = null;
    if (mode === 'pool' && deps.pool) cveId = await deps.pool.take(state.caseId, v.vulnerabilityId);
    else if (mode === 'cve-services' && deps.cveServices) {
      const year = Number(deps.now().slice(0, 4));
      [cveId = null] = await deps.cveServices.reserveIds({ amount: 1, year, ...(deps.publication.cveShortName ? { shortName: deps.publication.cveShortName } : {}) });
    }
    if (!cveId) continue;
    const source = mode === 'pool' ? 'pool' : 'cve-services';
    s = (await execute(deps, state.caseId, { type: 'assign-cve', vulnerabilityId: v.vulnerabilityId, cveId, source }, SYSTEM_ACTOR)).state;
    report.assigned.push({ vulnerabilityId: v.vulnerabilityId, cveId, source });
  }
  report.missing = s.vulnerabilities.filter((v) => !v.cveId).map((v) => v.vulnerabilityId);
  return { state: s, report };
}

// ---- documents and publication --------------------------------------------------------------

/** The documents of the case as they would be published at `publishedAt` (as note `noteId`). */
export function buildDocuments(state: CaseState, opts: PublicationOptions): PublicationDocuments {
  return renderDocuments(state, opts);
}

export const toPublishedNote = (d: PublicationDocuments): PublishedNote => ({
  noteId: d.noteId,
  caseId: d.caseId,
  title: d.title,
  summary: d.summary,
  publishedAt: d.publishedAt,
  revision: d.revision,
  markdown: d.markdown,
  html: d.html,
  csaf: d.csaf,
  cveRecords: d.cveRecords,
  osv: d.osv,
});

/** Validates the documents and that they fit in the store; throws PublicationBlocked listing every problem. */
export function assertDocumentsPublishable(d: PublicationDocuments, config: Pick<PublicationConfig, 'requireCveIds'>): void {
  assertPublishable(d, { requireCveIds: config.requireCveIds });
  const size = encodeDocuments(toPublishedNote(d)).byteLength;
  if (size > MAX_DOCUMENTS_BYTES) throw new PublicationBlocked([`the note's documents take ${size} bytes compressed, more than the ${MAX_DOCUMENTS_BYTES} a note may store; shorten the statements or descriptions`]);
}

/**
 * Before the `publish` command: builds the documents as they will go out and refuses loudly
 * (PublicationBlocked) if any is unfit, so nothing is published that cannot be.
 */
export function preparePublication(state: CaseState, config: PublicationConfig, noteId: string, now: string): PublicationDocuments {
  const docs = renderDocuments(state, publicationOptions(config, noteId, now));
  assertDocumentsPublishable(docs, config);
  return docs;
}

/**
 * After the `publish` command (the case is `published`): writes the public NOTE# item from the case
 * as published. Idempotent: a retry rewrites the same item. Refuses a case that is not published,
 * so nothing of an unpublished case ever reaches the public routes.
 */
export async function publishDocuments(deps: { notes: NoteStore }, state: CaseState, config: PublicationConfig): Promise<PublishedNote> {
  const p = state.published;
  if (!p) throw new PublicationBlocked([`case ${state.caseId} is not published (phase ${state.phase})`]);
  const docs = renderDocuments(state, { ...publicationOptions(config, p.noteId, p.at), revision: p.revision });
  assertDocumentsPublishable(docs, config);
  const note = toPublishedNote(docs);
  await deps.notes.put(note);
  return note;
}

/**
 * Sends the CVE records of the IDs this coordinator assigned (pool or CVE Services) to CVE
 * Services; vendor-assigned IDs are the vendor's to publish. Returns the IDs sent.
 */
export async function publishCveRecordsFor(deps: { notes: NoteStore; cveServices?: CveServices }, state: CaseState): Promise<string[]> {
  if (!state.published || !deps.cveServices) return [];
  const note = await deps.notes.get(state.published.noteId);
  if (!note) throw new PublicationBlocked([`note ${state.published.noteId} has not been stored yet`]);
  const ours = new Set(state.vulnerabilities.filter((v) => v.cveSource === 'pool' || v.cveSource === 'cve-services').map((v) => v.cveId));
  const sent: string[] = [];
  for (const r of note.cveRecords) {
    if (!ours.has(r.cveId)) continue;
    await deps.cveServices.publishCnaContainer(r.cveId, r.cnaContainer);
    sent.push(r.cveId);
  }
  return sent;
}

// ---- the public routes ----------------------------------------------------------------------

export interface PublicRequest {
  /** The API Gateway resource (e.g. '/notes/{id}'), or the path when there is none. */
  route: string;
  params: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
}

export interface PublicResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface PublicDeps {
  notes: NoteStore;
  config: Pick<PublicationConfig, 'publicBaseUrl' | 'coordinatorName'> & {
    coordinatorEmails: readonly string[];
    securityPolicyUrl?: string;
    preferredLanguages?: string;
  };
  now: () => string;
}

const COMMON = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
const CACHE = { 'cache-control': 'public, max-age=300' };
const jsonOf = (status: number, body: unknown, type = 'application/json'): PublicResponse => ({ status, headers: { ...COMMON, ...CACHE, 'content-type': `${type}; charset=utf-8` }, body: JSON.stringify(body) });
const problem = (status: number, title: string, detail: string): PublicResponse => ({
  status,
  headers: { ...COMMON, 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
  body: JSON.stringify({ type: 'about:blank', title, status, detail, errors: [] }),
});
const notFound = () => problem(404, 'Not Found', 'no published note here');

/** `Accept: text/html` wins over JSON only when the client ranks it at least as high. */
function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const q = (type: string) => {
    for (const part of accept.split(',')) {
      const [media, ...params] = part.trim().toLowerCase().split(';');
      if (media?.trim() !== type) continue;
      const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return qp ? Number(qp.slice(2)) || 0 : 1;
    }
    return -1;
  };
  const html = q('text/html');
  return html > 0 && html >= q('application/json');
}

const stripSuffix = (id: string | undefined, suffix: string): { id: string; had: boolean } =>
  id !== undefined && id.endsWith(suffix) ? { id: id.slice(0, -suffix.length), had: true } : { id: id ?? '', had: false };

/** Serves the public routes from NOTE# items only: nothing of an unpublished case is reachable here. */
export async function servePublic(deps: PublicDeps, req: PublicRequest): Promise<PublicResponse> {
  const feedOptions = { publicBaseUrl: deps.config.publicBaseUrl, coordinatorName: deps.config.coordinatorName };
  const limit = req.query.limit !== undefined ? Number(req.query.limit) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100)) return problem(400, 'Bad Request', 'limit must be an integer from 1 to 100');
  try {
    switch (req.route) {
      case '/notes': {
        const page = await deps.notes.list({ ...(limit ? { limit } : {}), ...(req.query.cursor ? { cursor: req.query.cursor } : {}) });
        const base = deps.config.publicBaseUrl;
        return jsonOf(200, { notes: page.notes.map((n) => ({ ...n, url: noteUrls({ publicBaseUrl: base, noteId: n.noteId }).note })), ...(page.cursor ? { cursor: page.cursor } : {}) });
      }
      case '/notes/{id}': {
        const { id, had: html } = stripSuffix(req.params.id, '.html');
        const note = id ? await deps.notes.get(id) : null;
        if (!note) return notFound();
        if (html || wantsHtml(req.headers.accept))
          return { status: 200, headers: { ...COMMON, ...CACHE, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': NOTE_PAGE_CSP, vary: 'Accept' }, body: note.html };
        const urls = noteUrls({ publicBaseUrl: deps.config.publicBaseUrl, noteId: note.noteId });
        const r = jsonOf(200, {
          noteId: note.noteId,
          title: note.title,
          summary: note.summary,
          publishedAt: note.publishedAt,
          revision: note.revision,
          markdown: note.markdown,
          cveIds: note.cveRecords.map((c) => c.cveId),
          links: { html: urls.html, csaf: urls.csaf, cve: note.cveRecords.map((c) => urls.cve(c.cveId)) },
          osv: note.osv,
        });
        return { ...r, headers: { ...r.headers, vary: 'Accept' } };
      }
      case '/notes/{id}/csaf.json': {
        const note = req.params.id ? await deps.notes.get(req.params.id) : null;
        return note ? jsonOf(200, note.csaf) : notFound();
      }
      case '/notes/{id}/cve/{cveId}': {
        const { id: cveId } = stripSuffix(req.params.cveId, '.json');
        const note = req.params.id ? await deps.notes.get(req.params.id) : null;
        const record = note?.cveRecords.find((c) => c.cveId === cveId);
        if (!note || !record) return notFound();
        return jsonOf(200, {
          dataType: 'CVE_RECORD',
          dataVersion: '5.1',
          cveMetadata: { cveId: record.cveId, assignerOrgId: record.cnaContainer.providerMetadata.orgId, state: 'PUBLISHED', datePublished: note.publishedAt },
          containers: { cna: record.cnaContainer },
        });
      }
      case '/feed.json': {
        const page = await deps.notes.list({ limit: limit ?? 50 });
        return jsonOf(200, renderJsonFeed(page.notes, feedOptions), 'application/feed+json');
      }
      case '/feed.atom': {
        const page = await deps.notes.list({ limit: limit ?? 50 });
        return { status: 200, headers: { ...COMMON, ...CACHE, 'content-type': 'application/atom+xml; charset=utf-8' }, body: renderAtomFeed(page.notes, feedOptions, deps.now()) };
      }
      case '/.well-known/security.txt': {
        const text = renderSecurityTxt({
          publicBaseUrl: deps.config.publicBaseUrl,
          contacts: deps.config.coordinatorEmails,
          ...(deps.config.securityPolicyUrl ? { policyUrl: deps.config.securityPolicyUrl } : {}),
          ...(deps.config.preferredLanguages ? { preferredLanguages: deps.config.preferredLanguages } : {}),
          now: deps.now(),
        });
        return text ? { status: 200, headers: { ...COMMON, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=3600' }, body: text } : notFound();
      }
      default:
        return notFound();
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'InvalidCursor') return problem(400, 'Bad Request', e.message);
    throw e;
  }
}
