// The use cases behind each workflow task (WORKFLOW.md). Each loads the case, decides in the
// domain, appends, and mails; each is safe to retry and to re-run after a restart: a step that
// already happened is recognised from the case and not repeated.
import { type CaseState, type Phase, type VendorState } from '../domain/case.js';
import { dueDeadlines, nextDeadline, secondsUntil } from '../domain/deadlines.js';
import { publicationAtOrNow } from '../domain/embargo.js';
import { planEmbargo } from '../domain/embargo.js';
import { DomainError } from '../domain/errors.js';
import { type LinkHolder, SYSTEM_ACTOR } from '../domain/events.js';
import { renderNoteBody } from '../domain/note.js';
import { ms } from '../domain/time.js';
import * as msg from '../domain/messages.js';
import { type Message, type Reader, consoleLink } from '../domain/messages.js';
import { DECLINE_REASON_TEXT } from '../domain/triage/decline-reasons.js';
import { execute, loadCase } from './commands.js';
import type { AppDeps } from './deps.js';
import { unappliedEvents } from './inbox.js';
import { liveLink } from './notify.js';
import { sha256Hex } from '../adapters/event-store.js';

/** What every task receives: the case id, and what its state adds. */
export interface StepInput {
  caseId: string;
  resume?: boolean;
  vendorId?: string;
  kind?: string;
  taskToken?: string;
  reason?: string;
  error?: { Error?: string; Cause?: string };
}

const STRING_FIELDS = ['vendorId', 'kind', 'taskToken', 'reason'] as const;

/** Checks a task payload (an edge too). Written by hand: a schema library would double the bundle for six fields. */
export function parseStepInput(event: unknown): StepInput {
  const problems: string[] = [];
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  if (typeof event !== 'object' || event === null) problems.push('(input): must be an object');
  if (typeof e.caseId !== 'string' || e.caseId.length === 0 || e.caseId.length > 100) problems.push('caseId: must be a non-empty string of at most 100 characters');
  for (const f of STRING_FIELDS) if (e[f] !== undefined && typeof e[f] !== 'string') problems.push(`${f}: must be a string`);
  if (e.resume !== undefined && typeof e.resume !== 'boolean') problems.push('resume: must be true or false');
  const err = e.error as Record<string, unknown> | undefined;
  if (err !== undefined && (typeof err !== 'object' || err === null || (err.Error !== undefined && typeof err.Error !== 'string') || (err.Cause !== undefined && typeof err.Cause !== 'string')))
    problems.push('error: must be { Error?: string, Cause?: string }');
  if (problems.length) throw new DomainError('InvalidCommand', `invalid task input: ${problems.join('; ')}`);
  const out: StepInput = { caseId: e.caseId as string };
  for (const f of STRING_FIELDS) if (typeof e[f] === 'string') out[f] = e[f];
  if (typeof e.resume === 'boolean') out.resume = e.resume;
  if (err) out.error = { ...(typeof err.Error === 'string' ? { Error: err.Error } : {}), ...(typeof err.Cause === 'string' ? { Cause: err.Cause } : {}) };
  return out;
}

/** What every task returns: small, so the execution's state stays small; the case lives in DynamoDB. */
export interface Step {
  caseId: string;
  phase: Phase;
  route?: string;
  waitSeconds?: number;
  vendors?: { vendorId: string }[];
}

/** Long waits are re-armed every 20 days (the plan is recomputed each time): below the 24.8-day limit of a 32-bit timer, which the local engine has. */
export const MAX_WAIT_SECONDS = 20 * 86_400;

export const step = (s: CaseState, extra: Omit<Step, 'caseId' | 'phase'> = {}): Step => ({ caseId: s.caseId, phase: s.phase, ...extra });

// ---- mail helpers ---------------------------------------------------------------------------

/**
 * Sends a message once per key: a key already recorded on the case is not sent again, so a retried
 * or resumed step does not mail twice (a crash between a send and its record can repeat that one
 * message: at-least-once, never lost). The factory runs only when the message is really sent.
 */
export async function sendOnce(deps: AppDeps, state: CaseState, key: string, make: () => Promise<Message | null> | Message | null): Promise<CaseState> {
  if (state.notifications[key]) return state;
  const message = await make();
  if (!message) return state;
  const to = [...new Set(message.to.map((x) => x.trim()).filter(Boolean))];
  if (to.length === 0) return state; // nobody to tell, e.g. no coordinator address configured
  if (to.length > 1) state = await deliver(deps, state, key, { ...message, to });
  else await sendTo(deps, state.caseId, message, to[0]!);
  return (await execute(deps, state.caseId, { type: 'record-notification', key, template: message.template, to }, SYSTEM_ACTOR)).state;
}

