// What a message adds to a request body (docs/api.md, "Messages"): a coordinator names the
// audience; a reporter or vendor may name the message it answers, never an audience.
import * as z from 'zod/mini';
import { MAX_FILENAME, SHA256_HEX, contentTypeProblem, filenameProblem } from '../../domain/attachments.js';
import { AUDIENCE_GROUPS } from '../../domain/audience.js';
import { LIMITS } from '../../domain/limits.js';
import { plainText } from '../../domain/text-checks.js';
import { enumOf, idText, instant, requiredText } from './schema-kit.js';

/** A list longer than this is malformed (400); the limit on files per message (413) is lower. */
export const MAX_ATTACHMENT_IDS = 50;

export const replyFields = {
  inReplyTo: z.optional(idText('inReplyTo')),
  attachmentIds: z.optional(
    z
      .array(idText('attachmentIds[]'), 'attachmentIds must be a list')
      .check(z.maxLength(MAX_ATTACHMENT_IDS, `attachmentIds must list at most ${MAX_ATTACHMENT_IDS} ids`)),
  ),
};

/** A participant's message carries no audience: it goes to the coordinators, and saying otherwise is an error. */
export const participantMessageFields = {
  ...replyFields,
  to: z.optional(z.never('reporters and vendors write to the coordinators only: leave out "to"')),
};

export const AudienceSchema = z.union(
  [
    enumOf(AUDIENCE_GROUPS, 'to'),
    z.object({
      vendorIds: z
        .array(idText('to.vendorIds[]'), 'to.vendorIds must be a list of vendor ids')
        .check(
          z.minLength(1, 'to.vendorIds must name at least one vendor'),
          z.maxLength(LIMITS.vendors, `at most ${LIMITS.vendors} vendors`),
        ),
    }),
  ],
  `to must be one of ${AUDIENCE_GROUPS.map((g) => `"${g}"`).join(', ')} or { "vendorIds": [...] }`,
);

export const CoordinatorMessageBodySchema = z.object({
  to: AudienceSchema,
  body: requiredText(LIMITS.text, 'body'),
  ...replyFields,
});
export type CoordinatorMessageBody = z.output<typeof CoordinatorMessageBodySchema>;

/** POST …/attachments: what the uploader declares; the bucket then takes exactly those bytes. */
export const AttachmentBodySchema = z.object({
  filename: z.string('filename is required and must be text').check(
    z.trim(),
    z.maxLength(MAX_FILENAME, `filename must be at most ${MAX_FILENAME} characters`),
    ...plainText('filename', 'single'),
    z.refine((s) => filenameProblem(s) === null, { message: 'filename must be a name without a folder (no / or \\), not empty, . or ..' }),
  ),
  contentType: z.string('contentType is required and must be text').check(
    z.refine((s) => contentTypeProblem(s) === null, {
      message: 'contentType must be a media type such as application/pdf (lower case, no parameters)',
    }),
  ),
  size: z
    .number('size is required and must be a number of bytes')
    .check(z.int('size must be a whole number of bytes'), z.positive('size must be at least 1 byte')),
  sha256: z
    .string('sha256 is required and must be text')
    .check(z.regex(SHA256_HEX, "sha256 must be the file's SHA-256 in 64 lower-case hex digits")),
});
export type AttachmentBody = z.output<typeof AttachmentBodySchema>;

/** PUT /cases/{caseId}/file-retention: keep the case's files after publication, or not (the default). */
export const FileRetentionBodySchema = z.object({ keep: z.boolean('keep must be true or false') });

// The participants' own message bodies: here, beside the fields they share, so that the
// conversations function does not bundle the rest of the reporters' and vendors' schemas.
export const REPORTER_MESSAGE_KINDS = ['information', 'comment', 'draft-comment', 'self-disclosure'] as const;

export const ReporterMessageBodySchema = z.object({
  kind: enumOf(REPORTER_MESSAGE_KINDS, 'kind'),
  body: requiredText(LIMITS.text, 'body'),
  /** For self-disclosure: when it is (or was) public; omitted means now. */
  disclosureDate: z.optional(instant('disclosureDate')),
  ...participantMessageFields,
});
export type ReporterMessageBody = z.output<typeof ReporterMessageBodySchema>;

export const VendorMessageBodySchema = z.object({
  kind: z._default(enumOf(['comment', 'draft-comment'], 'kind'), 'comment'),
  body: requiredText(LIMITS.text, 'body'),
  ...participantMessageFields,
});
export type VendorMessageBody = z.output<typeof VendorMessageBodySchema>;
