// Files on a case: an upload is requested (a record, the uploader's bytes counted, a presigned PUT
// for exactly the declared length, type and digest); a message names it (the stored file checked
// once against what was declared, then the message's addressing added to the file's grants); a
// reader fetches it (a presigned GET of at most five minutes) only if domain/attachments.ts says
// so. Anyone else gets the same 404 as for an id that does not exist.
import { randomUUID } from 'node:crypto';
import type { StoredAttachment } from '../adapters/attachment-records.js';
import { type AttachmentRecord, type FileGrant, type FileRef, canAttach, canFetchFile, fileKey, fileRef } from '../domain/attachments.js';
import { type MessageReader, readerKey, readerOf } from '../domain/audience.js';
import { type CaseState, OPEN_PHASES } from '../domain/case.js';
import type { Actor } from '../domain/events.js';
import { HttpError, notFound } from './api/http.js';
import type { AppDeps } from './deps.js';

/** A presigned URL lives this long: long enough to start a transfer, too short to be worth passing on. */
export const URL_SECONDS = 300;
/** At most this many files per message. */
export const MAX_FILES_PER_MESSAGE = 10;

/** At most this many uploads per reporter or vendor per case: tiny files cannot flood the table either. */
export const MAX_FILES_PER_CASE = 200;

export type FileLimit = 'file-size' | 'file-bytes-per-case' | 'files-per-case' | 'files-per-message';

const tooLarge = (limit: FileLimit, max: number, detail: string) =>
  new HttpError(413, 'Content Too Large', detail, [], 'urn:cvd-coordinator:problem:quota-exceeded', {}, { limit, max });

