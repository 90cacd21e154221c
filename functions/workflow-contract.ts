// The contract between the state machine (lib/case-workflow.ts) and the workflow handlers: what a
// task receives, what it returns, where its `route` may send the execution, and what a wait's
// `kind` says. Both sides import it, so a route the handlers return is one a Choice reads.
import { DomainError } from './domain/errors.js';
import { PHASES, type Phase } from './domain/case.js';

export { PHASES, type Phase };

/** What a wait is for: await-signal parks the task token under it. */
export const WaitKind = {
  Triage: 'triage',
  Information: 'information',
  CaseEvent: 'case-event',
  PublicationDecision: 'publication-decision',
  PublicationDate: 'publication-date',
  Unblock: 'unblock',
} as const;
export type WaitKindName = (typeof WaitKind)[keyof typeof WaitKind];

/** Where a step's output sends the execution; each Choice reads some of them (ChoiceRoutes). */
export const Route = {
  Accept: 'accept',
  Decline: 'decline',
  RequestInfo: 'request-info',
  Prescreen: 'prescreen',
  Wait: 'wait',
  Embargo: 'embargo',
  DraftReview: 'draft-review',
  Revise: 'revise',
  Approve: 'approve',
  Publish: 'publish',
  Published: 'published',
  /** A published case whose latest note update is not out yet: PublishNote, PublishCveRecords, NotifyPublished again. */
  UpdateNote: 'update-note',
  Closed: 'closed',
} as const;
export type RouteName = (typeof Route)[keyof typeof Route];

/**
 * The routes each Choice state understands; any other route re-routes through LocateCase. Built in a
 * pure call, so a function that routes nothing (the API's) drops it and Route from its bundle.
 */
export const ChoiceRoutes = /* @__PURE__ */ (() =>
  ({
    Triage: [Route.Accept, Route.Decline, Route.RequestInfo, Route.Prescreen, Route.Wait, Route.Closed],
    Information: [Route.Closed, Route.Prescreen, Route.Wait, Route.RequestInfo],
    // Accept: still in outreach (no vendor reachable yet), back through PrepareOutreach.
    Embargo: [Route.Embargo, Route.Accept, Route.DraftReview, Route.Closed, Route.Published],
    PublicationDecision: [Route.Approve, Route.Publish, Route.Revise, Route.DraftReview, Route.Wait, Route.Closed],
    PublicationDate: [Route.Publish, Route.Approve, Route.Revise, Route.Wait, Route.Closed],
    /** Read by ResumeRouter before it routes on the phase. */
    Resume: [Route.UpdateNote],
  }) as const satisfies Record<string, readonly RouteName[]>)();

/** What every task receives: the case id, and what its state adds. */
export interface StepInput {
  caseId: string;
  resume?: boolean;
  /** notify-vendor: the vendor to contact (from the ContactVendors map). */
  vendorId?: string;
  /** await-signal: what the wait is for. */
  kind?: WaitKindName;
  taskToken?: string;
  /** report-blocked: the error the failed step threw. */
  error?: { Error?: string; Cause?: string };
}

/** What every task returns: small, so the execution's state stays small; the case lives in DynamoDB. */
export interface Step {
  caseId: string;
  phase: Phase;
  route?: RouteName;
  /** For the waits whose timeout is a path ($.waitSeconds): a positive integer. */
  waitSeconds?: number;
  /** prepare-outreach: the vendors ContactVendors maps over. */
  vendors?: { vendorId: string }[];
}

/** Long waits are re-armed every 20 days (the plan is recomputed each time): below the 24.8-day limit of a 32-bit timer, which the local engine has. */
export const MAX_WAIT_SECONDS = 20 * 86_400;

const WAIT_KINDS: readonly string[] = /* @__PURE__ */ Object.values(WaitKind);

/** Checks a task payload (an edge too). Written by hand: a schema library would double the bundle for six fields. */
export function parseStepInput(event: unknown): StepInput {
  const problems: string[] = [];
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  if (typeof event !== 'object' || event === null) problems.push('(input): must be an object');
  if (typeof e.caseId !== 'string' || e.caseId.length === 0 || e.caseId.length > 100)
    problems.push('caseId: must be a non-empty string of at most 100 characters');
  for (const f of ['vendorId', 'taskToken'] as const)
    if (e[f] !== undefined && typeof e[f] !== 'string') problems.push(`${f}: must be a string`);
  if (e.kind !== undefined && (typeof e.kind !== 'string' || !WAIT_KINDS.includes(e.kind)))
    problems.push(`kind: must be one of ${WAIT_KINDS.join(', ')}`);
  if (e.resume !== undefined && typeof e.resume !== 'boolean') problems.push('resume: must be true or false');
  const err = e.error as Record<string, unknown> | undefined;
  if (
    err !== undefined &&
    (typeof err !== 'object' ||
      err === null ||
      (err.Error !== undefined && typeof err.Error !== 'string') ||
      (err.Cause !== undefined && typeof err.Cause !== 'string'))
  )
    problems.push('error: must be { Error?: string, Cause?: string }');
  if (problems.length) throw new DomainError('InvalidCommand', `invalid task input: ${problems.join('; ')}`);
  const out: StepInput = { caseId: e.caseId as string };
  if (typeof e.vendorId === 'string') out.vendorId = e.vendorId;
  if (typeof e.taskToken === 'string') out.taskToken = e.taskToken;
  if (typeof e.kind === 'string') out.kind = e.kind as WaitKindName;
  if (typeof e.resume === 'boolean') out.resume = e.resume;
  if (err)
    out.error = {
      ...(typeof err.Error === 'string' ? { Error: err.Error } : {}),
      ...(typeof err.Cause === 'string' ? { Cause: err.Cause } : {}),
    };
  return out;
}
