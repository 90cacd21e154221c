// What vendors send (docs/api.md, "Vendor routes"), as zod/mini schemas.
import * as z from 'zod/mini';
import { LIMITS } from '../../domain/limits.js';
import { VENDOR_STATUSES } from '../../domain/events.js';
import {
  MAX_REFERENCE_SUMMARY,
  MAX_REFERENCE_URL,
  MAX_VENDOR_REFERENCES,
  REFERENCE_KINDS,
  vendorReferenceUrl,
} from '../../domain/vendor-references.js';
import { bool, cveId, enumOf, idText, text } from './schema-kit.js';

export const AcknowledgeBodySchema = z.object({});

/** An https URL, kept as the URL parser writes it (functions/domain/vendor-references.ts). */
const httpsUrl = (label: string) =>
  z.string(`${label} must be an https URL`).check(
    z.trim(),
    z.maxLength(MAX_REFERENCE_URL, `${label} must be at most ${MAX_REFERENCE_URL} characters`),
    z.refine<string>((s) => vendorReferenceUrl(s) !== null, {
      message: `${label} must be an https URL such as https://vendor.example/advisories/1, without credentials or spaces`,
      abort: true,
    }),
    z.overwrite<string>((s) => vendorReferenceUrl(s) ?? s),
  );

const ReferenceSchema = z.object({
  url: httpsUrl('references[].url'),
  summary: z.optional(text(MAX_REFERENCE_SUMMARY, 'references[].summary')),
  kind: z._default(enumOf(REFERENCE_KINDS, 'references[].kind'), 'other'),
});

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
  /** The vendor's advisory, release notes, patches: the whole list, replacing the one before; [] clears it. */
  references: z.optional(
    z.array(ReferenceSchema, 'references must be a list of { url, summary?, kind? }').check(
      z.maxLength(MAX_VENDOR_REFERENCES, `at most ${MAX_VENDOR_REFERENCES} references`),
      z.refine((refs) => new Set(refs.map((r) => r.url)).size === refs.length, 'references must name each URL only once'),
    ),
  ),
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
