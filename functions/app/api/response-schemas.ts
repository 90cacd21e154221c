// Response bodies of the HTTP API (docs/api.md), as zod/mini schemas for GET /openapi.json and the
// view tests only: no handler parses its own answers, so these stay out of their bundles.
import { PRIORITIES } from '../../domain/priority.js';
import { VENDOR_CSAF_TLPS } from '../../domain/tlp.js';
import * as z from 'zod/mini';
import { BOUNCE_KINDS, PHASES } from '../../domain/case.js';
import { ATTENTION_KINDS, DEADLINE_KINDS } from '../../domain/deadlines.js';
import { EM_STATES, RM_STATES } from '../../domain/vultron.js';
import { REFERENCE_KINDS } from '../../domain/vendor-references.js';

// ---- responses ---------------------------------------------------------------------------------

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  state: z.optional(z.object({ phase: z.string(), rm: z.string(), em: z.string() })),
  allowed: z.optional(z.array(z.string())),
});

export const SubmitReportResponseSchema = z.object({
  caseId: z.string(),
  status: z.enum(PHASES),
  /**
   * The reporter's live link token: 256 bits, base64url; only its SHA-256 is stored. Absent from an
   * Idempotency-Key replay, which hands out no access (the link was mailed to the reporter).
   */
  reporterToken: z.optional(z.string()),
  /** The reporter's status page, the token in the URL fragment. Absent from a replay, like the token. */
  statusUrl: z.optional(z.string()),
});
export type SubmitReportResponse = z.output<typeof SubmitReportResponseSchema>;

const EmbargoViewSchema = z.object({ state: z.enum(EM_STATES), endsAt: z.nullable(z.string()) });
const EmbargoProposalsSchema = z.array(
  z.object({
    proposalId: z.string(),
    endsAt: z.string(),
    reason: z.string(),
    at: z.string(),
    answer: z.enum(['open', 'accepted', 'declined', 'withdrawn', 'lapsed']),
  }),
);

export const AcceptedResponseSchema = z.object({
  caseId: z.string(),
  phase: z.enum(PHASES),
  embargo: EmbargoViewSchema,
  /** Coordinators only: the Vultron states and the log position after this request. */
  rm: z.optional(z.enum(RM_STATES)),
  em: z.optional(z.enum(EM_STATES)),
  cs: z.optional(z.string()),
  version: z.optional(z.number()),
  /** Coordinators only: the events this request appended. */
  events: z.optional(z.array(z.string())),
});
export type AcceptedResponse = z.output<typeof AcceptedResponseSchema>;

const NullableString = z.nullable(z.string());
const LinkViewSchema = z.object({ state: z.enum(['live', 'revoked']), generation: z.number(), revokedAt: NullableString });
const ProposalsSchema = z.object({ isCna: z.nullable(z.boolean()), cveIds: z.record(z.string(), z.string()) });
const AttentionSchema = z.array(z.object({ kind: z.enum(ATTENTION_KINDS), vendorIds: z.array(z.string()) }));
const DeadlineSchema = z.nullable(z.object({ kind: z.enum(DEADLINE_KINDS), at: z.string(), vendorId: z.optional(z.string()) }));

/** One vendor as coordinators see it, in the case view and in GET /cases/{caseId}/vendors. */
export const CoordinatorVendorRowSchema = z.looseObject({
  vendorId: z.string(),
  name: z.string(),
  /** The directory organisation the vendor was added from or linked to. */
  vendorRef: z.optional(z.string()),
  /** Confirmed contacts, each with its own private link. */
  contacts: z.array(
    z.looseObject({
      email: z.string(),
      name: z.optional(z.string()),
      confirmedAt: z.string(),
      /** SES reported the address as bouncing (permanently) or complaining: no more mail goes to it. */
      bounced: z.optional(z.nullable(z.object({ at: z.string(), kind: z.enum(BOUNCE_KINDS) }))),
      link: LinkViewSchema,
    }),
  ),
  /** Addresses a reporter named: no link goes to one until a coordinator confirms it. */
  suggestedContacts: z.array(z.object({ email: z.string(), at: z.string() })),
  isCna: z.boolean(),
  firstContactAt: NullableString,
  acknowledgedAt: NullableString,
  status: z.string(),
  unresponsive: z.boolean(),
  /** The vendor's claims a coordinator has not decided on: CNA status, CVE IDs by vulnerability. */
  proposals: ProposalsSchema,
  /** The vendor's advisory, release notes, patches, as it gave them (the note shows them as approved). */
  references: z.array(z.object({ url: z.string(), summary: z.optional(z.string()), kind: z.enum(REFERENCE_KINDS) })),
  /** The vendor changed its status, statement or references after the last publication approval. */
  changedSinceApproval: z.boolean(),
});

