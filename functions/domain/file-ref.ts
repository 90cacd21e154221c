// A file as a message lists it, for any of its readers (functions/domain/attachments.ts decides who).
export interface FileRef {
  attachmentId: string;
  filename: string;
  contentType: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
}
