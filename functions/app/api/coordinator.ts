// Coordinators (Cognito group `coordinators`): the queue, a case, its event log, and every command
// of docs/api.md. Commands follow the durable-inbox rule through submit(): append, then wake.
import { inboundQueryRoutes } from './inbound.js';
import type { Command } from '../../domain/decide.js';
import type { StoredEvent } from '../../domain/events.js';
import { loadCase } from '../commands.js';
import type { AppDeps } from '../deps.js';
import { submit } from '../inbox.js';
import { startNoteUpdate } from '../note-updates.js';
import { caseMessages } from '../messages.js';
import { requireCoordinator } from './auth.js';
import { type ApiEvent, type ApiResult, type Route, badRequest, json, parseBody, pathParam, query, router } from './http.js';
import { MAX_PAGE, limitOf, listCases } from './coordinator-queue.js';

export { MAX_PAGE };
import { acceptedBody } from './responses.js';
import {
  CveBodySchema,
  LinksBodySchema,
  CloseBodySchema,
  DraftBodySchema,
  type EmbargoBody,
  EmbargoBodySchema,
  PriorityBodySchema,
  PublicationBodySchema,
  SignalBodySchema,
  type TriageBody,
  TriageBodySchema,
  type VulnerabilityBody,
  VulnerabilityBodySchema,
  VendorCsafBodySchema,
} from './coordinator-bodies.js';
import { coordinatorView } from './views.js';
import { directoryCommandRoutes, directoryQueryRoutes } from './directory.js';
import { addVendors, updateVendor } from './case-vendors.js';
import { FIRST_VENDOR_PAGE, vendorPage } from './vendor-rows.js';

/** The phases the queue merges when no `phase` is given: every case that still needs someone. */
import { OPEN_PHASES } from '../../domain/case.js';

export { OPEN_PHASES };
/**
 * The case view's timeline: the latest events only, far more than an ordinary case has, so that
 * a case with hundreds of vendors is not read (and sent) whole on every view; GET
 * /cases/{caseId}/events reads the whole log.
 */
export const TIMELINE_EVENTS = 300;

async function latestEvents(deps: AppDeps, caseId: string, version: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after: number | null = Math.max(0, version - TIMELINE_EVENTS);
  while (after !== null && out.length < TIMELINE_EVENTS) {
    const page = await deps.store.readEvents(caseId, { afterSeq: after, limit: 500 });
    out.push(...page.events);
    after = page.nextAfterSeq;
  }
  return out;
}

export async function getCase(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  requireCoordinator(event);
  const caseId = pathParam(event, 'caseId');
  const { state, version } = await loadCase(deps, caseId);
  const [wait, events, messages] = await Promise.all([
    deps.store.getWait(caseId),
    latestEvents(deps, caseId, version),
    caseMessages(deps, state),
  ]);
  return json(
    200,
    coordinatorView(state, {
      policy: deps.policy,
      pendingDecision: wait ? { kind: wait.kind, since: wait.since } : null,
      events,
      messages,
    }),
  );
}

/** GET /cases/{caseId}/vendors: the vendors past the case view's first page (or all of them), in pages. */
export async function listCaseVendors(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  requireCoordinator(event);
  const caseId = pathParam(event, 'caseId');
  const limit = limitOf(event, FIRST_VENDOR_PAGE);
  const cursor = query(event, 'cursor');
  const { state } = await loadCase(deps, caseId);
  const page = vendorPage(state, limit, cursor);
  if (!page)
    throw badRequest('the cursor is not one this list returned', [{ path: 'cursor', message: 'the cursor is not one this list returned' }]);
  return json(200, page);
}

export async function listEvents(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  requireCoordinator(event);
  const caseId = pathParam(event, 'caseId');
  const limit = limitOf(event, 100);
  const cursor = query(event, 'cursor');
  if (cursor !== undefined && !/^\d{1,10}$/.test(cursor))
    throw badRequest('the cursor is not one this list returned', [{ path: 'cursor', message: 'the cursor is not one this list returned' }]);
  await loadCase(deps, caseId);
  const page = await deps.store.readEvents(caseId, { afterSeq: cursor === undefined ? 0 : Number(cursor), limit });
  return json(200, { events: page.events, cursor: page.nextAfterSeq === null ? null : String(page.nextAfterSeq) });
}

