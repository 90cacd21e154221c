// The durable inbox (docs/architecture.md): an outside event is appended to the case's log first, and
// only then is the waiting execution woken. The workflow reads every unapplied event from the log,
// so a wake that loses a race with a timer, or a token that is gone, loses nothing.
import type { CaseState } from '../domain/case.js';
import type { Command } from '../domain/decide.js';
import { type Actor, type StoredEvent, isOutsideEvent } from '../domain/events.js';
import { WaitKind } from '../workflow-contract.js';
import { type Execute, type Executed, execute } from './commands.js';
import type { AppDeps } from './deps.js';
import { Metric } from './telemetry.js';

/** Wakes the execution waiting on this case, if one is. True if a waiting task was resumed. */
export async function wake(
  deps: Pick<AppDeps, 'store' | 'signals'> & Partial<Pick<AppDeps, 'telemetry'>>,
  caseId: string,
): Promise<boolean> {
  const wait = await deps.store.getWait(caseId);
  if (!wait) return false;
  const resumed = await deps.signals.succeed(wait.token, { caseId });
  await deps.store.clearWait(caseId, wait.token);
  // A blocked case leaves its wait only when a coordinator acted on it.
  if (resumed && wait.kind === WaitKind.Unblock) deps.telemetry?.metric({ name: Metric.CasesUnblocked, value: 1, unit: 'Count' });
  return resumed;
}

/** Appends the command's events, then wakes the workflow when any of them is one it reacts to. */
export function submitWith<C extends Command>(run: Execute<C>) {
  return async (deps: AppDeps, caseId: string, command: C, actor: Actor, seen?: CaseState): Promise<Executed & { woke: boolean }> => {
    const r = await run(deps, caseId, command, actor, seen);
    const relevant = r.appended.some(isOutsideEvent);
    const woke = relevant ? await wake(deps, caseId) : false;
    return { ...r, woke };
  };
}

/** submitWith every decision: for a function that may run any command. */
export const submit = /* @__PURE__ */ submitWith(execute);

/** Outside events the workflow has not reacted to yet. */
export async function unappliedEvents(deps: Pick<AppDeps, 'store'>, state: CaseState): Promise<StoredEvent[]> {
  return (await eventsAfter(deps, state.caseId, state.appliedSeq)).filter(isOutsideEvent);
}

/** Every event of the log after `afterSeq`, the workflow's own included. */
export async function eventsAfter(deps: Pick<AppDeps, 'store'>, caseId: string, afterSeq: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after: number | null = afterSeq;
  while (after !== null) {
    const page = await deps.store.readEvents(caseId, { afterSeq: after, limit: 500 });
    out.push(...page.events);
    after = page.nextAfterSeq;
  }
  return out;
}
