// The message routes every caller shares: its own list (paginated, newest first, opening the first
// page marks it read) and the latest messages inside its view of the case.
import type { MessageReader } from '../../domain/audience.js';
import type { CaseState } from '../../domain/case.js';
import { readerMessages } from '../conversations.js';
import type { AppDeps } from '../deps.js';
import type { Actor } from '../../domain/events.js';
import { fetchFile, requestUpload } from '../attachments.js';
import { type ApiEvent, type ApiResult, json, limitOf, parseBody, pathParam, query } from './http.js';
import { AttachmentBodySchema } from './message-bodies.js';
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

/** POST …/attachments for any caller: 201 with the presigned upload. */
export async function postAttachment(deps: AppDeps, event: ApiEvent, s: CaseState, actor: Actor): Promise<ApiResult> {
  return json(201, await requestUpload(deps, s, actor, parseBody(event, AttachmentBodySchema)));
}

/** GET …/attachments/{attachmentId} for any reader: the file's details and its download link, or 404. */
export async function getAttachment(deps: AppDeps, event: ApiEvent, s: CaseState, reader: MessageReader): Promise<ApiResult> {
  return json(200, await fetchFile(deps, s, reader, pathParam(event, 'attachmentId')), { 'Cache-Control': 'no-store' });
}