// ---- commands --------------------------------------------------------------------------------------

export function triageCommand(b: TriageBody): Command {
  let comment = b.comment ?? '';
  // The command has no field for SSVC yet: a coordinator's own values go into their comment (never
  // into an empty one, which would pass for the reason an override needs).
  if (b.ssvc && comment) {
    const values = Object.entries(b.ssvc).filter(([, v]) => v !== undefined);
    if (values.length) comment = `${comment}\n\nSSVC (coordinator): ${values.map(([k, v]) => `${k}=${v}`).join(', ')}`;
  }
  return { type: 'decide-triage', decision: b.decision, reasons: b.reasons, ...(comment ? { comment } : {}) };
}

/** PUT /cases/{caseId}/embargo: exactly one of a date, an acceptance or a refusal. */
export function embargoCommand(b: EmbargoBody): Command {
  const modes = [b.endsAt !== undefined, b.acceptProposal !== undefined, b.declineProposal !== undefined].filter(Boolean).length;
  if (modes !== 1)
    throw badRequest('give endsAt with a reason, acceptProposal or declineProposal', [
      { path: 'endsAt', message: 'give exactly one of endsAt, acceptProposal, declineProposal' },
    ]);
  if (b.endsAt !== undefined) {
    if (b.reason === undefined)
      throw badRequest('a new embargo end needs a reason', [{ path: 'reason', message: 'is required with endsAt' }]);
    return { type: 'set-embargo', endsAt: b.endsAt, reason: b.reason };
  }
  const proposalId = b.acceptProposal ?? b.declineProposal ?? '';
  return {
    type: 'answer-embargo-request',
    proposalId,
    answer: b.acceptProposal !== undefined ? 'accept' : 'decline',
    ...(b.reason !== undefined ? { reason: b.reason } : {}),
  };
}

export function vulnerabilityCommand(b: VulnerabilityBody): Command {
  if (b.vulnerabilityId) {
    const { vulnerabilityId, ...rest } = b;
    const changes = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    if (Object.keys(changes).length === 0)
      throw badRequest('name at least one field to change', [{ path: '(body)', message: 'name at least one field to change' }]);
    return { type: 'update-vulnerability', vulnerabilityId, changes };
  }
  if (!b.title)
    throw badRequest('title is required to add a vulnerability', [{ path: 'title', message: 'title is required to add a vulnerability' }]);
  return {
    type: 'add-vulnerability',
    vulnerability: {
      title: b.title,
      description: b.description ?? '',
      ...(b.cwe ? { cwe: b.cwe } : {}),
      cvss: b.cvss ?? {},
      affected: (b.affected ?? []).map((a) => ({
        ...(a.vendorId ? { vendorId: a.vendorId } : {}),
        vendor: a.vendor,
        product: a.product,
        versions: a.versions.map((v) => ({ version: v.version, status: v.status, ...(v.lessThan ? { lessThan: v.lessThan } : {}) })),
      })),
    },
  };
}

/** A coordinator command route: authorize, parse the body, map it, append and wake, answer 202. */
function command(toCommand: (event: ApiEvent) => Command): Route<AppDeps> {
  return async (deps, event) => {
    const actor = requireCoordinator(event);
    const caseId = pathParam(event, 'caseId');
    const c = toCommand(event);
    const r = await submit(deps, caseId, c, actor);
    return json(202, acceptedBody(r.state, actor, r.appended));
  };
}

