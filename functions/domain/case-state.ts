// The case aggregate's state: its phases, the shape the fold builds, and the queries every layer
// asks of it. The fold itself (functions/domain/case.ts) is the only thing that makes one.
import type { ReportVia } from './inbound-mail.js';
import type { Audience, Recipients } from './audience.js';
import type {
  Actor,
  ContactInput,
  DeclineReason,
  LinkHolder,
  PublicationDecision,
  ScoreSummary,
  SignalKind,
  TriageDecision,
  TriageSummary,
  VendorStatus,
  VulnerabilityFields,
} from './events.js';
import type { Report } from './report.js';
import type { FileRef } from './file-ref.js';
import type { MailDigests } from './message-digest.js';
import type { PriorityOverride } from './priority.js';
import type { TermsAgreement } from './terms.js';
import type { VendorCsafTlp } from './tlp.js';
import { earliest } from './time.js';
import type { VendorReference } from './vendor-references.js';
import type { VendorFacts } from './vendor-parts.js';
import { type CaseFlags, type EmState, type RmState, type VendorFlags, NO_CASE_FLAGS, caseVendorFlags, csString } from './vultron.js';

export const PHASES = [
  'intake',
  'triage',
  'declined',
  'outreach',
  'embargo',
  'draft-review',
  'publication',
  'published',
  'closed',
] as const;
export type Phase = (typeof PHASES)[number];

/** Phases of a case still in progress: the coordinator queue, and what the local runtime resumes. */
export const OPEN_PHASES: readonly Phase[] = ['intake', 'triage', 'outreach', 'embargo', 'draft-review', 'publication'];
/** Where a reporter or vendor may propose an embargo end: before publication is decided. */
export const EMBARGO_PROPOSAL_PHASES: readonly Phase[] = ['intake', 'triage', 'outreach', 'embargo', 'draft-review'];

/**
 * A private link's standing: tokens are derived from (case, holder, generation), so a new
 * generation is a new link and every older one stops working; revoked means no live link at all.
 */
export interface LinkState {
  generation: number;
  revokedAt: string | null;
}

export const FIRST_LINK: LinkState = { generation: 1, revokedAt: null };

/** A contact a coordinator confirmed: only these ever receive a private link. */
export interface ContactState extends ContactInput {
  confirmedAt: string;
  link: LinkState;
  /** SES reported a permanent bounce or a complaint for this address (functions/domain/reachability.ts); absent: none. */
  bounced?: { at: string; kind: BounceKind };
}

/** What SES told us of an address: a permanent bounce, or a complaint (the recipient marked our mail as spam). */
export const BOUNCE_KINDS = ['bounce', 'complaint'] as const;
export type BounceKind = (typeof BOUNCE_KINDS)[number];

/** What the published documents say of a vendor: copied at each approval, so later changes wait for the next. */
export interface ApprovedVendor {
  statuses: Record<string, VendorStatus>;
  statement: string | null;
  statementAt: string | null;
  flags: VendorFlags;
  acknowledgedAt: string | null;
  unresponsiveAt: string | null;
  /** Absent: none (and in approvals from before vendors gave references). */
  references?: VendorReference[];
}

