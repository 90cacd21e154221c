// API Gateway REST proxy events for the API handlers, and a caller that routes them the way the
// REST API does (lib/api-routes.ts) to the use-case routers over a test app's in-memory deps.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type ApiHandlerName, type HttpMethod, apiRoutes } from '../../lib/api-routes.js';
import { coordinatorCommandsApi, coordinatorQueriesApi } from '../../functions/app/api/coordinator.js';
import { serviceInfoApi } from '../../functions/app/api/openapi.js';
import { reporterCaseApi, submitReportApi } from '../../functions/app/api/reports.js';
import { vendorCaseApi } from '../../functions/app/api/vendor.js';
import { caseConversationsApi } from '../../functions/app/api/case-conversations.js';
import type { AppDeps } from '../../functions/app/deps.js';

export type Caller = { kind: 'anonymous' } | { kind: 'token'; token: string } | { kind: 'coordinator'; groups?: string; username?: string };

export const ANONYMOUS: Caller = { kind: 'anonymous' };
export const COORDINATOR_CALLER: Caller = { kind: 'coordinator' };
export const bearer = (token: string): Caller => ({ kind: 'token', token });

export interface EventOptions {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** An object is sent as JSON; a string as is; null for no body. */
  body?: unknown;
  headers?: Record<string, string>;
  caller?: Caller;
}

/** A REST proxy event as API Gateway builds it for `resource` (e.g. /reports/{caseId}). */
export function anEvent(method: HttpMethod, resource: string, opts: EventOptions = {}): APIGatewayProxyEvent {
  const params = opts.params ?? {};
  const path = resource.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`));
  const body = opts.body === undefined || opts.body === null ? null : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = {};
  if (body !== null) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body, 'utf8'));
  }
  const caller = opts.caller ?? ANONYMOUS;
  let authorizer: APIGatewayProxyEvent['requestContext']['authorizer'] = null;
  if (caller.kind === 'token') headers.Authorization = `Bearer ${caller.token}`;
  if (caller.kind === 'coordinator') {
    // What the Cognito authorizer passes on: the JWT stays in the header, its claims in the context.
    headers.Authorization = 'Bearer eyJraWQiOiJ0ZXN0In0.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl';
    authorizer = {
      claims: {
        'cognito:groups': caller.groups ?? 'coordinators',
        'cognito:username': caller.username ?? 'alice',
        email: 'alice@cert.example',
        sub: 'sub-alice',
      },
    };
  }
  Object.assign(headers, opts.headers ?? {});
  for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
  const hasParams = Object.keys(params).length > 0;
  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: opts.query ?? null,
    multiValueQueryStringParameters: opts.query ? Object.fromEntries(Object.entries(opts.query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: hasParams ? params : null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      authorizer,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: { sourceIp: '192.0.2.1' } as APIGatewayProxyEvent['requestContext']['identity'],
      path,
      stage: 'v1',
      requestId: 'req-1',
      requestTimeEpoch: 0,
      resourceId: 'res',
      resourcePath: resource,
    },
  };
}

type Router = (deps: () => AppDeps, event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

const ROUTERS: Partial<Record<ApiHandlerName, Router>> = {
  'submit-report': submitReportApi,
  'reporter-case': reporterCaseApi,
  'coordinator-queries': coordinatorQueriesApi,
  'coordinator-commands': coordinatorCommandsApi,
  'vendor-case': vendorCaseApi,
  'case-conversations': caseConversationsApi,
  'service-info': (_deps, event) => serviceInfoApi(() => null, event),
};

export interface Response {
  status: number;
  headers: Record<string, string>;
  raw: string;
  body: unknown;
}

/** Sends an event to the handler that serves its route, as the REST API would. */
export async function send(deps: AppDeps, event: APIGatewayProxyEvent): Promise<Response> {
  const route = apiRoutes.find((r) => r.method === event.httpMethod && r.path === event.resource);
  if (!route) throw new Error(`no route ${event.httpMethod} ${event.resource} in lib/api-routes.ts`);
  const router = ROUTERS[route.handler];
  if (!router) throw new Error(`no router for ${route.handler} in this helper`);
  const r = await router(() => deps, event);
  const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  let body: unknown = r.body;
  if (/json/.test(headers['content-type'] ?? '')) body = JSON.parse(r.body) as unknown;
  return { status: r.statusCode, headers, raw: r.body, body };
}

export const call = (deps: AppDeps, method: HttpMethod, resource: string, opts: EventOptions = {}) =>
  send(deps, anEvent(method, resource, opts));
