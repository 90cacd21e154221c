// Reporters: POST /reports (anyone), GET /reports/{caseId} and PUT /reports/{caseId}/embargo (the
// reporter's bearer token). Their messages and files are in case-conversations.ts.
//
// Idempotency-Key: the key's SHA-256 is claimed with a hash of the parsed report. The record keeps
// { caseId, status } and never the reporter token. A retry with the same key and report gets the
// same caseId and status and NO token: whoever holds the key and the body (a proxy log, a shared
// script) must not get the reporter's access; the reporter's link went to them by e-mail. The same
// key with another report is 422; a retry while the first request still runs is 409 with
// Retry-After. Exactly one case per key, since the claim is a conditional put.
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../adapters/event-store.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/events.js';
import type { ReportVia } from '../../domain/inbound-mail.js';
import { reporterLink } from '../../domain/messages.js';
import { type Report, ReportSchema } from '../../domain/report.js';
import { execute } from '../commands.js';
import type { AppDeps } from '../deps.js';
import { liveToken } from '../notify.js';
import { authenticateParticipant } from './auth.js';
import { type ApiEvent, type ApiResult, HttpError, PROBLEM, header, json, parseBody, pathParam, router } from './http.js';
import { inboxView } from './message-routes.js';
import { acceptedBody } from './responses.js';
import type { SubmitReportResponse } from './response-schemas.js';
import { proposeEmbargo } from '../embargo-proposals.js';
import { EmbargoProposalBodySchema } from './reporter-bodies.js';
import { reporterView } from './views.js';

export const REPORTER: Actor = { role: 'reporter', participant: 'reporter' };

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** VU- and 8 Crockford base32 characters (40 random bits). */
export function newCaseId(random: (n: number) => Uint8Array = (n) => randomBytes(n)): string {
  const bytes = random(8);
  let id = 'VU-';
  for (let i = 0; i < 8; i++) id += CROCKFORD[(bytes[i] ?? 0) & 31];
  return id;
}

/** JSON with sorted keys, so the same request hashes the same whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

interface IdempotentResult {
  caseId: string;
  status: SubmitReportResponse['status'];
}

export interface SubmitOptions {
  newCaseId?: () => string;
}

async function created(deps: AppDeps, r: IdempotentResult, replayed: boolean): Promise<ApiResult> {
  // Starting is idempotent by name: a retry after a start that failed starts it now.
  await deps.signals.start(r.caseId, { caseId: r.caseId });
  if (replayed)
    return json(201, { caseId: r.caseId, status: r.status } satisfies SubmitReportResponse, {
      Location: `/reports/${r.caseId}`,
      'Idempotent-Replayed': 'true',
    });
  // The same live link the acknowledgement e-mail carries (one link per holder).
  const loaded = await deps.store.load(r.caseId);
  const token = loaded ? await liveToken(deps, loaded.state, { role: 'reporter' }) : null;
  if (!token)
    throw new HttpError(
      503,
      'Service Unavailable',
      'the case was created but its link could not be issued; your link will arrive by e-mail',
      [],
      'about:blank',
      { 'Retry-After': '1' },
    );
  const body: SubmitReportResponse = {
    caseId: r.caseId,
    status: r.status,
    reporterToken: token,
    statusUrl: reporterLink(deps.config, r.caseId, token),
  };
  return json(201, body, { Location: `/reports/${r.caseId}` });
}

/** A new case from a report, under a fresh id; `via`: it came by e-mail (functions/app/inbound-mail.ts). */
export async function createCase(deps: AppDeps, report: Report, opts: SubmitOptions, via?: ReportVia): Promise<IdempotentResult> {
  const next = opts.newCaseId ?? (() => newCaseId());
  for (let attempt = 0; attempt < 8; attempt++) {
    const caseId = next();
    if (await deps.store.load(caseId)) continue;
    try {
      const r = await execute(deps, caseId, { type: 'submit-report', caseId, report, ...(via ? { via } : {}) }, REPORTER);
      return { caseId, status: r.state.phase };
    } catch (e) {
      // Another request took this id between the check and the create: draw again.
      if (e instanceof DomainError && e.code === 'InvalidTransition') continue;
      throw e;
    }
  }
  throw new HttpError(503, 'Service Unavailable', 'could not allocate a case id; retry', [], 'about:blank', { 'Retry-After': '1' });
}

export async function submitReport(deps: AppDeps, event: ApiEvent, opts: SubmitOptions = {}): Promise<ApiResult> {
  const report = parseBody(event, ReportSchema);
  const key = header(event, 'idempotency-key');
  if (key === undefined) return created(deps, await createCase(deps, report, opts), false);
  if (key.length === 0 || key.length > 255)
    throw new HttpError(
      400,
      'Bad Request',
      'Idempotency-Key must be 1 to 255 characters',
      [{ path: 'Idempotency-Key', message: 'must be 1 to 255 characters' }],
      PROBLEM.validation,
    );

  const keyHash = sha256Hex(key);
  const requestHash = sha256Hex(canonicalJson(report));
  const claim = await deps.store.claimIdempotency(keyHash, requestHash, deps.now());
  if (claim.status === 'existing') {
    const rec = claim.record;
    if (rec.requestHash !== requestHash)
      throw new HttpError(
        422,
        'Unprocessable Content',
        'this Idempotency-Key was already used with a different report; use a new key for a new report',
        [],
        PROBLEM.idempotencyMismatch,
      );
    if (rec.state === 'pending' || !rec.result)
      throw new HttpError(
        409,
        'Conflict',
        'a request with this Idempotency-Key is still in progress; retry shortly',
        [],
        PROBLEM.idempotencyInProgress,
        { 'Retry-After': '1' },
      );
    return created(deps, rec.result as IdempotentResult, true);
  }
  let result: IdempotentResult;
  try {
    result = await createCase(deps, report, opts);
  } catch (e) {
    // Nothing was created: let a retry claim the key again.
    await deps.store.releaseIdempotency(keyHash);
    throw e;
  }
  // The case exists from here on: the key is done, whatever happens next, so no retry makes a second case.
  await deps.store.completeIdempotency(keyHash, result);
  return created(deps, result, false);
}

// ---- the reporter's own case --------------------------------------------------------------------

export async function getReporterCase(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  const caseId = pathParam(event, 'caseId');
  const me = await authenticateParticipant(deps, event, caseId, 'reporter');
  return json(200, reporterView(me.state, await inboxView(deps, me.state, { kind: 'reporter' })));
}

export async function proposeReporterEmbargo(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  const caseId = pathParam(event, 'caseId');
  const me = await authenticateParticipant(deps, event, caseId, 'reporter');
  const b = parseBody(event, EmbargoProposalBodySchema);
  const r = await proposeEmbargo(deps, me.state, me.actor, b);
  return json(202, acceptedBody(r.state, me.actor, r.appended));
}

export const submitReportApi = /* @__PURE__ */ router<AppDeps>({ 'POST /reports': (d, e) => submitReport(d, e) });

export const reporterCaseApi = /* @__PURE__ */ router<AppDeps>({
  'GET /reports/{caseId}': getReporterCase,
  'PUT /reports/{caseId}/embargo': proposeReporterEmbargo,
});