/**
 * One message per recipient, each recorded as it goes: recipients never see each other's
 * addresses, and a step retried after a failure on the third recipient does not mail the first two again.
 */
async function deliver(deps: AppDeps, state: CaseState, key: string, m: Message): Promise<CaseState> {
  for (const to of new Set(m.to)) {
    const k = `${key}→${to}`;
    if (state.notifications[k]) continue;
    await sendTo(deps, state.caseId, m, to);
    state = (await execute(deps, state.caseId, { type: 'record-notification', key: k, template: m.template, to: [to] }, SYSTEM_ACTOR)).state;
  }
  return state;
}

const sendTo = (deps: AppDeps, caseId: string, m: Message, to: string) =>
  deps.mailer.send({ to: [to], subject: m.subject, text: m.text, html: m.html, tags: { case: caseId, template: m.template } });

export const base = (deps: AppDeps) => ({ publicBaseUrl: deps.config.publicBaseUrl });
const reporterEmail = (s: CaseState) => s.report?.reporter.email ?? '';
const contactedVendors = (s: CaseState) => s.vendors.filter((v) => v.firstContactAt !== null);
const REPORTER_HOLDER: LinkHolder = { role: 'reporter' };

type Compose = (r: Reader) => Message | null;

async function reader(deps: AppDeps, s: CaseState, to: string, holder: LinkHolder): Promise<Reader> {
  return { to, link: await liveLink(deps, s, holder), detail: deps.config.mailDetail };
}

/** The reporter's copy, with their own live link. */
function mailReporter(deps: AppDeps, state: CaseState, key: string, compose: Compose): Promise<CaseState> {
  const to = reporterEmail(state);
  if (!to) return Promise.resolve(state);
  return sendOnce(deps, state, key, async () => compose(await reader(deps, state, to, REPORTER_HOLDER)));
}

/**
 * Each confirmed contact of a vendor gets its own copy with its own link, recorded per contact: a
 * contact added later gets the message on the next run of the same key, the others not again.
 */
async function mailVendor(deps: AppDeps, state: CaseState, vendorId: string, key: string, compose: (r: Reader, v: VendorState) => Message | null): Promise<CaseState> {
  const v = state.vendors.find((x) => x.vendorId === vendorId);
  for (const c of v?.contacts ?? []) {
    const k = `${key}→${c.email.toLowerCase()}`;
    if (state.notifications[k] || !v) continue;
    state = await sendOnce(deps, state, k, async () => compose(await reader(deps, state, c.email, { role: 'vendor', vendorId: v.vendorId, email: c.email }), v));
  }
  return state;
}

/** The reporter and every vendor contacted so far, each with their own link. */
async function mailParticipants(deps: AppDeps, state: CaseState, key: string, compose: Compose): Promise<CaseState> {
  state = await mailReporter(deps, state, `${key}:reporter`, compose);
  for (const v of contactedVendors(state)) state = await mailVendor(deps, state, v.vendorId, `${key}:${v.vendorId}`, (r) => compose(r));
  return state;
}

/** Participants with their links, and the coordinators with the same words (no link: they have the console). */
async function tellEveryone(deps: AppDeps, state: CaseState, key: string, compose: Compose): Promise<CaseState> {
  state = await mailParticipants(deps, state, key, compose);
  return sendOnce(deps, state, `${key}:coordinators`, () => {
    const m = compose({ to: '', link: consoleLink(base(deps), state.caseId), detail: 'full' });
    return m && { ...m, to: deps.config.coordinatorEmails };
  });
}

// ---- intake and triage ----------------------------------------------------------------------

/** Where a (re)started execution picks the case up: its phase, and the wait it was in. */
export async function locateCase(deps: AppDeps, input: StepInput): Promise<Step> {
  const { state } = await loadCase(deps, input.caseId);
  const r = routeOf(state, deps.now());
  return step(state, { route: r.route, waitSeconds: r.waitSeconds ?? waitFor(state, deps) });
}