/** GET /cases/{caseId}/vendors: a page of the case's vendors, in the order they were added. */
export const VendorsPageSchema = z.object({
  vendors: z.array(CoordinatorVendorRowSchema),
  cursor: NullableString,
  total: z.number(),
});

export const CoordinatorCaseViewSchema = z.looseObject({
  caseId: z.string(),
  title: z.string(),
  phase: z.enum(PHASES),
  rm: z.enum(RM_STATES),
  em: z.enum(EM_STATES),
  cs: z.string(),
  receivedAt: NullableString,
  scores: z.looseObject({}),
  triage: z.looseObject({
    recommendation: z.nullable(z.enum(['decline', 'track', 'coordinate'])),
    suggestedReasons: z.array(z.looseObject({ reason: z.string(), evidence: z.string() })),
    decision: z.nullable(z.looseObject({ decision: z.string(), reasons: z.array(z.string()) })),
  }),
  /** The case's priority: computed from the v2 Environmental score, the SSVC outcome and the evidence, or a coordinator's override. */
  priority: z.looseObject({
    level: z.enum(PRIORITIES),
    source: z.enum(['computed', 'override']),
    computed: z.enum(PRIORITIES),
    why: z.array(z.string()),
    override: z.nullable(z.object({ level: z.enum(PRIORITIES), reason: z.string(), by: z.string(), at: z.string() })),
  }),
  /** The TLP of every vendor's own CSAF document before publication (PUT /cases/{caseId}/vendor-csaf). */
  vendorCsaf: z.object({ tlp: z.enum(VENDOR_CSAF_TLPS) }),
  /** What holds the case up and needs a coordinator now: a vendor with no confirmed contact, or whose every contact bounced. */
  attention: AttentionSchema,
  reporterLink: LinkViewSchema,
  /** The first page of vendors (all of them on an ordinary case): vendorsNext reads on with GET /cases/{caseId}/vendors. */
  vendors: z.array(CoordinatorVendorRowSchema),
  /** How many vendors the case has in all. */
  vendorsTotal: z.number(),
  /** The cursor of the next page of vendors; null when vendors holds them all. */
  vendorsNext: NullableString,
  embargo: z.looseObject({ state: z.enum(EM_STATES), endsAt: NullableString }),
  vulnerabilities: z.array(
    z.looseObject({
      vulnerabilityId: z.string(),
      title: z.string(),
      cveId: NullableString,
      cveSource: z.nullable(z.enum(['pool', 'cve-services', 'manual', 'vendor'])),
    }),
  ),
  pendingDecision: z.nullable(z.object({ kind: z.string(), since: z.string() })),
  /** The publication decision's state, and SSVC Coordinator Publish's recommendation with its inputs (the coordinator decides). */
  publication: z.looseObject({
    plannedAt: NullableString,
    recommendation: z.object({
      table: z.string(),
      outcome: z.enum(['publish', 'do not publish']),
      inputs: z.record(z.string(), z.object({ value: z.string(), evidence: z.string() })),
    }),
  }),
  nextDeadline: DeadlineSchema,
  noteId: NullableString,
  /** The published note's revisions (1: the first release), each with its dated change line; empty before publication. */
  noteRevisions: z.array(z.object({ number: z.number(), at: z.string(), summary: z.string() })),
  /**
   * After publication: each vendor whose status, statement or references differ from what the note shows, with
   * both; a coordinator takes one into the next revision with `acceptUpdates`.
   */
  updateRequests: z.array(
    z.looseObject({
      vendorId: z.string(),
      name: z.string(),
      since: NullableString,
      proposed: z.looseObject({}),
      published: z.looseObject({}),
    }),
  ),
  report: z.nullable(z.looseObject({})),
  /** The terms the reporter accepted with the report (their version), or not-recorded when the client did not say. */
  terms: z.object({ agreement: z.enum(['accepted', 'not-recorded']), version: NullableString }),
  /** A report that came by e-mail, and the report form's required fields it lacks; null: by the form. */
  reportVia: z.nullable(z.object({ channel: z.enum(['email']), missing: z.array(z.string()) })),
  /**
   * Revisions hold the text coordinators write; preview is the whole note as the public will read
   * it (the vendor sections written from the case); vendorsNamedInBody: vendors that text names,
   * which every participant would read.
   */
  draft: z.looseObject({ preview: NullableString, vendorsNamedInBody: z.array(z.object({ vendorId: z.string(), name: z.string() })) }),
  timeline: z.array(z.looseObject({ seq: z.number(), at: z.string(), type: z.string() })),
  /** False when the timeline holds only the latest events: GET /cases/{caseId}/events reads them all. */
  timelineComplete: z.boolean(),
});

