// Running a command on a case: load, decide, append, retrying from a fresh read on a conflict.
// The single way anything (API or workflow) changes a case.
import { ConcurrencyError, appendWithRetry } from '../adapters/event-store.js';
import type { CaseState } from '../domain/case.js';
import { ACCESS } from '../domain/command-access.js';
import { type Command, type DecideContext, decide } from '../domain/decide.js';
import { DomainError, isSliceTooNarrow } from '../domain/errors.js';
import type { Actor, CaseEvent } from '../domain/events.js';
import type { Telemetry } from './telemetry.js';
import { caseMetrics } from './case-metrics.js';
import type { AppDeps } from './deps.js';
import type { TurnWrites } from './turn-writes.js';

export interface Executed {
  state: CaseState;
  version: number;
  appended: (CaseEvent & { seq: number })[];
}

type Decider<C extends Command> = (s: CaseState, c: C, ctx: DecideContext) => CaseEvent[];
/**
 * A reporter's or vendor's append may take the snapshot only this far: the rest of the item is the
 * coordinators' and the workflow's, so no participant can fill a case and lock them out.
 */
export const PARTICIPANT_SNAPSHOT_BUDGET = 250_000;

export type Execute<C extends Command = Command> = (
  deps: Pick<AppDeps, 'store' | 'policy' | 'now'> & Partial<Pick<AppDeps, 'telemetry' | 'writes'>>,
  caseId: string,
  command: C,
  actor: Actor,
  /** The case as the caller just read it (a participant's authentication): decided on without a second read. */
  seen?: CaseState,
) => Promise<Executed>;

type Metrics = typeof caseMetrics;

/**
 * execute with a narrower decider (decidePublish), for a function that runs only those commands.
 * `metrics` counts what a change means for the business (functions/app/case-metrics.ts); the
 * conversations, which change no phase, date or count it reads, leave it out, and carry none of it.
 */
export function executeWith<C extends Command>(decider: Decider<C>, metrics?: Metrics): Execute<C> {
  return async (deps, caseId, command, actor, read) => {
    const create = command.type === 'submit-report';
    // The report that opens a case may use the whole item: nothing of the coordinators' is there yet.
    const participant = (actor.role === 'reporter' || actor.role === 'vendor') && !create;
    if (read?.caseId === caseId && read.sliceFacts !== undefined) {
      const done = ACCESS[command.type].slice?.includes(actor.role)
        ? await onSlice(decider, metrics, deps, read, command, actor, participant)
        : null;
      if (done) return done;
      // Not a change a slice can decide, or it reached past it: decided on the whole case, read afresh.
      read = undefined;
    }
    try {
      // The state the appended events were decided on (the last read, after any conflict): metrics compare it.
      const seen: { before: CaseState | null } = { before: null };
      const r = await appendWithRetry(
        deps.store,
        caseId,
        (loaded) => {
          seen.before = loaded.state;
          return decider(loaded.state, command, { now: deps.now(), actor, policy: deps.policy });
        },
        {
          create,
          // A stale copy only costs a conflict, and the retry reads afresh.
          ...(read?.caseId === caseId && !create ? { first: { caseId, version: read.version, state: read } } : {}),
          ...(participant ? { maxSnapshotBytes: PARTICIPANT_SNAPSHOT_BUDGET } : {}),
        },
      );
      if (deps.telemetry && r.appended.length > 0) record(deps.telemetry, create ? null : seen.before, r.state, r.appended, metrics);
      return { state: r.state, version: r.version, appended: r.appended };
    } catch (e) {
      if (e instanceof Error && e.name === 'CaseNotFoundError') throw new DomainError('NotFound', 'no such case');
      throw e;
    }
  };
}

/**
 * A change decided and appended on a slice (the core and the actor's own vendor part) of a large
 * case: what it reads and writes stays the size of one vendor. null when the slice cannot take it
 * (the events reach past it, or another writer came first): the caller decides on the whole case.
 */
async function onSlice<C extends Command>(
  decider: Decider<C>,
  metrics: Metrics | undefined,
  deps: Parameters<Execute<C>>[0],
  slice: CaseState,
  command: C,
  actor: Actor,
  participant: boolean,
): Promise<Executed | null> {
  try {
    const events = decider(slice, command, { now: deps.now(), actor, policy: deps.policy });
    if (events.length === 0) return { state: slice, version: slice.version, appended: [] };
    const r = await deps.store.appendToSlice(
      { caseId: slice.caseId, version: slice.version, partial: slice, whole: false },
      events,
      participant ? { maxSnapshotBytes: PARTICIPANT_SNAPSHOT_BUDGET } : {},
    );
    if (deps.telemetry) record(deps.telemetry, slice, r.partial, r.appended, metrics);
    return { state: r.partial, version: r.version, appended: r.appended };
  } catch (e) {
    // The store's refusal, or the domain's (a slice asked what only the whole case can say).
    if (isSliceTooNarrow(e) || e instanceof ConcurrencyError) return null;
    throw e;
  }
}

function record(telemetry: Telemetry, before: CaseState | null, after: CaseState, appended: readonly CaseEvent[], metrics?: Metrics): void {
  for (const m of metrics?.(before, after, appended) ?? []) telemetry.metric(m);
  // Event types and the phase only: the events' own fields carry what participants wrote.
  telemetry.log('info', 'case changed', { caseId: after.caseId, phase: after.phase, events: appended.map((e) => e.type).join(',') });
}

/**
 * An execute that takes part in workflow turns: in a turn the system's records wait for one write
 * together (functions/app/turn-writes.ts), and anything else is written after them, so the log
 * keeps the order things happened in. Only `execute` has it: a function that runs no turns (the
 * conversations API) carries none of it.
 */
function inTurns(run: Execute): Execute {
  return async (deps, caseId, command, actor, seen) => {
    const w = deps.writes;
    if (!w || w.caseId !== caseId) return run(deps, caseId, command, actor, seen);
    if (w.holds(caseId, command, actor)) {
      const r = await w.hold(command, actor, decide);
      if (deps.telemetry && r.appended.length > 0) record(deps.telemetry, r.before, r.state, r.appended, caseMetrics);
      return { state: r.state, version: r.version, appended: r.appended };
    }
    await w.flush();
    const r = await run(deps, caseId, command, actor);
    // The turn's next records are decided on what was just written.
    w.seed(r.state, r.version);
    return r;
  };
}

export const execute: Execute = /* @__PURE__ */ inTurns(/* @__PURE__ */ executeWith(decide, caseMetrics));

/**
 * Loads a case or throws the domain's NotFound. In a workflow turn, what the turn holds back is
 * written first, and the turn decides from what this returns.
 */
export async function loadCase(
  deps: Pick<AppDeps, 'store'> & { writes?: TurnWrites | undefined },
  caseId: string,
): Promise<{ state: CaseState; version: number }> {
  const flushed = deps.writes?.caseId === caseId && deps.writes.waiting > 0 ? await deps.writes.flush() : null;
  if (flushed) return flushed;
  const loaded = await deps.store.load(caseId);
  if (!loaded) throw new DomainError('NotFound', 'no such case');
  if (deps.writes?.caseId === caseId) deps.writes.seed(loaded.state, loaded.version);
  return { state: loaded.state, version: loaded.version };
}