export interface UploadRequest {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** POST …/attachments: 201 with where to PUT the file. */
export async function requestUpload(deps: AppDeps, s: CaseState, actor: Actor, req: UploadRequest) {
  if (!OPEN_PHASES.includes(s.phase))
    throw new HttpError(409, 'Conflict', `files can be added only while the case is open; it is ${s.phase}`);
  const p = deps.policy;
  if (req.size > p.fileBytesMax) throw tooLarge('file-size', p.fileBytesMax, `a file may be at most ${p.fileBytesMax} bytes`);
  const owner = readerKey(readerOf(actor));
  // Coordinators keep room to work: only reporters and vendors have a total.
  if (owner !== 'coordinators') {
    const over = await deps.files.records.reserveBytes(s.caseId, owner, req.size, { bytes: p.fileBytesPerCase, files: MAX_FILES_PER_CASE });
    if (over === 'bytes')
      throw tooLarge(
        'file-bytes-per-case',
        p.fileBytesPerCase,
        `this file would pass your limit of ${p.fileBytesPerCase} bytes of files on this case`,
      );
    if (over === 'files')
      throw tooLarge('files-per-case', MAX_FILES_PER_CASE, `you may upload at most ${MAX_FILES_PER_CASE} files to this case`);
  }
  const record: AttachmentRecord = {
    caseId: s.caseId,
    attachmentId: randomUUID(),
    owner,
    filename: req.filename,
    contentType: req.contentType,
    size: req.size,
    sha256: req.sha256,
    createdAt: deps.now(),
    verified: false,
    grants: [],
  };
  await deps.files.records.create(record);
  const put = await deps.files.store.uploadUrl(fileKey(s.caseId, record.attachmentId), req, URL_SECONDS);
  return {
    attachmentId: record.attachmentId,
    uploadUrl: put.url,
    uploadHeaders: put.headers,
    expiresAt: expiresAt(),
  };
}

/** The URL is signed with the machine's clock, whatever the case's clock says (the local one can be moved). */
const expiresAt = () => new Date(Date.now() + URL_SECONDS * 1000).toISOString();

/**
 * The files a message names, checked before anything of the message is written: each one the
 * writer may attach, uploaded, and matching what was declared (a mismatch is removed). Unknown,
 * another's, or removed: 404, as for an id that does not exist.
 */
export async function filesForMessage(
  deps: AppDeps,
  s: CaseState,
  actor: Actor,
  ids: readonly string[] | undefined,
): Promise<StoredAttachment[]> {
  const unique = [...new Set(ids ?? [])];
  if (unique.length === 0) return [];
  if (unique.length > MAX_FILES_PER_MESSAGE)
    throw tooLarge('files-per-message', MAX_FILES_PER_MESSAGE, `a message may carry at most ${MAX_FILES_PER_MESSAGE} files`);
  const writer = readerOf(actor);
  const out: StoredAttachment[] = [];
  for (const id of unique) {
    const f = await deps.files.records.get(s.caseId, id);
    if (!f || f.removedAt || !canAttach(f, writer)) throw notFound();
    if (!f.verified) await verify(deps, f);
    out.push(f);
  }
  return out;
}

async function verify(deps: AppDeps, f: StoredAttachment): Promise<void> {
  const key = fileKey(f.caseId, f.attachmentId);
  const stored = await deps.files.store.inspect(key);
  if (stored === null)
    throw new HttpError(
      409,
      'Conflict',
      `file ${f.attachmentId} has not been uploaded yet: PUT it to its uploadUrl, then send the message`,
    );
  if (stored.size !== f.size || stored.sha256 !== f.sha256) {
    await deps.files.store.discard(key);
    throw new HttpError(
      400,
      'Bad Request',
      `file ${f.attachmentId} does not match the size and SHA-256 declared for it and was discarded; upload it again`,
    );
  }
  await deps.files.records.markVerified(f.caseId, f.attachmentId);
}

/** Gives the message's readers the files it carries; what the message lists of them. */
export async function grantFiles(deps: AppDeps, files: readonly StoredAttachment[], grant: FileGrant): Promise<FileRef[]> {
  for (const f of files) await deps.files.records.addGrant(f.caseId, f.attachmentId, grant);
  return files.map(fileRef);
}

/** GET …/attachments/{id}: the file's details and a short-lived download link, for those who may have it. */
export async function fetchFile(deps: AppDeps, s: CaseState, reader: MessageReader, attachmentId: string) {
  const f = await deps.files.records.get(s.caseId, attachmentId);
  if (!f || !canFetchFile(f, reader)) throw notFound();
  if (f.removedAt) throw new HttpError(410, 'Gone', 'this file was removed when the case ended (see the retention rule)');
  if (!f.verified && !(await deps.files.store.inspect(fileKey(s.caseId, f.attachmentId))))
    throw new HttpError(409, 'Conflict', 'this file has not been uploaded yet');
  return {
    ...fileRef(f),
    downloadUrl: await deps.files.store.downloadUrl(fileKey(s.caseId, f.attachmentId), URL_SECONDS),
    expiresAt: expiresAt(),
  };
}

/** PUT /cases/{caseId}/file-retention: whether the case's files outlive its publication. */
export async function setFileRetention(deps: AppDeps, s: CaseState, actor: Actor, keep: boolean) {
  const retention = { keep, by: actor.participant ?? actor.role, at: deps.now() };
  await deps.files.records.setRetention(s.caseId, retention);
  return retention;
}

/**
 * The retention rule, once the note is published: every file of the case is removed with all its
 * versions, unless a coordinator chose to keep them. Each file is purged, then marked removed, so
 * a retry after a failure picks up where it stopped.
 */
export async function applyFileRetention(deps: AppDeps, caseId: string): Promise<{ removed: number; kept: boolean }> {
  if ((await deps.files.records.retentionOf(caseId))?.keep) return { removed: 0, kept: true };
  let removed = 0;
  for (const f of await deps.files.records.listForCase(caseId)) {
    if (f.removedAt) continue;
    await deps.files.store.purge(fileKey(caseId, f.attachmentId));
    await deps.files.records.markRemoved(caseId, f.attachmentId, deps.now());
    removed++;
  }
  return { removed, kept: false };
}
