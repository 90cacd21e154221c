// The step plumbing every workflow use case shares: the Step a task returns, and where the
// workflow goes next from the case alone (routeOf), so a restarted execution routes the same way.
import type { CaseState } from '../domain/case.js';
import { nextDeadline, secondsUntil } from '../domain/deadlines.js';
import { nextDigestAt } from '../domain/message-digest.js';
import { releasePending } from '../domain/note-revisions.js';
import { ms } from '../domain/time.js';
import { MAX_WAIT_SECONDS, Route, type RouteName, type Step } from '../workflow-contract.js';
import type { AppDeps } from './deps.js';

export { MAX_WAIT_SECONDS, type Step, type StepInput, parseStepInput } from '../workflow-contract.js';

export const step = (s: CaseState, extra: Omit<Step, 'caseId' | 'phase'> = {}): Step => ({ caseId: s.caseId, phase: s.phase, ...extra });

/** Seconds to wait for the case's next deadline, re-armed at most every MAX_WAIT_SECONDS. */
export function waitFor(state: CaseState, deps: Pick<AppDeps, 'policy' | 'now'>): number {
  const d = nextDeadline(state, deps.policy);
  // A digest of held message notices wakes the loop too, without being one of the case's deadlines (the queue's order).
  const digest = nextDigestAt(state.mailDigests, deps.policy);
  const at = [d?.at, digest].filter((x): x is string => !!x).sort((a, b) => ms(a) - ms(b))[0];
  return at ? Math.min(MAX_WAIT_SECONDS, secondsUntil(at, deps.now())) : MAX_WAIT_SECONDS;
}

/** The wait of a route: its own (the publication date) or the next deadline or digest, whichever is first. */
export const waitSecondsOf = (state: CaseState, deps: Pick<AppDeps, 'policy' | 'now'>, r: { waitSeconds?: number }): number =>
  Math.min(r.waitSeconds ?? MAX_WAIT_SECONDS, waitFor(state, deps));

/**
 * Where the workflow goes from here, from the case alone (so a restarted execution routes the
 * same way). Routes: accept, decline, request-info, prescreen, wait, embargo, draft-review,
 * revise, approve, publish, published, update-note, closed.
 */
export function routeOf(s: CaseState, now: string): { route: RouteName; waitSeconds?: number } {
  switch (s.phase) {
    case 'declined':
      return { route: Route.Decline };
    case 'closed':
      return { route: Route.Closed };
    case 'published':
      return { route: releasePending(s) ? Route.UpdateNote : Route.Published };
    case 'outreach':
      return { route: Route.Accept };
    case 'intake':
      return { route: Route.Wait };
    case 'triage': {
      const d = s.triage.decision;
      const info = s.triage.infoRequest;
      if (d?.decision === 'request-info' && (!info || ms(info.requestedAt) < ms(d.at))) return { route: Route.RequestInfo };
      if (d === null && info?.answeredAt) return { route: Route.Prescreen };
      return { route: Route.Wait };
    }
    case 'embargo':
      return { route: Route.Embargo };
    case 'draft-review': {
      if (!s.draft.shared) return { route: Route.DraftReview };
      const latest = s.draft.revisions.at(-1)?.revision;
      const revisedAfterShare = s.publication.decision === 'revise' && s.publication.decidedSeq > s.draft.shared.seq;
      if (latest !== s.draft.shared.revision || revisedAfterShare) return { route: Route.Revise };
      return { route: Route.Wait };
    }
    case 'publication': {
      const at = s.publication.publishAt ?? now;
      if (ms(now) >= ms(at)) return { route: Route.Publish };
      return { route: Route.Approve, waitSeconds: Math.min(MAX_WAIT_SECONDS, secondsUntil(at, now)) };
    }
  }
}
