// What each kind of caller sees of a case: pure functions of the case state (and, for the
// coordinator's timeline, of the event log). Vendor isolation lives here: before publication a
// vendor never sees another vendor's identity, status or statement, a reporter never sees any
// vendor's, and nobody but coordinators sees the reporter's private comments.
import { noteRevisions, pendingVendorUpdates } from '../../domain/note-revisions.js';
import { type CaseMessage, type CaseState, approvedCase, caseStateString, vendorStateString } from '../../domain/case.js';
import { type Deadline, attentionOf, nextDeadline } from '../../domain/deadlines.js';
import { type NoteReader, PUBLIC_READER, composeNote, vendorsNamedIn } from '../../domain/note.js';
import { plannedPublicationAt } from '../../domain/embargo.js';
import type { StoredEvent } from '../../domain/events.js';
import type { Policy } from '../../domain/policy.js';
import { priorityOf } from '../../domain/priority.js';
import { type EmbargoView, embargoView } from '../../domain/queue-entry.js';
import { isOwnProduct, vendorCsafTlpOf } from '../../domain/publication/facts.js';
import { publishRecommendation } from '../../domain/triage/publish-recommendation.js';
import type { ReaderMessage } from '../../domain/audience.js';
import { referencesOf } from '../../domain/vendor-references.js';
import { FIRST_VENDOR_PAGE, vendorPage, vendorStatus } from './vendor-rows.js';

export { vendorStatus };

export type { EmbargoView };
/** A message as a reporter or vendor reads it ('from': 'coordinator', 'reporter', 'vendor' or 'you'). */
export type MessageView = ReaderMessage;
/** The caller's own list, built for them (functions/app/conversations.ts): the latest messages, oldest first. */
export interface InboxView {
  messages: readonly ReaderMessage[];
  unread: number;
}
const NO_INBOX: InboxView = { messages: [], unread: 0 };
export interface SharedDraftView {
  revision: number;
  markdown: string;
  sharedAt: string;
  publishAt: string;
}

/** A participant's own embargo proposals and the coordinators' answers: never anyone else's. */
export interface EmbargoProposalView {
  proposalId: string;
  endsAt: string;
  reason: string;
  at: string;
  answer: 'open' | 'accepted' | 'declined' | 'withdrawn' | 'lapsed';
}
function ownProposals(s: CaseState, role: 'reporter' | 'vendor', participant: string): EmbargoProposalView[] {
  return (s.embargo.requests ?? [])
    .filter((r) => r.by.role === role && r.by.participant === participant)
    .map((r) => ({ proposalId: r.proposalId, endsAt: r.endsAt, reason: r.reason, at: r.at, answer: r.answer }));
}
const title = (s: CaseState) => s.report?.title ?? '';
const isPublished = (s: CaseState) => s.phase === 'published';

/** The shared draft as this reader may read it: the revision's body and the sections written for them. */
function sharedDraft(s: CaseState, reader: NoteReader): SharedDraftView | null {
  const shared = s.draft.shared;
  if (!shared) return null;
  const rev = s.draft.revisions.find((r) => r.revision === shared.revision);
  return rev
    ? {
        revision: shared.revision,
        markdown: composeNote(rev.markdown, s, reader, { publishAt: shared.publishAt }),
        sharedAt: shared.at,
        publishAt: shared.publishAt,
      }
    : null;
}

/** Messages whose bodies the snapshot holds itself (logs from before bodies had items of their own). */
export const inlineMessages = (s: CaseState): CaseMessage[] =>
  s.comments.flatMap((c) =>
    c.body !== undefined && !c.messageId ? [{ at: c.at, by: c.by, body: c.body, onDraft: c.onDraft, audience: c.audience }] : [],
  );

/** After publication the note names every vendor with its status and statement, as approved. */
const publishedVendors = (s: CaseState) =>
  isPublished(s)
    ? approvedCase(s).vendors.map((v) => ({ name: v.name, status: vendorStatus(v), statement: v.statement, references: referencesOf(v) }))
    : undefined;

// ---- coordinator --------------------------------------------------------------------------------

export interface CoordinatorViewContext {
  policy: Policy;
  pendingDecision: { kind: string; since: string } | null;
  events?: readonly StoredEvent[];
  /** The case's messages with their bodies (caseMessages); default: those the snapshot holds. */
  messages?: readonly CaseMessage[];
}

