// The embargo: proposals and changes, signals that end it early, the reporter's own disclosure,
// opening it at the first contact, and the draft coming due.
import { dueDeadlines } from '../deadlines.js';
import { mustReleaseEarly, planEmbargo } from '../embargo.js';
import type { CaseState } from '../case.js';
import type { Decisions } from '../command.js';
import type { Actor } from '../events.js';
import { conflict, invalid, notFound, requireFuture } from './guards.js';
import { ms } from '../time.js';
import { LIMITS } from '../limits.js';

/** Proposals one participant may make per UTC day: each one mails the coordinators. */
export const MAX_EMBARGO_REQUESTS_PER_DAY = 3;

/** The participant's proposals made on `now`'s UTC day (answered ones too: they were mailed). */
export const embargoRequestsToday = (s: CaseState, by: Actor, now: string): number =>
  (s.embargo.requests ?? []).filter(
    (r) => r.by.role === by.role && r.by.participant === by.participant && r.at.slice(0, 10) === now.slice(0, 10),
  ).length;

/** How far ahead a participant may ask the embargo to run: a year, the longest any seed practice needs. */
const MAX_REQUEST_DAYS = 365;

export const embargoDecisions: Decisions<
  'set-embargo' | 'request-embargo' | 'answer-embargo-request' | 'raise-signal' | 'open-embargo' | 'start-draft-review'
> = {
  'set-embargo': (s, c, { base, now }) => {
    if (s.embargo.state === 'EXITED') throw conflict(s, 'the embargo has ended and cannot be reopened');
    const endsAt = requireFuture(c.endsAt, now, 'endsAt');
    if (s.embargo.state === 'ACTIVE' || s.embargo.state === 'REVISE')
      return [{ ...base, type: 'embargo-changed', endsAt, previousEndsAt: s.embargo.endsAt ?? endsAt, reason: c.reason }];
    return [{ ...base, type: 'embargo-proposed', endsAt, reason: c.reason }];
  },

  // Reporters and vendors propose; only a coordinator's answer moves the date (answer-embargo-request).
  'request-embargo': (s, c, { base, now }) => {
    if (s.embargo.state === 'EXITED') throw conflict(s, 'the embargo has ended and cannot be reopened');
    const endsAt = requireFuture(c.endsAt, now, 'endsAt');
    if (ms(endsAt) > ms(now) + MAX_REQUEST_DAYS * 86_400_000) throw invalid(`endsAt must be within ${MAX_REQUEST_DAYS} days`);
    if (!c.reason.trim()) throw invalid('a proposal needs a reason');
    if (c.reason.length > LIMITS.embargoReason) throw invalid(`reason must be at most ${LIMITS.embargoReason} characters`);
    // The event's own sequence number: unique in the case, and known before it is stored.
    return [{ ...base, type: 'embargo-requested', proposalId: `EP-${s.version + 1}`, endsAt, reason: c.reason }];
  },

  'answer-embargo-request': (s, c, { base, now }) => {
    const request = (s.embargo.requests ?? []).find((r) => r.proposalId === c.proposalId);
    if (!request) throw notFound(`no embargo proposal ${c.proposalId} on this case`);
    if (request.answer !== 'open') throw conflict(s, `proposal ${c.proposalId} is already ${request.answer}`);
    if (s.embargo.state === 'EXITED') throw conflict(s, 'the embargo has ended and cannot be reopened');
    const answered = { ...base, type: 'embargo-request-answered' as const, proposalId: request.proposalId };
    if (c.answer === 'decline') return [{ ...answered, answer: 'declined', ...(c.reason ? { reason: c.reason } : {}) }];
    const endsAt = requireFuture(request.endsAt, now, 'the proposed end');
    // The participant's reason stays theirs: what everyone is told is the coordinator's.
    const reason = c.reason?.trim() || 'a participant proposed this date';
    const active = s.embargo.state === 'ACTIVE' || s.embargo.state === 'REVISE';
    return [
      { ...answered, answer: 'accepted' },
      active
        ? { ...base, type: 'embargo-changed', endsAt, previousEndsAt: s.embargo.endsAt ?? endsAt, reason }
        : { ...base, type: 'embargo-proposed', endsAt, reason },
    ];
  },

  'raise-signal': (_s, c, { base }) => {
    if (!c.evidence.trim()) throw invalid('a signal needs evidence');
    return [{ ...base, type: 'signal-raised', kind: c.kind, evidence: c.evidence }];
  },

  'open-embargo': (s, _c, { base, now, policy }) => {
    // Public information needs no embargo: straight to the draft (early release).
    if (mustReleaseEarly(s) || s.embargo.state === 'EXITED') return [{ ...base, type: 'draft-review-started', cause: 'early-release' }];
    // No vendor reached yet (none has a confirmed contact): the clock has not started.
    const first = s.embargo.firstContactAt;
    if (!first) return [];
    const plan = planEmbargo(s, first, now, policy);
    return [{ ...base, type: 'embargo-activated', endsAt: plan.endsAt, firstContactAt: first, rule: plan.rule }];
  },

  'start-draft-review': (s, _c, { base, now, policy }) => {
    const early = s.embargo.state === 'EXITED' || mustReleaseEarly(s);
    if (!early && !dueDeadlines(s, policy, now).some((d) => d.kind === 'draft-due')) throw conflict(s, 'the draft is not due yet', []);
    return [{ ...base, type: 'draft-review-started', cause: early ? 'early-release' : 'draft-date' }];
  },
};
