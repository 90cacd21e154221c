// What reporters send after their report (docs/api.md, "Reporter routes"), as zod/mini schemas.
import * as z from 'zod/mini';
import { LIMITS } from '../../domain/limits.js';
import { participantMessageFields } from './message-bodies.js';
import { enumOf, instant, requiredText } from './schema-kit.js';

export const REPORTER_MESSAGE_KINDS = ['information', 'comment', 'draft-comment', 'self-disclosure'] as const;

export const ReporterMessageBodySchema = z.object({
  kind: enumOf(REPORTER_MESSAGE_KINDS, 'kind'),
  body: requiredText(LIMITS.text, 'body'),
  /** For self-disclosure: when it is (or was) public; omitted means now. */
  disclosureDate: z.optional(instant('disclosureDate')),
  ...participantMessageFields,
});
export type ReporterMessageBody = z.output<typeof ReporterMessageBodySchema>;

/** A reporter's or a vendor's proposed embargo end (PUT /reports/{caseId}/embargo, PUT /vendor/cases/{caseId}/embargo). */
export const EmbargoProposalBodySchema = z.object({
  endsAt: instant('endsAt'),
  reason: requiredText(LIMITS.embargoReason, 'reason'),
});
export type EmbargoProposalBody = z.output<typeof EmbargoProposalBodySchema>;
