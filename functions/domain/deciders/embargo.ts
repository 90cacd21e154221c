// The embargo: proposals and changes, signals that end it early, the reporter's own disclosure,
// opening it at the first contact, and the draft coming due.
import { dueDeadlines } from '../deadlines.js';
import { mustReleaseEarly, planEmbargo } from '../embargo.js';
import type { Rules } from '../command.js';
import { normalize } from '../time.js';
import { conflict, invalid, requireFuture } from './guards.js';

export const embargoRules: Rules<'set-embargo' | 'raise-signal' | 'announce-self-disclosure' | 'open-embargo' | 'start-draft-review'> = {
  'set-embargo': {
    roles: ['coordinator'],
    open: true,
    what: 'setting the embargo',
    decide: (s, c, { base, now }) => {
      if (s.embargo.state === 'EXITED') throw conflict(s, 'the embargo has ended and cannot be reopened');
      const endsAt = requireFuture(c.endsAt, now, 'endsAt');
      if (s.embargo.state === 'ACTIVE')
        return [{ ...base, type: 'embargo-changed', endsAt, previousEndsAt: s.embargo.endsAt ?? endsAt, reason: c.reason }];
      return [{ ...base, type: 'embargo-proposed', endsAt, reason: c.reason }];
    },
  },

  'raise-signal': {
    roles: ['coordinator'],
    open: true,
    what: 'raising a signal',
    decide: (_s, c, { base }) => {
      if (!c.evidence.trim()) throw invalid('a signal needs evidence');
      return [{ ...base, type: 'signal-raised', kind: c.kind, evidence: c.evidence }];
    },
  },

  // The reporter owns the information and may disclose at any time: this is never refused.
  'announce-self-disclosure': {
    roles: ['reporter'],
    open: true,
    what: 'announcing disclosure',
    decide: (_s, c, { base }) => {
      const at = Number.isNaN(Date.parse(c.disclosureAt)) ? null : normalize(c.disclosureAt);
      if (!at) throw invalid('disclosureDate must be an ISO-8601 instant');
      return [{ ...base, type: 'self-disclosure-announced', disclosureAt: at, body: c.body }];
    },
  },

  'open-embargo': {
    roles: ['system'],
    phases: ['outreach'],
    what: 'opening the embargo',
    decide: (s, _c, { base, now, policy }) => {
      // Public information needs no embargo: straight to the draft (early release).
      if (mustReleaseEarly(s) || s.embargo.state === 'EXITED') return [{ ...base, type: 'draft-review-started', cause: 'early-release' }];
      // No vendor reached yet (none has a confirmed contact): the clock has not started.
      const first = s.embargo.firstContactAt;
      if (!first) return [];
      const plan = planEmbargo(s, first, now, policy);
      return [{ ...base, type: 'embargo-activated', endsAt: plan.endsAt, firstContactAt: first, rule: plan.rule }];
    },
  },

  'start-draft-review': {
    roles: ['system'],
    phases: ['embargo'],
    what: 'starting draft review',
    decide: (s, _c, { base, now, policy }) => {
      const early = s.embargo.state === 'EXITED' || mustReleaseEarly(s);
      if (!early && !dueDeadlines(s, policy, now).some((d) => d.kind === 'draft-due')) throw conflict(s, 'the draft is not due yet', []);
      return [{ ...base, type: 'draft-review-started', cause: early ? 'early-release' : 'draft-date' }];
    },
  },
};
