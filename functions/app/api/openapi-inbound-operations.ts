// GET /inbound/held in the OpenAPI document: received mail kept for a coordinator (docs/api.md).
import * as z from 'zod/mini';
import { HOLD_REASONS } from '../../domain/inbound-mail.js';
import type { Operation } from './openapi-types.js';

const Held = z.object({
  heldId: z.string(),
  at: z.string(),
  reason: z.enum(HOLD_REASONS),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  caseId: z.nullable(z.string()),
  verdicts: z.object({ spf: z.string(), dkim: z.string(), dmarc: z.string() }),
  attachments: z.array(z.object({ filename: z.string(), size: z.number() })),
  objectKey: z.string(),
});

export const INBOUND_RESPONSES = {
  HeldMail: z.object({ held: z.array(Held), reasons: z.array(z.enum(HOLD_REASONS)) }),
};

export const INBOUND_OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/inbound/held',
    auth: 'coordinator',
    operationId: 'listHeldMail',
    summary:
      'Received mail kept for a coordinator instead of applied (a forged or unauthenticated reply, an unknown address, over a limit…), newest first, at most 100',
    status: 200,
    response: 'HeldMail',
    query: [{ name: 'limit', description: 'how many (default 50, at most 100)', schema: { type: 'integer', minimum: 1, maximum: 100 } }],
    problems: [400, 401, 403, 429, 500],
  },
];