export const QueuePageSchema = z.object({
  items: z.array(
    z.looseObject({
      caseId: z.string(),
      title: z.string(),
      phase: z.enum(PHASES),
      receivedAt: NullableString,
      nextDeadline: DeadlineSchema,
      priority: z.enum(PRIORITIES),
      prioritySource: z.enum(['computed', 'override']),
      attention: AttentionSchema,
    }),
  ),
  cursor: NullableString,
});

export const EventsPageSchema = z.object({
  events: z.array(z.looseObject({ seq: z.number(), type: z.string(), at: z.string() })),
  cursor: NullableString,
});

/** A message as a reporter or vendor reads it: their own list, built for them. */
/** A file a message carries (functions/domain/file-ref.ts). */
export const FileRefSchema = z.object({
  attachmentId: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
});

export const MessageViewSchema = z.object({
  messageId: NullableString,
  at: z.string(),
  from: z.string(),
  kind: z.enum(['comment', 'information']),
  body: z.string(),
  onDraft: z.boolean(),
  inReplyTo: NullableString,
  threadId: NullableString,
  files: z.array(
    z.object({ attachmentId: z.string(), filename: z.string(), contentType: z.string(), size: z.number(), sha256: z.string() }),
  ),
  unread: z.boolean(),
});
const SharedDraftSchema = z.nullable(z.object({ revision: z.number(), markdown: z.string(), sharedAt: z.string(), publishAt: z.string() }));

export const ReporterCaseViewSchema = z.looseObject({
  caseId: z.string(),
  title: z.string(),
  status: z.enum(PHASES),
  receivedAt: NullableString,
  embargo: EmbargoViewSchema,
  /** The reporter's own proposed embargo ends and their answers. */
  embargoProposals: EmbargoProposalsSchema,
  publishAt: NullableString,
  draft: SharedDraftSchema,
  messages: z.array(MessageViewSchema),
  unreadMessages: z.number(),
  noteId: NullableString,
});

export const VendorCaseViewSchema = z.looseObject({
  caseId: z.string(),
  title: z.string(),
  phase: z.enum(PHASES),
  /** isCna is the coordinators' word; what the vendor claimed waits in proposals. */
  vendor: z.looseObject({ vendorId: z.string(), name: z.string(), isCna: z.boolean(), proposals: ProposalsSchema }),
  embargo: EmbargoViewSchema,
  /** The vendor's own proposed embargo ends and their answers. */
  embargoProposals: EmbargoProposalsSchema,
  draft: SharedDraftSchema,
  messages: z.array(MessageViewSchema),
  unreadMessages: z.number(),
  noteId: NullableString,
});

export const HealthSchema = z.object({ status: z.literal('ok'), time: z.string() });
