// The HTTP edge shared by every API use case: reading a proxy event strictly (size, media type,
// JSON, schema), answering JSON, and the one mapper from any error to an RFC 9457 problem.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type * as z from 'zod/mini';
import { isDomainError } from '../../domain/errors.js';
import { type FieldError, fieldErrors } from '../../domain/field-errors.js';
import { activeTelemetry } from '../telemetry.js';

/** docs/api.md "Errors": 413 above this many bytes of body. */
export const MAX_BODY_BYTES = 256 * 1024;

export type ApiEvent = APIGatewayProxyEvent;
export type ApiResult = APIGatewayProxyResult;

/** An error the API answers with a given status; thrown by use cases, mapped by toProblem. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors: FieldError[] = [],
    readonly type = 'about:blank',
    readonly headers: Record<string, string> = {},
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors: FieldError[] = []) =>
  new HttpError(400, 'Bad Request', detail, errors.length ? errors : [{ path: '(body)', message: detail }], PROBLEM.validation);

/**
 * The one answer outsiders get for a token that does not open this case: wrong, expired, revoked,
 * for another case, for another role, or a case that does not exist. Identical bytes every time.
 */
export const notFound = () => new HttpError(404, 'Not Found', 'not found');

export const PROBLEM = {
  validation: 'urn:cvd-coordinator:problem:invalid-request',
  invalidTransition: 'urn:cvd-coordinator:problem:invalid-transition',
  embargoActive: 'urn:cvd-coordinator:problem:embargo-active',
  idempotencyMismatch: 'urn:cvd-coordinator:problem:idempotency-key-reused',
  idempotencyInProgress: 'urn:cvd-coordinator:problem:idempotency-key-in-progress',
} as const;

// ---- reading requests -------------------------------------------------------------------------

/** A header by name, whatever its case (API Gateway passes them as the client sent them). */
export function header(event: ApiEvent, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === want && v !== undefined) return v;
  return undefined;
}

/**
 * No case, vendor or vulnerability id is longer. A longer one names nothing, and as a table key it
 * would exceed DynamoDB's limit and fail the request with a 500 instead of the 404.
 */
export const MAX_PATH_PARAM = 128;

export function pathParam(event: ApiEvent, name: string): string {
  const v = event.pathParameters?.[name];
  if (!v || v.length > MAX_PATH_PARAM) throw notFound();
  return v;
}

export function query(event: ApiEvent, name: string): string | undefined {
  const v = event.queryStringParameters?.[name];
  return v === undefined || v === null || v === '' ? undefined : v;
}

export const MAX_PAGE = 200;
/** The `limit` query parameter of a list: 1 to MAX_PAGE, or the list's default. */
export function limitOf(event: ApiEvent, fallback: number): number {
  const raw = query(event, 'limit');
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PAGE)
    throw badRequest(`limit must be a whole number from 1 to ${MAX_PAGE}`, [
      { path: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE}` },
    ]);
  return n;
}

function rawBody(event: ApiEvent): string | null {
  if (event.body === null || event.body === undefined || event.body === '') return null;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** 413 before anything else: the declared length and the real one, so a lying header does not help. */
export function checkSize(event: ApiEvent): void {
  const declared = Number(header(event, 'content-length') ?? '0');
  const raw = event.body ?? '';
  const actual = event.isBase64Encoded ? Buffer.from(raw, 'base64').byteLength : Buffer.byteLength(raw, 'utf8');
  if ((Number.isFinite(declared) && declared > MAX_BODY_BYTES) || actual > MAX_BODY_BYTES)
    throw new HttpError(413, 'Content Too Large', `the body may be at most ${MAX_BODY_BYTES} bytes (256 KiB)`);
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/**
 * The body, checked and parsed: 413 too large, 415 not JSON, 400 malformed JSON or invalid fields
 * (every invalid field listed). Unknown fields are dropped by the schema. An empty body is `{}`
 * when `optional`, else a 400.
 */
export function parseBody<S extends z.ZodMiniType>(event: ApiEvent, schema: S, opts: { optional?: boolean } = {}): z.output<S> {
  checkSize(event);
  const raw = rawBody(event);
  let value: unknown = {};
  if (raw === null) {
    if (!opts.optional) throw badRequest('the request needs a JSON body');
  } else {
    const type = header(event, 'content-type');
    if (!type || !JSON_MEDIA.test(type.trim()))
      throw new HttpError(415, 'Unsupported Media Type', 'the body must be JSON, sent with Content-Type: application/json');
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      // Never the parser's own message: it quotes the input.
      throw badRequest('the body is not valid JSON');
    }
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const errors = fieldErrors(r.error.issues).map(plainMessage);
    throw badRequest(`the request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}`, errors);
  }
  return r.data;
}

/** zod's generic wording for a field the schema gave no message of its own, made plain. */
function plainMessage(e: FieldError): FieldError {
  const m = /^Invalid input: expected (\w+), received (\w+)$/.exec(e.message);
  if (!m) return e;
  if (m[2] === 'undefined') return { path: e.path, message: `${e.path} is required` };
  return { path: e.path, message: `${e.path} must be ${m[1] === 'object' ? 'an object' : m[1] === 'array' ? 'a list' : `a ${m[1]}`}` };
}

// ---- writing responses ------------------------------------------------------------------------

/**
 * JSON whose bytes never hold markup: <, > and & go out as \u escapes. Text fields keep their exact
 * value for any JSON reader, but a body sniffed or reflected as HTML cannot start a tag.
 */
export const safeJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const BASE_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { statusCode: status, headers: { 'Content-Type': 'application/json', ...BASE_HEADERS, ...headers }, body: safeJson(body) };
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: FieldError[];
  [extension: string]: unknown;
}

export function problem(p: Problem, headers: Record<string, string> = {}): ApiResult {
  return { statusCode: p.status, headers: { 'Content-Type': 'application/problem+json', ...BASE_HEADERS, ...headers }, body: safeJson(p) };
}

const MAX_DETAIL = 500;
const clip = (s: string) => (s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL)}…` : s);

