// The case a workflow turn runs on. A vendor's action on a large case wakes a turn that, most of the
// time, only marks the event applied (or tells the coordinators of a message): reading the whole
// case (every vendor, tens of KB) for that costs as much again as the action itself. When the
// case's core says nothing else is to be done (no deadline or digest due, no event whose reaction
// reads a vendor or the record of mail sent), the turn runs on the core alone; anything else reads
// the whole case.
import type { CaseState } from '../domain/case.js';
import { downstreamCount, dueDeadlines, vendorBasis } from '../domain/deadlines.js';
import { DomainError } from '../domain/errors.js';
import type { StoredEvent } from '../domain/events.js';
import { dueDigests } from '../domain/message-digest.js';
import { loadCase } from './commands.js';
import type { AppDeps } from './deps.js';
import { unappliedEvents } from './inbox.js';

const LIVE: readonly CaseState['phase'][] = ['embargo', 'draft-review', 'publication'];

/** Whether the turn's reaction to this event (functions/app/event-loop.ts react) reads nothing but the core. */
function coreReaction(s: CaseState, e: StoredEvent, deps: Pick<AppDeps, 'policy'>): boolean {
  switch (e.type) {
    case 'vendor-status-updated':
    case 'vendor-cve-proposed':
      return true;
    case 'vendor-acknowledged':
      // Live, an acknowledgement alerts the downstream vendors not yet contacted: those need the whole case.
      return !LIVE.includes(s.phase) || downstreamCount(s, deps.policy) === 0;
    case 'comment-added':
      // A vendor's or reporter's message tells the coordinators (or waits for their digest): the
      // keys of those notices are kept in the core (functions/domain/sent-mail.ts).
      return e.by.role === 'vendor' || e.by.role === 'reporter';
    default:
      return false;
  }
}

/**
 * The case for a turn and its unapplied outside events: a slice (marked by sliceFacts) when the
 * turn can run on one, else the whole case. Seeds the turn's writes as loadCase does. `now` is the
 * time the slice was judged at: a turn on a slice runs at that time, so nothing falls due in it
 * that the slice cannot act on (the next turn, a second later, reads the whole case for that).
 */
export async function turnCase(
  d: AppDeps,
  caseId: string,
  read: 'slice-if-quiet' | 'whole' = 'slice-if-quiet',
): Promise<{ state: CaseState; pending: StoredEvent[]; now: string }> {
  // Records the turn holds are written first (loadCase flushes them): never in a fresh turn.
  if (read === 'whole' || (d.writes && d.writes.waiting > 0)) return whole(d, caseId);
  const core = await d.store.loadSlice(caseId, []);
  if (core === null) throw new DomainError('NotFound', 'no such case');
  const s = core.partial;
  // Facts computed under another basis (another policy, other rules) are refreshed by a whole write.
  if (core.whole || s.sliceFacts === undefined || s.sliceFacts.basis !== vendorBasis(s, d.policy))
    return whole(d, caseId, core.whole ? core : null);
  const pending = await unappliedEvents(d, s);
  const now = d.now();
  // Only where the workflow's wait takes the turn's waitSeconds, so the next turn comes at once
  // for a deadline that fell due meanwhile (triage's waits have fixed timeouts).
  const quiet =
    pending.every((e) => coreReaction(s, e, d)) &&
    LIVE.includes(s.phase) &&
    dueDeadlines(s, d.policy, now).length === 0 &&
    dueDigests(s.mailDigests, d.policy, now).length === 0;
  return quiet ? { ...seeded(d, s, pending), now } : whole(d, caseId);
}

function seeded(d: AppDeps, state: CaseState, pending: StoredEvent[]): { state: CaseState; pending: StoredEvent[]; now: string } {
  d.writes?.seed(state, state.version);
  return { state, pending, now: d.now() };
}

async function whole(
  d: AppDeps,
  caseId: string,
  read: { partial: CaseState; version: number } | null = null,
): Promise<{ state: CaseState; pending: StoredEvent[]; now: string }> {
  const state = read ? seeded(d, read.partial, []).state : (await loadCase(d, caseId)).state;
  return { state, pending: await unappliedEvents(d, state), now: d.now() };
}
