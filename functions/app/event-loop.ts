// The event loop of a case (docs/workflow.md "States"): react to every outside event not yet
// applied, act on every deadline that fell due, and say where the workflow goes next. Each turn is
// safe to repeat: what already happened is recognised from the case.
import type { CaseState, Phase } from '../domain/case.js';
import { dueDeadlines } from '../domain/deadlines.js';
import { publicationAtOrNow } from '../domain/embargo.js';
import { DomainError, SliceTooNarrow, isSliceTooNarrow } from '../domain/errors.js';
import { SYSTEM_ACTOR, isOutsideEvent } from '../domain/events.js';
import * as msg from '../domain/messages.js';
import { execute, loadCase } from './commands.js';
import type { AppDeps } from './deps.js';
import { eventsAfter, unappliedEvents } from './inbox.js';
import {
  base,
  composeFor,
  inTurn,
  mailCoordinatorsOfMessage,
  mailMessage,
  mailParticipants,
  mailReporter,
  mailVendor,
  reader,
  sendOnce,
  tellEveryone,
} from './mail.js';
import { activateEmbargo, alertDownstream, contactVendor } from './outreach.js';
import { sendDigests } from './message-notices.js';
import { turnCase } from './turn-slice.js';
import { WorkRemains } from './turn-budget.js';
import { type Step, type StepInput, routeOf, step, waitFor, waitSecondsOf } from './steps.js';
import { Metric } from './telemetry.js';
import { WaitKind } from '../workflow-contract.js';

export async function planNextDeadline(deps: AppDeps, input: StepInput): Promise<Step> {
  const { state } = await loadCase(deps, input.caseId);
  return step(state, { waitSeconds: waitFor(state, deps) });
}

/**
 * Parks the task token on the case; if an event is already waiting, resumes at once (the durable
 * inbox). A blocked case resumes only for events after its block: those before it were there when
 * the step failed, and resuming for them would fail the same way, at once, forever.
 */
export async function awaitSignal(deps: AppDeps, input: StepInput): Promise<Step> {
  if (!input.taskToken) throw new DomainError('InvalidCommand', 'await-signal needs a task token');
  await deps.store.putWait(input.caseId, { kind: input.kind ?? 'case-event', token: input.taskToken, since: deps.now() });
  const waiting = await waitingEvents(deps, input.caseId);
  if (waiting.resume) {
    await deps.signals.succeed(input.taskToken, { caseId: input.caseId });
    await deps.store.clearWait(input.caseId, input.taskToken);
    if (input.kind === WaitKind.Unblock) deps.telemetry.metric({ name: Metric.CasesUnblocked, value: 1, unit: 'Count' });
  }
  return { caseId: input.caseId, phase: waiting.phase };
}

/**
 * Whether an outside event waits to be applied (after the block, if the case is blocked). Read
 * from the case's summary and the log past it, not from the whole case: only when the log has gone
 * past the summary (an append in flight, a summary write lost) can the summary not say where the
 * case stands, and the case is read.
 */
async function waitingEvents(deps: AppDeps, caseId: string): Promise<{ resume: boolean; phase: Phase }> {
  const summary = await deps.store.summary(caseId);
  // A summary without the cursor (written by a release before it carried one) says nothing: read the case.
  if (
    summary &&
    Number.isSafeInteger(summary.entry.appliedSeq) &&
    (summary.entry.blockedSeq === null || Number.isSafeInteger(summary.entry.blockedSeq))
  ) {
    const { appliedSeq, blockedSeq, phase } = summary.entry;
    const events = await eventsAfter(deps, caseId, appliedSeq);
    if (events.every((e) => e.seq <= summary.version))
      return { resume: events.some((e) => isOutsideEvent(e) && e.seq > (blockedSeq ?? 0)), phase };
  }
  const { state } = await loadCase(deps, caseId);
  const after = state.blocked?.seq ?? 0;
  return { resume: (await unappliedEvents(deps, state)).some((e) => e.seq > after), phase: state.phase };
}

