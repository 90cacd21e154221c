// The workflow's steps for intake and triage, the draft and publication, and a blocked case
// (docs/workflow.md "States"; the event loop is in event-loop.ts, outreach in outreach.ts). Each
// loads the case, decides in the domain, appends, and mails; each is safe to retry and to re-run
// after a restart: a step that already happened is recognised from the case and not repeated.
import { sha256Hex } from '../adapters/event-store.js';
import { wasSent } from '../domain/case.js';
import { DomainError } from '../domain/errors.js';
import { SYSTEM_ACTOR } from '../domain/events.js';
import { applyFileRetention } from './attachments.js';
import * as msg from '../domain/messages.js';
import { renderNoteBody } from '../domain/note.js';
import { unreleasedUpdate } from '../domain/note-revisions.js';
import { execute, loadCase } from './commands.js';
import type { AppDeps } from './deps.js';
import { advance, announceClosure } from './event-loop.js';
import { base, inTurn, mailParticipants, mailReporter, reporterEmail, sendOnce, sendTo } from './mail.js';
import { sendDigests } from './message-notices.js';
import { type Step, type StepInput, routeOf, step, waitFor, waitSecondsOf } from './steps.js';
import { Metric } from './telemetry.js';

export { MAX_WAIT_SECONDS, type Step, type StepInput, parseStepInput, routeOf, step } from './steps.js';
export { advance, awaitSignal, planNextDeadline } from './event-loop.js';
export { notifyVendor, openEmbargo, prepareOutreach } from './outreach.js';

/** Where a (re)started execution picks the case up: its phase, and the wait it was in. */
export async function locateCase(deps: AppDeps, input: StepInput): Promise<Step> {
  const { state } = await loadCase(deps, input.caseId);
  const r = routeOf(state, deps.now());
  return step(state, { route: r.route, waitSeconds: waitSecondsOf(state, deps, r) });
}

export async function registerCase(deps: AppDeps, input: StepInput): Promise<Step> {
  let { state } = await execute(deps, input.caseId, { type: 'register' }, SYSTEM_ACTOR);
  // Anyone may name any address in a report: past a few acknowledgements a day to one address,
  // the case still opens (the reporter has their link from the submission), but no mail goes out.
  const to = reporterEmail(state);
  if (to && !wasSent(state, 'reporter-acknowledgement')) {
    const allowed = await deps.content.consumeMailQuota(
      sha256Hex(to.trim().toLowerCase()),
      deps.now().slice(0, 10),
      deps.policy.acknowledgementsPerAddressPerDay,
    );
    if (allowed) state = await mailReporter(deps, state, 'reporter-acknowledgement', (r) => msg.reporterAcknowledgement(state, r));
  }
  return step(state);
}

export async function requestInformation(deps: AppDeps, input: StepInput): Promise<Step> {
  const { state: loaded } = await loadCase(deps, input.caseId);
  const questions = loaded.prescreen?.triage.requestInformation.missing ?? [];
  let { state } = await execute(
    deps,
    input.caseId,
    {
      type: 'request-information',
      questions: questions.length ? questions : ['Please add any details that help us verify the vulnerability.'],
    },
    SYSTEM_ACTOR,
  );
  const req = state.triage.infoRequest;
  if (req)
    state = await mailReporter(deps, state, `information-request:${req.requestedAt}`, (r) =>
      msg.informationRequest(state, r, req.questions, req.dueAt),
    );
  return step(state);
}

export function notifyDeclined(turnDeps: AppDeps, input: StepInput): Promise<Step> {
  // Mail to every participant may take several turns (functions/app/turn-budget.ts).
  return inTurn(turnDeps, input.caseId, async (deps) => {
    let { state } = await loadCase(deps, input.caseId);
    const d = state.triage.decision;
    state = await mailReporter(deps, state, 'declined', (r) => msg.declined(state, r, d?.reasons ?? [], d?.comment ?? ''));
    // The workflow ends here: held message notices go out now.
    state = await sendDigests(deps, state, { all: true });
    return step(state);
  });
}

/** Closes an unanswered information request; if the answer won the race with the timer, triage goes on. */
export function closeAsInvalid(turnDeps: AppDeps, input: StepInput): Promise<Step> {
  // Mail to every participant may take several turns (functions/app/turn-budget.ts).
  return inTurn(turnDeps, input.caseId, async (deps) => {
    let { state } = await loadCase(deps, input.caseId);
    if (state.phase === 'triage') {
      try {
        state = (await execute(deps, state.caseId, { type: 'close-as-invalid' }, SYSTEM_ACTOR)).state;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return advance(deps, input);
      }
    }
    state = await announceClosure(deps, state);
    return step(state, { route: routeOf(state, deps.now()).route });
  });
}

export async function draftNote(deps: AppDeps, input: StepInput): Promise<Step> {
  let { state } = await loadCase(deps, input.caseId);
  const latest = state.draft.revisions.at(-1);
  const shared = state.draft.shared;
  const redo =
    shared !== null &&
    latest?.revision === shared.revision &&
    state.publication.decision === 'revise' &&
    state.publication.decidedSeq > shared.seq;
  // The system drafts the first revision and re-renders on "revise"; a coordinator's own edits are kept.
  if (!latest || redo) {
    const markdown = renderNoteBody(state);
    state = (
      await execute(
        deps,
        state.caseId,
        { type: 'revise-draft', markdown, reason: latest ? 'regenerated on request' : 'first draft' },
        SYSTEM_ACTOR,
      )
    ).state;
  }
  return step(state);
}

