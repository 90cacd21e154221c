// The small, pure changes the fold (functions/domain/case.ts) composes: each one updates a part of
// the case the way every event that touches that part must.
import type { Actor, CaseEventType, ContactInput, EventOf, LinkHolder, MessageRef, StoredEvent } from './events.js';
import { NO_VENDOR_FLAGS, type RmState, emPath, rmPath } from './vultron.js';
import {
  type BounceKind,
  type CaseState,
  type ContactState,
  type EmbargoRequest,
  type EmbargoState,
  type LinkState,
  type MessageSummary,
  type VendorState,
  FIRST_LINK,
  MAX_MESSAGE_SUMMARIES,
  sameEmail,
  utf8Bytes,
} from './case-state.js';

export const updateVendor = (s: CaseState, vendorId: string, f: (v: VendorState) => VendorState): VendorState[] => {
  if (!s.vendors.some((v) => v.vendorId === vendorId)) throw new Error(`event names unknown vendor ${vendorId}`);
  return s.vendors.map((v) => (v.vendorId === vendorId ? f(v) : v));
};

/** A vendor as `vendor-added` brings it in: nothing sent, nothing said yet. */
export const newVendor = (e: EventOf<'vendor-added'>): VendorState => ({
  vendorId: e.vendorId,
  name: e.name,
  ...(e.vendorRef ? { vendorRef: e.vendorRef } : {}),
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
});

export function addMessage(
  s: CaseState,
  e: { at: string; by: Actor } & MessageRef,
  kind: MessageSummary['kind'],
  onDraft: boolean,
  audience: MessageSummary['audience'],
  thread: Pick<MessageSummary, 'to' | 'inReplyTo' | 'threadId'> = {},
): Pick<CaseState, 'comments' | 'messageCount'> {
  const summary: MessageSummary = {
    ...(e.messageId ? { messageId: e.messageId } : {}),
    at: e.at,
    by: e.by,
    bytes: e.bytes ?? utf8Bytes(e.body ?? ''),
    onDraft,
    audience,
    ...(thread.to ? { to: thread.to } : {}),
    ...(thread.inReplyTo ? { inReplyTo: thread.inReplyTo } : {}),
    ...(thread.threadId ? { threadId: thread.threadId } : {}),
    kind,
    ...(e.body !== undefined && !e.messageId ? { body: e.body } : {}),
    ...(e.copies ? { copies: true as const } : {}),
  };
  return { comments: [...s.comments, summary].slice(-MAX_MESSAGE_SUMMARIES), messageCount: (s.messageCount ?? s.comments.length) + 1 };
}

export function confirmedContact(c: ContactInput, at: string): ContactState {
  return {
    email: c.email,
    ...(c.name ? { name: c.name } : {}),
    ...(c.pgpKey ? { pgpKey: c.pgpKey } : {}),
    confirmedAt: at,
    link: FIRST_LINK,
  };
}

/** SES's word on one confirmed contact: it stays marked while it is on the vendor (a coordinator replaces it). */
export function markBounced(v: VendorState, email: string, at: string, kind: BounceKind): VendorState {
  if (!v.contacts.some((c) => sameEmail(c.email, email))) throw new Error(`event names unknown contact of ${v.vendorId}`);
  return { ...v, contacts: v.contacts.map((c) => (sameEmail(c.email, email) && !c.bounced ? { ...c, bounced: { at, kind } } : c)) };
}

/**
 * A contact kept across an edit keeps its link (a reissue is a separate act) and its bounce (an
 * address SES gave up on stays marked until a coordinator drops it); a new one gets a first link.
 */
export function keepLink(existing: readonly ContactState[], c: ContactInput, at: string): ContactState {
  const old = existing.find((x) => sameEmail(x.email, c.email));
  const fresh = confirmedContact(c, at);
  return old ? { ...fresh, confirmedAt: old.confirmedAt, link: old.link, ...(old.bounced ? { bounced: old.bounced } : {}) } : fresh;
}

export function updateLink(s: CaseState, holder: LinkHolder, f: (l: LinkState) => LinkState): CaseState {
  if (holder.role === 'reporter') return { ...s, reporterLink: f(s.reporterLink) };
  return {
    ...s,
    vendors: updateVendor(s, holder.vendorId, (v) => {
      if (!v.contacts.some((c) => sameEmail(c.email, holder.email))) throw new Error(`event names unknown contact of ${holder.vendorId}`);
      return { ...v, contacts: v.contacts.map((c) => (sameEmail(c.email, holder.email) ? { ...c, link: f(c.link) } : c)) };
    }),
  };
}

