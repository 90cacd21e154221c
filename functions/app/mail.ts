// Mail from the workflow: once per key (a retried step never mails twice), one message per
// recipient, and each participant's copy with their own live link.
import { NO_TEAM_KEY } from '../adapters/mailer.js';
import { type CaseState, type VendorState, wasSent } from '../domain/case.js';
import { type LinkHolder, type NoticeHolder, SYSTEM_ACTOR } from '../domain/events.js';
import { holdsNotice } from '../domain/message-digest.js';
import { type Message, type Reader, consoleLink, messageReceived } from '../domain/messages.js';
import { execute } from './commands.js';
import type { AppDeps } from './deps.js';
import { reachableContacts } from '../domain/reachability.js';
import { replyAddress } from './inbound-routes.js';
import { liveLink } from './notify.js';
import { Metric } from './telemetry.js';
import { turnBudget } from './turn-budget.js';
import { TurnWrites } from './turn-writes.js';

/**
 * Runs one workflow turn on a case: its mail stops at the turn's budget (functions/app/turn-budget.ts)
 * and its records are written together (functions/app/turn-writes.ts), also when the turn fails,
 * so that its retry does not send again what was sent.
 */
export async function inTurn<T>(deps: AppDeps, caseId: string, run: (d: AppDeps) => Promise<T>): Promise<T> {
  const writes = new TurnWrites(deps, caseId, deps.turnFreshWithinMs);
  const d: AppDeps = { ...deps, budget: (deps.turnBudget ?? turnBudget)(), writes };
  let result: T;
  try {
    result = await run(d);
  } catch (e) {
    try {
      await writes.flush();
    } catch (f) {
      // The write's failure is the one to answer: rethrowing the turn's own (WorkRemains, retried at
      // once) would send the unrecorded mail again on every retry, and an ItemTooLargeError must
      // reach ReportBlocked.
      deps.telemetry.log('error', 'turn records not written', { caseId, errorName: f instanceof Error ? f.name : 'unknown' });
      throw f;
    }
    throw e;
  }
  await writes.flush();
  return result;
}

/**
 * Sends a message once per key: a key already recorded on the case is not sent again, so a retried
 * or resumed step does not mail twice (a crash between a send and its record can repeat it, and in
 * a turn the mail of records not yet written: at-least-once, never lost). The factory runs only
 * when the message is really sent.
 */
export async function sendOnce(
  deps: AppDeps,
  state: CaseState,
  key: string,
  make: () => Promise<Message | null> | Message | null,
): Promise<CaseState> {
  if (wasSent(state, key)) return state;
  deps.budget?.check();
  const message = await make();
  if (!message) return state;
  const to = [...new Set(message.to.map((x) => x.trim()).filter(Boolean))];
  if (to.length === 0) return state; // nobody to tell, e.g. no coordinator address configured
  // An encrypted copy carries every detail: it goes to its one reader, never fanned out.
  if (message.encryptTo && to.length > 1) throw new Error(`an encrypted ${message.template} has ${to.length} recipients`);
  if (to.length > 1) state = await deliver(deps, state, key, { ...message, to });
  else if (to[0] !== undefined) await sendTo(deps, state.caseId, message, to[0]);
  return (await execute(deps, state.caseId, { type: 'record-notification', key, template: message.template, to }, SYSTEM_ACTOR)).state;
}

/**
 * One message per recipient, each recorded as it goes: recipients never see each other's
 * addresses, and a step retried after a failure on the third recipient does not mail the first two again.
 */
async function deliver(deps: AppDeps, state: CaseState, key: string, m: Message): Promise<CaseState> {
  for (const to of new Set(m.to)) {
    const k = `${key}→${to}`;
    if (wasSent(state, k)) continue;
    deps.budget?.check();
    await sendTo(deps, state.caseId, m, to);
    state = (await execute(deps, state.caseId, { type: 'record-notification', key: k, template: m.template, to: [to] }, SYSTEM_ACTOR))
      .state;
  }
  return state;
}

