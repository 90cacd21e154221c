// The events of a case (docs/workflow.md "Events"). The log of these is the source of truth; the case
// is their fold (case.ts). Every event says who, when, and why where a reason applies.
import type { ReportVia } from './inbound-mail.js';
import type { Audience, Recipients } from './audience.js';
import type { Report } from './report.js';
import type { Priority } from './priority.js';
import type { TermsAgreement } from './terms.js';
import type { VendorCsafTlp } from './tlp.js';
import type { DeclineReason } from './triage/decline-reasons.js';
import type { VendorReference } from './vendor-references.js';

export { DECLINE_REASONS, type DeclineReason } from './triage/decline-reasons.js';

export type Role = 'reporter' | 'vendor' | 'coordinator' | 'system';
export interface Actor {
  role: Role;
  /** The vendor id for vendors, the coordinator's user name, 'reporter' for the reporter. */
  participant?: string;
}

/** The workflow acting on its own (timers, outreach, publication). */
export const SYSTEM_ACTOR: Actor = { role: 'system' };

export const SIGNALS = ['public', 'exploit-public', 'attacks-observed'] as const;
export type SignalKind = (typeof SIGNALS)[number];

export const VENDOR_STATUSES = ['affected', 'not-affected', 'unknown'] as const;
export type VendorStatus = (typeof VENDOR_STATUSES)[number];

export type TriageDecision = 'accept' | 'decline' | 'request-info';
export type PublicationDecision = 'approve' | 'revise' | 'do-not-publish';
export type Recommendation = 'decline' | 'track' | 'coordinate';

export interface ScoreSummary {
  v2?: { vector: string; base: number; temporal?: number; environmental?: number };
  v3?: { vector: string; version: string; base: number; temporal?: number; environmental?: number; severity: string };
  v4?: { vector: string; score: number; base: number; severity: string };
}

export interface TriageSummary {
  recommendation: Recommendation;
  ssvcOutcome: Recommendation;
  ssvcInputs: Record<string, { value: string; source: string }>;
  suggestedReasons: { reason: DeclineReason; evidence: string }[];
  requestInformation: { suggested: boolean; missing: string[] };
}

export interface AffectedProduct {
  vendorId?: string;
  vendor: string;
  product: string;
  versions: { version: string; status: 'affected' | 'unaffected' | 'unknown'; lessThan?: string }[];
}

/** A vendor contact as a coordinator confirms it. */
export interface ContactInput {
  email: string;
  name?: string;
  pgpKey?: string;
}

/** Whose private link: the reporter's, or one vendor contact's. */
export type LinkHolder = { role: 'reporter' } | { role: 'vendor'; vendorId: string; email: string };
/** Who a message notice is for: a participant (with their own link) or a coordinator address (the console). */
export type NoticeHolder = LinkHolder | { role: 'coordinator' };

export interface VulnerabilityFields {
  title: string;
  description: string;
  cwe?: string;
  cvss: { v2?: string; v3?: string; v4?: string };
  affected: AffectedProduct[];
}

/** Where a message's body is: its own item (messageId, with its size), or inline in older logs. */
export interface MessageRef {
  messageId?: string;
  bytes?: number;
  body?: string;
  /** Each reader has a copy of their own (logs from before copies have none: their readers read the message item). */
  copies?: true;
}

type Ev<T extends string, P = object> = { type: T; at: string; by: Actor; reason?: string } & P;

