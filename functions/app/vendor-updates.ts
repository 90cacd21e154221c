// A vendor's status or statement change: before publication it is the vendor's part of the case;
// after, an update request the published note shows only once a coordinator accepts it
// (docs/workflow.md, "Updates after publication"). A few a day per vendor, past that 429 with
// Retry-After and nothing written.
import type { Command } from '../domain/decide.js';
import { type CaseState, vendorById } from '../domain/case.js';
import type { Actor } from '../domain/events.js';
import { MAX_UPDATE_REQUESTS_PER_DAY, updateRequestsToday } from '../domain/note-revisions.js';
import type { AppDeps } from './deps.js';
import { submit } from './inbox.js';
import { QuotaExceededError, untilTomorrow } from './messages.js';

export async function updateVendorPart(deps: AppDeps, state: CaseState, actor: Actor, command: Command) {
  const now = deps.now();
  const vendor = actor.participant ? vendorById(state, actor.participant) : undefined;
  if (state.phase === 'published' && vendor && updateRequestsToday(vendor, now) >= MAX_UPDATE_REQUESTS_PER_DAY)
    throw new QuotaExceededError('update-requests-per-day', MAX_UPDATE_REQUESTS_PER_DAY, untilTomorrow(now));
  return submit(deps, state.caseId, command, actor, state);
}
