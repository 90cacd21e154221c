// What coordinators send (docs/api.md, "Coordinator routes"), as zod/mini schemas. Objects strip
// unknown fields (docs/api.md: fields are added, never changed).
import { PRIORITIES } from '../../domain/priority.js';
import { VENDOR_CSAF_TLPS } from '../../domain/tlp.js';
import * as z from 'zod/mini';
import { LIMITS } from '../../domain/limits.js';
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
import { SIGNALS } from '../../domain/events.js';
import { cvssVector } from '../../domain/cvss-checks.js';
import { MAX_MARKDOWN, bool, cveId, email, enumOf, idText, instant, requiredText, text } from './schema-kit.js';

/** A vendor contact; a coordinator confirms it by sending it. */
export const ContactSchema = z.object({
  email: email('contacts[].email'),
  name: z.optional(text(LIMITS.short, 'contacts[].name')),
  pgpKey: z.optional(text(LIMITS.pgpKey, 'contacts[].pgpKey')),
});
const MAX_CONTACTS = 20;

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
    z
      .array(enumOf(DECLINE_REASONS, 'reasons[]'), 'reasons must be a list')
      .check(z.maxLength(DECLINE_REASONS.length * 2, 'too many reasons')),
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
        /** A directory organisation (POST /directory/vendors): the case takes its name, CNA standing and contacts. */
        vendorRef: z.optional(idText('vendors[].vendorRef')),
        /** Required without vendorRef. */
        name: z.optional(requiredText(LIMITS.short, 'vendors[].name')),
        // Addresses (v1) or contact objects; either way the coordinator confirms them by adding them.
        contacts: z._default(
          z
            .array(
              z.union(
                [email('vendors[].contacts[]'), ContactSchema],
                'vendors[].contacts[] must be an e-mail address or { email, name?, pgpKey? }',
              ),
              'vendors[].contacts must be a list',
            )
            .check(z.maxLength(MAX_CONTACTS, `at most ${MAX_CONTACTS} contacts per vendor`)),
          [],
        ),
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
  v2: z.optional(cvssVector('v2', 'cvss.v2', 200)),
  v3: z.optional(cvssVector('v3', 'cvss.v3', 200)),
  v4: z.optional(cvssVector('v4', 'cvss.v4', 300)),
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
  affected: z.optional(
    z
      .array(AffectedProductSchema, 'affected must be a list')
      .check(z.maxLength(LIMITS.vendors, `at most ${LIMITS.vendors} affected products`)),
  ),
});
export type VulnerabilityBody = z.output<typeof VulnerabilityBodySchema>;

/** Set a date `{ endsAt, reason }`, or answer a participant's proposal `{ acceptProposal | declineProposal, reason? }`. */
export const EmbargoBodySchema = z.object({
  endsAt: z.optional(instant('endsAt')),
  reason: z.optional(requiredText(LIMITS.text, 'reason')),
  acceptProposal: z.optional(idText('acceptProposal')),
  declineProposal: z.optional(idText('declineProposal')),
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
  /** Phase published: the update's change line (one line; a default when absent). */
  changeSummary: z.optional(text(LIMITS.short, 'changeSummary')),
  /** Phase published: vendors whose pending update the new revision takes in. */
  acceptUpdates: z.optional(
    z
      .array(idText('acceptUpdates[]'), 'acceptUpdates must be a list of vendor ids')
      .check(z.maxLength(LIMITS.vendors, `acceptUpdates must name at most ${LIMITS.vendors} vendors`)),
  ),
});
export type PublicationBody = z.output<typeof PublicationBodySchema>;

export const CloseBodySchema = z.object({
  reason: requiredText(LIMITS.text, 'reason'),
  closure: z._default(enumOf(['withdrawn', 'other'], 'closure'), 'withdrawn'),
});
export type CloseBody = z.output<typeof CloseBodySchema>;

/** PUT /cases/{caseId}/priority: a coordinator's level instead of the computed one (null: computed again), with why. */
export const PriorityBodySchema = z.object({
  level: z.nullable(enumOf(PRIORITIES, 'level')),
  reason: requiredText(LIMITS.text, 'reason'),
});

/** PUT /cases/{caseId}/vendor-csaf: the TLP of every vendor's own CSAF document on the case. */
export const VendorCsafBodySchema = z.object({ tlp: enumOf(VENDOR_CSAF_TLPS, 'tlp') });

/** PUT /cases/{caseId}/vendors/{vendorId}: the contacts given are the vendor's confirmed contacts, exactly. */
export const VendorUpdateBodySchema = z.object({
  /** Links the vendor to a directory organisation: its contacts join the vendor's, its name and CNA standing replace the case's. */
  vendorRef: z.optional(idText('vendorRef')),
  name: z.optional(requiredText(LIMITS.short, 'name')),
  contacts: z.optional(
    z
      .array(ContactSchema, 'contacts must be a list of { email, name?, pgpKey? }')
      .check(z.maxLength(MAX_CONTACTS, `at most ${MAX_CONTACTS} contacts per vendor`)),
  ),
  isCna: z.optional(bool('isCna')),
  cnaShortName: z.optional(text(LIMITS.short, 'cnaShortName')),
  downstream: z.optional(bool('downstream')),
});
export type VendorUpdateBody = z.output<typeof VendorUpdateBodySchema>;

/** POST …/links: revoke or reissue one contact's link (email), or every contact's of the vendor. */
export const LinksBodySchema = z.object({
  action: enumOf(['revoke', 'reissue'], 'action'),
  email: z.optional(email('email')),
});
export type LinksBody = z.output<typeof LinksBodySchema>;

/** PUT …/vulnerabilities/{vulnerabilityId}/cve: set an ID, null to clear it, or accept a vendor's proposal. */
export const CveBodySchema = z.object({
  cveId: z.optional(z.nullable(cveId('cveId'))),
  acceptProposalFrom: z.optional(idText('acceptProposalFrom')),
});
export type CveBody = z.output<typeof CveBodySchema>;
