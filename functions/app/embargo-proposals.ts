// A reporter's or a vendor's proposed embargo end: a few a day per participant (each one mails the
// coordinators), past that 429 with Retry-After and nothing written.
import { MAX_EMBARGO_REQUESTS_PER_DAY, embargoRequestsToday } from '../domain/deciders/embargo.js';
import type { CaseState } from '../domain/case.js';
import type { Actor } from '../domain/events.js';
import type { AppDeps } from './deps.js';
import { submit } from './inbox.js';
import { QuotaExceededError, untilTomorrow } from './messages.js';

export async function proposeEmbargo(deps: AppDeps, state: CaseState, actor: Actor, proposal: { endsAt: string; reason: string }) {
  const now = deps.now();
  if (embargoRequestsToday(state, actor, now) >= MAX_EMBARGO_REQUESTS_PER_DAY)
    throw new QuotaExceededError('embargo-proposals-per-day', MAX_EMBARGO_REQUESTS_PER_DAY, untilTomorrow(now));
  return submit(deps, state.caseId, { type: 'request-embargo', endsAt: proposal.endsAt, reason: proposal.reason }, actor, state);
}