export function shareDraft(turnDeps: AppDeps, input: StepInput): Promise<Step> {
  // Mail to every participant may take several turns (functions/app/turn-budget.ts).
  return inTurn(turnDeps, input.caseId, async (deps) => {
    let { state } = await execute(deps, input.caseId, { type: 'share-draft' }, SYSTEM_ACTOR);
    const shared = state.draft.shared;
    if (shared) {
      const r = shared.revision;
      state = await mailParticipants(deps, state, `draft-shared:${r}`, (reader) => msg.draftShared(state, reader, shared.publishAt, r));
    }
    return step(state, { waitSeconds: waitFor(state, deps) });
  });
}

export function notifyPublished(turnDeps: AppDeps, input: StepInput): Promise<Step> {
  // Mail to every participant may take several turns (functions/app/turn-budget.ts).
  return inTurn(turnDeps, input.caseId, async (deps) => {
    let { state } = await loadCase(deps, input.caseId);
    const noteId = state.published?.noteId;
    if (noteId) {
      const url = msg.noteLink(base(deps), noteId);
      // The workflow ends after this step: held message notices go out now.
      state = await sendDigests(deps, state, { all: true });
      state = await mailParticipants(deps, state, 'published', (r) => msg.published(state, r, url));
      state = await sendOnce(deps, state, 'published:coordinators', () =>
        msg.publishedToCoordinators(state, deps.config.coordinatorEmails, url),
      );
      // The first release is out once everyone was told; until then the route stays update-note.
      if (state.published?.releasedRevision === 0)
        state = (await execute(deps, state.caseId, { type: 'release-note-update', noteRevision: 1 }, SYSTEM_ACTOR)).state;
      // An update: everyone is told once per revision, and only then is it out (no longer routed here).
      const update = unreleasedUpdate(state);
      if (update) {
        const { noteRevision: n, changeSummary } = update;
        state = await mailParticipants(deps, state, `note-updated:${n}`, (r) => msg.noteUpdated(state, r, url, n, changeSummary));
        state = await sendOnce(deps, state, `note-updated:${n}:coordinators`, () =>
          msg.noteUpdatedToCoordinators(state, deps.config.coordinatorEmails, url, n, changeSummary),
        );
        state = (await execute(deps, state.caseId, { type: 'release-note-update', noteRevision: n }, SYSTEM_ACTOR)).state;
      }
      // The retention rule, once everyone was told (it skips files already removed).
      await applyFileRetention(deps, state.caseId);
    }
    return step(state);
  });
}

const TIMEOUT_ERROR = 'States.Timeout';
const DAY_MS = 86_400_000;

/**
 * The blocked loop's daily check-in: no new event (the block and its cause stand as recorded), a
 * metric while a day or more has passed, and the coordinators mailed again once a week.
 */
async function stillBlocked(deps: AppDeps, caseId: string): Promise<Step> {
  let { state } = await loadCase(deps, caseId);
  const blocked = state.blocked;
  if (!blocked) return step(state);
  const days = Math.floor((Date.parse(deps.now()) - Date.parse(blocked.at)) / DAY_MS);
  if (days >= 1) deps.telemetry.metric({ name: Metric.CasesStillBlocked, value: 1, unit: 'Count' });
  const week = Math.floor(days / 7);
  if (week >= 1)
    state = await sendOnce(deps, state, `blocked:${blocked.seq}:week-${week}`, () =>
      msg.workflowBlocked(
        state,
        deps.config.coordinatorEmails,
        base(deps),
        blocked.error,
        `${blocked.cause}\n\nStill blocked after ${days} days.`,
      ),
    );
  return step(state);
}

export async function reportBlocked(deps: AppDeps, input: StepInput): Promise<Step> {
  const error = input.error?.Error ?? 'WorkflowError';
  const cause = input.error?.Cause ?? 'unknown cause';
  if (error === TIMEOUT_ERROR) return stillBlocked(deps, input.caseId);
  try {
    let { state } = await execute(deps, input.caseId, { type: 'block', error, cause }, SYSTEM_ACTOR);
    state = await sendOnce(deps, state, `blocked:${state.version}`, () =>
      msg.workflowBlocked(state, deps.config.coordinatorEmails, base(deps), error, cause),
    );
    return step(state);
  } catch (e) {
    if (!(e instanceof Error && e.name === 'ItemTooLargeError')) throw e;
    // The case cannot record even this: tell the coordinators anyway, unrecorded (the blocked loop
    // repeats it weekly at most), so a case never goes silent.
    const { state } = await loadCase(deps, input.caseId);
    const m = msg.workflowBlocked(
      state,
      deps.config.coordinatorEmails,
      base(deps),
      error,
      `${cause}\n\nThe case is too large to record more; it needs a coordinator.`,
    );
    for (const to of new Set(m.to)) await sendTo(deps, state.caseId, m, to);
    return step(state);
  }
}