export async function registerCase(deps: AppDeps, input: StepInput): Promise<Step> {
  let { state } = await execute(deps, input.caseId, { type: 'register' }, SYSTEM_ACTOR);
  // Anyone may name any address in a report: past a few acknowledgements a day to one address,
  // the case still opens (the reporter has their link from the submission), but no mail goes out.
  const to = reporterEmail(state);
  if (to && !state.notifications['reporter-acknowledgement']) {
    const allowed = await deps.content.consumeMailQuota(sha256Hex(to.trim().toLowerCase()), deps.now().slice(0, 10), deps.policy.acknowledgementsPerAddressPerDay);
    if (allowed) state = await mailReporter(deps, state, 'reporter-acknowledgement', (r) => msg.reporterAcknowledgement(state, r));
  }
  return step(state);
}

export async function requestInformation(deps: AppDeps, input: StepInput): Promise<Step> {
  const { state: loaded } = await loadCase(deps, input.caseId);
  const questions = loaded.prescreen?.triage.requestInformation.missing ?? [];
  let { state } = await execute(deps, input.caseId, { type: 'request-information', questions: questions.length ? questions : ['Please add any details that help us verify the vulnerability.'] }, SYSTEM_ACTOR);
  const req = state.triage.infoRequest;
  if (req) state = await mailReporter(deps, state, `information-request:${req.requestedAt}`, (r) => msg.informationRequest(state, r, req.questions, req.dueAt));
  return step(state);
}

export async function notifyDeclined(deps: AppDeps, input: StepInput): Promise<Step> {
  let { state } = await loadCase(deps, input.caseId);
  const d = state.triage.decision;
  const reasons = (d?.reasons ?? []).map((reason) => ({ reason, guidance: DECLINE_REASON_TEXT[reason].guidance }));
  state = await mailReporter(deps, state, 'declined', (r) => msg.declined(state, r, reasons, d?.comment ?? ''));
  return step(state);
}

/** Closes an unanswered information request; if the answer won the race with the timer, triage goes on. */
export async function closeAsInvalid(deps: AppDeps, input: StepInput): Promise<Step> {
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
}

// ---- outreach -------------------------------------------------------------------------------

export async function prepareOutreach(deps: AppDeps, input: StepInput): Promise<Step> {
  const { state } = await loadCase(deps, input.caseId);
  const vendors = state.vendors.filter((v) => !v.downstream && !v.firstContactAt && v.contacts.length > 0).map((v) => ({ vendorId: v.vendorId }));
  return step(state, { vendors });
}

async function contactVendor(deps: AppDeps, state: CaseState, vendorId: string, purpose: 'report' | 'downstream-alert'): Promise<CaseState> {
  const v = state.vendors.find((x) => x.vendorId === vendorId);
  if (!v) throw new DomainError('NotFound', `no vendor ${vendorId} on case ${state.caseId}`);
  if (v.firstContactAt || v.contacts.length === 0) return state;
  const now = deps.now();
  const expected =
    state.embargo.state === 'ACTIVE' && state.embargo.endsAt ? state.embargo.endsAt : planEmbargo(state, state.embargo.firstContactAt ?? now, now, deps.policy).endsAt;
  const sent = await mailVendor(deps, state, vendorId, `vendor-contact:${vendorId}`, (r, x) => msg.vendorNotification(state, x, r, expected, purpose));
  return (await execute(deps, sent.caseId, { type: 'record-vendor-contact', vendorId, purpose }, SYSTEM_ACTOR)).state;
}

export async function notifyVendor(deps: AppDeps, input: StepInput): Promise<Step> {
  if (!input.vendorId) throw new DomainError('InvalidCommand', 'notify-vendor needs a vendorId');
  const { state } = await loadCase(deps, input.caseId);
  return step(await contactVendor(deps, state, input.vendorId, 'report'));
}

export async function openEmbargo(deps: AppDeps, input: StepInput): Promise<Step> {
  const { state } = await loadCase(deps, input.caseId);
  return step(await activateEmbargo(deps, state));
}

/** Opens the embargo once a vendor has been reached (it stays in outreach until then), and tells the reporter. */
async function activateEmbargo(deps: AppDeps, state: CaseState): Promise<CaseState> {
  if (state.phase === 'outreach') state = (await execute(deps, state.caseId, { type: 'open-embargo' }, SYSTEM_ACTOR)).state;
  const endsAt = state.embargo.endsAt;
  if (state.embargo.state === 'ACTIVE' && endsAt)
    state = await mailReporter(deps, state, 'embargo-opened', (r) => msg.embargoOpened(state, r, endsAt));
  return state;
}

// ---- the event loop -------------------------------------------------------------------------

export async function planNextDeadline(deps: AppDeps, input: StepInput): Promise<Step> {
  const { state } = await loadCase(deps, input.caseId);
  return step(state, { waitSeconds: waitFor(state, deps) });
}

