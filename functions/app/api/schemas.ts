// Request bodies of the HTTP API (API.md), as zod/mini schemas: the handlers parse with them and
// GET /openapi.json is generated from them (with the responses of response-schemas.ts). Objects strip unknown fields (API.md:
// add never break). Every message is written here so that none echoes the input.
import * as z from 'zod/mini';
// Only the English messages: z.locales would bundle every language.
import en from 'zod/v4/locales/en.js';
import { SIGNALS, VENDOR_STATUSES } from '../../domain/events.js';
import { LIMITS } from '../../domain/report.js';
import {
  PUBLIC_SAFETY_IMPACT,
  REPORT_CREDIBILITY,
  REPORT_PUBLIC,
  SUPPLIER_CARDINALITY,
  SUPPLIER_CONTACTED,
  SUPPLIER_ENGAGEMENT,
  UTILITY,
} from '../../domain/triage/decision-points.js';
import { DECLINE_REASONS } from '../../domain/triage/decline-reasons.js';

export { ReportSchema } from '../../domain/report.js';

z.config(en());

/** Markdown of a note draft: a full note with its sections. */
export const MAX_MARKDOWN = 128 * 1024;

const oneOf = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');
const text = (max: number, label: string) =>
  z.string(`${label} must be text`).check(z.trim(), z.maxLength(max, `${label} must be at most ${max} characters`));
const requiredText = (max: number, label: string) =>
  z.string(`${label} is required and must be text`).check(
    z.trim(),
    z.minLength(1, `${label} must not be empty`),
    z.maxLength(max, `${label} must be at most ${max} characters`),
  );
const bool = (label: string) => z.boolean(`${label} must be true or false`);
const instant = (label: string) =>
  z.iso.datetime({ offset: true, message: `${label} must be an ISO-8601 instant such as 2027-01-15T12:00:00Z` });
const email = (label: string) =>
  z.string(`${label} must be an e-mail address`).check(z.trim(), z.maxLength(LIMITS.email, `${label} is too long`), z.email(`${label} must be an e-mail address`));
const enumOf = <const T extends readonly [string, ...string[]]>(values: T, label: string) => z.enum(values, `${label} must be one of ${oneOf(values)}`);
const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const cveId = (label: string) => z.string(`${label} must be a CVE ID`).check(z.regex(CVE_ID, `${label} must be a CVE ID such as CVE-2026-12345`));
const idText = (label: string) =>
  z.string(`${label} must be text`).check(z.trim(), z.minLength(1, `${label} must not be empty`), z.maxLength(100, `${label} must be at most 100 characters`));

// ---- coordinator bodies -----------------------------------------------------------------------

export const SsvcInputsSchema = z.object({
  reportPublic: z.optional(enumOf(REPORT_PUBLIC, 'ssvc.reportPublic')),
  supplierContacted: z.optional(enumOf(SUPPLIER_CONTACTED, 'ssvc.supplierContacted')),
  reportCredibility: z.optional(enumOf(REPORT_CREDIBILITY, 'ssvc.reportCredibility')),
  supplierCardinality: z.optional(enumOf(SUPPLIER_CARDINALITY, 'ssvc.supplierCardinality')),
  supplierEngagement: z.optional(enumOf(SUPPLIER_ENGAGEMENT, 'ssvc.supplierEngagement')),
  utility: z.optional(enumOf(UTILITY, 'ssvc.utility')),
  publicSafetyImpact: z.optional(enumOf(PUBLIC_SAFETY_IMPACT, 'ssvc.publicSafetyImpact')),
});

export const TriageBodySchema = z.object({
  decision: enumOf(['accept', 'decline', 'request-info'], 'decision'),
  reasons: z._default(
    z.array(enumOf(DECLINE_REASONS, 'reasons[]'), 'reasons must be a list').check(z.maxLength(DECLINE_REASONS.length * 2, 'too many reasons')),
    [],
  ),
  /** The coordinator's SSVC inputs, when they differ from the system's (see coordinator.ts for where they go). */
  ssvc: z.optional(SsvcInputsSchema),
  comment: z.optional(text(LIMITS.text, 'comment')),
});
export type TriageBody = z.output<typeof TriageBodySchema>;

