// The /_local routes of `npm start`: the e-mails sent (every private link is in them), the
// virtual clock, and SES's bounce and complaint notifications (lib/local/ses-feedback.ts). They
// give what a coordinator has, so they take the coordinator's dev token, and a POST takes JSON
// only: a page elsewhere can neither read them nor send a no-preflight POST.
import type { IncomingMessage } from 'node:http';
import type { FieldError } from '../../functions/domain/field-errors.js';
import { type ApiResult, PROBLEM, json, problem } from '../../functions/app/api/http.js';
import { type LocalReply, hasDevToken } from './api-gateway.js';
import type { Clock } from './clock.js';
import { parseDuration } from './duration.js';
import { SettleTimeout } from './engine.js';
import { type FeedbackKind, caseOfNewestMailTo, sesNotification, queueDelivery } from './ses-feedback.js';

export interface DevRoutesOptions {
  devToken: string;
  clock: Clock;
  /** Resolves once every execution waits or is done (after the clock moved); may reject with SettleTimeout. */
  settle: () => Promise<void>;
  /** Every e-mail sent so far, in any order. */
  mail: () => Promise<{ at: number; subject?: string; destination?: { to?: string[] } }[]>;
  /** Invokes the mail-feedback function with a delivery of its queue, as on AWS. */
  mailFeedback: (event: object) => Promise<unknown>;
}

type Handler = (body: Buffer) => Promise<ApiResult>;

const reply = (r: ApiResult): LocalReply => ({
  status: r.statusCode,
  headers: Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
  body: r.body,
});
const refuse = (status: number, title: string, detail: string, headers: Record<string, string> = {}) =>
  reply(problem({ type: 'about:blank', title, status, detail, errors: [] }, headers));
const invalid = (detail: string, errors: FieldError[]) =>
  problem({ type: PROBLEM.validation, title: 'Bad Request', status: 400, detail, errors });

/** The body as a JSON object, or the 400 that says how to write it. */
function jsonObject(body: Buffer, usage: string): { value: Record<string, unknown> } | ApiResult {
  let b: unknown;
  try {
    b = JSON.parse(body.toString('utf8'));
  } catch {
    return invalid('the body is not valid JSON', [{ path: '(body)', message: usage }]);
  }
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    return invalid('the body must be a JSON object', [{ path: '(body)', message: usage }]);
  return { value: b as Record<string, unknown> };
}

const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+$/;
const CASE_ID = /^[A-Za-z0-9_-]{1,64}$/;

const isLocalPath = (p: string) => p === '/_local' || p.startsWith('/_local/');
const JSON_ONLY = /^application\/json[ \t]*(?:;.*)?$/i;

