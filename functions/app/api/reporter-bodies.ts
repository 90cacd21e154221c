// What reporters send after their report (docs/api.md, "Reporter routes"), as zod/mini schemas.
import * as z from 'zod/mini';
import { LIMITS } from '../../domain/limits.js';
import { instant, requiredText } from './schema-kit.js';

/** A reporter's or a vendor's proposed embargo end (PUT /reports/{caseId}/embargo, PUT /vendor/cases/{caseId}/embargo). */
export const EmbargoProposalBodySchema = z.object({
  endsAt: instant('endsAt'),
  reason: requiredText(LIMITS.embargoReason, 'reason'),
});
export type EmbargoProposalBody = z.output<typeof EmbargoProposalBodySchema>;