/**
 * One turn of the loop: react to every unapplied outside event, act on every deadline that fell
 * due, mark the events applied, and say where the workflow goes next. Behind ApplyCaseEvents,
 * DeadlineReached, EscalateTriage and RemindPublicationDecision alike.
 */
export function advance(deps: AppDeps, input: StepInput): Promise<Step> {
  // One turn at a time (functions/app/turn-budget.ts): a round of mail to hundreds of vendors is
  // sent over several turns, each well inside the function's timeout.
  return inTurn(deps, input.caseId, (d) => turn(d, deps, input));
}

async function turn(turnDeps: AppDeps, deps: AppDeps, input: StepInput): Promise<Step> {
  try {
    return await turnOn(turnDeps, deps, input, 'slice-if-quiet');
  } catch (e) {
    // A turn on a slice that met something only the whole case can say: what it holds is written,
    // and the turn runs again on the whole case (what it already sent is recorded, so not sent twice).
    if (!isSliceTooNarrow(e)) throw e;
    await turnDeps.writes?.flush();
    return turnOn(turnDeps, deps, input, 'whole');
  }
}

async function turnOn(turnDeps: AppDeps, deps: AppDeps, input: StepInput, read: 'slice-if-quiet' | 'whole'): Promise<Step> {
  // The whole case, or on a large case with nothing but a vendor's event to apply, its core (turn-slice.ts),
  // acted on at the time it was judged by while it is a slice: a deadline falling due meanwhile waits for the next turn.
  let { state, pending, now } = await turnCase(turnDeps, input.caseId, read);
  const d: AppDeps = { ...turnDeps, now: () => (state.sliceFacts === undefined ? turnDeps.now() : now) };
  let last: number | undefined;
  let remains = false;
  try {
    // Event by event, so a turn that stops marks applied only the events it finished.
    for (const e of pending) {
      state = await react(d, state, [e]);
      last = e.seq;
    }
    state = await handleDue(d, state);
    state = await sendDigests(d, state);
    // A case waits in outreach until some vendor can be reached; the first real contact opens the embargo.
    if (state.phase === 'outreach' && state.embargo.firstContactAt) state = await activateEmbargo(d, state);
  } catch (e) {
    if (!(e instanceof WorkRemains)) throw e;
    remains = true;
    state = (await loadCase(d, input.caseId)).state;
  }
  if (last !== undefined) state = (await execute(d, state.caseId, { type: 'mark-applied', upToSeq: last }, SYSTEM_ACTOR)).state;
  if (remains) {
    deps.telemetry.log('info', 'turn ended with work left', { caseId: state.caseId });
    // Back at once: the unapplied events resume the wait, and due deadlines give it one second.
    const r = routeOf(state, deps.now());
    return step(state, {
      route: r.route,
      ...(r.route === 'wait' || r.route === 'approve' || r.route === 'embargo' ? { waitSeconds: 1 } : {}),
    });
  }
  const r = routeOf(state, deps.now());
  return step(state, {
    route: r.route,
    ...(r.route === 'wait' || r.route === 'approve' || r.route === 'embargo' ? { waitSeconds: waitSecondsOf(state, deps, r) } : {}),
  });
}

