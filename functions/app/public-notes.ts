// The public routes: published notes, their documents, the feeds, security.txt and the team's
// OpenPGP public key. They read only published NOTE# items and that key, so nothing of an
// unpublished case is reachable without credentials.
import type { NoteStore } from '../adapters/note-store.js';
import { vexOf } from '../domain/publication/csaf-vex.js';
import { noteUrls } from '../domain/publication/facts.js';
import { renderAtomFeed, renderJsonFeed } from '../domain/publication/feeds.js';
import { NOTE_PAGE_CSP } from '../domain/publication/note-page.js';
import { renderSecurityTxt } from '../domain/publication/security-txt.js';
import type { PublicationConfig } from './publication-config.js';

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
  /** The team's armored OpenPGP public key, or null when none is configured. */
  pgpPublicKey?: () => Promise<string | null>;
  now: () => string;
}

const COMMON = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
const CACHE = { 'cache-control': 'public, max-age=300' };
const jsonOf = (status: number, body: unknown, type = 'application/json'): PublicResponse => ({
  status,
  headers: { ...COMMON, ...CACHE, 'content-type': `${type}; charset=utf-8` },
  body: JSON.stringify(body),
});
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

/**
 * No note or CVE id is longer. A longer one is no note, and as a table key it would exceed
 * DynamoDB's limit and fail the request with a 500 instead of the 404.
 */
const MAX_ID = 128;
const idParam = (v: string | undefined): string => (v !== undefined && v.length <= MAX_ID ? v : '');

const stripSuffix = (id: string | undefined, suffix: string): { id: string; had: boolean } =>
  id?.endsWith(suffix) ? { id: id.slice(0, -suffix.length), had: true } : { id: id ?? '', had: false };

/** Serves the public routes from NOTE# items only: nothing of an unpublished case is reachable here. */
export async function servePublic(deps: PublicDeps, req: PublicRequest): Promise<PublicResponse> {
  const feedOptions = { publicBaseUrl: deps.config.publicBaseUrl, coordinatorName: deps.config.coordinatorName };
  const limit = req.query.limit !== undefined ? Number(req.query.limit) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100))
    return problem(400, 'Bad Request', 'limit must be an integer from 1 to 100');
  try {
    switch (req.route) {
      case '/notes': {
        const page = await deps.notes.list({ ...(limit ? { limit } : {}), ...(req.query.cursor ? { cursor: req.query.cursor } : {}) });
        const base = deps.config.publicBaseUrl;
        return jsonOf(200, {
          notes: page.notes.map((n) => ({ ...n, url: noteUrls({ publicBaseUrl: base, noteId: n.noteId }).note })),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        });
      }
      case '/notes/{id}': {
        const { id, had: html } = stripSuffix(idParam(req.params.id), '.html');
        const note = id ? await deps.notes.get(id) : null;
        if (!note) return notFound();
        if (html || wantsHtml(req.headers.accept))
          return {
            status: 200,
            headers: {
              ...COMMON,
              ...CACHE,
              'content-type': 'text/html; charset=utf-8',
              'content-security-policy': NOTE_PAGE_CSP,
              vary: 'Accept',
            },
            body: note.html,
          };
        const urls = noteUrls({ publicBaseUrl: deps.config.publicBaseUrl, noteId: note.noteId });
        const r = jsonOf(200, {
          noteId: note.noteId,
          title: note.title,
          summary: note.summary,
          publishedAt: note.publishedAt,
          ...(note.updatedAt ? { updatedAt: note.updatedAt, noteRevision: note.noteRevision, changeSummary: note.changeSummary } : {}),
          revision: note.revision,
          markdown: note.markdown,
          cveIds: note.cveRecords.map((c) => c.cveId),
          links: { html: urls.html, csaf: urls.csaf, cve: note.cveRecords.map((c) => urls.cve(c.cveId)) },
          osv: note.osv,
        });
        return { ...r, headers: { ...r.headers, vary: 'Accept' } };
      }
      case '/notes/{id}/csaf.json': {
        const id = idParam(req.params.id);
        const note = id ? await deps.notes.get(id) : null;
        return note ? jsonOf(200, note.csaf) : notFound();
      }
      case '/notes/{id}/csaf-vex.json': {
        const id = idParam(req.params.id);
        const note = id ? await deps.notes.get(id) : null;
        return note ? jsonOf(200, vexOf(note.csaf, { publicBaseUrl: deps.config.publicBaseUrl, noteId: note.noteId })) : notFound();
      }
      case '/notes/{id}/cve/{cveId}': {
        const { id: cveId } = stripSuffix(idParam(req.params.cveId), '.json');
        const id = idParam(req.params.id);
        const note = id ? await deps.notes.get(id) : null;
        const record = note?.cveRecords.find((c) => c.cveId === cveId);
        if (!note || !record) return notFound();
        return jsonOf(200, {
          dataType: 'CVE_RECORD',
          dataVersion: '5.1',
          cveMetadata: {
            cveId: record.cveId,
            assignerOrgId: record.cnaContainer.providerMetadata.orgId,
            state: 'PUBLISHED',
            datePublished: note.publishedAt,
            ...(note.updatedAt ? { dateUpdated: note.updatedAt } : {}),
          },
          containers: { cna: record.cnaContainer },
        });
      }
      case '/feed.json': {
        const page = await deps.notes.list({ limit: limit ?? 50 });
        return jsonOf(200, renderJsonFeed(page.notes, feedOptions), 'application/feed+json');
      }
      case '/feed.atom': {
        const page = await deps.notes.list({ limit: limit ?? 50 });
        return {
          status: 200,
          headers: { ...COMMON, ...CACHE, 'content-type': 'application/atom+xml; charset=utf-8' },
          body: renderAtomFeed(page.notes, feedOptions, deps.now()),
        };
      }
      case '/pgp-key.asc': {
        const key = deps.pgpPublicKey ? await deps.pgpPublicKey() : null;
        return key
          ? {
              status: 200,
              headers: { ...COMMON, 'content-type': 'application/pgp-keys', 'cache-control': 'public, max-age=3600' },
              body: key,
            }
          : notFound(); // the same 404 as every public route: no key configured says nothing more
      }
      case '/.well-known/security.txt': {
        const encryption = deps.pgpPublicKey ? (await deps.pgpPublicKey()) !== null : false;
        const text = renderSecurityTxt({
          encryption,
          publicBaseUrl: deps.config.publicBaseUrl,
          contacts: deps.config.coordinatorEmails,
          ...(deps.config.securityPolicyUrl ? { policyUrl: deps.config.securityPolicyUrl } : {}),
          ...(deps.config.preferredLanguages ? { preferredLanguages: deps.config.preferredLanguages } : {}),
          now: deps.now(),
        });
        return text
          ? {
              status: 200,
              headers: { ...COMMON, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=3600' },
              body: text,
            }
          : notFound();
      }
      default:
        return notFound();
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'InvalidCursor') return problem(400, 'Bad Request', e.message);
    throw e;
  }
}
