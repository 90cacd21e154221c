// GET /openapi.json: the OpenAPI 3.1 document of docs/api.md, generated from the zod schemas the
// handlers parse with, and GET /health. Needs no table and no clock but the process's.
import * as z from 'zod/mini';
import { type ApiEvent, type ApiResult, json, router } from './http.js';
import { MESSAGE_REQUESTS, MESSAGE_RESPONSES } from './openapi-message-operations.js';
import { DIRECTORY_REQUESTS, DIRECTORY_RESPONSES } from './openapi-directory-operations.js';
import { INBOUND_RESPONSES } from './openapi-inbound-operations.js';
import { type Json, OPERATIONS, type Operation } from './openapi-operations.js';
import {
  CveBodySchema,
  LinksBodySchema,
  VendorUpdateBodySchema,
  CloseBodySchema,
  PriorityBodySchema,
  VendorCsafBodySchema,
  DraftBodySchema,
  EmbargoBodySchema,
  PublicationBodySchema,
  ReportSchema,
  ReporterMessageBodySchema,
  EmbargoProposalBodySchema,
  SignalBodySchema,
  TriageBodySchema,
  VendorMessageBodySchema,
  VendorStatusBodySchema,
  VendorsBodySchema,
  VulnerabilityBodySchema,
  AcknowledgeBodySchema,
} from './schemas.js';
import {
  AcceptedResponseSchema,
  CoordinatorCaseViewSchema,
  EventsPageSchema,
  VendorsPageSchema,
  HealthSchema,
  ProblemSchema,
  QueuePageSchema,
  ReporterCaseViewSchema,
  SubmitReportResponseSchema,
  VendorCaseViewSchema,
} from './response-schemas.js';

const REQUESTS: Record<string, z.ZodMiniType> = {
  Report: ReportSchema,
  ReporterMessage: ReporterMessageBodySchema,
  TriageDecision: TriageBodySchema,
  AddVendors: VendorsBodySchema,
  Vulnerability: VulnerabilityBodySchema,
  Embargo: EmbargoBodySchema,
  EmbargoProposal: EmbargoProposalBodySchema,
  Signal: SignalBodySchema,
  Draft: DraftBodySchema,
  PublicationDecision: PublicationBodySchema,
  Close: CloseBodySchema,
  Priority: PriorityBodySchema,
  VendorCsaf: VendorCsafBodySchema,
  UpdateVendor: VendorUpdateBodySchema,
  Links: LinksBodySchema,
  CveId: CveBodySchema,
  Acknowledge: AcknowledgeBodySchema,
  VendorStatus: VendorStatusBodySchema,
  VendorMessage: VendorMessageBodySchema,
  ...MESSAGE_REQUESTS,
  ...DIRECTORY_REQUESTS,
};
const RESPONSES: Record<string, z.ZodMiniType> = {
  Problem: ProblemSchema,
  SubmitReportResponse: SubmitReportResponseSchema,
  Accepted: AcceptedResponseSchema,
  CoordinatorCase: CoordinatorCaseViewSchema,
  ReporterCase: ReporterCaseViewSchema,
  VendorCase: VendorCaseViewSchema,
  QueuePage: QueuePageSchema,
  EventsPage: EventsPageSchema,
  VendorsPage: VendorsPageSchema,
  Health: HealthSchema,
  ...MESSAGE_RESPONSES,
  ...DIRECTORY_RESPONSES,
  ...INBOUND_RESPONSES,
};

const TITLES: Record<number, string> = {
  400: 'Invalid request: every invalid field is listed in errors',
  401: 'No or bad credentials',
  403: 'Not allowed',
  404: 'Unknown (also every token that does not open this case: outsiders learn nothing)',
  409: 'The case is not in a state that allows this (state and allowed say which)',
  410: 'Gone: the file was removed under the retention rule',
  413: 'Too large: the body (256 KiB), a file, or a limit on files (limit and max say which)',
  415: 'Body is not application/json',
  422: 'Idempotency-Key reused with a different request',
  429: 'Throttled',
  500: 'Internal error',
};

function schemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
  return rest;
}

function operation(op: Operation): Json {
  const params: Json[] = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  for (const q of op.query ?? []) params.push({ name: q.name, in: 'query', required: false, description: q.description, schema: q.schema });
  for (const h of op.headers ?? [])
    params.push({ name: h.name, in: 'header', required: false, description: h.description, schema: { type: 'string', maxLength: 255 } });
  const responses: Json = {
    [String(op.status)]: {
      description: op.status === 202 ? 'Accepted: the event is appended and the workflow woken; the case as it stands now' : 'OK',
      ...(op.response
        ? { content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.response}` } } } }
        : op.content
          ? { content: op.content }
          : {}),
    },
  };
  for (const code of op.problems) responses[String(code)] = { $ref: `#/components/responses/Problem${code}` };
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [
      op.auth === 'coordinator'
        ? 'coordinator'
        : op.auth === 'token'
          ? op.path.startsWith('/vendor')
            ? 'vendor'
            : 'reporter'
          : op.path.startsWith('/reports')
            ? 'reporter'
            : 'public',
    ],
    ...(params.length ? { parameters: params } : {}),
    ...(op.request
      ? {
          requestBody: {
            required: !op.requestOptional,
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.request}` } } },
          },
        }
      : {}),
    responses,
    security: op.auth === 'public' ? [] : op.auth === 'token' ? [{ capabilityToken: [] }] : [{ coordinatorJwt: [] }],
  };
}

export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) {
    const path = paths[op.path] ?? {};
    path[op.method] = operation(op);
    paths[op.path] = path;
  }
  const schemas: Json = {};
  for (const [name, s] of Object.entries(REQUESTS)) schemas[name] = schemaOf(s, 'input');
  for (const [name, s] of Object.entries(RESPONSES)) schemas[name] = schemaOf(s, 'output');
  const responses: Json = {};
  for (const [code, description] of Object.entries(TITLES))
    responses[`Problem${code}`] = {
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  return {
    openapi: '3.1.0',
    info: {
      title: 'cvd-coordinator',
      version: '1',
      description:
        'Coordinated vulnerability disclosure: reporters submit reports, coordinators triage and coordinate, vendors respond, notes are published.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'reporter', description: 'Reporters: submit, then use the bearer token returned once' },
      { name: 'vendor', description: 'Vendors: the bearer token from the notification e-mail' },
      { name: 'coordinator', description: 'Coordinators: a Cognito JWT of the coordinators group' },
      { name: 'public', description: 'Anyone' },
    ],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        capabilityToken: {
          type: 'http',
          scheme: 'bearer',
          description: '256-bit capability token of a reporter or vendor (from POST /reports or the e-mailed link fragment)',
        },
        coordinatorJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Cognito user-pool ID token; the user must be in the coordinators group',
        },
      },
    },
  };
}

let cached: Json | undefined;
const document = (): Json => (cached ??= openApiDocument());

export const serviceInfoApi = /* @__PURE__ */ router<null>({
  'GET /openapi.json': async () => json(200, document(), { 'Cache-Control': 'public, max-age=300' }),
  'GET /health': async () => json(200, { status: 'ok', time: new Date().toISOString() }),
});

export const serviceInfo = (event: ApiEvent): Promise<ApiResult> => serviceInfoApi(() => null, event);
