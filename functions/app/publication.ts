// The publication use cases: CVE IDs before the draft goes out, and at publication the documents
// (note HTML, CSAF, CVE records, OSV) built, validated and written as the public NOTE# item, then
// the CVE records sent to CVE Services for the IDs we assigned.
//
// Runtime validation: the BSI CSAF validator (with its CWE catalogue, ajv schemas and cvss2js) is
// measured at ~1.1 MB minified when bundled with esbuild, more than the rest of a workflow handler,
// so the Lambda runs `assertPublishable` (hand-written structural checks of the rules a case's data
// can break) and the tests run the full validators on every document the renderers produce.
import { MAX_DOCUMENTS_BYTES, type NoteStore, type PublishedNote, encodeDocuments } from '../adapters/note-store.js';
import type { CaseState } from '../domain/case.js';
import { noteRevisions } from '../domain/note-revisions.js';
import { type PublicationDocuments, buildDocuments as renderDocuments } from '../domain/publication/documents.js';
import type { PublicationOptions } from '../domain/publication/facts.js';
import { PublicationBlocked, assertPublishable } from '../domain/publication/validate.js';

export type { PublicationConfig } from './publication-config.js';
export * from './cve-ids.js';
export * from './public-notes.js';
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
  ...(d.updatedAt ? { updatedAt: d.updatedAt } : {}),
  ...(d.noteRevision ? { noteRevision: d.noteRevision } : {}),
  ...(d.changeSummary ? { changeSummary: d.changeSummary } : {}),
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
  if (size > MAX_DOCUMENTS_BYTES)
    throw new PublicationBlocked([
      `the note's documents take ${size} bytes compressed, more than the ${MAX_DOCUMENTS_BYTES} a note may store; shorten the statements or descriptions`,
    ]);
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
  const docs = renderDocuments(state, {
    ...publicationOptions(config, p.noteId, p.at),
    revision: p.revision,
    revisions: noteRevisions(state),
  });
  assertDocumentsPublishable(docs, config);
  const note = toPublishedNote(docs);
  await deps.notes.put(note);
  return note;
}
