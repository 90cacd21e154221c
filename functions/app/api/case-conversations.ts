// Messages and files, on every caller's prefix: the coordinators' thread and audiences
// (/cases/{caseId}/…), the reporter's and each vendor's own list (/reports/{caseId}/…,
// /vendor/cases/{caseId}/…), uploads and downloads, and the coordinators' retention choice. One
// function serves them (case-conversations), the only API function that carries the S3 client: the
// others stay free of it. Who may read or attach what is decided in functions/domain.
import { readerOf } from '../../domain/audience.js';
import { setFileRetention } from '../attachments.js';
import { loadCase } from '../commands.js';
import { coordinatorMessages } from '../conversations.js';
import type { AppDeps } from '../deps.js';
import { postCoordinatorMessage, postParticipantMessage, submitConversation } from '../messages.js';
import { authenticateParticipant, authenticateVendorWriter, requireCoordinator } from './auth.js';
import { type ApiEvent, type ApiResult, badRequest, json, limitOf, parseBody, pathParam, query, router } from './http.js';
import {
  CoordinatorMessageBodySchema,
  FileRetentionBodySchema,
  ReporterMessageBodySchema,
  VendorMessageBodySchema,
} from './message-bodies.js';
import { getAttachment, listOwnMessages, postAttachment } from './message-routes.js';
import { acceptedBody } from './responses.js';

/** Every message of the case, newest first, with its audience and thread. */
export async function listCaseMessages(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  requireCoordinator(event);
  const caseId = pathParam(event, 'caseId');
  const limit = limitOf(event, 50);
  const cursor = query(event, 'cursor');
  await loadCase(deps, caseId);
  return json(200, await coordinatorMessages(deps, caseId, { limit, ...(cursor ? { cursor } : {}) }));
}

/** A coordinator writes to the audience named; 202 with the message's id. */
async function postCaseMessage(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  const actor = requireCoordinator(event);
  const caseId = pathParam(event, 'caseId');
  const b = parseBody(event, CoordinatorMessageBodySchema);
  const { state } = await loadCase(deps, caseId);
  const r = await postCoordinatorMessage(deps, state, actor, {
    body: b.body,
    to: b.to,
    ...(b.inReplyTo ? { inReplyTo: b.inReplyTo } : {}),
    ...(b.attachmentIds ? { attachmentIds: b.attachmentIds } : {}),
  });
  return json(202, { ...acceptedBody(r.state, actor, r.appended), messageId: r.messageId });
}

export async function postReporterMessage(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  const caseId = pathParam(event, 'caseId');
  const me = await authenticateParticipant(deps, event, caseId, 'reporter');
  const body = parseBody(event, ReporterMessageBodySchema);
  if (body.inReplyTo && body.kind !== 'comment' && body.kind !== 'draft-comment')
    throw badRequest('only a comment answers a message', [{ path: 'inReplyTo', message: `a "${body.kind}" message answers none` }]);
  if (body.attachmentIds?.length && body.kind === 'self-disclosure')
    throw badRequest('an announcement of self-disclosure carries no files', [
      { path: 'attachmentIds', message: 'send files in a comment or with information' },
    ]);
  const r =
    body.kind === 'self-disclosure'
      ? await submitConversation(
          deps,
          caseId,
          { type: 'announce-self-disclosure', body: body.body, disclosureAt: body.disclosureDate ?? deps.now() },
          me.actor,
          me.state,
        )
      : await postParticipantMessage(
          deps,
          me.state,
          me.actor,
          body.kind === 'information'
            ? { type: 'provide-information', body: body.body }
            : {
                type: 'add-comment',
                body: body.body,
                ...(body.kind === 'draft-comment' ? { onDraft: true } : {}),
                ...(body.inReplyTo ? { inReplyTo: body.inReplyTo } : {}),
              },
          body.attachmentIds,
        );
  return json(202, { ...acceptedBody(r.state, me.actor, r.appended), ...('messageId' in r ? { messageId: r.messageId } : {}) });
}

export const caseConversationsApi = /* @__PURE__ */ router<AppDeps>({
  'GET /cases/{caseId}/messages': listCaseMessages,
  'POST /cases/{caseId}/messages': postCaseMessage,
  'POST /cases/{caseId}/attachments': async (deps, event) => {
    const actor = requireCoordinator(event);
    const { state } = await loadCase(deps, pathParam(event, 'caseId'));
    return postAttachment(deps, event, state, actor);
  },
  'GET /cases/{caseId}/attachments/{attachmentId}': async (deps, event) => {
    requireCoordinator(event);
    const { state } = await loadCase(deps, pathParam(event, 'caseId'));
    return getAttachment(deps, event, state, { kind: 'coordinators' });
  },
  'PUT /cases/{caseId}/file-retention': async (deps, event) => {
    const actor = requireCoordinator(event);
    const { state } = await loadCase(deps, pathParam(event, 'caseId'));
    const b = parseBody(event, FileRetentionBodySchema);
    return json(200, await setFileRetention(deps, state, actor, b.keep));
  },

  'POST /reports/{caseId}/messages': postReporterMessage,
  'GET /reports/{caseId}/messages': async (deps, event) => {
    const me = await authenticateParticipant(deps, event, pathParam(event, 'caseId'), 'reporter');
    return listOwnMessages(deps, event, me.state, { kind: 'reporter' });
  },
  'POST /reports/{caseId}/attachments': async (deps, event) => {
    const me = await authenticateParticipant(deps, event, pathParam(event, 'caseId'), 'reporter');
    return postAttachment(deps, event, me.state, me.actor);
  },
  'GET /reports/{caseId}/attachments/{attachmentId}': async (deps, event) => {
    const me = await authenticateParticipant(deps, event, pathParam(event, 'caseId'), 'reporter');
    return getAttachment(deps, event, me.state, { kind: 'reporter' });
  },

  'POST /vendor/cases/{caseId}/messages': async (deps, event) => {
    const caseId = pathParam(event, 'caseId');
    // The vendor's own message: decided and appended on its slice of a large case.
    const me = await authenticateVendorWriter(deps, event, caseId);
    const b = parseBody(event, VendorMessageBodySchema);
    const r = await postParticipantMessage(
      deps,
      me.state,
      me.actor,
      {
        type: 'add-comment',
        body: b.body,
        ...(b.kind === 'draft-comment' ? { onDraft: true } : {}),
        ...(b.inReplyTo ? { inReplyTo: b.inReplyTo } : {}),
      },
      b.attachmentIds,
    );
    return json(202, { ...acceptedBody(r.state, me.actor, r.appended), messageId: r.messageId });
  },
  'GET /vendor/cases/{caseId}/messages': async (deps, event) => {
    const me = await authenticateParticipant(deps, event, pathParam(event, 'caseId'), 'vendor');
    return listOwnMessages(deps, event, me.state, readerOf(me.actor));
  },
  'POST /vendor/cases/{caseId}/attachments': async (deps, event) => {
    const me = await authenticateParticipant(deps, event, pathParam(event, 'caseId'), 'vendor');
    return postAttachment(deps, event, me.state, me.actor);
  },
  'GET /vendor/cases/{caseId}/attachments/{attachmentId}': async (deps, event) => {
    const me = await authenticateParticipant(deps, event, pathParam(event, 'caseId'), 'vendor');
    return getAttachment(deps, event, me.state, readerOf(me.actor));
  },
});