async function react(deps: AppDeps, state: CaseState, events: Awaited<ReturnType<typeof unappliedEvents>>): Promise<CaseState> {
  const live = state.phase === 'embargo' || state.phase === 'draft-review' || state.phase === 'publication';
  // Vendors are contacted from outreach on; in outreach the case may be waiting for a confirmed contact.
  const reaching = live || state.phase === 'outreach';
  for (const e of events) {
    switch (e.type) {
      case 'vendor-added':
      case 'vendor-updated': {
        const v = state.vendors.find((x) => x.vendorId === e.vendorId);
        if (!reaching || !v) break;
        if (!v.firstContactAt) {
          if (!v.downstream) state = await contactVendor(deps, state, v.vendorId, 'report');
          break;
        }
        // Contacts confirmed after the first contact get the same notification, each with its own link.
        const purpose = v.attempts[0]?.purpose === 'downstream-alert' ? 'downstream-alert' : 'report';
        const expected = state.embargo.endsAt ?? deps.now();
        state = await mailVendor(deps, state, v.vendorId, `vendor-contact:${v.vendorId}`, (r, x) =>
          msg.vendorNotification(state, x, r, expected, purpose),
        );
        break;
      }
      case 'link-reissued': {
        const h = e.holder;
        if (h.role === 'reporter')
          state = await mailReporter(deps, state, `link-reissued:reporter:${e.generation}`, (r) => msg.linkReissued(state, r, 'status'));
        else {
          const contact = state.vendors
            .find((x) => x.vendorId === h.vendorId)
            ?.contacts.find((c) => c.email.toLowerCase() === h.email.toLowerCase());
          if (contact && !contact.bounced && !contact.link.revokedAt && contact.link.generation === e.generation)
            state = await sendOnce(deps, state, `link-reissued:${h.vendorId}:${h.email.toLowerCase()}:${e.generation}`, async () =>
              composeFor(await reader(deps, state, contact.email, h, contact.pgpKey), (r) => msg.linkReissued(state, r, 'vendor')),
            );
        }
        break;
      }
      case 'vendor-acknowledged':
        if (live) state = await alertDownstream(deps, state);
        break;
      case 'embargo-changed':
        state = await mailParticipants(deps, state, `embargo-changed:${e.seq}`, (r) =>
          msg.embargoChanged(state, r, e.endsAt, e.reason ?? 'negotiated'),
        );
        break;
      case 'self-disclosure-announced':
      case 'signal-raised':
        if (state.embargo.state === 'EXITED' && state.phase === 'embargo')
          state = await tellEveryone(deps, state, 'embargo-ended', (r) =>
            msg.embargoEnded(state, r, state.embargo.exitReason ?? 'the information is public'),
          );
        else if (e.type === 'self-disclosure-announced' && state.embargo.endsAt === e.disclosureAt)
          state = await tellEveryone(deps, state, `embargo-changed:${e.seq}`, (r) =>
            msg.embargoChanged(state, r, e.disclosureAt, 'the reporter announced disclosure on this date'),
          );
        break;
      case 'case-closed':
      case 'publication-decided':
        if (state.phase === 'closed') state = await announceClosure(deps, state);
        break;
      case 'comment-added':
      case 'information-provided':
        if (e.type === 'comment-added' && e.by.role === 'coordinator' && e.to && e.messageId)
          state = await mailMessage(deps, state, e.seq, { messageId: e.messageId, to: e.to });
        else if (e.by.role !== 'coordinator')
          state = await mailCoordinatorsOfMessage(deps, state, e.seq, (to) =>
            msg.commentReceived(state, [to], base(deps), e.by.role, e.type === 'comment-added' && e.onDraft),
          );
        break;
      case 'contact-bounced': {
        // SES gave up on a vendor's address: the coordinators hear of it at once (the escalation follows if nothing else works).
        const v = state.vendors.find((x) => x.vendorId === e.vendorId);
        if (v)
          state = await sendOnce(deps, state, `contact-bounced:${e.seq}`, () =>
            msg.contactBounced(state, deps.config.coordinatorEmails, base(deps), v, e.email, e.kind),
          );
        break;
      }
      case 'reporter-bounced':
        state = await sendOnce(deps, state, `reporter-bounced:${e.seq}`, () =>
          msg.reporterBounced(state, deps.config.coordinatorEmails, base(deps), e.kind),
        );
        break;
      case 'embargo-requested':
        // A proposal waits for a coordinator: tell them, without the proposer's reason.
        state = await sendOnce(deps, state, `comment:${e.seq}`, () =>
          msg.embargoProposalReceived(state, deps.config.coordinatorEmails, base(deps), e.by.role, e.endsAt),
        );
        break;
      default:
        break;
    }
  }
  return state;
}

export async function announceClosure(deps: AppDeps, state: CaseState): Promise<CaseState> {
  // The workflow ends here: what waits for a digest goes out now.
  state = await sendDigests(deps, state, { all: true });
  const why = state.closed?.reason ?? state.closed?.closure ?? 'closed';
  return mailParticipants(deps, state, 'case-closed', (r) => msg.caseClosed(state, r, why));
}

