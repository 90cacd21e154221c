// The report a reporter submits (docs/api.md "The report"). zod/mini keeps Lambda bundles small
// (classic zod costs more cold-start time than the SDK clients together).
import * as z from 'zod/mini';
import './zod-messages.js';

export { LIMITS } from './limits.js';
export { type FieldError, type ParseResult, fieldErrors } from './field-errors.js';
import { type ParseResult, fieldErrors } from './field-errors.js';
import { LIMITS } from './limits.js';
import { cvssVector } from './cvss-checks.js';
import { type Lines, plainText } from './text-checks.js';

// Names, titles, versions are one line; descriptions, evidence and comments may span lines.
const linesOf = (max: number): Lines => (max <= LIMITS.short ? 'single' : 'multi');
const text = (max: number, label: string) =>
  z
    .string(`${label} must be text`)
    .check(z.maxLength(max, `${label} must be at most ${max} characters`), z.trim(), ...plainText(label, linesOf(max)));
const optionalText = (max: number, label: string) => z._default(text(max, label), '');
const requiredText = (max: number, label: string) =>
  z
    .string(`${label} is required`)
    .check(
      z.trim(),
      z.minLength(1, `${label} is required`),
      z.maxLength(max, `${label} must be at most ${max} characters`),
      ...plainText(label, linesOf(max)),
    );
const email = (label: string) =>
  z
    .string(`${label} is required`)
    .check(z.trim(), z.maxLength(LIMITS.email, `${label} is too long`), z.email(`${label} must be an e-mail address`));
const isoInstant = (label: string) => z.iso.datetime({ message: `${label} must be an ISO-8601 UTC instant such as 2026-11-01T09:00:00Z` });
const url = z
  .string('a reference must be a URL')
  .check(
    z.maxLength(2048, 'a reference must be at most 2048 characters'),
    z.url({ protocol: /^https?$/, message: 'a reference must be an http(s) URL' }),
  );
const urls = (label: string) =>
  z._default(z.array(url).check(z.maxLength(LIMITS.references, `${label}: at most ${LIMITS.references} references`)), []);

export const CREDIT = ['named', 'anonymous'] as const;
export const REQUESTED_SERVICES = ['coordination', 'cve-id-only', 'publication-only'] as const;

export const ReporterSchema = z.object({
  name: optionalText(LIMITS.short, 'reporter.name'),
  email: email('reporter.email'),
  organization: optionalText(LIMITS.short, 'reporter.organization'),
  pgpKey: optionalText(LIMITS.pgpKey, 'reporter.pgpKey'),
  shareContactWithVendors: z._default(z.boolean('reporter.shareContactWithVendors must be true or false'), false),
  credit: z._default(z.enum(CREDIT, 'reporter.credit must be "named" or "anonymous"'), 'named'),
});

export const ReportedVendorSchema = z.object({
  name: requiredText(LIMITS.short, 'vendor name'),
  contactEmail: z.optional(email('vendor contactEmail')),
  contacted: z._default(z.boolean('vendors[].contacted must be true or false'), false),
  firstContactAt: z.optional(z.nullable(isoInstant('vendors[].firstContactAt'))),
  communication: optionalText(LIMITS.text, 'vendors[].communication'),
});

export const ReportSchema = z.object({
  reporter: ReporterSchema,
  product: z.object({
    name: requiredText(LIMITS.short, 'product.name'),
    version: optionalText(LIMITS.short, 'product.version'),
  }),
  vendors: z
    .array(ReportedVendorSchema, 'vendors must be a list')
    .check(z.minLength(1, 'name at least one vendor'), z.maxLength(LIMITS.vendors, `at most ${LIMITS.vendors} vendors`)),
  multipleVendors: z._default(z.boolean('multipleVendors must be true or false'), false),
  title: requiredText(LIMITS.short, 'title'),
  description: requiredText(LIMITS.text, 'description'),
  exploitation: optionalText(LIMITS.text, 'exploitation'),
  impact: optionalText(LIMITS.text, 'impact'),
  discovery: optionalText(LIMITS.text, 'discovery'),
  evidence: z._default(
    z.object({
      proofOfConcept: optionalText(LIMITS.proofOfConcept, 'evidence.proofOfConcept'),
      patch: optionalText(LIMITS.proofOfConcept, 'evidence.patch'),
    }),
    { proofOfConcept: '', patch: '' },
  ),
  // Checked against each version's grammar here, so a vector is only ever a vector.
  cvss: z._default(
    z.object({
      v2: z.optional(cvssVector('v2', 'cvss.v2', 200)),
      v3: z.optional(cvssVector('v3', 'cvss.v3', 200)),
      v4: z.optional(cvssVector('v4', 'cvss.v4', 300)),
    }),
    {},
  ),
  alreadyPublic: z._default(z.boolean('alreadyPublic must be true or false'), false),
  publicReferences: urls('publicReferences'),
  exploitedInTheWild: z._default(z.boolean('exploitedInTheWild must be true or false'), false),
  exploitReferences: urls('exploitReferences'),
  disclosurePlans: z._default(
    z.object({
      intendsToDisclose: z._default(z.boolean('disclosurePlans.intendsToDisclose must be true or false'), false),
      date: z._default(z.nullable(isoInstant('disclosurePlans.date')), null),
      details: optionalText(LIMITS.text, 'disclosurePlans.details'),
    }),
    { intendsToDisclose: false, date: null, details: '' },
  ),
  requestedService: z.enum(REQUESTED_SERVICES, 'requestedService must be one of coordination, cve-id-only, publication-only'),
  privateComments: optionalText(LIMITS.text, 'privateComments'),
  // Optional so clients written before the terms keep working: absence is recorded as "not recorded".
  acceptsTerms: z.optional(z.literal(true, 'acceptsTerms must be true: report only if you accept the terms (GET / shows them)')),
});

/** A report as stored on the case: defaults filled, text trimmed. */
export type Report = z.output<typeof ReportSchema>;
/** A report as a client may send it: optional fields may be left out. */
export type ReportInput = z.input<typeof ReportSchema>;

export function parseReport(input: unknown): ParseResult<Report> {
  const r = ReportSchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: fieldErrors(r.error.issues) };
}