export interface VendorState {
  vendorId: string;
  name: string;
  /** The directory organisation it was added from: the case keeps its own copy of what it held then. */
  vendorRef?: string;
  /** Confirmed contacts. */
  contacts: ContactState[];
  /** Addresses a reporter named, waiting for a coordinator to confirm or drop them. */
  suggestedContacts: { email: string; at: string }[];
  /** Coordinators were told this vendor cannot be reached this many times. */
  contactEscalations: number;
  /** When they were last told (absent in older snapshots: counted from addedAt). */
  lastContactEscalationAt?: string;
  /** Set by coordinators only. */
  isCna: boolean;
  cnaShortName?: string;
  downstream: boolean;
  addedAt: string;
  rm: RmState;
  flags: VendorFlags;
  /** Every attempt to reach the vendor: the first contact and each acknowledgement reminder. */
  attempts: { at: string; attempt: number; purpose: 'report' | 'downstream-alert' | 'reminder' }[];
  firstContactAt: string | null;
  lastAttemptAt: string | null;
  acknowledgedAt: string | null;
  unresponsiveAt: string | null;
  finalNoticeAt: string | null;
  statuses: Record<string, VendorStatus>;
  statement: string | null;
  statementAt: string | null;
  statementReminderAt: string | null;
  /** The vendor's advisory, release notes, patches (functions/domain/vendor-references.ts); absent in older snapshots. */
  references?: VendorReference[];
  /** CVE IDs of logs written before vendor IDs became proposals. */
  cveIds: Record<string, string>;
  /** What the vendor proposes and only a coordinator can make true. */
  proposals: { isCna: boolean | null; cveIds: Record<string, { cveId: string; at: string }> };
  approved: ApprovedVendor | null;
  /** After publication: when the vendor first changed its part since the last approval (a pending update request), and its latest requests' times (at most 20, for the daily limit). Absent in older snapshots. */
  updateRequestedAt?: string | null;
  updateRequests?: string[];
}

export interface Vulnerability extends VulnerabilityFields {
  vulnerabilityId: string;
  cveId: string | null;
  cveSource: 'pool' | 'cve-services' | 'manual' | 'vendor' | null;
  /** The vendor whose proposed ID a coordinator accepted. */
  cveVendorId?: string;
}

/** A participant's proposed embargo end; `answer` is open until a coordinator decides. */
export interface EmbargoRequest {
  proposalId: string;
  endsAt: string;
  reason: string;
  at: string;
  by: Actor;
  answer: 'open' | 'accepted' | 'declined' | 'withdrawn' | 'lapsed';
  answeredAt?: string;
}

export interface EmbargoState {
  state: EmState;
  endsAt: string | null;
  proposals: { endsAt: string; at: string; by: Actor }[];
  revisions: { from: string; to: string; at: string; by: Actor; reason?: string }[];
  /** End dates the reporter and vendors asked for: they count only once a coordinator accepts one. Absent in older snapshots. */
  requests?: EmbargoRequest[];
  activatedAt: string | null;
  firstContactAt: string | null;
  exitedAt: string | null;
  exitReason: string | null;
}

/** A message as the snapshot keeps it: who, when, to whom, how long; the body is read from its own item. */
export interface MessageSummary {
  messageId?: string;
  at: string;
  by: Actor;
  bytes: number;
  onDraft: boolean;
  audience: Audience;
  /** Whom a coordinator's message reaches; absent for participants' messages and older logs. */
  to?: Recipients;
  inReplyTo?: string;
  threadId?: string;
  kind: 'comment' | 'information';
  /** Only in cases whose log held bodies inline. */
  body?: string;
  /** Each reader has a copy of their own (functions/app/conversations.ts). */
  copies?: true;
}

/** A message as the views show it: the summary joined with its body. */
export interface CaseMessage {
  at: string;
  by: Actor;
  body: string;
  onDraft: boolean;
  audience: Audience;
  messageId?: string;
  to?: Recipients;
  inReplyTo?: string;
  threadId?: string;
  /** The files it carries. */
  files?: FileRef[];
}

/** How many message summaries a snapshot keeps: enough for a page of views, bounded whatever participants send. */
export const MAX_MESSAGE_SUMMARIES = 100;

/** A revision of the published note after the first: its number, when, the draft revision it shows, and its change line. */
export interface NoteUpdate {
  noteRevision: number;
  at: string;
  draftRevision: number;
  changeSummary: string;
}

export interface DraftRevision {
  revision: number;
  at: string;
  by: Actor;
  markdown: string;
}