export const VendorsBodySchema = z.object({
  vendors: z
    .array(
      z.object({
        name: requiredText(LIMITS.short, 'vendors[].name'),
        contacts: z._default(z.array(email('vendors[].contacts[]'), 'vendors[].contacts must be a list of e-mail addresses').check(z.maxLength(20, 'at most 20 contacts per vendor')), []),
        isCna: z._default(bool('vendors[].isCna'), false),
        cnaShortName: z.optional(text(LIMITS.short, 'vendors[].cnaShortName')),
        downstream: z._default(bool('vendors[].downstream'), false),
      }),
      'vendors must be a list',
    )
    .check(z.minLength(1, 'name at least one vendor'), z.maxLength(LIMITS.vendors, `at most ${LIMITS.vendors} vendors at once`)),
});
export type VendorsBody = z.output<typeof VendorsBodySchema>;

const CvssSchema = z.object({
  v2: z.optional(text(200, 'cvss.v2')),
  v3: z.optional(text(200, 'cvss.v3')),
  v4: z.optional(text(300, 'cvss.v4')),
});

export const AffectedProductSchema = z.object({
  vendorId: z.optional(idText('affected[].vendorId')),
  vendor: requiredText(LIMITS.short, 'affected[].vendor'),
  product: requiredText(LIMITS.short, 'affected[].product'),
  versions: z._default(
    z
      .array(
        z.object({
          version: requiredText(LIMITS.short, 'affected[].versions[].version'),
          status: enumOf(['affected', 'unaffected', 'unknown'], 'affected[].versions[].status'),
          lessThan: z.optional(text(LIMITS.short, 'affected[].versions[].lessThan')),
        }),
        'affected[].versions must be a list',
      )
      .check(z.maxLength(100, 'at most 100 versions')),
    [],
  ),
});

/** Without vulnerabilityId: add one (title required). With it: edit the fields given. */
export const VulnerabilityBodySchema = z.object({
  vulnerabilityId: z.optional(idText('vulnerabilityId')),
  title: z.optional(requiredText(LIMITS.short, 'title')),
  description: z.optional(text(LIMITS.text, 'description')),
  cwe: z.optional(z.string('cwe must be text').check(z.regex(/^CWE-\d{1,6}$/, 'cwe must look like CWE-79'))),
  cvss: z.optional(CvssSchema),
  affected: z.optional(z.array(AffectedProductSchema, 'affected must be a list').check(z.maxLength(LIMITS.vendors, `at most ${LIMITS.vendors} affected products`))),
});
export type VulnerabilityBody = z.output<typeof VulnerabilityBodySchema>;

export const EmbargoBodySchema = z.object({
  endsAt: instant('endsAt'),
  reason: requiredText(LIMITS.text, 'reason'),
});
export type EmbargoBody = z.output<typeof EmbargoBodySchema>;

export const SignalBodySchema = z.object({
  kind: enumOf(SIGNALS, 'kind'),
  evidence: requiredText(LIMITS.text, 'evidence'),
});
export type SignalBody = z.output<typeof SignalBodySchema>;

export const DraftBodySchema = z.object({
  markdown: requiredText(MAX_MARKDOWN, 'markdown'),
  reason: z.optional(text(LIMITS.text, 'reason')),
});
export type DraftBody = z.output<typeof DraftBodySchema>;

export const PublicationBodySchema = z.object({
  decision: enumOf(['approve', 'revise', 'do-not-publish'], 'decision'),
  publishAt: z.optional(instant('publishAt')),
  reason: z.optional(text(LIMITS.text, 'reason')),
});
export type PublicationBody = z.output<typeof PublicationBodySchema>;

export const CloseBodySchema = z.object({
  reason: requiredText(LIMITS.text, 'reason'),
  closure: z._default(enumOf(['withdrawn', 'other'], 'closure'), 'withdrawn'),
});
export type CloseBody = z.output<typeof CloseBodySchema>;

// ---- reporter and vendor bodies ---------------------------------------------------------------

export const REPORTER_MESSAGE_KINDS = ['information', 'comment', 'draft-comment', 'self-disclosure'] as const;

export const ReporterMessageBodySchema = z.object({
  kind: enumOf(REPORTER_MESSAGE_KINDS, 'kind'),
  body: requiredText(LIMITS.text, 'body'),
  /** For self-disclosure: when it is (or was) public; omitted means now. */
  disclosureDate: z.optional(instant('disclosureDate')),
});
export type ReporterMessageBody = z.output<typeof ReporterMessageBodySchema>;

export const AcknowledgeBodySchema = z.object({});

export const VendorStatusBodySchema = z.object({
  vulnerabilities: z._default(
    z
      .array(z.object({ id: idText('vulnerabilities[].id'), status: enumOf(VENDOR_STATUSES, 'vulnerabilities[].status') }), 'vulnerabilities must be a list')
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
});
export type VendorMessageBody = z.output<typeof VendorMessageBodySchema>;
