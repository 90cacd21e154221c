// The case aggregate: its state and the one fold that builds it from the event log.
// `apply` trusts that `decide` produced the event (decide checks every rule); it still walks the
// Vultron transitions through the checked helpers, so an illegal log fails loudly, never silently.
import type {
  Actor,
  ContactInput,
  DeclineReason,
  LinkHolder,
  PublicationDecision,
  ScoreSummary,
  SignalKind,
  StoredEvent,
  TriageDecision,
  TriageSummary,
  VendorStatus,
  VulnerabilityFields,
  MessageRef,
} from './events.js';
import type { Report } from './report.js';
import { earliest, ms } from './time.js';
import {
  type CaseFlags,
  type EmState,
  type RmState,
  type VendorFlags,
  NO_CASE_FLAGS,
  NO_VENDOR_FLAGS,
  caseVendorFlags,
  csString,
  emPath,
  raiseCaseFlags,
  raiseVendorFlags,
  rmPath,
} from './vultron.js';

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
}

/** What the published documents say of a vendor: copied at each approval, so later changes wait for the next. */
export interface ApprovedVendor {
  statuses: Record<string, VendorStatus>;
  statement: string | null;
  statementAt: string | null;
  flags: VendorFlags;
  acknowledgedAt: string | null;
  unresponsiveAt: string | null;
}

export interface VendorState {
  vendorId: string;
  name: string;
  /** Confirmed contacts. */
  contacts: ContactState[];
  /** Addresses a reporter named, waiting for a coordinator to confirm or drop them. */
  suggestedContacts: { email: string; at: string }[];
  /** Coordinators were told this vendor has no confirmed contact this many times. */
  contactEscalations: number;
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
  /** CVE IDs of logs written before vendor IDs became proposals. */
  cveIds: Record<string, string>;
  /** What the vendor proposes and only a coordinator can make true. */
  proposals: { isCna: boolean | null; cveIds: Record<string, { cveId: string; at: string }> };
  approved: ApprovedVendor | null;
}

export interface Vulnerability extends VulnerabilityFields {
  vulnerabilityId: string;
  cveId: string | null;
  cveSource: 'pool' | 'cve-services' | 'manual' | 'vendor' | null;
  /** The vendor whose proposed ID a coordinator accepted. */
  cveVendorId?: string;
}

export interface EmbargoState {
  state: EmState;
  endsAt: string | null;
  proposals: { endsAt: string; at: string; by: Actor }[];
  revisions: { from: string; to: string; at: string; by: Actor; reason?: string }[];
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
  audience: 'coordinators' | 'participants';
  kind: 'comment' | 'information';
  /** Only in cases whose log held bodies inline. */
  body?: string;
}

/** A message as the views show it: the summary joined with its body. */
export interface CaseMessage {
  at: string;
  by: Actor;
  body: string;
  onDraft: boolean;
  audience: 'coordinators' | 'participants';
}