export interface CaseState {
  caseId: string;
  /** Sequence number of the last event folded in (0 = no event). */
  version: number;
  phase: Phase;
  rm: RmState;
  flags: CaseFlags;
  receivedAt: string | null;
  report: Report | null;
  /** A coordinator's priority instead of the computed one (priority.ts), with why; null: computed. */
  priorityOverride: PriorityOverride | null;
  /** The TLP of the vendors' private CSAF documents; absent (snapshots from before it): AMBER+STRICT. */
  vendorCsafTlp?: VendorCsafTlp;
  /** The terms the reporter accepted with the report; null: not recorded (a client that does not send it). */
  termsAgreement: TermsAgreement;
  /** How the report came when not by the form (by e-mail), and what it lacks; absent or null: the form. */
  reportVia?: ReportVia | null;
  /** SES reported the reporter's address as bouncing or complaining (absent in snapshots from before: none). */
  reporterBounced?: { at: string; kind: BounceKind } | null;
  /** The reporter's private link. */
  reporterLink: LinkState;
  registeredAt: string | null;
  prescreen: { at: string; scores: ScoreSummary; scoreErrors: { field: string; message: string }[]; triage: TriageSummary } | null;
  triage: {
    decision: {
      decision: TriageDecision;
      reasons: DeclineReason[];
      comment: string;
      at: string;
      by: Actor;
      overridesRecommendation: boolean;
    } | null;
    history: { decision: TriageDecision; reasons: DeclineReason[]; at: string }[];
    escalations: number;
    lastEscalatedAt: string | null;
    infoRequest: { requestedAt: string; dueAt: string; questions: string[]; answeredAt: string | null } | null;
  };
  vendors: VendorState[];
  vulnerabilities: Vulnerability[];
  embargo: EmbargoState;
  signals: { kind: SignalKind; evidence: string; at: string; by: Actor }[];
  selfDisclosure: { disclosureAt: string; announcedAt: string; body: string } | null;
  /** The latest messages' summaries (MAX_MESSAGE_SUMMARIES), bodies apart; messageCount counts them all. */
  comments: MessageSummary[];
  messageCount: number;
  draft: {
    revisions: DraftRevision[];
    reviewStartedAt: string | null;
    reviewCause: 'draft-date' | 'early-release' | null;
    shared: { revision: number; at: string; publishAt: string; seq: number } | null;
  };
  publication: {
    decision: PublicationDecision | null;
    decidedAt: string | null;
    /** The log position of the decision, to order it against the draft's sharing. */
    decidedSeq: number;
    publishAt: string | null;
    reason: string | null;
    lastReminderAt: string | null;
  };
  /**
   * `at` is the first release, `revision` the draft revision the note now shows; `updates` are the
   * note's later revisions (2, 3, …) and `releasedRevision` the last one whose documents, records
   * and e-mail are all out (0: not even the first release yet). Both absent in snapshots from
   * before updates (releasedRevision absent: 1).
   */
  published: { noteId: string; at: string; revision: number; updates?: NoteUpdate[]; releasedRevision?: number } | null;
  closed: { at: string; closure: string; reason: string | null } | null;
  /**
   * Keys of e-mails already sent, so a retried step never sends one twice: the notices of
   * participants' messages here (pruned after two days), every other key in `sent`. Older snapshots
   * hold every key here. Ask `wasSent`, never either map.
   */
  notifications: Record<string, string>;
  /** The other keys, in buckets by a hash of the key (functions/domain/sent-mail.ts; absent in older snapshots). */
  sent?: Record<string, Record<string, string>>;
  /** Message notices per address and those held for a digest (absent in snapshots from before digests). */
  mailDigests?: MailDigests;
  /** The last event the workflow has reacted to (its cursor in the log). */
  appliedSeq: number;
  /** Set by the workflow when a step needs a coordinator; `seq` is the block's own event. Cleared when the workflow moves on. */
  blocked: { at: string; error: string; cause: string; seq: number } | null;
  /**
   * Only on a slice of a large case (the core and some of its vendor parts): what the core keeps of
   * every vendor part, so the deadlines and the queue's facts still count the vendors it lacks.
   * Never on a whole case, never stored as such (functions/domain/case-parts.ts).
   */
  sliceFacts?: VendorFacts;
}