function waitFor(state: CaseState, deps: AppDeps): number {
  const d = nextDeadline(state, deps.policy);
  return d ? Math.min(MAX_WAIT_SECONDS, secondsUntil(d.at, deps.now())) : MAX_WAIT_SECONDS;
}

/** Parks the task token on the case; if an event is already waiting, resumes at once (the durable inbox). */
export async function awaitSignal(deps: AppDeps, input: StepInput): Promise<Step> {
  if (!input.taskToken) throw new DomainError('InvalidCommand', 'await-signal needs a task token');
  await deps.store.putWait(input.caseId, { kind: input.kind ?? 'case-event', token: input.taskToken, since: deps.now() });
  const { state } = await loadCase(deps, input.caseId);
  if ((await unappliedEvents(deps, state)).length > 0) {
    await deps.signals.succeed(input.taskToken, { caseId: input.caseId });
    await deps.store.clearWait(input.caseId, input.taskToken);
  }
  return step(state);
}

/**
 * One turn of the loop: react to every unapplied outside event, act on every deadline that fell
 * due, mark the events applied, and say where the workflow goes next. Behind ApplyCaseEvents,
 * DeadlineReached, EscalateTriage and RemindPublicationDecision alike.
 */
export async function advance(deps: AppDeps, input: StepInput): Promise<Step> {
  let { state } = await loadCase(deps, input.caseId);
  const pending = await unappliedEvents(deps, state);
  state = await react(deps, state, pending);
  state = await handleDue(deps, state);
  // A case waits in outreach until some vendor can be reached; the first real contact opens the embargo.
  if (state.phase === 'outreach' && state.embargo.firstContactAt) state = await activateEmbargo(deps, state);
  const last = pending.at(-1)?.seq;
  if (last !== undefined) state = (await execute(deps, state.caseId, { type: 'mark-applied', upToSeq: last }, SYSTEM_ACTOR)).state;
  const r = routeOf(state, deps.now());
  return step(state, { route: r.route, ...(r.route === 'wait' || r.route === 'approve' || r.route === 'embargo' ? { waitSeconds: r.waitSeconds ?? waitFor(state, deps) } : {}) });
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
        state = await mailVendor(deps, state, v.vendorId, `vendor-contact:${v.vendorId}`, (r, x) => msg.vendorNotification(state, x, r, expected, purpose));
        break;
      }
      case 'link-reissued': {
        const h = e.holder;
        if (h.role === 'reporter') state = await mailReporter(deps, state, `link-reissued:reporter:${e.generation}`, (r) => msg.linkReissued(state, r, 'status'));
        else {
          const contact = state.vendors.find((x) => x.vendorId === h.vendorId)?.contacts.find((c) => c.email.toLowerCase() === h.email.toLowerCase());
          if (contact && !contact.link.revokedAt && contact.link.generation === e.generation)
            state = await sendOnce(deps, state, `link-reissued:${h.vendorId}:${h.email.toLowerCase()}:${e.generation}`, async () => msg.linkReissued(state, await reader(deps, state, contact.email, h), 'vendor'));
        }
        break;
      }
      case 'vendor-acknowledged':
        if (live) state = await alertDownstream(deps, state);
        break;
      case 'embargo-changed':
        state = await mailParticipants(deps, state, `embargo-changed:${e.seq}`, (r) => msg.embargoChanged(state, r, e.endsAt, e.reason ?? 'negotiated'));
        break;
      case 'self-disclosure-announced':
      case 'signal-raised':
        if (state.embargo.state === 'EXITED' && state.phase === 'embargo')
          state = await tellEveryone(deps, state, 'embargo-ended', (r) => msg.embargoEnded(state, r, state.embargo.exitReason ?? 'the information is public'));
        else if (e.type === 'self-disclosure-announced' && state.embargo.endsAt === e.disclosureAt)
          state = await tellEveryone(deps, state, `embargo-changed:${e.seq}`, (r) => msg.embargoChanged(state, r, e.disclosureAt, 'the reporter announced disclosure on this date'));
        break;
      case 'case-closed':
      case 'publication-decided':
        if (state.phase === 'closed') state = await announceClosure(deps, state);
        break;
      case 'comment-added':
      case 'information-provided':
        if (e.by.role !== 'coordinator')
          state = await sendOnce(deps, state, `comment:${e.seq}`, () => msg.commentReceived(state, deps.config.coordinatorEmails, base(deps), e.by.role, e.type === 'comment-added' && e.onDraft));
        break;
      default:
        break;
    }
  }
  return state;
}

