// What vendors send (docs/api.md, "Vendor routes"), as zod/mini schemas.
import * as z from 'zod/mini';
import { LIMITS } from '../../domain/limits.js';
import { VENDOR_STATUSES } from '../../domain/events.js';
import { participantMessageFields } from './message-bodies.js';
import { bool, cveId, enumOf, idText, requiredText, text } from './schema-kit.js';

export const AcknowledgeBodySchema = z.object({});

export const VendorStatusBodySchema = z.object({
  vulnerabilities: z._default(
    z
      .array(
        z.object({ id: idText('vulnerabilities[].id'), status: enumOf(VENDOR_STATUSES, 'vulnerabilities[].status') }),
        'vulnerabilities must be a list',
      )
      .check(z.maxLength(100, 'at most 100 vulnerabilities')),
    [],
  ),
  fixReady: z.optional(bool('fixReady')),
  fixDeployed: z.optional(bool('fixDeployed')),
  statement: z.optional(text(LIMITS.text, 'statement')),
  isCna: z.optional(bool('isCna')),
  /**
   * CVE IDs the vendor (a CNA) assigned: `[{ vulnerabilityId, cveId }]`, or a list of IDs aligned
   * with `vulnerabilities` (the i-th ID belongs to the i-th entry's id).
   */
  cveIds: z.optional(
    z.union(
      [
        z.array(z.object({ vulnerabilityId: idText('cveIds[].vulnerabilityId'), cveId: cveId('cveIds[].cveId') })),
        z.array(cveId('cveIds[]')),
      ],
      'cveIds must be a list of { vulnerabilityId, cveId } or a list of CVE IDs aligned with vulnerabilities',
    ),
  ),
});
export type VendorStatusBody = z.output<typeof VendorStatusBodySchema>;

export const VendorMessageBodySchema = z.object({
  kind: z._default(enumOf(['comment', 'draft-comment'], 'kind'), 'comment'),
  body: requiredText(LIMITS.text, 'body'),
  ...participantMessageFields,
});
export type VendorMessageBody = z.output<typeof VendorMessageBodySchema>;