/** Ends an active embargo (early release, publication, closing); a mere proposal lapses. */
export function exitEmbargo(e: EmbargoState, at: string, reason: string): EmbargoState {
  // Requests still open lapse with the embargo: there is no end date left to move.
  const lapsed: EmbargoState = e.requests?.some((r) => r.answer === 'open')
    ? { ...e, requests: e.requests.map((r) => (r.answer === 'open' ? { ...r, answer: 'lapsed' as const, answeredAt: at } : r)) }
    : e;
  if (e.state === 'ACTIVE' || e.state === 'REVISE')
    return { ...lapsed, state: emPath(e.state, 'EXITED'), exitedAt: at, exitReason: reason };
  if (e.state === 'PROPOSED') return { ...lapsed, state: emPath(e.state, 'NONE') };
  return lapsed;
}

/** Moves an embargo's end: a revision when active, else one more proposal. A coordinator's date answers every open request. */
export function moveEmbargo(e: EmbargoState, endsAt: string, at: string, by: Actor, reason?: string): EmbargoState {
  const settled = by.role === 'coordinator' ? answerOpenRequests(e, at) : e;
  if (settled.state === 'ACTIVE' || settled.state === 'REVISE') {
    return {
      ...settled,
      // Still REVISE while a participant's request waits for an answer.
      state: settled.state === 'ACTIVE' ? emPath('ACTIVE', 'REVISE', 'ACTIVE') : 'REVISE',
      endsAt,
      revisions: [...settled.revisions, { from: settled.endsAt ?? endsAt, to: endsAt, at, by, ...(reason ? { reason } : {}) }],
    };
  }
  return { ...settled, state: emPath(settled.state, 'PROPOSED'), proposals: [...settled.proposals, { endsAt, at, by }] };
}

/** Answered requests kept for the record; open ones are never dropped. */
const KEPT_ANSWERED_REQUESTS = 10;

function keepRequests(requests: readonly EmbargoRequest[]): EmbargoRequest[] {
  const answered = requests.filter((r) => r.answer !== 'open');
  const drop = new Set(answered.slice(0, Math.max(0, answered.length - KEPT_ANSWERED_REQUESTS)));
  return requests.filter((r) => !drop.has(r));
}

/**
 * A participant asks for another end date (Vultron: NONE → PROPOSED, ACTIVE → REVISE). Their own
 * earlier open request is withdrawn: one open request per participant, so nobody can pile them up.
 */
export function requestEmbargo(
  e: EmbargoState,
  asked: { proposalId: string; endsAt: string; reason?: string; at: string; by: Actor },
): EmbargoState {
  const request: EmbargoRequest = {
    proposalId: asked.proposalId,
    endsAt: asked.endsAt,
    reason: asked.reason ?? '',
    at: asked.at,
    by: asked.by,
    answer: 'open',
  };
  const mine = (r: EmbargoRequest) => r.by.role === request.by.role && r.by.participant === request.by.participant;
  const requests = (e.requests ?? []).map((r) =>
    r.answer === 'open' && mine(r) ? { ...r, answer: 'withdrawn' as const, answeredAt: request.at } : r,
  );
  const state = e.state === 'NONE' ? emPath('NONE', 'PROPOSED') : e.state === 'ACTIVE' ? emPath('ACTIVE', 'REVISE') : e.state;
  return { ...e, state, requests: keepRequests([...requests, request]) };
}

/** A coordinator's answer to one request; with none open, a revision ends (REVISE → ACTIVE) and a bare proposal lapses. */
export function answerRequest(e: EmbargoState, proposalId: string, answer: 'accepted' | 'declined', at: string): EmbargoState {
  const requests = (e.requests ?? []).map((r) =>
    r.proposalId === proposalId && r.answer === 'open' ? { ...r, answer, answeredAt: at } : r,
  );
  return settle({ ...e, requests: keepRequests(requests) });
}

function answerOpenRequests(e: EmbargoState, at: string): EmbargoState {
  const requests = (e.requests ?? []).map((r) => (r.answer === 'open' ? { ...r, answer: 'declined' as const, answeredAt: at } : r));
  return settle({ ...e, requests: keepRequests(requests) });
}

function settle(e: EmbargoState): EmbargoState {
  if ((e.requests ?? []).some((r) => r.answer === 'open')) return e;
  if (e.state === 'REVISE') return { ...e, state: emPath('REVISE', 'ACTIVE') };
  if (e.state === 'PROPOSED' && e.proposals.length === 0) return { ...e, state: emPath('PROPOSED', 'NONE') };
  return e;
}

/** Closes report management from wherever it stands, through legal steps only. */
export function closeRm(rm: RmState, closure: string): RmState {
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

/** The workflow's records of its mail: a block's own reports and digests make no progress. */
const MAIL_RECORDS: readonly CaseEventType[] = ['notification-sent', 'notice-held', 'digest-sent'];

/** A block ends when the workflow makes progress of its own: a phase change or any step's event but its reports. */
export function stillBlocked(before: CaseState, after: CaseState, e: StoredEvent): CaseState['blocked'] {
  if (after.blocked === null || e.type === 'workflow-blocked') return after.blocked;
  const progress = after.phase !== before.phase || (e.by.role === 'system' && !MAIL_RECORDS.includes(e.type));
  return progress ? null : after.blocked;
}