async function announceClosure(deps: AppDeps, state: CaseState): Promise<CaseState> {
  const why = state.closed?.reason ?? state.closed?.closure ?? 'closed';
  return mailParticipants(deps, state, 'case-closed', (r) => msg.caseClosed(state, r, why));
}

/** Downstream vendors hear of the case once an upstream vendor answers, or before disclosure when it stays silent. */
async function alertDownstream(deps: AppDeps, state: CaseState): Promise<CaseState> {
  for (const v of state.vendors.filter((x) => x.downstream && !x.firstContactAt)) state = await contactVendor(deps, state, v.vendorId, 'downstream-alert');
  return state;
}

async function handleDue(deps: AppDeps, state: CaseState): Promise<CaseState> {
  const now = deps.now();
  for (const d of dueDeadlines(state, deps.policy, now)) {
    const v = d.vendorId ? state.vendors.find((x) => x.vendorId === d.vendorId) : undefined;
    const publishAt = publicationAtOrNow(state, now);
    switch (d.kind) {
      case 'triage-sla': {
        const count = state.triage.escalations + 1;
        state = await sendOnce(deps, state, `escalation:${count}`, () => msg.triageEscalation(state, deps.config.coordinatorEmails, base(deps), count));
        state = (await execute(deps, state.caseId, { type: 'escalate-triage' }, SYSTEM_ACTOR)).state;
        break;
      }
      case 'vendor-contact': {
        if (!v) break;
        const count = v.contactEscalations + 1;
        state = await sendOnce(deps, state, `vendor-contact-needed:${v.vendorId}:${count}`, () => msg.vendorContactNeeded(state, deps.config.coordinatorEmails, base(deps), v, count));
        state = (await execute(deps, state.caseId, { type: 'escalate-vendor-contact', vendorId: v.vendorId }, SYSTEM_ACTOR)).state;
        break;
      }
      case 'information-request':
        state = (await execute(deps, state.caseId, { type: 'close-as-invalid' }, SYSTEM_ACTOR)).state;
        state = await announceClosure(deps, state);
        break;
      case 'vendor-reminder':
        if (!v) break;
        state = await mailVendor(deps, state, v.vendorId, `reminder:${v.vendorId}:${v.attempts.length + 1}`, (r, x) => msg.vendorReminder(state, x, r, 'vendor-acknowledgement', publishAt));
        state = (await execute(deps, state.caseId, { type: 'send-reminder', kind: 'vendor-acknowledgement', vendorId: v.vendorId }, SYSTEM_ACTOR)).state;
        break;
      case 'vendor-unresponsive':
        if (!v) break;
        state = (await execute(deps, state.caseId, { type: 'mark-unresponsive', vendorId: v.vendorId }, SYSTEM_ACTOR)).state;
        state = await mailVendor(deps, state, v.vendorId, `final-notice:${v.vendorId}`, (r, x) => msg.vendorReminder(state, x, r, 'final-notice', publishAt));
        state = (await execute(deps, state.caseId, { type: 'send-reminder', kind: 'final-notice', vendorId: v.vendorId }, SYSTEM_ACTOR)).state;
        state = await alertDownstream(deps, state);
        break;
      case 'statement-reminder':
        if (!v) break;
        state = await mailVendor(deps, state, v.vendorId, `statement-reminder:${v.vendorId}`, (r, x) => msg.vendorReminder(state, x, r, 'statement', publishAt));
        state = (await execute(deps, state.caseId, { type: 'send-reminder', kind: 'statement', vendorId: v.vendorId }, SYSTEM_ACTOR)).state;
        break;
      case 'draft-due':
        if (state.phase === 'embargo') state = (await execute(deps, state.caseId, { type: 'start-draft-review' }, SYSTEM_ACTOR)).state;
        break;
      case 'publication-decision': {
        const n = state.publication.lastReminderAt ?? 'first';
        state = await sendOnce(deps, state, `publication-reminder:${n}`, () => msg.publicationDecisionNeeded(state, deps.config.coordinatorEmails, base(deps), publishAt));
        state = (await execute(deps, state.caseId, { type: 'send-reminder', kind: 'publication-decision' }, SYSTEM_ACTOR)).state;
        break;
      }
      case 'publication':
        break; // PublishNote acts on it
    }
  }
  return state;
}

/**
 * Where the workflow goes from here, from the case alone (so a restarted execution routes the
 * same way). Routes: accept, decline, request-info, prescreen, wait, embargo, draft-review,
 * revise, approve, publish, published, closed.
 */
