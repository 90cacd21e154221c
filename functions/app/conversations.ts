// Conversations: storing a message with one copy per reader, and each reader's list. A copy is
// written for the reader from the message's audience and the reader's identity (canRead), and
// holds only what that reader may know: who wrote it (a role, or "you"), the body, and the message
// it answers only when the reader can read that one too. A reporter's or a vendor's list is their
// own copies; the coordinators' list is every message of the case.
import type { StoredMessage } from '../adapters/case-content.js';
import { type InboxEntry, listPosition } from '../adapters/message-inbox.js';
import { type MessageReader, type ReaderMessage, canRead, isOwn, participantReaders, readerKey } from '../domain/audience.js';
import type { CaseState, MessageSummary } from '../domain/case.js';
import type { AppDeps } from './deps.js';

/** The message summaries the case holds, by id, to decide what a reader may know of a reply. */
const summaryById = (s: CaseState, id: string | undefined): MessageSummary | undefined =>
  id === undefined ? undefined : s.comments.find((m) => m.messageId === id);

/** The copy of a message written for one reader. */
export function copyFor(s: CaseState, m: StoredMessage, reader: MessageReader): InboxEntry {
  const parent = summaryById(s, m.inReplyTo);
  const root = summaryById(s, m.threadId);
  const inReplyTo = parent && canRead(parent, reader) ? parent.messageId : undefined;
  return {
    messageId: m.messageId,
    at: m.at,
    from: m.by.role === 'coordinator' ? 'coordinator' : m.by.role === 'reporter' ? 'reporter' : 'vendor',
    own: isOwn(m, reader),
    kind: m.kind,
    onDraft: m.onDraft,
    body: m.body,
    ...(inReplyTo ? { inReplyTo } : {}),
    threadId: root?.messageId && canRead(root, reader) ? root.messageId : (inReplyTo ?? m.messageId),
    ...(m.files?.length ? { files: m.files } : {}),
  };
}

/** Stores a message and every participant reader's copy (the coordinators read the message itself). */
export async function storeMessage(deps: Pick<AppDeps, 'content'>, s: CaseState, m: StoredMessage): Promise<void> {
  await deps.content.putMessage(m);
  await deps.content.putCopies(
    m.caseId,
    participantReaders(m).map((r) => ({ reader: readerKey(r), entry: copyFor(s, m, r) })),
  );
}

const fromOf = (e: InboxEntry) => (e.own ? 'you' : e.from);

/**
 * A reporter's or a vendor's list: their copies, newest first, with what was unread. Opening the
 * first page marks everything up to its newest message read.
 */
export async function readerMessages(
  deps: Pick<AppDeps, 'content'>,
  s: CaseState,
  reader: MessageReader,
  opts: { limit?: number; cursor?: string; markRead?: boolean } = {},
): Promise<{ messages: ReaderMessage[]; cursor: string | null; unread: number }> {
  const key = readerKey(reader);
  const [page, marker] = await Promise.all([
    deps.content.listInbox(s.caseId, key, {
      ...(opts.limit ? { limit: opts.limit } : {}),
      ...(opts.cursor ? { cursor: opts.cursor } : {}),
    }),
    deps.content.readMarker(s.caseId, key),
  ]);
  const unread = await deps.content.countUnread(s.caseId, key, marker);
  const isNew = (e: InboxEntry) => !e.own && (marker === null || listPosition(e) > marker);
  const messages = page.entries.map((e) => ({
    messageId: e.messageId,
    at: e.at,
    from: fromOf(e),
    kind: e.kind,
    body: e.body,
    onDraft: e.onDraft,
    inReplyTo: e.inReplyTo ?? null,
    threadId: e.threadId,
    files: e.files ?? [],
    unread: isNew(e),
  }));
  const newest = page.entries[0];
  if (opts.markRead && !opts.cursor && newest) await deps.content.markRead(s.caseId, key, listPosition(newest));
  const legacy = opts.cursor ? [] : await legacyFor(deps, s, reader);
  return { messages: [...messages, ...legacy], cursor: page.cursor, unread };
}

/**
 * Messages written before each reader had copies (bodies inline in the snapshot, or message items
 * without copies): chosen from the snapshot's summaries by the same membership rule, then read by
 * id; on the first page only, after the copies (they are older).
 */
async function legacyFor(deps: Pick<AppDeps, 'content'>, s: CaseState, reader: MessageReader): Promise<ReaderMessage[]> {
  const mine = s.comments.filter((m) => !m.copies && canRead(m, reader));
  if (mine.length === 0) return [];
  const stored = mine.some((m) => m.messageId) ? (await deps.content.listMessages(s.caseId, { limit: 200 })).messages : [];
  const bodyOf = (m: MessageSummary) => (m.messageId ? stored.find((x) => x.messageId === m.messageId)?.body : m.body);
  return mine
    .flatMap((m) => {
      const body = bodyOf(m);
      return body === undefined
        ? []
        : [
            {
              messageId: m.messageId ?? null,
              at: m.at,
              from: isOwn(m, reader) ? 'you' : m.by.role,
              kind: m.kind,
              body,
              onDraft: m.onDraft,
              inReplyTo: null,
              threadId: m.messageId ?? null,
              files: [],
              unread: false,
            },
          ];
    })
    .reverse();
}

/** A message as the coordinators read it: everything, with its audience and recipients. */
export const coordinatorMessage = (m: StoredMessage) => ({
  messageId: m.messageId,
  at: m.at,
  by: m.by,
  audience: m.audience,
  to: m.to ?? null,
  kind: m.kind,
  onDraft: m.onDraft,
  body: m.body,
  inReplyTo: m.inReplyTo ?? null,
  threadId: m.threadId ?? m.messageId,
  files: m.files ?? [],
});

/**
 * The coordinators' list: every message of the case, newest first. It keeps no read state: the
 * function that serves it only reads the table.
 */
export async function coordinatorMessages(deps: Pick<AppDeps, 'content'>, caseId: string, opts: { limit?: number; cursor?: string } = {}) {
  const page = await deps.content.listMessages(caseId, {
    ...(opts.limit ? { limit: opts.limit } : {}),
    ...(opts.cursor ? { cursor: opts.cursor } : {}),
  });
  return { messages: page.messages.map(coordinatorMessage), cursor: page.cursor };
}
