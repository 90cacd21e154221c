// Outreach: the vendors with a confirmed contact are mailed their links; the first real contact
// opens the embargo; downstream vendors hear of the case once an upstream vendor answers.
import type { CaseState } from '../domain/case.js';
import { planEmbargo } from '../domain/embargo.js';
import { vendorUnreachable } from '../domain/reachability.js';
import { DomainError } from '../domain/errors.js';
import { SYSTEM_ACTOR } from '../domain/events.js';
import * as msg from '../domain/messages.js';
import { execute, loadCase } from './commands.js';
import type { AppDeps } from './deps.js';
import { inTurn, mailReporter, mailVendor } from './mail.js';
import { type Step, type StepInput, step } from './steps.js';

export async function prepareOutreach(deps: AppDeps, input: StepInput): Promise<Step> {
  const { state } = await loadCase(deps, input.caseId);
  const vendors = state.vendors
    .filter((v) => !v.downstream && !v.firstContactAt && !vendorUnreachable(v))
    .map((v) => ({ vendorId: v.vendorId }));
  return step(state, { vendors });
}

export async function contactVendor(
  deps: AppDeps,
  state: CaseState,
  vendorId: string,
  purpose: 'report' | 'downstream-alert',
): Promise<CaseState> {
  const v = state.vendors.find((x) => x.vendorId === vendorId);
  if (!v) throw new DomainError('NotFound', `no vendor ${vendorId} on case ${state.caseId}`);
  if (v.firstContactAt || vendorUnreachable(v)) return state;
  const now = deps.now();
  const expected =
    state.embargo.state === 'ACTIVE' && state.embargo.endsAt
      ? state.embargo.endsAt
      : planEmbargo(state, state.embargo.firstContactAt ?? now, now, deps.policy).endsAt;
  const sent = await mailVendor(deps, state, vendorId, `vendor-contact:${vendorId}`, (r, x) =>
    msg.vendorNotification(state, x, r, expected, purpose),
  );
  return (await execute(deps, sent.caseId, { type: 'record-vendor-contact', vendorId, purpose }, SYSTEM_ACTOR)).state;
}

export async function notifyVendor(deps: AppDeps, input: StepInput): Promise<Step> {
  if (!input.vendorId) throw new DomainError('InvalidCommand', 'notify-vendor needs a vendorId');
  const { state } = await loadCase(deps, input.caseId);
  return step(await contactVendor(deps, state, input.vendorId, 'report'));
}

export function openEmbargo(turnDeps: AppDeps, input: StepInput): Promise<Step> {
  return inTurn(turnDeps, input.caseId, async (deps) => {
    const { state } = await loadCase(deps, input.caseId);
    return step(await activateEmbargo(deps, state));
  });
}

/** Opens the embargo once a vendor has been reached (it stays in outreach until then), and tells the reporter. */
export async function activateEmbargo(deps: AppDeps, state: CaseState): Promise<CaseState> {
  if (state.phase === 'outreach') state = (await execute(deps, state.caseId, { type: 'open-embargo' }, SYSTEM_ACTOR)).state;
  const endsAt = state.embargo.endsAt;
  if (state.embargo.state === 'ACTIVE' && endsAt)
    state = await mailReporter(deps, state, 'embargo-opened', (r) => msg.embargoOpened(state, r, endsAt));
  return state;
}

/** Downstream vendors hear of the case once an upstream vendor answers, or before disclosure when it stays silent. */
export async function alertDownstream(deps: AppDeps, state: CaseState): Promise<CaseState> {
  for (const v of state.vendors.filter((x) => x.downstream && !x.firstContactAt))
    state = await contactVendor(deps, state, v.vendorId, 'downstream-alert');
  return state;
}