/** The central error → HTTP mapper. Anything unknown is a 500 that says nothing about the request. */
export function toProblem(e: unknown): ApiResult {
  if (e instanceof HttpError)
    return problem(
      {
        type: e.type,
        title: e.title,
        status: e.status,
        detail: clip(e.message),
        errors: e.errors.map((x) => ({ path: x.path, message: clip(x.message) })),
        ...e.extensions,
      },
      e.headers,
    );
  if (isDomainError(e)) {
    const detail = clip(e.message);
    switch (e.code) {
      case 'InvalidCommand':
        return problem({
          type: PROBLEM.validation,
          title: 'Bad Request',
          status: 400,
          detail,
          errors: [{ path: '(body)', message: detail }],
        });
      case 'NotFound':
        return problem({ type: 'about:blank', title: 'Not Found', status: 404, detail, errors: [] });
      case 'NotAllowed':
        return problem({ type: 'about:blank', title: 'Forbidden', status: 403, detail, errors: [] });
      case 'InvalidTransition':
      case 'EmbargoActive': {
        const allowed = [...e.allowed];
        const where = e.state ? ` Allowed in this state: ${allowed.length ? allowed.join(', ') : 'nothing of this kind'}.` : '';
        return problem({
          type: e.code === 'EmbargoActive' ? PROBLEM.embargoActive : PROBLEM.invalidTransition,
          title: 'Conflict',
          status: 409,
          detail: `${detail}.${where}`.replace(/\.\./g, '.'),
          errors: [],
          ...(e.state ? { state: e.state } : {}),
          allowed,
        });
      }
    }
  }
  const name = e instanceof Error ? e.name : '';
  if (name === 'QuotaExceededError') {
    const q = e as Error & { limit: string; max: number; retryAfterSeconds: number | null };
    const daily = q.retryAfterSeconds !== null;
    return problem(
      {
        type: 'urn:cvd-coordinator:problem:quota-exceeded',
        title: daily ? 'Too Many Requests' : 'Content Too Large',
        status: daily ? 429 : 413,
        detail: clip(q.message),
        errors: [],
        limit: q.limit,
        max: q.max,
      },
      daily ? { 'Retry-After': String(q.retryAfterSeconds) } : {},
    );
  }
  if (name === 'InvalidCursorError')
    return problem({
      type: PROBLEM.validation,
      title: 'Bad Request',
      status: 400,
      detail: 'the cursor is not one this list returned',
      errors: [{ path: 'cursor', message: 'the cursor is not one this list returned' }],
    });
  if (name === 'ItemTooLargeError')
    return problem({
      type: 'about:blank',
      title: 'Content Too Large',
      status: 413,
      detail: 'the case would grow too large to store; shorten the text',
      errors: [],
    });
  if (name === 'ConcurrencyError' || name === 'CaseExistsError')
    return problem(
      { type: 'about:blank', title: 'Conflict', status: 409, detail: 'the case changed while this request was applied; retry', errors: [] },
      { 'Retry-After': '1' },
    );
  if (name === 'TransientError')
    return problem(
      { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'a backing service is busy; retry shortly', errors: [] },
      { 'Retry-After': '2' },
    );
  // The name only: a message may quote what a participant wrote.
  activeTelemetry().log('error', 'unhandled API error', { errorName: name });
  return problem({
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'the request could not be completed',
    errors: [],
  });
}

// ---- routing -----------------------------------------------------------------------------------

export type Route<D> = (deps: D, event: ApiEvent) => Promise<ApiResult>;

/**
 * Dispatches on `METHOD /resource` (API Gateway's resource path, e.g. `GET /reports/{caseId}`) and
 * maps every error. `deps` is a thunk so a route that needs none (health) never builds them.
 */
export function router<D>(routes: Record<string, Route<D>>): (deps: () => D, event: ApiEvent) => Promise<ApiResult> {
  return async (deps, event) => {
    try {
      const route = routes[`${event.httpMethod} ${event.resource}`];
      if (!route) throw new HttpError(404, 'Not Found', 'no such route');
      checkSize(event);
      return await route(deps(), event);
    } catch (e) {
      return toProblem(e);
    }
  };
}

/**
 * CORS for pages served elsewhere: echo the Origin when it is one configured by name. Never a
 * wildcard: these replies hold embargoed reports and coordinator data.
 */
export function withCors(result: ApiResult, event: ApiEvent, allowedOrigins: readonly string[]): ApiResult {
  const origin = header(event, 'origin');
  if (!origin || origin === '*' || !allowedOrigins.includes(origin)) return result;
  return { ...result, headers: { ...result.headers, 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } };
}
