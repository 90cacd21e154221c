// Messages from reporters and vendors: the body goes into an item of its own (outside the case
// snapshot), counted against the writer's quota on the case, and only then is the event appended.
// A message refused for any reason writes nothing: the rules are checked before the quota, and
// the quota before anything is stored.
import { randomUUID } from 'node:crypto';
import type { QuotaLimit, StoredMessage } from '../adapters/case-content.js';
import { type CaseMessage, type CaseState, utf8Bytes } from '../domain/case.js';
import type { AudienceInput } from '../domain/audience.js';
import { decideConversation } from '../domain/decide.js';
import type { Actor, CaseEvent } from '../domain/events.js';
import { filesForMessage, grantFiles } from './attachments.js';
import { storeMessage } from './conversations.js';
import type { AppDeps } from './deps.js';
import { executeWith } from './commands.js';
import { submitWith } from './inbox.js';

/** Appends a message's events with only the conversation decisions: the conversations function bundles no others. */
export const submitConversation = /* @__PURE__ */ submitWith(executeWith(decideConversation));

export type ParticipantMessage =
  | { type: 'add-comment'; body: string; onDraft?: boolean; inReplyTo?: string }
  | { type: 'provide-information'; body: string };

const LIMIT_TEXT: Record<QuotaLimit, string> = {
  'messages-per-day': 'messages per day',
  'bytes-per-day': 'bytes of messages per day',
  'bytes-per-case': 'bytes of messages on this case',
  'embargo-proposals-per-day': 'embargo proposals per day',
  'update-requests-per-day': 'updates of your part of the published note per day',
};

const WHAT: Partial<Record<QuotaLimit, string>> = {
  'embargo-proposals-per-day': 'this proposal',
  'update-requests-per-day': 'this update request',
};

/** Seconds until the next UTC day, when the daily limits start again. */
export const untilTomorrow = (now: string) =>
  Math.max(1, Math.ceil((Date.UTC(+now.slice(0, 4), +now.slice(5, 7) - 1, +now.slice(8, 10) + 1) - Date.parse(now)) / 1000));

/** A participant went past a limit: nothing was written. The HTTP edge answers 429 (daily) or 413 (the case's). */
export class QuotaExceededError extends Error {
  override readonly name = 'QuotaExceededError';
  constructor(
    readonly limit: QuotaLimit,
    readonly max: number,
    /** Seconds until a daily limit starts again; null for the case's limit, which does not. */
    readonly retryAfterSeconds: number | null,
  ) {
    super(
      `${WHAT[limit] ?? 'this message'} would pass your limit of ${max} ${LIMIT_TEXT[limit]}${retryAfterSeconds === null ? '; the coordinators can still write to you' : '; try again tomorrow (UTC)'}`,
    );
  }
}

/** Stores a participant's message and records it on the case; QuotaExceededError past a limit, and nothing is written. */
export async function postParticipantMessage(
  deps: AppDeps,
  state: CaseState,
  actor: Actor,
  message: ParticipantMessage,
  attachmentIds?: readonly string[],
  /** A caller that may run again for the same message (a retried mail receipt) names it. */
  messageId: string = randomUUID(),
) {
  const now = deps.now();
  const command = { ...message, messageId };
  // The rules first, on the case as loaded, then the files: a refused message must not use up any quota.
  const decided = decideConversation(state, command, { now, actor, policy: deps.policy });
  const files = await filesForMessage(deps, state, actor, attachmentIds);
  const bytes = utf8Bytes(message.body);
  const p = deps.policy;
  const who = actor.participant ?? actor.role;
  const quota = await deps.content.consumeQuota(state.caseId, who, now.slice(0, 10), bytes, {
    messagesPerDay: p.messagesPerDay,
    bytesPerDay: p.messageBytesPerDay,
    bytesPerCase: p.messageBytesPerCase,
  });
  if (!quota.ok) {
    const max =
      quota.limit === 'messages-per-day'
        ? p.messagesPerDay
        : quota.limit === 'bytes-per-day'
          ? p.messageBytesPerDay
          : p.messageBytesPerCase;
    throw new QuotaExceededError(quota.limit, max, quota.limit === 'bytes-per-case' ? null : untilTomorrow(now));
  }
  const by = actor.participant ? { role: actor.role, participant: actor.participant } : { role: actor.role };
  const refs = await grantFiles(deps, files, { messageId, by, audience: 'coordinators' });
  const stored: StoredMessage = {
    caseId: state.caseId,
    messageId,
    at: now,
    by,
    audience: 'coordinators',
    ...threadOf(decided),
    onDraft: message.type === 'add-comment' && !!message.onDraft,
    kind: message.type === 'provide-information' ? 'information' : 'comment',
    body: message.body,
    ...(refs.length ? { files: refs } : {}),
  };
  await storeMessage(deps, state, stored);
  return { ...(await submitConversation(deps, state.caseId, command, actor, state)), messageId };
}

