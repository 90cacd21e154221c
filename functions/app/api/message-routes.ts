// The message routes every caller shares: its own list (paginated, newest first, opening the first
// page marks it read) and the latest messages inside its view of the case.
import type { MessageReader } from '../../domain/audience.js';
import type { CaseState } from '../../domain/case.js';
import { readerMessages } from '../conversations.js';
import type { AppDeps } from '../deps.js';
import { type ApiEvent, type ApiResult, json, limitOf, notFound, query } from './http.js';
import type { InboxView } from './views.js';

/** How many of the latest messages a view of the case shows; the list route pages through all. */
export const VIEW_MESSAGES = 100;

/** The reader's latest messages, oldest first, for their view of the case (nothing is marked read). */
export async function inboxView(deps: AppDeps, s: CaseState, reader: MessageReader): Promise<InboxView> {
  const r = await readerMessages(deps, s, reader, { limit: VIEW_MESSAGES });
  return { messages: [...r.messages].reverse(), unread: r.unread };
}

/** GET …/messages for a reporter or a vendor: only their own list. */
export async function listOwnMessages(deps: AppDeps, event: ApiEvent, s: CaseState, reader: MessageReader): Promise<ApiResult> {
  const cursor = query(event, 'cursor');
  const r = await readerMessages(deps, s, reader, { limit: limitOf(event, 50), ...(cursor ? { cursor } : {}), markRead: true });
  return json(200, r);
}

/**
 * Files are not stored yet, so no attachment id names one: each is answered as an unknown id is,
 * and nothing is written.
 */
export function refuseUnknownAttachments(ids: readonly string[] | undefined): void {
  if (ids && ids.length > 0) throw notFound();
}