export function routeOf(s: CaseState, now: string): { route: string; waitSeconds?: number } {
  switch (s.phase) {
    case 'declined':
      return { route: 'decline' };
    case 'closed':
      return { route: 'closed' };
    case 'published':
      return { route: 'published' };
    case 'outreach':
      return { route: 'accept' };
    case 'intake':
      return { route: 'wait' };
    case 'triage': {
      const d = s.triage.decision;
      const info = s.triage.infoRequest;
      if (d?.decision === 'request-info' && (!info || ms(info.requestedAt) < ms(d.at))) return { route: 'request-info' };
      if (d === null && info?.answeredAt) return { route: 'prescreen' };
      return { route: 'wait' };
    }
    case 'embargo':
      return { route: 'embargo' };
    case 'draft-review': {
      if (!s.draft.shared) return { route: 'draft-review' };
      const latest = s.draft.revisions.at(-1)?.revision;
      const revisedAfterShare = s.publication.decision === 'revise' && s.publication.decidedSeq > s.draft.shared.seq;
      if (latest !== s.draft.shared.revision || revisedAfterShare) return { route: 'revise' };
      return { route: 'wait' };
    }
    case 'publication': {
      const at = s.publication.publishAt ?? now;
      if (ms(now) >= ms(at)) return { route: 'publish' };
      return { route: 'approve', waitSeconds: Math.min(MAX_WAIT_SECONDS, secondsUntil(at, now)) };
    }
  }
}

// ---- draft review and publication -----------------------------------------------------------


export async function draftNote(deps: AppDeps, input: StepInput): Promise<Step> {
  let { state } = await loadCase(deps, input.caseId);
  const latest = state.draft.revisions.at(-1);
  const shared = state.draft.shared;
  const redo = shared !== null && latest?.revision === shared.revision && state.publication.decision === 'revise' && state.publication.decidedSeq > shared.seq;
  // The system drafts the first revision and re-renders on "revise"; a coordinator's own edits are kept.
  if (!latest || redo) {
    const markdown = renderNoteBody(state);
    state = (await execute(deps, state.caseId, { type: 'revise-draft', markdown, reason: latest ? 'regenerated on request' : 'first draft' }, SYSTEM_ACTOR)).state;
  }
  return step(state);
}

export async function shareDraft(deps: AppDeps, input: StepInput): Promise<Step> {
  let { state } = await execute(deps, input.caseId, { type: 'share-draft' }, SYSTEM_ACTOR);
  const shared = state.draft.shared;
  if (shared) {
    const r = shared.revision;
    state = await mailParticipants(deps, state, `draft-shared:${r}`, (reader) => msg.draftShared(state, reader, shared.publishAt, r));
  }
  return step(state, { waitSeconds: waitFor(state, deps) });
}



export async function notifyPublished(deps: AppDeps, input: StepInput): Promise<Step> {
  let { state } = await loadCase(deps, input.caseId);
  const noteId = state.published?.noteId;
  if (noteId) {
    const url = msg.noteLink(base(deps), noteId);
    state = await mailParticipants(deps, state, 'published', (r) => msg.published(state, r, url));
    state = await sendOnce(deps, state, 'published:coordinators', () => msg.publishedToCoordinators(state, deps.config.coordinatorEmails, url));
  }
  return step(state);
}

export async function reportBlocked(deps: AppDeps, input: StepInput): Promise<Step> {
  const error = input.error?.Error ?? 'WorkflowError';
  const cause = input.error?.Cause ?? 'unknown cause';
  try {
    let { state } = await execute(deps, input.caseId, { type: 'block', error, cause }, SYSTEM_ACTOR);
    state = await sendOnce(deps, state, `blocked:${state.version}`, () => msg.workflowBlocked(state, deps.config.coordinatorEmails, base(deps), error, cause));
    return step(state);
  } catch (e) {
    if (!(e instanceof Error && e.name === 'ItemTooLargeError')) throw e;
    // The case cannot record even this: tell the coordinators anyway, unrecorded (the blocked loop
    // repeats it weekly at most), so a case never goes silent.
    const { state } = await loadCase(deps, input.caseId);
    const m = msg.workflowBlocked(state, deps.config.coordinatorEmails, base(deps), error, `${cause}\n\nThe case is too large to record more; it needs a coordinator.`);
    for (const to of new Set(m.to)) await sendTo(deps, state.caseId, m, to);
    return step(state);
  }
}