/** The thread a decided message belongs to, as the decider found it. */
function threadOf(events: readonly CaseEvent[]): Pick<StoredMessage, 'inReplyTo' | 'threadId'> {
  const e = events.find((x) => x.type === 'comment-added');
  return e?.type === 'comment-added' && e.inReplyTo && e.threadId ? { inReplyTo: e.inReplyTo, threadId: e.threadId } : {};
}

/**
 * A coordinator's message to the audience named: the decider resolves it into recipients, the
 * message and each recipient's copy are stored, then the event is appended (its mail goes out
 * from the workflow). Coordinators have no quota.
 */
export async function postCoordinatorMessage(
  deps: AppDeps,
  state: CaseState,
  actor: Actor,
  message: { body: string; to: AudienceInput; inReplyTo?: string; attachmentIds?: readonly string[] },
) {
  const now = deps.now();
  const messageId = randomUUID();
  const command = {
    type: 'add-comment' as const,
    body: message.body,
    messageId,
    to: message.to,
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
  };
  const decided = decideConversation(state, command, { now, actor, policy: deps.policy }).find((e) => e.type === 'comment-added');
  if (decided?.type !== 'comment-added') throw new Error('a coordinator message decided no comment-added event');
  const files = await filesForMessage(deps, state, actor, message.attachmentIds);
  const by = actor.participant ? { role: actor.role, participant: actor.participant } : { role: actor.role };
  const refs = await grantFiles(deps, files, { messageId, by, audience: decided.audience, ...(decided.to ? { to: decided.to } : {}) });
  const stored: StoredMessage = {
    caseId: state.caseId,
    messageId,
    at: now,
    by,
    audience: decided.audience,
    ...(decided.to ? { to: decided.to } : {}),
    ...threadOf([decided]),
    onDraft: false,
    kind: 'comment',
    body: message.body,
    ...(refs.length ? { files: refs } : {}),
  };
  await storeMessage(deps, state, stored);
  return { ...(await submitConversation(deps, state.caseId, command, actor, state)), messageId };
}

/**
 * The case's messages with their bodies, oldest first: the newest MAX stored ones, and those of
 * older logs whose bodies sit in the snapshot.
 */
export async function caseMessages(deps: Pick<AppDeps, 'content'>, state: CaseState, max = 100): Promise<CaseMessage[]> {
  const stored = state.comments.some((c) => c.messageId) ? (await deps.content.listMessages(state.caseId, { limit: max })).messages : [];
  const inline = state.comments
    .filter((c) => !c.messageId && c.body !== undefined)
    .map((c) => ({ at: c.at, by: c.by, body: c.body ?? '', onDraft: c.onDraft, audience: c.audience }));
  const fromItems = stored.map((m) => ({
    at: m.at,
    by: m.by as Actor,
    body: m.body,
    onDraft: m.onDraft,
    audience: m.audience,
    messageId: m.messageId,
    ...(m.to ? { to: m.to } : {}),
    ...(m.inReplyTo ? { inReplyTo: m.inReplyTo } : {}),
    ...(m.threadId ? { threadId: m.threadId } : {}),
    ...(m.files?.length ? { files: m.files } : {}),
  }));
  return [...inline, ...fromItems].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).slice(-max);
}