export function coordinatorView(s: CaseState, ctx: CoordinatorViewContext) {
  const d: Deadline | null = nextDeadline(s, ctx.policy);
  const pre = s.prescreen;
  const firstVendors = vendorPage(s, FIRST_VENDOR_PAGE) ?? { vendors: [], cursor: null, total: 0 };
  return {
    caseId: s.caseId,
    title: title(s),
    phase: s.phase,
    rm: s.rm,
    em: s.embargo.state,
    cs: caseStateString(s),
    flags: s.flags,
    version: s.version,
    receivedAt: s.receivedAt,
    registeredAt: s.registeredAt,
    scores: pre?.scores ?? {},
    scoreErrors: pre?.scoreErrors ?? [],
    ssvc: pre ? { outcome: pre.triage.ssvcOutcome, inputs: pre.triage.ssvcInputs } : null,
    triage: {
      recommendation: pre?.triage.recommendation ?? null,
      suggestedReasons: pre?.triage.suggestedReasons ?? [],
      requestInformation: pre?.triage.requestInformation ?? null,
      decision: s.triage.decision,
      history: s.triage.history,
      escalations: s.triage.escalations,
      informationRequest: s.triage.infoRequest,
    },
    priority: priorityOf(s, ctx.policy),
    vendorCsaf: { tlp: vendorCsafTlpOf(s) },
    attention: attentionOf(s, ctx.policy),
    // The first page of vendors (every vendor of an ordinary case); GET /cases/{caseId}/vendors the rest.
    vendors: firstVendors.vendors,
    vendorsTotal: firstVendors.total,
    vendorsNext: firstVendors.cursor,
    reporterLink: {
      state: s.reporterLink.revokedAt ? ('revoked' as const) : ('live' as const),
      generation: s.reporterLink.generation,
      revokedAt: s.reporterLink.revokedAt,
    },
    embargo: {
      state: s.embargo.state,
      endsAt: s.embargo.endsAt,
      activatedAt: s.embargo.activatedAt,
      firstContactAt: s.embargo.firstContactAt,
      exitedAt: s.embargo.exitedAt,
      exitReason: s.embargo.exitReason,
      proposals: s.embargo.proposals,
      revisions: s.embargo.revisions,
      /** Reporters' and vendors' proposed ends, with who asked and the answer. */
      requests: s.embargo.requests ?? [],
    },
    vulnerabilities: s.vulnerabilities.map((v) => ({ ...v })),
    signals: s.signals,
    selfDisclosure: s.selfDisclosure,
    comments: ctx.messages ?? inlineMessages(s),
    messageCount: s.messageCount,
    pendingDecision: ctx.pendingDecision,
    nextDeadline: d ? { kind: d.kind, at: d.at, ...(d.vendorId ? { vendorId: d.vendorId } : {}) } : null,
    publication: { ...s.publication, plannedAt: plannedPublicationAt(s), recommendation: publishRecommendation(s) },
    noteId: s.published?.noteId ?? null,
    published: s.published,
    // The note's revisions, and the vendors' changes after publication waiting for the next (acceptUpdates).
    noteRevisions: noteRevisions(s),
    updateRequests: pendingVendorUpdates(s),
    closed: s.closed,
    blocked: s.blocked,
    report: s.report,
    reporterBounced: s.reporterBounced ?? null,
    // A report by e-mail, and the form's required fields it lacks (the reporter was asked for them).
    reportVia: s.reportVia ?? null,
    // Whether the reporter accepted the terms, and which; "not-recorded" for clients that never sent it.
    terms: s.termsAgreement
      ? { agreement: 'accepted' as const, version: s.termsAgreement.version }
      : { agreement: 'not-recorded' as const, version: null },
    draft: coordinatorDraft(s),
    timeline: (ctx.events ?? []).filter((e) => e.type !== 'events-applied').map(timelineEntry),
    // False when older events were left out of the timeline (GET /cases/{caseId}/events has them all).
    timelineComplete: (ctx.events?.[0]?.seq ?? 1) <= 1,
  };
}
export type CoordinatorView = ReturnType<typeof coordinatorView>;

/**
 * The draft as coordinators work on it: each revision's body, the whole note as the public will
 * read it (every vendor), and which vendors the body names: every participant reads the body as
 * written, so a vendor named there is named to all of them.
 */
function coordinatorDraft(s: CaseState) {
  const latest = s.draft.revisions.at(-1);
  const publishAt = s.draft.shared?.publishAt ?? s.publication.publishAt ?? s.embargo.endsAt ?? s.receivedAt ?? '';
  return {
    revisions: s.draft.revisions,
    shared: s.draft.shared,
    reviewStartedAt: s.draft.reviewStartedAt,
    reviewCause: s.draft.reviewCause,
    preview: latest ? composeNote(latest.markdown, s, PUBLIC_READER, { publishAt }) : null,
    vendorsNamedInBody: latest ? vendorsNamedIn(latest.markdown, s.vendors) : [],
  };
}

/** One line of the timeline: when, who, what, and the few fields that say which. */
export function timelineEntry(e: StoredEvent) {
  const detail: Record<string, unknown> = {};
  for (const k of [
    'vendorId',
    'vulnerabilityId',
    'decision',
    'kind',
    'closure',
    'endsAt',
    'cveId',
    'revision',
    'template',
    'noteId',
    'cause',
    // A message: that it was sent, to whom and in which thread; its body stays in the message list.
    'messageId',
    'audience',
    'to',
    'inReplyTo',
  ] as const)
    if (k in e) detail[k] = (e as unknown as Record<string, unknown>)[k];
  return {
    seq: e.seq,
    at: e.at,
    type: e.type,
    by: e.by.participant ? `${e.by.role}:${e.by.participant}` : e.by.role,
    ...(e.reason ? { reason: e.reason } : {}),
    ...detail,
  };
}