/** How many message summaries a snapshot keeps: enough for a page of views, bounded whatever participants send. */
export const MAX_MESSAGE_SUMMARIES = 100;

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
  /** The reporter's private link. */
  reporterLink: LinkState;
  registeredAt: string | null;
  prescreen: { at: string; scores: ScoreSummary; scoreErrors: { field: string; message: string }[]; triage: TriageSummary } | null;
  triage: {
    decision: { decision: TriageDecision; reasons: DeclineReason[]; comment: string; at: string; by: Actor; overridesRecommendation: boolean } | null;
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
  published: { noteId: string; at: string; revision: number } | null;
  closed: { at: string; closure: string; reason: string | null } | null;
  /** Keys of e-mails already sent, so a retried step never sends one twice. */
  notifications: Record<string, string>;
  /** The last event the workflow has reacted to (its cursor in the log). */
  appliedSeq: number;
  blocked: { at: string; error: string; cause: string } | null;
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

const updateVendor = (s: CaseState, vendorId: string, f: (v: VendorState) => VendorState): VendorState[] => {
  if (!s.vendors.some((v) => v.vendorId === vendorId)) throw new Error(`event names unknown vendor ${vendorId}`);
  return s.vendors.map((v) => (v.vendorId === vendorId ? f(v) : v));
};

export const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

function addMessage(
  s: CaseState,
  e: { at: string; by: Actor } & MessageRef,
  kind: MessageSummary['kind'],
  onDraft: boolean,
  audience: MessageSummary['audience'],
): Pick<CaseState, 'comments' | 'messageCount'> {
  const summary: MessageSummary = {
    ...(e.messageId ? { messageId: e.messageId } : {}),
    at: e.at,
    by: e.by,
    bytes: e.bytes ?? utf8Bytes(e.body ?? ''),
    onDraft,
    audience,
    kind,
    ...(e.body !== undefined && !e.messageId ? { body: e.body } : {}),
  };
  return { comments: [...s.comments, summary].slice(-MAX_MESSAGE_SUMMARIES), messageCount: (s.messageCount ?? s.comments.length) + 1 };
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function confirmedContact(c: ContactInput, at: string): ContactState {
  return { email: c.email, ...(c.name ? { name: c.name } : {}), ...(c.pgpKey ? { pgpKey: c.pgpKey } : {}), confirmedAt: at, link: FIRST_LINK };
}

/** A contact kept across an edit keeps its link (a reissue is a separate act); a new one gets a first link. */
function keepLink(existing: readonly ContactState[], c: ContactInput, at: string): ContactState {
  const old = existing.find((x) => sameEmail(x.email, c.email));
  const fresh = confirmedContact(c, at);
  return old ? { ...fresh, confirmedAt: old.confirmedAt, link: old.link } : fresh;
}

function updateLink(s: CaseState, holder: LinkHolder, f: (l: LinkState) => LinkState): CaseState {
  if (holder.role === 'reporter') return { ...s, reporterLink: f(s.reporterLink) };
  return {
    ...s,
    vendors: updateVendor(s, holder.vendorId, (v) => {
      if (!v.contacts.some((c) => sameEmail(c.email, holder.email))) throw new Error(`event names unknown contact of ${holder.vendorId}`);
      return { ...v, contacts: v.contacts.map((c) => (sameEmail(c.email, holder.email) ? { ...c, link: f(c.link) } : c)) };
    }),
  };
}

export const approvedOf = (v: VendorState): ApprovedVendor => ({
  statuses: v.statuses,
  statement: v.statement,
  statementAt: v.statementAt,
  flags: v.flags,
  acknowledgedAt: v.acknowledgedAt,
  unresponsiveAt: v.unresponsiveAt,
});

/**
 * Notices of participants' messages are keyed per message; their keys only guard a retried step,
 * so after two days they are dropped, and a flood of messages cannot grow the snapshot with them.
 */
const PRUNABLE_NOTICE = /^comment:/;
const NOTICE_KEY_DAYS = 2;
function pruneNotifications(n: Record<string, string>, now: string): Record<string, string> {
  const cutoff = ms(now) - NOTICE_KEY_DAYS * 86_400_000;
  if (!Object.entries(n).some(([k, at]) => PRUNABLE_NOTICE.test(k) && ms(at) < cutoff)) return n;
  return Object.fromEntries(Object.entries(n).filter(([k, at]) => !PRUNABLE_NOTICE.test(k) || ms(at) >= cutoff));
}

/** Ends an active embargo (early release, publication, closing); a mere proposal lapses. */
function exitEmbargo(e: EmbargoState, at: string, reason: string): EmbargoState {
  if (e.state === 'ACTIVE' || e.state === 'REVISE') return { ...e, state: emPath(e.state, 'EXITED'), exitedAt: at, exitReason: reason };
  if (e.state === 'PROPOSED') return { ...e, state: emPath(e.state, 'NONE') };
  return e;
}

/** Moves an embargo's end: a revision when active, else one more proposal. */
function moveEmbargo(e: EmbargoState, endsAt: string, at: string, by: Actor, reason?: string): EmbargoState {
  if (e.state === 'ACTIVE') {
    return {
      ...e,
      state: emPath(e.state, 'REVISE', 'ACTIVE'),
      endsAt,
      revisions: [...e.revisions, { from: e.endsAt ?? endsAt, to: endsAt, at, by, ...(reason ? { reason } : {}) }],
    };
  }
  return { ...e, state: emPath(e.state, 'PROPOSED'), proposals: [...e.proposals, { endsAt, at, by }] };
}

/** Closes report management from wherever it stands, through legal steps only. */
function closeRm(rm: RmState, closure: string): RmState {
  switch (rm) {
    case 'RECEIVED':
      return closure === 'invalid' ? rmPath(rm, 'INVALID', 'CLOSED') : rmPath(rm, 'VALID', 'DEFERRED', 'CLOSED');
    case 'INVALID':
    case 'ACCEPTED':
    case 'DEFERRED':
      return rmPath(rm, 'CLOSED');
    case 'VALID':
      return rmPath(rm, 'DEFERRED', 'CLOSED');
    case 'START':
    case 'CLOSED':
      return rm;
  }
}

/** The fold: one event into the case. Pure. */
export function apply(s: CaseState, e: StoredEvent): CaseState {
  const next = applyEvent(s, e);
  return { ...next, version: e.seq };
}

function applyEvent(s: CaseState, e: StoredEvent): CaseState {
  switch (e.type) {
    case 'report-submitted':
      return { ...s, caseId: e.caseId, report: e.report, receivedAt: e.at, rm: rmPath(s.rm, 'RECEIVED'), phase: 'intake' };
    case 'case-registered':
      return { ...s, registeredAt: e.at, phase: s.phase === 'intake' ? 'triage' : s.phase };
    case 'case-prescreened':
      return { ...s, prescreen: { at: e.at, scores: e.scores, scoreErrors: e.scoreErrors, triage: e.triage }, phase: s.phase === 'intake' ? 'triage' : s.phase };
    case 'triage-decided': {
      const decision = { decision: e.decision, reasons: e.reasons, comment: e.comment, at: e.at, by: e.by, overridesRecommendation: e.overridesRecommendation };
      const triage = { ...s.triage, decision, history: [...s.triage.history, { decision: e.decision, reasons: e.reasons, at: e.at }] };
      if (e.decision === 'accept') {
        const rm = s.rm === 'INVALID' || s.rm === 'RECEIVED' ? rmPath(s.rm, 'VALID', 'ACCEPTED') : rmPath(s.rm, 'ACCEPTED');
        return { ...s, triage, rm, phase: 'outreach' };
      }
      if (e.decision === 'decline') {
        const rm = rmPath(s.rm === 'RECEIVED' ? rmPath(s.rm, 'VALID') : s.rm, 'DEFERRED', 'CLOSED');
        return { ...s, triage, rm, phase: 'declined', closed: { at: e.at, closure: 'declined', reason: e.comment || null } };
      }
      return { ...s, triage };
    }
    case 'information-requested':
      return { ...s, triage: { ...s.triage, infoRequest: { requestedAt: e.at, dueAt: e.dueAt, questions: e.questions, answeredAt: null } } };
    case 'information-provided':
      return {
        ...s,
        triage: {
          ...s.triage,
          // New information re-opens the decision: the coordinator triages again.
          decision: null,
          infoRequest: s.triage.infoRequest ? { ...s.triage.infoRequest, answeredAt: e.at } : null,
        },
        ...addMessage(s, e, 'information', false, 'coordinators'),
      };
    case 'comment-added':
      return { ...s, ...addMessage(s, e, 'comment', e.onDraft, e.audience) };
    case 'self-disclosure-announced': {
      const now = ms(e.disclosureAt) <= ms(e.at);
      const selfDisclosure = { disclosureAt: e.disclosureAt, announcedAt: e.at, body: e.body };
      if (now) {
        return { ...s, selfDisclosure, flags: raiseCaseFlags(s.flags, { p: true }), embargo: exitEmbargo(s.embargo, e.at, 'reporter disclosed') };
      }
      const shortens = s.embargo.endsAt === null || ms(e.disclosureAt) < ms(s.embargo.endsAt);
      const embargo =
        s.embargo.state === 'EXITED' || !shortens ? s.embargo : moveEmbargo(s.embargo, e.disclosureAt, e.at, e.by, 'reporter announced disclosure');
      return { ...s, selfDisclosure, embargo };
    }
    case 'vendor-added':
      return {
        ...s,
        vendors: [
          ...s.vendors,
          {
            vendorId: e.vendorId,
            name: e.name,
            contacts: e.contacts.map((c) => confirmedContact(typeof c === 'string' ? { email: c } : c, e.at)),
            suggestedContacts: (e.suggestedContacts ?? []).map((email) => ({ email, at: e.at })),
            contactEscalations: 0,
            isCna: e.isCna,
            ...(e.cnaShortName ? { cnaShortName: e.cnaShortName } : {}),
            downstream: e.downstream,
            addedAt: e.at,
            rm: 'START',
            flags: NO_VENDOR_FLAGS,
            attempts: [],
            firstContactAt: null,
            lastAttemptAt: null,
            acknowledgedAt: null,
            unresponsiveAt: null,
            finalNoticeAt: null,
            statuses: {},
            statement: null,
            statementAt: null,
            statementReminderAt: null,
            cveIds: {},
            proposals: { isCna: null, cveIds: {} },
            approved: null,
          },
        ],
      };
    case 'vendor-updated':
      return {
        ...s,
        vendors: updateVendor(s, e.vendorId, (v) => {
          const contacts = e.contacts === undefined ? v.contacts : e.contacts.map((c) => keepLink(v.contacts, c, e.at));
          const confirmed = new Set(contacts.map((c) => c.email.toLowerCase()));
          return {
            ...v,
            ...(e.name !== undefined ? { name: e.name } : {}),
            contacts,
            // A suggestion the coordinator confirmed is no longer a suggestion.
            suggestedContacts: v.suggestedContacts.filter((x) => !confirmed.has(x.email.toLowerCase())),
            ...(e.isCna !== undefined ? { isCna: e.isCna, proposals: { ...v.proposals, isCna: null } } : {}),
            ...(e.cnaShortName !== undefined ? { cnaShortName: e.cnaShortName } : {}),
            ...(e.downstream !== undefined ? { downstream: e.downstream } : {}),
          };
        }),
      };
    case 'link-revoked':
    case 'link-reissued': {
      const next = (l: LinkState): LinkState => (e.type === 'link-revoked' ? { ...l, revokedAt: l.revokedAt ?? e.at } : { generation: e.generation, revokedAt: null });
      return updateLink(s, e.holder, next);
    }
    case 'vendor-contacted': {
      const vendors = updateVendor(s, e.vendorId, (v) => ({
        ...v,
        attempts: [...v.attempts, { at: e.at, attempt: e.attempt, purpose: e.purpose }],
        firstContactAt: v.firstContactAt ?? e.at,
        lastAttemptAt: e.at,
      }));
      // The embargo clock starts at the coordinator's first attempt to reach any vendor.
      const first = s.embargo.firstContactAt ?? e.at;
      return { ...s, vendors, embargo: { ...s.embargo, firstContactAt: first } };
    }
    case 'reminder-sent': {
      if (e.kind === 'publication-decision') return { ...s, publication: { ...s.publication, lastReminderAt: e.at } };
      if (!e.vendorId) return s;
      const vendors = updateVendor(s, e.vendorId, (v) => {
        if (e.kind === 'vendor-acknowledgement')
          return { ...v, attempts: [...v.attempts, { at: e.at, attempt: e.attempt ?? v.attempts.length + 1, purpose: 'reminder' }], lastAttemptAt: e.at };
        if (e.kind === 'final-notice') return { ...v, finalNoticeAt: e.at };
        return { ...v, statementReminderAt: e.at };
      });
      return { ...s, vendors };
    }
    case 'vendor-unresponsive':
      return { ...s, vendors: updateVendor(s, e.vendorId, (v) => ({ ...v, unresponsiveAt: e.at })) };
    case 'vendor-acknowledged':
      return {
        ...s,
        vendors: updateVendor(s, e.vendorId, (v) => ({
          ...v,
          acknowledgedAt: v.acknowledgedAt ?? e.at,
          // A vendor that answers is no longer unresponsive (the history stays in the log).
          unresponsiveAt: null,
          rm: v.rm === 'START' ? rmPath(v.rm, 'RECEIVED') : v.rm,
          flags: raiseVendorFlags(v.flags, { v: true }),
        })),
      };
    case 'vendor-status-updated':
      return {
        ...s,
        vendors: updateVendor(s, e.vendorId, (v) => {
          const statuses = { ...v.statuses };
          for (const st of e.statuses) statuses[st.vulnerabilityId] = st.status;
          const rm = v.rm === 'START' ? rmPath(v.rm, 'RECEIVED', 'VALID', 'ACCEPTED') : v.rm === 'RECEIVED' ? rmPath(v.rm, 'VALID', 'ACCEPTED') : v.rm;
          return {
            ...v,
            statuses,
            rm,
            acknowledgedAt: v.acknowledgedAt ?? e.at,
            unresponsiveAt: null,
            proposals: e.isCna === undefined || e.isCna === v.isCna ? v.proposals : { ...v.proposals, isCna: e.isCna },
            flags: raiseVendorFlags(v.flags, { v: true, f: !!e.fixReady, d: !!e.fixDeployed }),
            ...(e.statement !== undefined ? { statement: e.statement, statementAt: e.at } : {}),
          };
        }),
      };
    case 'vendor-cve-assigned':
      return {
        ...s,
        vendors: updateVendor(s, e.vendorId, (v) => ({ ...v, cveIds: { ...v.cveIds, [e.vulnerabilityId]: e.cveId } })),
        vulnerabilities: s.vulnerabilities.map((x) => (x.vulnerabilityId === e.vulnerabilityId ? { ...x, cveId: e.cveId, cveSource: 'vendor' } : x)),
      };
    case 'vendor-cve-proposed':
      return {
        ...s,
        vendors: updateVendor(s, e.vendorId, (v) => ({
          ...v,
          proposals: { ...v.proposals, cveIds: { ...v.proposals.cveIds, [e.vulnerabilityId]: { cveId: e.cveId, at: e.at } } },
        })),
      };
    case 'vulnerability-added':
      return {
        ...s,
        vulnerabilities: [
          ...s.vulnerabilities,
          {
            vulnerabilityId: e.vulnerabilityId,
            title: e.title,
            description: e.description,
            ...(e.cwe ? { cwe: e.cwe } : {}),
            cvss: e.cvss,
            affected: e.affected,
            cveId: null,
            cveSource: null,
          },
        ],
      };
    case 'vulnerability-updated': {
      // The stored event carries its log position; that is not a field of the vulnerability.
      const { type: _t, at: _a, by: _b, reason: _r, vulnerabilityId, seq: _s, ...fields } = e as typeof e & { seq?: number };
      return { ...s, vulnerabilities: s.vulnerabilities.map((x) => (x.vulnerabilityId === vulnerabilityId ? { ...x, ...fields } : x)) };
    }
    case 'cve-assigned':
      return {
        ...s,
        vulnerabilities: s.vulnerabilities.map((x) => {
          if (x.vulnerabilityId !== e.vulnerabilityId) return x;
          const { cveVendorId: _drop, ...rest } = x;
          return { ...rest, cveId: e.cveId, cveSource: e.source, ...(e.vendorId ? { cveVendorId: e.vendorId } : {}) };
        }),
      };
    case 'cve-cleared':
      return {
        ...s,
        vulnerabilities: s.vulnerabilities.map((x) => {
          if (x.vulnerabilityId !== e.vulnerabilityId) return x;
          const { cveVendorId: _drop, ...rest } = x;
          return { ...rest, cveId: null, cveSource: null };
        }),
      };
    case 'embargo-proposed':
      return { ...s, embargo: moveEmbargo(s.embargo, e.endsAt, e.at, e.by, e.reason) };
    case 'embargo-changed':
      return { ...s, embargo: moveEmbargo(s.embargo, e.endsAt, e.at, e.by, e.reason) };
    case 'embargo-activated': {
      const from = s.embargo.state === 'NONE' ? emPath('NONE', 'PROPOSED') : s.embargo.state;
      return {
        ...s,
        phase: 'embargo',
        embargo: { ...s.embargo, state: emPath(from, 'ACTIVE'), endsAt: e.endsAt, activatedAt: e.at, firstContactAt: e.firstContactAt },
      };
    }
    case 'signal-raised':
      return {
        ...s,
        signals: [...s.signals, { kind: e.kind, evidence: e.evidence, at: e.at, by: e.by }],
        flags: raiseCaseFlags(s.flags, { p: e.kind === 'public', x: e.kind === 'exploit-public', a: e.kind === 'attacks-observed' }),
        embargo: exitEmbargo(s.embargo, e.at, `early release: ${e.kind}`),
      };
    case 'draft-review-started':
      return { ...s, phase: 'draft-review', draft: { ...s.draft, reviewStartedAt: e.at, reviewCause: e.cause } };
    case 'draft-revised': {
      const draft = { ...s.draft, revisions: [...s.draft.revisions, { revision: e.revision, at: e.at, by: e.by, markdown: e.markdown }] };
      // A new revision after approval needs a new approval.
      if (s.phase === 'publication') return { ...s, draft, phase: 'draft-review', publication: { ...s.publication, decision: 'revise', decidedAt: e.at, decidedSeq: e.seq } };
      return { ...s, draft };
    }
    case 'draft-shared':
      return { ...s, draft: { ...s.draft, shared: { revision: e.revision, at: e.at, publishAt: e.publishAt, seq: e.seq } } };
    case 'publication-decided': {
      const publication = { ...s.publication, decision: e.decision, decidedAt: e.at, decidedSeq: e.seq, reason: e.reason ?? null, publishAt: e.publishAt ?? s.publication.publishAt };
      // What the coordinator approved is what goes out: later vendor changes wait for the next approval.
      if (e.decision === 'approve') return { ...s, publication, phase: 'publication', vendors: s.vendors.map((v) => ({ ...v, approved: approvedOf(v) })) };
      if (e.decision === 'revise') return { ...s, publication, phase: 'draft-review' };
      return {
        ...s,
        publication,
        embargo: exitEmbargo(s.embargo, e.at, 'not published'),
        rm: closeRm(s.rm, 'not-published'),
        phase: 'closed',
        closed: { at: e.at, closure: 'not-published', reason: e.reason ?? null },
      };
    }
    case 'note-published':
      return {
        ...s,
        phase: 'published',
        flags: raiseCaseFlags(s.flags, { p: true }),
        embargo: exitEmbargo(s.embargo, e.at, 'published'),
        published: { noteId: e.noteId, at: e.at, revision: e.revision },
      };
    case 'case-closed':
      return {
        ...s,
        phase: 'closed',
        embargo: exitEmbargo(s.embargo, e.at, `case closed: ${e.closure}`),
        rm: closeRm(s.rm, e.closure),
        closed: { at: e.at, closure: e.closure, reason: e.reason ?? null },
      };
    case 'escalated':
      if (e.kind === 'vendor-contact' && e.vendorId) return { ...s, vendors: updateVendor(s, e.vendorId, (v) => ({ ...v, contactEscalations: e.count })) };
      return { ...s, triage: { ...s.triage, escalations: e.count, lastEscalatedAt: e.at } };
    case 'notification-sent':
      return { ...s, notifications: { ...pruneNotifications(s.notifications, e.at), [e.key]: e.at } };
    case 'events-applied':
      return { ...s, appliedSeq: Math.max(s.appliedSeq, e.upToSeq) };
    case 'workflow-blocked':
      return { ...s, blocked: { at: e.at, error: e.error, cause: e.cause } };
  }
}

export const fold = (caseId: string, events: readonly StoredEvent[]): CaseState => events.reduce(apply, emptyCase(caseId));

// ---- derived views -------------------------------------------------------------------------

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
export const approvedCase = (s: CaseState): CaseState => ({ ...s, vendors: s.vendors.map((v) => (v.approved ? { ...v, ...v.approved } : v)) });

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
