// Vendors, with the bearer token from their notification e-mail: their view of the case,
// acknowledging, their status per vulnerability, embargo proposals, their own CSAF document (messages
// and files: case-conversations.ts). Appends, then wakes (submit).
import type { Command } from '../../domain/decide.js';
import type { AppDeps } from '../deps.js';
import { submit } from '../inbox.js';
import { readerOf } from '../../domain/audience.js';
import { inboxView } from './message-routes.js';
import { authenticateParticipant, authenticateVendorReader, authenticateVendorWriter } from './auth.js';
import { type ApiEvent, type ApiResult, type Route, badRequest, json, parseBody, pathParam, router } from './http.js';
import { proposeEmbargo } from '../embargo-proposals.js';
import { updateVendorPart } from '../vendor-updates.js';
import { vendorCsaf } from '../vendor-csaf.js';
import { EmbargoProposalBodySchema } from './reporter-bodies.js';
import { acceptedBody } from './responses.js';
import { AcknowledgeBodySchema, type VendorStatusBody, VendorStatusBodySchema } from './vendor-bodies.js';
import { vendorView } from './views.js';

export async function getVendorCase(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  const me = await authenticateVendorReader(deps, event, pathParam(event, 'caseId'));
  return json(200, vendorView(me.state, me.grant.participantId, await inboxView(deps, me.state, readerOf(me.actor))));
}

/**
 * cveIds as `[{ vulnerabilityId, cveId }]`, or as plain IDs aligned with `vulnerabilities`
 * (the i-th ID for the i-th entry's id).
 */
export function vendorStatusCommand(b: VendorStatusBody): Command {
  let cveIds: { vulnerabilityId: string; cveId: string }[] | undefined;
  if (b.cveIds) {
    const list = b.cveIds;
    cveIds = list.map((x, i) => {
      if (typeof x !== 'string') return x;
      const vul = b.vulnerabilities[i];
      if (!vul)
        throw badRequest('a plain list of cveIds must line up with vulnerabilities', [
          { path: `cveIds.${i}`, message: 'has no vulnerabilities entry at the same position' },
        ]);
      return { vulnerabilityId: vul.id, cveId: x };
    });
  }
  return {
    type: 'update-vendor-status',
    statuses: b.vulnerabilities.map((v) => ({ vulnerabilityId: v.id, status: v.status })),
    ...(b.fixReady !== undefined ? { fixReady: b.fixReady } : {}),
    ...(b.fixDeployed !== undefined ? { fixDeployed: b.fixDeployed } : {}),
    ...(b.statement !== undefined ? { statement: b.statement } : {}),
    ...(b.isCna !== undefined ? { isCna: b.isCna } : {}),
    ...(cveIds ? { cveIds } : {}),
    ...(b.references
      ? { references: b.references.map((r) => ({ url: r.url, ...(r.summary ? { summary: r.summary } : {}), kind: r.kind })) }
      : {}),
  };
}

function command(toCommand: (event: ApiEvent) => Command): Route<AppDeps> {
  return async (deps, event) => {
    const caseId = pathParam(event, 'caseId');
    const me = await authenticateVendorWriter(deps, event, caseId);
    const r = await submit(deps, caseId, toCommand(event), me.actor, me.state);
    return json(202, acceptedBody(r.state, me.actor, r.appended));
  };
}

export const vendorCaseApi = /* @__PURE__ */ router<AppDeps>({
  'GET /vendor/cases/{caseId}': getVendorCase,
  // Before publication: the vendor's own part as CSAF 2.0 (functions/app/vendor-csaf.ts).
  'GET /vendor/cases/{caseId}/csaf.json': async (deps, event) => {
    const me = await authenticateParticipant(deps, event, pathParam(event, 'caseId'), 'vendor');
    return vendorCsaf(deps, me.state, me.grant.participantId);
  },
  'POST /vendor/cases/{caseId}/acknowledge': command((e) => {
    parseBody(e, AcknowledgeBodySchema, { optional: true });
    return { type: 'acknowledge' };
  }),
  // After publication a change is an update request, a few a day (functions/app/vendor-updates.ts).
  'PUT /vendor/cases/{caseId}/status': async (deps, event) => {
    const me = await authenticateVendorWriter(deps, event, pathParam(event, 'caseId'));
    const r = await updateVendorPart(deps, me.state, me.actor, vendorStatusCommand(parseBody(event, VendorStatusBodySchema)));
    return json(202, acceptedBody(r.state, me.actor, r.appended));
  },
  'PUT /vendor/cases/{caseId}/embargo': async (deps, event) => {
    const me = await authenticateParticipant(deps, event, pathParam(event, 'caseId'), 'vendor');
    const r = await proposeEmbargo(deps, me.state, me.actor, parseBody(event, EmbargoProposalBodySchema));
    return json(202, acceptedBody(r.state, me.actor, r.appended));
  },
});
