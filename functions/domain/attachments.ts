// Files on a case. A file belongs to whoever uploaded it until a message names it; from then on
// every reader of that message may fetch it too. Who may fetch a file is decided here, from the
// file's record alone (its owner and the addressing of each message that carries it), never from
// a list filtered for someone else. The stored object's key is ours (case and file ids); the
// uploader's file name is data, shown and put in a download header only through contentDisposition.
import { type Addressed, type MessageReader, canRead, readerKey } from './audience.js';
import type { FileRef } from './file-ref.js';

export type { FileRef };

/** What a message that carries a file says about whom it reaches: enough for canRead. */
export interface FileGrant extends Addressed {
  messageId: string;
}

/** A file as recorded on the case. */
export interface AttachmentRecord {
  caseId: string;
  attachmentId: string;
  /** readerKey of the uploader: 'reporter', 'vendor:<id>' or 'coordinators'. */
  owner: string;
  filename: string;
  contentType: string;
  size: number;
  /** Lower-case hex, as declared at upload and checked once the file is in the store. */
  sha256: string;
  createdAt: string;
  /** The stored file matched its declared size and digest (checked when a message first names it). */
  verified: boolean;
  /** Each message that carries the file. */
  grants: FileGrant[];
  /** When the file's content was removed under the retention rule; the record stays. */
  removedAt?: string;
}

/** The file's uploader, or a reader of a message that carries it. Anyone else is told it does not exist. */
export const canFetchFile = (f: AttachmentRecord, reader: MessageReader): boolean =>
  f.owner === readerKey(reader) || reader.kind === 'coordinators' || f.grants.some((g) => canRead(g, reader));

/**
 * Which files a writer may name in a message: their own; a coordinator also any file a message
 * already carries (forwarding a vendor's patch to downstream vendors), never another's unsent upload.
 */
export const canAttach = (f: AttachmentRecord, writer: MessageReader): boolean =>
  f.owner === readerKey(writer) || (writer.kind === 'coordinators' && f.grants.length > 0);

/** The object's key in the bucket: ids only, nothing a participant chose. */
export const fileKey = (caseId: string, attachmentId: string) => `cases/${caseId}/${attachmentId}`;
export const caseFilesPrefix = (caseId: string) => `cases/${caseId}/`;

/** The headers a browser sends with a presigned upload (the bucket's CORS rule allows exactly these). */
export const FILE_UPLOAD_HEADERS = ['content-type', 'content-disposition', 'x-amz-checksum-sha256'] as const;

export const MAX_FILENAME = 200;
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Why a file name is refused, or null: one path segment, no reserved or invisible characters. */
export function filenameProblem(name: string): string | null {
  if (name.length === 0 || name.length > MAX_FILENAME) return `filename must be 1 to ${MAX_FILENAME} characters`;
  if (/[/\\]/.test(name)) return 'filename must be a name without a folder (no / or \\)';
  if (name === '.' || name === '..') return 'filename must be a name, not . or ..';
  return null;
}

export const contentTypeProblem = (t: string): string | null =>
  CONTENT_TYPE.test(t) ? null : 'contentType must be a media type such as application/pdf (lower case, no parameters)';

/**
 * The Content-Disposition of a download: always an attachment (never shown inline), with an ASCII
 * fallback name that cannot end the quoted string, and the exact name percent-encoded (RFC 6266).
 */
export function contentDisposition(filename: string): string {
  // Accents dropped (é → e), anything else outside a safe set becomes _.
  const ascii =
    filename
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._ -]/g, '_')
      .slice(0, MAX_FILENAME) || 'file';
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

export const fileRef = (f: AttachmentRecord): FileRef => ({
  attachmentId: f.attachmentId,
  filename: f.filename,
  contentType: f.contentType,
  size: f.size,
  sha256: f.sha256,
});