export type CaseEvent =
  // reporter
  | Ev<'priority-set', { level: Priority | null }>
  | Ev<'vendor-csaf-tlp-set', { tlp: VendorCsafTlp }>
  | Ev<'report-submitted', { caseId: string; report: Report; terms?: TermsAgreement; via?: ReportVia }>
  // A message's body is an item of its own (messageId), outside the snapshot; logs written before
  // that hold it inline (body).
  | Ev<'information-provided', MessageRef>
  // A coordinator's message names its recipients (to), resolved when it was sent; a reply names
  // the message it answers and the thread it belongs to.
  | Ev<'comment-added', MessageRef & { onDraft: boolean; audience: Audience; to?: Recipients; inReplyTo?: string; threadId?: string }>
  | Ev<'self-disclosure-announced', { disclosureAt: string; body: string }>
  // coordinator
  | Ev<'triage-decided', { decision: TriageDecision; reasons: DeclineReason[]; comment: string; overridesRecommendation: boolean }>
  | Ev<
      'vendor-added',
      {
        vendorId: string;
        name: string;
        /** Confirmed by a coordinator. Logs written before contacts had details hold plain addresses. */
        contacts: (ContactInput | string)[];
        /** Addresses the reporter named: no link goes to one until a coordinator confirms it. */
        suggestedContacts?: string[];
        isCna: boolean;
        cnaShortName?: string;
        downstream: boolean;
        /** The directory organisation it was copied from (functions/domain/directory.ts), if any. */
        vendorRef?: string;
      }
    >
  | Ev<
      'vendor-updated',
      {
        vendorId: string;
        name?: string;
        contacts?: ContactInput[];
        isCna?: boolean;
        cnaShortName?: string;
        downstream?: boolean;
        vendorRef?: string;
      }
    >
  | Ev<'link-revoked', { holder: LinkHolder }>
  | Ev<'link-reissued', { holder: LinkHolder; generation: number }>
  | Ev<'vulnerability-added', { vulnerabilityId: string } & VulnerabilityFields>
  | Ev<'vulnerability-updated', { vulnerabilityId: string } & Partial<VulnerabilityFields>>
  | Ev<'embargo-proposed', { endsAt: string }>
  | Ev<'embargo-changed', { endsAt: string; previousEndsAt: string }>
  | Ev<'signal-raised', { kind: SignalKind; evidence: string }>
  | Ev<'draft-revised', { revision: number; markdown: string }>
  | Ev<'publication-decided', { decision: PublicationDecision; publishAt?: string }>
  /** A coordinator approved an update of the published note: its revision `noteRevision` (2, 3, …) publishes `draftRevision`. */
  | Ev<'note-updated', { noteRevision: number; draftRevision: number; changeSummary: string; acceptedVendorIds: string[] }>
  | Ev<'case-closed', { closure: 'withdrawn' | 'invalid' | 'not-published' | 'declined' | 'other' }>
  // vendor
  | Ev<'vendor-acknowledged', { vendorId: string }>
  | Ev<
      'vendor-status-updated',
      {
        vendorId: string;
        statuses: { vulnerabilityId: string; status: VendorStatus }[];
        fixReady?: boolean;
        fixDeployed?: boolean;
        statement?: string;
        /** The vendor's claim to be a CNA: a proposal a coordinator may act on, never the status itself. */
        isCna?: boolean;
        /** The vendor's whole list of references, replacing the one before (functions/domain/vendor-references.ts). */
        references?: VendorReference[];
      }
    >
  /** Only in logs written before CVE IDs from vendors became proposals. */
  | Ev<'vendor-cve-assigned', { vendorId: string; vulnerabilityId: string; cveId: string }>
  | Ev<'vendor-cve-proposed', { vendorId: string; vulnerabilityId: string; cveId: string }>
  // system
  | Ev<'case-registered'>
  | Ev<'case-prescreened', { scores: ScoreSummary; scoreErrors: { field: string; message: string }[]; triage: TriageSummary }>
  | Ev<'information-requested', { dueAt: string; questions: string[] }>
  | Ev<'escalated', { kind: 'triage' | 'vendor-contact'; count: number; vendorId?: string }>
  | Ev<'vendor-contacted', { vendorId: string; attempt: number; purpose: 'report' | 'downstream-alert' }>
  | Ev<
      'reminder-sent',
      { kind: 'vendor-acknowledgement' | 'final-notice' | 'statement' | 'publication-decision'; vendorId?: string; attempt?: number }
    >
  | Ev<'vendor-unresponsive', { vendorId: string }>
  /** SES reported a permanent bounce or a complaint for a vendor's confirmed contact (functions/app/mail-feedback.ts). */
  | Ev<'contact-bounced', { vendorId: string; email: string; kind: 'bounce' | 'complaint' }>
  /** SES gave up on the reporter's address: no more mail goes there, and the coordinators are told. */
  | Ev<'reporter-bounced', { kind: 'bounce' | 'complaint' }>
  | Ev<'embargo-activated', { endsAt: string; firstContactAt: string; rule: string }>
  | Ev<'draft-review-started', { cause: 'draft-date' | 'early-release' }>
  | Ev<
      'cve-assigned',
      {
        vulnerabilityId: string;
        cveId: string;
        source: 'pool' | 'cve-services' | 'manual' | 'vendor';
        vendorId?: string;
        previousCveId?: string;
      }
    >
  | Ev<'cve-cleared', { vulnerabilityId: string; previousCveId: string }>
  | Ev<'embargo-requested', { proposalId: string; endsAt: string }>
  | Ev<'embargo-request-answered', { proposalId: string; answer: 'accepted' | 'declined' }>
  | Ev<'draft-shared', { revision: number; publishAt: string }>
  | Ev<'note-published', { noteId: string; revision: number }>
  /** The update's documents, CVE records and e-mail are out (NotifyPublished, after the last e-mail). */
  | Ev<'note-update-released', { noteRevision: number }>
  | Ev<'notification-sent', { key: string; template: string; to: string[] }>
  /** A message notice held back for its address's digest (functions/domain/message-digest.ts). */
  | Ev<'notice-held', { key: string; address: string; holder: NoticeHolder; template: string; messageId?: string }>
  /** The held notices of one address went out as one digest (`delivered`: false when nobody could be mailed any more). */
  | Ev<'digest-sent', { address: string; count: number; delivered: boolean }>
  | Ev<'events-applied', { upToSeq: number }>
  | Ev<'workflow-blocked', { error: string; cause: string }>;

export type CaseEventType = CaseEvent['type'];
export type EventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;
/** An event as stored: with its sequence number in the case's log. */
export type StoredEvent = CaseEvent & { seq: number };

/** Events that come from outside the workflow and that the workflow must react to. */
export const OUTSIDE_EVENTS: readonly CaseEventType[] = [
  'information-provided',
  'comment-added',
  'self-disclosure-announced',
  'triage-decided',
  'vendor-added',
  'vendor-updated',
  'link-reissued',
  'vulnerability-added',
  'vulnerability-updated',
  'embargo-proposed',
  'embargo-changed',
  'signal-raised',
  'draft-revised',
  'publication-decided',
  'note-updated',
  'case-closed',
  'vendor-acknowledged',
  'vendor-status-updated',
  'vendor-cve-assigned',
  'embargo-requested',
  // The workflow tells the coordinators, and the vendor may now need one.
  'contact-bounced',
  'reporter-bounced',
];

/**
 * An event the workflow reacts to: one of OUTSIDE_EVENTS, or a coordinator setting or clearing a
 * CVE ID (the same event types the workflow's own ID assignment appends), which may unblock
 * publication.
 */
export const isOutsideEvent = (e: Pick<CaseEvent, 'type' | 'by'>): boolean =>
  OUTSIDE_EVENTS.includes(e.type) || (e.by.role !== 'system' && (e.type === 'cve-assigned' || e.type === 'cve-cleared'));
