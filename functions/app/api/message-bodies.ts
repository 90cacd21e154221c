// What a message adds to a request body (docs/api.md, "Messages"): a coordinator names the
// audience; a reporter or vendor may name the message it answers, never an audience.
import * as z from 'zod/mini';
import { AUDIENCE_GROUPS } from '../../domain/audience.js';
import { LIMITS } from '../../domain/limits.js';
import { enumOf, idText, requiredText } from './schema-kit.js';

/** At most this many files per message. */
export const MAX_ATTACHMENTS = 10;

export const replyFields = {
  inReplyTo: z.optional(idText('inReplyTo')),
  attachmentIds: z.optional(
    z
      .array(idText('attachmentIds[]'), 'attachmentIds must be a list')
      .check(z.maxLength(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} attachments`)),
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
