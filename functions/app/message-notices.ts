// The digests of held message notices (functions/domain/message-digest.ts): each address whose
// window is up gets one e-mail for everything held for it, then the hold is recorded as done. A
// recipient who can no longer be mailed (removed, bounced, link revoked) has the hold cleared
// without a send, so nothing waits forever.
import type { CaseState } from '../domain/case.js';
import { SliceTooNarrow } from '../domain/errors.js';
import { type NoticeHolder, SYSTEM_ACTOR } from '../domain/events.js';
import { type AddressDigest, addressKey, dueDigests } from '../domain/message-digest.js';
import { type Message, type Reader, commentsDigest, messageDigest } from '../domain/messages.js';
import { reachableContacts } from '../domain/reachability.js';
import { execute } from './commands.js';
import type { AppDeps } from './deps.js';
import { base, composeFor, reader, reporterEmail, reporterKey, sendTo } from './mail.js';

/** Sends every digest that is due (or every one waiting, when the case's workflow is about to end). */
export async function sendDigests(deps: AppDeps, state: CaseState, opts: { all?: boolean } = {}): Promise<CaseState> {
  const now = opts.all ? '9999-12-31T23:59:59.999Z' : deps.now();
  const due = dueDigests(state.mailDigests, deps.policy, now);
  // A vendor's digest needs its vendor, whom a slice may lack: never settled as undelivered there.
  if (due.length > 0 && state.sliceFacts !== undefined) throw new SliceTooNarrow(`case ${state.caseId}: a digest is due`);
  for (const { address, digest } of due) {
    const count = digest.waiting.length;
    deps.budget?.check();
    const message = await digestFor(deps, state, address, digest);
    if (message) await sendTo(deps, state.caseId, message, address);
    state = (await execute(deps, state.caseId, { type: 'record-digest', address, count, delivered: message !== null }, SYSTEM_ACTOR)).state;
  }
  return state;
}

/** The digest for one address, or null when that address is no longer someone to mail. */
async function digestFor(deps: AppDeps, state: CaseState, address: string, d: AddressDigest): Promise<Message | null> {
  const holder: NoticeHolder | undefined = d.holder;
  const count = d.waiting.length;
  if (!holder) return null;
  if (holder.role === 'coordinator') {
    const current = deps.config.coordinatorEmails.some((x) => addressKey(x) === address);
    return current ? commentsDigest(state, [address], base(deps), count) : null;
  }
  if (holder.role === 'reporter') {
    const to = reporterEmail(state);
    if (!to || addressKey(to) !== address || state.reporterBounced) return null;
    const r = await reader(deps, state, to, holder, reporterKey(state));
    return composeFor(r, async () => messageDigest(state, r, count, await bodies(deps, state, d, r)));
  }
  const v = state.vendors.find((x) => x.vendorId === holder.vendorId);
  const c = v ? reachableContacts(v).find((x) => addressKey(x.email) === address) : undefined;
  if (!v || !c) return null;
  const r = await reader(deps, state, c.email, { ...holder, email: c.email }, c.pgpKey);
  return composeFor(r, async () => messageDigest(state, r, count, await bodies(deps, state, d, r)));
}

/** The held messages' words, read only for a copy that carries details (the deployment's choice, or an encrypted copy). */
async function bodies(deps: AppDeps, state: CaseState, d: AddressDigest, r: Reader): Promise<string[]> {
  if (r.detail !== 'full') return [];
  const out: string[] = [];
  for (const w of d.waiting) {
    const m = w.messageId ? await deps.content.getMessage(state.caseId, w.messageId) : null;
    if (m) out.push(m.body);
  }
  return out;
}