async function handleDue(deps: AppDeps, state: CaseState): Promise<CaseState> {
  const now = deps.now();
  const due = dueDeadlines(state, deps.policy, now);
  // A deadline's vendor, or the record of mail sent, is not in a slice: the turn goes again on the whole case.
  if (due.length > 0 && state.sliceFacts !== undefined) throw new SliceTooNarrow(`case ${state.caseId}: a deadline is due`);
  for (const d of due) {
    const v = d.vendorId ? state.vendors.find((x) => x.vendorId === d.vendorId) : undefined;
    const publishAt = publicationAtOrNow(state, now);
    switch (d.kind) {
      case 'triage-sla': {
        const count = state.triage.escalations + 1;
        state = await sendOnce(deps, state, `escalation:${count}`, () =>
          msg.triageEscalation(state, deps.config.coordinatorEmails, base(deps), count),
        );
        state = (await execute(deps, state.caseId, { type: 'escalate-triage' }, SYSTEM_ACTOR)).state;
        break;
      }
      case 'vendor-contact': {
        if (!v) break;
        const count = v.contactEscalations + 1;
        state = await sendOnce(deps, state, `vendor-contact-needed:${v.vendorId}:${count}`, () =>
          msg.vendorContactNeeded(state, deps.config.coordinatorEmails, base(deps), v, count),
        );
        state = (await execute(deps, state.caseId, { type: 'escalate-vendor-contact', vendorId: v.vendorId }, SYSTEM_ACTOR)).state;
        break;
      }
      case 'information-request':
        state = (await execute(deps, state.caseId, { type: 'close-as-invalid' }, SYSTEM_ACTOR)).state;
        state = await announceClosure(deps, state);
        break;
      case 'vendor-reminder':
        if (!v) break;
        state = await mailVendor(deps, state, v.vendorId, `reminder:${v.vendorId}:${v.attempts.length + 1}`, (r, x) =>
          msg.vendorReminder(state, x, r, 'vendor-acknowledgement', publishAt),
        );
        state = (
          await execute(deps, state.caseId, { type: 'send-reminder', kind: 'vendor-acknowledgement', vendorId: v.vendorId }, SYSTEM_ACTOR)
        ).state;
        break;
      case 'vendor-unresponsive':
        if (!v) break;
        state = (await execute(deps, state.caseId, { type: 'mark-unresponsive', vendorId: v.vendorId }, SYSTEM_ACTOR)).state;
        state = await mailVendor(deps, state, v.vendorId, `final-notice:${v.vendorId}`, (r, x) =>
          msg.vendorReminder(state, x, r, 'final-notice', publishAt),
        );
        state = (await execute(deps, state.caseId, { type: 'send-reminder', kind: 'final-notice', vendorId: v.vendorId }, SYSTEM_ACTOR))
          .state;
        state = await alertDownstream(deps, state);
        break;
      case 'statement-reminder':
        if (!v) break;
        state = await mailVendor(deps, state, v.vendorId, `statement-reminder:${v.vendorId}`, (r, x) =>
          msg.vendorReminder(state, x, r, 'statement', publishAt),
        );
        state = (await execute(deps, state.caseId, { type: 'send-reminder', kind: 'statement', vendorId: v.vendorId }, SYSTEM_ACTOR)).state;
        break;
      case 'draft-due':
        if (state.phase === 'embargo') state = (await execute(deps, state.caseId, { type: 'start-draft-review' }, SYSTEM_ACTOR)).state;
        break;
      case 'publication-decision': {
        const n = state.publication.lastReminderAt ?? 'first';
        state = await sendOnce(deps, state, `publication-reminder:${n}`, () =>
          msg.publicationDecisionNeeded(state, deps.config.coordinatorEmails, base(deps), publishAt),
        );
        state = (await execute(deps, state.caseId, { type: 'send-reminder', kind: 'publication-decision' }, SYSTEM_ACTOR)).state;
        break;
      }
      case 'publication':
        break; // PublishNote acts on it
    }
  }
  return state;
}