export function emptyCase(caseId: string): CaseState {
  return {
    caseId,
    version: 0,
    phase: 'intake',
    rm: 'START',
    flags: NO_CASE_FLAGS,
    receivedAt: null,
    report: null,
    termsAgreement: null,
    priorityOverride: null,
    reporterLink: FIRST_LINK,
    registeredAt: null,
    prescreen: null,
    triage: { decision: null, history: [], escalations: 0, lastEscalatedAt: null, infoRequest: null },
    vendors: [],
    vulnerabilities: [],
    embargo: {
      state: 'NONE',
      endsAt: null,
      proposals: [],
      revisions: [],
      activatedAt: null,
      firstContactAt: null,
      exitedAt: null,
      exitReason: null,
    },
    signals: [],
    selfDisclosure: null,
    comments: [],
    messageCount: 0,
    draft: { revisions: [], reviewStartedAt: null, reviewCause: null, shared: null },
    publication: { decision: null, decidedAt: null, decidedSeq: 0, publishAt: null, reason: null, lastReminderAt: null },
    published: null,
    closed: null,
    notifications: {},
    appliedSeq: 0,
    blocked: null,
  };
}

export const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

export const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export const approvedOf = (v: VendorState): ApprovedVendor => ({
  statuses: v.statuses,
  statement: v.statement,
  statementAt: v.statementAt,
  flags: v.flags,
  acknowledgedAt: v.acknowledgedAt,
  unresponsiveAt: v.unresponsiveAt,
  // Only when there are some: an approval equals one written before references existed.
  ...(v.references?.length ? { references: v.references } : {}),
});

export const vendorById = (s: CaseState, vendorId: string): VendorState | undefined => s.vendors.find((v) => v.vendorId === vendorId);

export const contactOf = (v: VendorState, email: string): ContactState | undefined => v.contacts.find((c) => sameEmail(c.email, email));

/** The addresses a vendor's mail goes to: its confirmed contacts. */
export const contactEmails = (v: VendorState): string[] => v.contacts.map((c) => c.email);

/** The link state of a holder, or null when the holder is not (or no longer) on the case. */
export function linkOf(s: CaseState, holder: LinkHolder): LinkState | null {
  if (holder.role === 'reporter') return s.reporterLink;
  const v = vendorById(s, holder.vendorId);
  return (v && contactOf(v, holder.email)?.link) ?? null;
}

/**
 * The case as its published documents must show it: each vendor as the coordinator last approved
 * it. Before any approval (a draft preview) the live state is the only one there is.
 */
export const approvedCase = (s: CaseState): CaseState => ({
  ...s,
  // An approval without references shows none, whatever the vendor added since.
  vendors: s.vendors.map((v) => (v.approved ? { ...v, ...v.approved, references: v.approved.references ?? [] } : v)),
});

export const isNotAffected = (v: VendorState): boolean => {
  const values = Object.values(v.statuses);
  return values.length > 0 && values.every((x) => x === 'not-affected');
};

/** The vfdpxa case state: VFD over the vendors that are not "not affected", PXA for the case. */
export const caseStateString = (s: CaseState): string =>
  csString(caseVendorFlags(s.vendors.map((v) => ({ flags: v.flags, notAffected: isNotAffected(v) }))), s.flags);

export const vendorStateString = (s: CaseState, v: VendorState): string => csString(v.flags, s.flags);

export const isTerminal = (s: CaseState): boolean => s.phase === 'published' || s.phase === 'closed' || s.phase === 'declined';

/** The first attempt by the coordinator to reach any vendor: the embargo clock's start. */
export const firstContactAt = (s: CaseState): string | null =>
  earliest(s.vendors.flatMap((v) => (v.firstContactAt ? [v.firstContactAt] : [])));