export async function sendTo(deps: AppDeps, caseId: string, m: Message, to: string): Promise<string> {
  try {
    const id = await deps.mailer.send({
      to: [to],
      subject: m.subject,
      text: m.text,
      html: m.html,
      ...(m.replyTo ? { replyTo: m.replyTo } : {}),
      tags: { case: caseId, template: m.template },
      ...(m.encryptTo ? { encryptTo: m.encryptTo } : {}),
    });
    deps.telemetry.metric({ name: Metric.EmailsSent, value: 1, unit: 'Count' });
    deps.telemetry.log('info', m.encryptTo ? 'mail sent encrypted' : 'mail sent', { caseId, template: m.template });
    return id;
  } catch (e) {
    if (e instanceof Error && e.name === 'MailRejected') {
      deps.telemetry.metric({ name: Metric.EmailsBounced, value: 1, unit: 'Count' });
      deps.telemetry.log('warn', 'mail refused', { caseId, template: m.template, errorName: e.name });
    }
    throw e;
  }
}

export const base = (deps: AppDeps) => ({ publicBaseUrl: deps.config.publicBaseUrl });
export const reporterEmail = (s: CaseState) => s.report?.reporter.email ?? '';
export const contactedVendors = (s: CaseState) => s.vendors.filter((v) => v.firstContactAt !== null);
const REPORTER_HOLDER: LinkHolder = { role: 'reporter' };

type Compose = (r: Reader) => Message | null | Promise<Message | null>;

/**
 * The reader of one copy, with their own link. A reader with an OpenPGP key the team can encrypt
 * to gets every detail, encrypted to that key alone; a key that cannot be used (malformed,
 * expired, revoked) is logged and the reader gets the clear copy everyone without a key gets.
 */
export async function reader(deps: AppDeps, s: CaseState, to: string, holder: LinkHolder, pgpKey?: string): Promise<Reader> {
  const link = await liveLink(deps, s, holder);
  if (pgpKey) {
    const problem = deps.mailer.sealProblem ? await deps.mailer.sealProblem(pgpKey) : NO_TEAM_KEY;
    if (problem === null) return { to, link, detail: 'full', encryptTo: pgpKey };
    if (problem !== NO_TEAM_KEY)
      deps.telemetry.log('warn', 'mail sent without encryption', { caseId: s.caseId, reason: 'recipient-key-unusable' });
  }
  return { to, link, detail: deps.config.mailDetail };
}

/** The copy composed for a reader, marked for encryption when their copy is encrypted. */
export async function composeFor(r: Reader, compose: Compose): Promise<Message | null> {
  const m = await compose(r);
  return m && r.encryptTo ? { ...m, encryptTo: r.encryptTo } : m;
}

export const reporterKey = (s: CaseState): string | undefined => s.report?.reporter.pgpKey || undefined;

/** A message notice that may wait for its address's digest (functions/domain/message-digest.ts). */
export interface Hold {
  template: string;
  messageId?: string;
}

/** Phases whose workflow waits on timers: only there can a held notice be sent later. */
const HOLDING_PHASES: readonly string[] = ['triage', 'outreach', 'embargo', 'draft-review', 'publication'];

/**
 * Sends once per key, unless `hold` is given and the address had a message notice within the
 * digest window: then the notice is recorded as held, and the digest carries it.
 */
export async function sendOrHold(
  deps: AppDeps,
  state: CaseState,
  key: string,
  to: string,
  holder: NoticeHolder,
  hold: Hold | undefined,
  make: () => Promise<Message | null> | Message | null,
): Promise<CaseState> {
  if (wasSent(state, key)) return state;
  if (hold && HOLDING_PHASES.includes(state.phase) && holdsNotice(state.mailDigests, to, holder, deps.now(), deps.policy)) {
    const command = { type: 'hold-notice' as const, key, address: to, holder, template: hold.template };
    return (await execute(deps, state.caseId, { ...command, ...(hold.messageId ? { messageId: hold.messageId } : {}) }, SYSTEM_ACTOR))
      .state;
  }
  if (holder.role === 'coordinator') return sendOnce(deps, state, key, make);
  // A reporter's or vendor's copy carries their own reply address, so that answering the mail is a message on the case.
  return sendOnce(deps, state, key, async () => {
    const message = await make();
    const replyTo = message && (await replyAddress(deps, state, holder));
    return message && replyTo ? { ...message, replyTo } : message;
  });
}

/**
 * The case to address mail from: in a turn, the case as stored now if someone else wrote since the
 * turn read it (functions/app/turn-writes.ts), so a contact removed or a link revoked a moment ago
 * is not mailed from the turn's older copy.
 */
const upToDate = (deps: AppDeps, state: CaseState): Promise<CaseState> =>
  deps.writes ? deps.writes.current(state) : Promise.resolve(state);

