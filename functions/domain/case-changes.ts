// The small, pure changes the fold (functions/domain/case.ts) composes: each one updates a part of
// the case the way every event that touches that part must.
import type { Actor, ContactInput, LinkHolder, MessageRef } from './events.js';
import { ms } from './time.js';
import { type RmState, emPath, rmPath } from './vultron.js';
import {
  type CaseState,
  type ContactState,
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

/** A contact kept across an edit keeps its link (a reissue is a separate act); a new one gets a first link. */
export function keepLink(existing: readonly ContactState[], c: ContactInput, at: string): ContactState {
  const old = existing.find((x) => sameEmail(x.email, c.email));
  const fresh = confirmedContact(c, at);
  return old ? { ...fresh, confirmedAt: old.confirmedAt, link: old.link } : fresh;
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

/**
 * Notices of participants' messages are keyed per message; their keys only guard a retried step,
 * so after two days they are dropped, and a flood of messages cannot grow the snapshot with them.
 */
const PRUNABLE_NOTICE = /^comment:/;
const NOTICE_KEY_DAYS = 2;
export function pruneNotifications(n: Record<string, string>, now: string): Record<string, string> {
  const cutoff = ms(now) - NOTICE_KEY_DAYS * 86_400_000;
  if (!Object.entries(n).some(([k, at]) => PRUNABLE_NOTICE.test(k) && ms(at) < cutoff)) return n;
  return Object.fromEntries(Object.entries(n).filter(([k, at]) => !PRUNABLE_NOTICE.test(k) || ms(at) >= cutoff));
}

/** Ends an active embargo (early release, publication, closing); a mere proposal lapses. */
export function exitEmbargo(e: EmbargoState, at: string, reason: string): EmbargoState {
  if (e.state === 'ACTIVE' || e.state === 'REVISE') return { ...e, state: emPath(e.state, 'EXITED'), exitedAt: at, exitReason: reason };
  if (e.state === 'PROPOSED') return { ...e, state: emPath(e.state, 'NONE') };
  return e;
}

/** Moves an embargo's end: a revision when active, else one more proposal. */
export function moveEmbargo(e: EmbargoState, endsAt: string, at: string, by: Actor, reason?: string): EmbargoState {
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
