// The message routes of the HTTP API as data (docs/api.md, "Messages"), with their response
// schemas; openapi-operations.ts lists them with the rest.
import * as z from 'zod/mini';
import type { Operation } from './openapi-types.js';
import { AttachmentBodySchema, CoordinatorMessageBodySchema, FileRetentionBodySchema } from './message-bodies.js';
import { AcceptedResponseSchema, FileRefSchema, MessageViewSchema } from './response-schemas.js';

const NullableString = z.nullable(z.string());
const Recipients = z.object({ reporter: z.boolean(), vendorIds: z.array(z.string()) });

export const MESSAGE_REQUESTS = {
  CoordinatorMessage: CoordinatorMessageBodySchema,
  Attachment: AttachmentBodySchema,
  FileRetention: FileRetentionBodySchema,
};
export const MESSAGE_RESPONSES = {
  MessageAccepted: z.extend(AcceptedResponseSchema, { messageId: z.string() }),
  MessagesPage: z.object({ messages: z.array(MessageViewSchema), cursor: NullableString, unread: z.number() }),
  CaseMessagesPage: z.object({
    messages: z.array(
      z.object({
        messageId: z.string(),
        at: z.string(),
        by: z.object({ role: z.string(), participant: z.optional(z.string()) }),
        audience: z.string(),
        to: z.nullable(Recipients),
        kind: z.enum(['comment', 'information']),
        onDraft: z.boolean(),
        body: z.string(),
        inReplyTo: NullableString,
        threadId: z.string(),
        files: z.array(FileRefSchema),
      }),
    ),
    cursor: NullableString,
  }),
  UploadGranted: z.object({
    attachmentId: z.string(),
    uploadUrl: z.string(),
    uploadHeaders: z.record(z.string(), z.string()),
    expiresAt: z.string(),
  }),
  Download: z.extend(FileRefSchema, { downloadUrl: z.string(), expiresAt: z.string() }),
  FileRetentionSet: z.object({ keep: z.boolean(), by: z.string(), at: z.string() }),
};

const LIMIT = { name: 'limit', description: 'page size (default 50)', schema: { type: 'integer', minimum: 1, maximum: 200 } };
const CURSOR = { name: 'cursor', description: 'from the previous page of the same list', schema: { type: 'string' } };
const list = (path: string, auth: 'token' | 'coordinator', operationId: string, summary: string, response: string): Operation => ({
  method: 'get',
  path,
  auth,
  operationId,
  summary,
  status: 200,
  response,
  query: [LIMIT, CURSOR],
  problems: auth === 'token' ? [400, 401, 404, 429, 500] : [400, 401, 403, 404, 429, 500],
});

const PREFIXES = [
  ['/cases/{caseId}', 'coordinator', 'Case'],
  ['/reports/{caseId}', 'token', 'Reporter'],
  ['/vendor/cases/{caseId}', 'token', 'Vendor'],
] as const;

const FILE_OPERATIONS: Operation[] = PREFIXES.flatMap(([prefix, auth, name]): Operation[] => [
  {
    method: 'post',
    path: `${prefix}/attachments`,
    auth,
    operationId: `post${name}Attachment`,
    summary:
      'Declare a file (name, type, size, SHA-256) and get a presigned PUT valid 5 minutes for exactly those bytes; a message then names it in attachmentIds',
    request: 'Attachment',
    status: 201,
    response: 'UploadGranted',
    problems: auth === 'token' ? [400, 401, 404, 409, 413, 415, 429, 500] : [400, 401, 403, 404, 409, 413, 415, 429, 500],
  },
  {
    method: 'get',
    path: `${prefix}/attachments/{attachmentId}`,
    auth,
    operationId: `get${name}Attachment`,
    summary:
      "A file's details and a presigned GET valid 5 minutes that downloads it; only its uploader and the readers of a message that carries it, anyone else gets 404",
    status: 200,
    response: 'Download',
    problems: auth === 'token' ? [401, 404, 409, 410, 429, 500] : [401, 403, 404, 409, 410, 429, 500],
  },
]);

export const MESSAGE_OPERATIONS: readonly Operation[] = [
  ...FILE_OPERATIONS,
  {
    method: 'put',
    path: '/cases/{caseId}/file-retention',
    auth: 'coordinator',
    operationId: 'setFileRetention',
    summary:
      "Keep the case's files after publication ({ keep: true }) or let the retention rule remove them when the note is published (the default)",
    request: 'FileRetention',
    status: 200,
    response: 'FileRetentionSet',
    problems: [400, 401, 403, 404, 413, 415, 429, 500],
  },
  {
    method: 'post',
    path: '/cases/{caseId}/messages',
    auth: 'coordinator',
    operationId: 'postCaseMessage',
    summary:
      'Write to the reporter, named vendors, every contacted vendor, the contacted downstream vendors, everyone, or an internal note; 202 with the messageId',
    request: 'CoordinatorMessage',
    status: 202,
    response: 'MessageAccepted',
    problems: [400, 401, 403, 404, 409, 413, 415, 429, 500],
  },
  list(
    '/cases/{caseId}/messages',
    'coordinator',
    'listCaseMessages',
    'Every message of the case with its audience and thread, newest first',
    'CaseMessagesPage',
  ),
  list(
    '/reports/{caseId}/messages',
    'token',
    'listReporterMessages',
    "The messages addressed to the reporter and the reporter's own, newest first; opening the first page marks it read",
    'MessagesPage',
  ),
  list(
    '/vendor/cases/{caseId}/messages',
    'token',
    'listVendorMessages',
    "The messages addressed to this vendor and the vendor's own, newest first; opening the first page marks it read",
    'MessagesPage',
  ),
];