/** The /_local routes; null for any other path. */
export function devRoutes(opts: DevRoutesOptions): (req: IncomingMessage, body: Buffer, url: URL) => Promise<LocalReply | null> {
  const { clock } = opts;

  const readMail: Handler = async () => json(200, { emails: [...(await opts.mail())].sort((a, b) => b.at - a.at) });
  const readClock: Handler = async () => json(200, { now: clock.now() });
  const moveClock: Handler = async (body) => {
    const usage = 'give { "advance": "P30D" } or { "to": "2027-01-15T12:00:00Z" }';
    const b = jsonObject(body, usage);
    if ('statusCode' in b) return b;
    const { advance, to } = b.value;
    if ((advance === undefined) === (to === undefined))
      return invalid('give exactly one of advance and to', [{ path: '(body)', message: usage }]);
    // One reading of the clock: in real time it moves between two, and an advance of PT0S would
    // then look like a move back.
    const from = clock.nowMs();
    let target: number | null;
    if (to !== undefined) {
      target = typeof to === 'string' ? Date.parse(to) : Number.NaN;
      if (!Number.isFinite(target))
        return invalid('to is not a date', [{ path: 'to', message: 'to must be an ISO-8601 instant such as 2027-01-15T12:00:00Z' }]);
    } else {
      target = typeof advance === 'string' ? parseDuration(advance, from) : null;
      if (target === null || !Number.isFinite(target))
        return invalid('advance is not a duration', [
          { path: 'advance', message: 'advance must be an ISO-8601 duration such as P30D or PT12H' },
        ]);
    }
    if (target < from)
      return problem({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: `the clock only moves forward; it is ${clock.now()}`,
        errors: [],
      });
    try {
      await clock.advanceTo(target, opts.settle);
    } catch (e) {
      if (!(e instanceof SettleTimeout)) throw e;
      // The answer promises a workflow at rest; say so when it is not, and where the clock stopped.
      return problem(
        {
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          detail: `${e.message}; the clock stands at ${clock.now()} (send the request again to go on)`,
          errors: [],
        },
        { 'Retry-After': '5' },
      );
    }
    return json(200, { now: clock.now() });
  };

  const bounce: Handler = async (body) => {
    const b = jsonObject(body, 'give { "email": "psirt@vendor.example", "kind": "bounce" | "complaint", "caseId"?: "VU-…" }');
    if ('statusCode' in b) return b;
    const { email, caseId, kind, ...rest } = b.value;
    const errors: FieldError[] = [
      ...Object.keys(rest).map((k) => ({ path: k.slice(0, 64), message: 'not a field of this route' })),
      ...(typeof email === 'string' && email.length <= 254 && EMAIL.test(email)
        ? []
        : [{ path: 'email', message: 'email must be one e-mail address' }]),
      ...(caseId === undefined || (typeof caseId === 'string' && CASE_ID.test(caseId))
        ? []
        : [{ path: 'caseId', message: 'caseId must be a case id such as VU-0123ABCD' }]),
      ...(kind === 'bounce' || kind === 'complaint' ? [] : [{ path: 'kind', message: 'kind must be "bounce" or "complaint"' }]),
    ];
    if (errors.length) return invalid('the bounce is not valid', errors);
    const address = email as string;
    // Without a case id: the case of the newest mail to that address, as the `case` tag would say.
    const target = (caseId as string | undefined) ?? caseOfNewestMailTo(address, await opts.mail());
    if (!target)
      return problem({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'no mail was sent to that address here; give the caseId',
        errors: [],
      });
    const at = clock.now();
    const result = await opts.mailFeedback(
      queueDelivery(sesNotification({ email: address, caseId: target, kind: kind as FeedbackKind, at }), at),
    );
    // As the clock route does: answer once the workflow has reacted (the coordinators' mail is sent).
    await opts.settle().catch((e: unknown) => {
      if (!(e instanceof SettleTimeout)) throw e;
    });
    const { batchItemFailures, ...outcome } = (typeof result === 'object' && result !== null ? result : {}) as {
      batchItemFailures?: unknown[];
    };
    // On AWS the queue would deliver it again; here the caller does.
    if (batchItemFailures?.length)
      return problem({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'the bounce could not be recorded; send it again',
        errors: [],
      });
    return json(200, { caseId: target, ...outcome });
  };

  const routes: Record<string, Partial<Record<'GET' | 'POST', Handler>>> = {
    '/_local/mail': { GET: readMail },
    '/_local/clock': { GET: readClock, POST: moveClock },
    '/_local/bounce': { POST: bounce },
  };

  return async (req, body, url) => {
    if (!isLocalPath(url.pathname)) return null;
    // The token first: without it nothing is said about what exists here.
    if (!hasDevToken(req, opts.devToken))
      return refuse(401, 'Unauthorized', 'the /_local routes take the dev token that npm start prints: Authorization: Bearer <dev token>', {
        'WWW-Authenticate': 'Bearer realm="cvd-local"',
      });
    const methods = routes[url.pathname];
    if (!methods) return refuse(404, 'Not Found', `no such local route; there are ${Object.keys(routes).join(' and ')}`);
    const method = req.method ?? 'GET';
    const handler = method === 'GET' || method === 'POST' ? methods[method] : undefined;
    if (!handler)
      return refuse(405, 'Method Not Allowed', `${url.pathname} takes ${Object.keys(methods).join(' or ')}`, {
        Allow: Object.keys(methods).join(', '),
      });
    // A form or text/plain POST needs no preflight from another site; JSON does, and gets no CORS.
    if (method === 'POST' && !JSON_ONLY.test(String(req.headers['content-type'] ?? '')))
      return refuse(415, 'Unsupported Media Type', `${url.pathname} takes a JSON body, sent with Content-Type: application/json`, {
        'Accept-Post': 'application/json',
      });
    return reply(await handler(body));
  };
}