/** The reporter's copy, with their own live link. */
export async function mailReporter(deps: AppDeps, state: CaseState, key: string, compose: Compose, hold?: Hold): Promise<CaseState> {
  if (!reporterEmail(state) || wasSent(state, key)) return state;
  state = await upToDate(deps, state);
  const to = reporterEmail(state);
  // An address SES gave up on gets nothing more (the coordinators were told).
  if (!to || state.reporterBounced) return state;
  return sendOrHold(deps, state, key, to, REPORTER_HOLDER, hold, async () =>
    composeFor(await reader(deps, state, to, REPORTER_HOLDER, reporterKey(state)), compose),
  );
}

/**
 * Each confirmed contact of a vendor gets its own copy with its own link, recorded per contact: a
 * contact added later gets the message on the next run of the same key, the others not again. An
 * address SES reported as bouncing or complaining gets nothing more.
 */
export async function mailVendor(
  deps: AppDeps,
  state: CaseState,
  vendorId: string,
  key: string,
  compose: (r: Reader, v: VendorState) => Message | null | Promise<Message | null>,
  hold?: Hold,
): Promise<CaseState> {
  const unsent = (s: CaseState) =>
    (s.vendors.find((x) => x.vendorId === vendorId)?.contacts ?? []).some((c) => !wasSent(s, `${key}→${c.email.toLowerCase()}`));
  if (!unsent(state)) return state;
  state = await upToDate(deps, state);
  const v = state.vendors.find((x) => x.vendorId === vendorId);
  for (const c of v ? reachableContacts(v) : []) {
    const k = `${key}→${c.email.toLowerCase()}`;
    if (wasSent(state, k) || !v) continue;
    const holder = { role: 'vendor' as const, vendorId: v.vendorId, email: c.email };
    state = await sendOrHold(deps, state, k, c.email, holder, hold, async () =>
      composeFor(await reader(deps, state, c.email, holder, c.pgpKey), (r) => compose(r, v)),
    );
  }
  return state;
}

/** The reporter and every vendor contacted so far, each with their own link. */
export async function mailParticipants(deps: AppDeps, state: CaseState, key: string, compose: Compose): Promise<CaseState> {
  state = await mailReporter(deps, state, `${key}:reporter`, compose);
  for (const v of contactedVendors(state)) state = await mailVendor(deps, state, v.vendorId, `${key}:${v.vendorId}`, (r) => compose(r));
  return state;
}

/** Participants with their links, and the coordinators with the same words (no link: they have the console). */
export async function tellEveryone(deps: AppDeps, state: CaseState, key: string, compose: Compose): Promise<CaseState> {
  state = await mailParticipants(deps, state, key, compose);
  return sendOnce(deps, state, `${key}:coordinators`, async () => {
    const m = await compose({ to: '', link: consoleLink(base(deps), state.caseId), detail: 'full' });
    return m && { ...m, to: deps.config.coordinatorEmails };
  });
}

/**
 * A coordinator's message: one e-mail to each recipient (each contact of each vendor named, the
 * reporter if named), each with its own link, once per message. The body is read only for a copy
 * that carries details (the deployment's choice, or an encrypted copy).
 */
export async function mailMessage(
  deps: AppDeps,
  state: CaseState,
  seq: number,
  m: { messageId: string; to: { reporter: boolean; vendorIds: readonly string[] } },
): Promise<CaseState> {
  let read: Promise<string | null> | undefined;
  const body = (r: Reader): Promise<string | null> => {
    if (r.detail !== 'full') return Promise.resolve(null);
    read ??= deps.content.getMessage(state.caseId, m.messageId).then((x) => x?.body ?? null);
    return read;
  };
  const hold = { template: 'message', messageId: m.messageId };
  const compose = async (r: Reader) => messageReceived(state, r, await body(r));
  if (m.to.reporter) state = await mailReporter(deps, state, `message:${seq}:reporter`, compose, hold);
  for (const vendorId of m.to.vendorIds) state = await mailVendor(deps, state, vendorId, `message:${seq}:${vendorId}`, compose, hold);
  return state;
}

/** A reporter's or vendor's message: each coordinator address gets a notice, or the digest when one went out within the window. */
export async function mailCoordinatorsOfMessage(
  deps: AppDeps,
  state: CaseState,
  seq: number,
  make: (to: string) => Message,
): Promise<CaseState> {
  for (const to of new Set(deps.config.coordinatorEmails.map((x) => x.trim()).filter(Boolean)))
    state = await sendOrHold(deps, state, `comment:${seq}→${to}`, to, { role: 'coordinator' }, { template: 'comment-received' }, () =>
      make(to),
    );
  return state;
}