export const coordinatorCommandRoutes: Record<string, Route<AppDeps>> = {
  'POST /cases/{caseId}/triage': /* @__PURE__ */ command((e) => triageCommand(parseBody(e, TriageBodySchema))),
  'POST /cases/{caseId}/vendors': addVendors,
  'PUT /cases/{caseId}/vendors/{vendorId}': updateVendor,
  'POST /cases/{caseId}/vendors/{vendorId}/links': /* @__PURE__ */ command((e) => {
    const b = parseBody(e, LinksBodySchema);
    return { type: 'manage-links', action: b.action, vendorId: pathParam(e, 'vendorId'), ...(b.email ? { email: b.email } : {}) };
  }),
  'POST /cases/{caseId}/reporter/links': /* @__PURE__ */ command((e) => {
    const b = parseBody(e, LinksBodySchema);
    if (b.email)
      throw badRequest('the reporter has one link; leave out email', [
        { path: 'email', message: 'the reporter has one link; leave out email' },
      ]);
    return { type: 'manage-links', action: b.action };
  }),
  'PUT /cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve': /* @__PURE__ */ command((e) => {
    const b = parseBody(e, CveBodySchema);
    if (b.cveId === undefined && b.acceptProposalFrom === undefined)
      throw badRequest('give cveId (null clears it) or acceptProposalFrom', [
        { path: 'cveId', message: 'give cveId (null clears it) or acceptProposalFrom' },
      ]);
    return {
      type: 'set-cve',
      vulnerabilityId: pathParam(e, 'vulnerabilityId'),
      ...(b.cveId !== undefined ? { cveId: b.cveId } : {}),
      ...(b.acceptProposalFrom ? { acceptProposalFrom: b.acceptProposalFrom } : {}),
    };
  }),
  'POST /cases/{caseId}/vulnerabilities': /* @__PURE__ */ command((e) => vulnerabilityCommand(parseBody(e, VulnerabilityBodySchema))),
  'PUT /cases/{caseId}/embargo': /* @__PURE__ */ command((e) => embargoCommand(parseBody(e, EmbargoBodySchema))),
  'POST /cases/{caseId}/signals': /* @__PURE__ */ command((e) => {
    const b = parseBody(e, SignalBodySchema);
    return { type: 'raise-signal', kind: b.kind, evidence: b.evidence };
  }),
  'PUT /cases/{caseId}/draft': /* @__PURE__ */ command((e) => {
    const b = parseBody(e, DraftBodySchema);
    return { type: 'revise-draft', markdown: b.markdown, ...(b.reason ? { reason: b.reason } : {}) };
  }),
  // In phase published an approval is an update of the note, with an execution of its own.
  'POST /cases/{caseId}/publication': async (deps, event) => {
    const actor = requireCoordinator(event);
    const caseId = pathParam(event, 'caseId');
    const b = parseBody(event, PublicationBodySchema);
    const r = await submit(
      deps,
      caseId,
      {
        type: 'decide-publication',
        decision: b.decision,
        ...(b.publishAt ? { publishAt: b.publishAt } : {}),
        ...(b.reason ? { reason: b.reason } : {}),
        ...(b.changeSummary !== undefined ? { changeSummary: b.changeSummary } : {}),
        ...(b.acceptUpdates !== undefined ? { acceptUpdates: b.acceptUpdates } : {}),
      },
      actor,
    );
    await startNoteUpdate(deps, r.state, r.woke);
    return json(202, acceptedBody(r.state, actor, r.appended));
  },
  'PUT /cases/{caseId}/priority': /* @__PURE__ */ command((e) => {
    const b = parseBody(e, PriorityBodySchema);
    return { type: 'set-priority', level: b.level, reason: b.reason };
  }),
  'PUT /cases/{caseId}/vendor-csaf': /* @__PURE__ */ command((e) => ({
    type: 'set-vendor-csaf-tlp',
    tlp: parseBody(e, VendorCsafBodySchema).tlp,
  })),
  'POST /cases/{caseId}/close': /* @__PURE__ */ command((e) => {
    const b = parseBody(e, CloseBodySchema);
    return { type: 'close-case', reason: b.reason, closure: b.closure };
  }),
};

export const coordinatorQueriesApi = /* @__PURE__ */ router<AppDeps>({
  ...directoryQueryRoutes,
  ...inboundQueryRoutes,
  'GET /cases': listCases,
  'GET /cases/{caseId}': getCase,
  'GET /cases/{caseId}/events': listEvents,
  'GET /cases/{caseId}/vendors': listCaseVendors,
});

export const coordinatorCommandsApi = /* @__PURE__ */ router<AppDeps>({ ...coordinatorCommandRoutes, ...directoryCommandRoutes });