/** A queue row: enough to sort and pick a case without loading it. */
// ---- reporter -----------------------------------------------------------------------------------

export function reporterView(s: CaseState, inbox: InboxView = NO_INBOX) {
  const r = s.report;
  const d = s.triage.decision;
  const info = s.triage.infoRequest;
  return {
    caseId: s.caseId,
    title: title(s),
    status: s.phase,
    receivedAt: s.receivedAt,
    // Their own report, as they sent it (the private comments are theirs too).
    report: r,
    triage: d ? { decision: d.decision, reasons: d.reasons, at: d.at } : null,
    informationRequest: info
      ? { questions: info.questions, requestedAt: info.requestedAt, dueAt: info.dueAt, answeredAt: info.answeredAt }
      : null,
    vulnerabilities: s.vulnerabilities.map((v) => ({ vulnerabilityId: v.vulnerabilityId, title: v.title, cveId: v.cveId })),
    embargo: embargoView(s),
    embargoProposals: ownProposals(s, 'reporter', 'reporter'),
    publishAt: s.draft.shared?.publishAt ?? s.publication.publishAt,
    draft: sharedDraft(s, { kind: 'reporter' }),
    selfDisclosure: s.selfDisclosure,
    messages: inbox.messages,
    unreadMessages: inbox.unread,
    noteId: s.published?.noteId ?? null,
    publishedAt: s.published?.at ?? null,
    closed: s.closed ? { at: s.closed.at, closure: s.closed.closure } : null,
    ...(isPublished(s) ? { vendors: publishedVendors(s) } : {}),
  };
}
export type ReporterView = ReturnType<typeof reporterView>;

// ---- vendor -------------------------------------------------------------------------------------

export function vendorView(s: CaseState, vendorId: string, inbox: InboxView = NO_INBOX) {
  const me = s.vendors.find((v) => v.vendorId === vendorId);
  if (!me) throw new RangeError(`no vendor ${vendorId} on case ${s.caseId}`);
  const r = s.report;
  return {
    caseId: s.caseId,
    title: title(s),
    phase: s.phase,
    vendor: {
      vendorId: me.vendorId,
      name: me.name,
      isCna: me.isCna,
      firstContactAt: me.firstContactAt,
      acknowledgedAt: me.acknowledgedAt,
      statuses: me.statuses,
      status: vendorStatus(me),
      fixReady: me.flags.f,
      fixDeployed: me.flags.d,
      statement: me.statement,
      statementAt: me.statementAt,
      references: referencesOf(me),
      cveIds: me.cveIds,
      // What this vendor proposed and a coordinator has not yet decided.
      proposals: {
        isCna: me.proposals.isCna,
        cveIds: Object.fromEntries(Object.entries(me.proposals.cveIds).map(([k, p]) => [k, p.cveId])),
      },
      cs: vendorStateString(s, me),
    },
    // What the report says, without the reporter's contact (unless they agreed), their private
    // comments, their own vendor list or their correspondence with vendors.
    report: r
      ? {
          title: r.title,
          product: r.product,
          description: r.description,
          exploitation: r.exploitation,
          impact: r.impact,
          discovery: r.discovery,
          evidence: r.evidence,
          cvss: r.cvss,
          alreadyPublic: r.alreadyPublic,
          publicReferences: r.publicReferences,
          exploitedInTheWild: r.exploitedInTheWild,
          exploitReferences: r.exploitReferences,
          multipleVendors: r.multipleVendors,
          reporter: r.reporter.shareContactWithVendors
            ? { name: r.reporter.name, email: r.reporter.email, organization: r.reporter.organization, pgpKey: r.reporter.pgpKey }
            : null,
        }
      : null,
    vulnerabilities: s.vulnerabilities.map((v) => ({
      vulnerabilityId: v.vulnerabilityId,
      title: v.title,
      description: v.description,
      ...(v.cwe ? { cwe: v.cwe } : {}),
      cvss: v.cvss,
      cveId: v.cveId,
      affected: isPublished(s) ? v.affected : v.affected.filter((a) => isOwnProduct(me, a)),
    })),
    embargo: embargoView(s),
    embargoProposals: ownProposals(s, 'vendor', me.vendorId),
    publishAt: s.draft.shared?.publishAt ?? s.publication.publishAt,
    draft: sharedDraft(s, { kind: 'vendor', vendorId: me.vendorId }),
    messages: inbox.messages,
    unreadMessages: inbox.unread,
    noteId: s.published?.noteId ?? null,
    publishedAt: s.published?.at ?? null,
    closed: s.closed ? { at: s.closed.at, closure: s.closed.closure } : null,
    ...(isPublished(s) ? { vendors: publishedVendors(s) } : {}),
  };
}
export type VendorView = ReturnType<typeof vendorView>;
