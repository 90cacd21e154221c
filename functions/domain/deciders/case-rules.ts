// What applies to the case as a whole: messages, closing, reminders, and the workflow's own records.
import type { Rules } from '../command.js';
import { utf8Bytes } from '../case.js';
import { conflict, invalid, knownVendor, requirePhase, vendorOf } from './guards.js';
import { replyTo, resolveAudience } from './audience-rules.js';
import { addressKey } from '../message-digest.js';
import { vendorCsafTlpOf } from '../publication/facts.js';

export const caseRules: Rules<
  | 'add-comment'
  | 'close-case'
  | 'set-priority'
  | 'set-vendor-csaf-tlp'
  | 'send-reminder'
  | 'record-notification'
  | 'hold-notice'
  | 'record-digest'
  | 'mark-applied'
  | 'block'
> = {
  // Only coordinators set priorities: a reporter or vendor cannot push its case up the queue.
  'set-priority': {
    roles: ['coordinator'],
    open: true,
    what: 'setting the priority',
    decide: (s, c, { base }) => {
      const reason = c.reason.trim();
      if (!reason) throw invalid('overriding the priority needs a reason');
      if ((s.priorityOverride?.level ?? null) === c.level) return [];
      return [{ ...base, type: 'priority-set', level: c.level, reason }];
    },
  },

  // Coordinators set how far the vendors' private CSAF documents may travel; a vendor cannot loosen it.
  'set-vendor-csaf-tlp': {
    roles: ['coordinator'],
    open: true,
    what: 'setting the TLP of the vendors’ CSAF documents',
    decide: (s, c, { base }) => (vendorCsafTlpOf(s) === c.tlp ? [] : [{ ...base, type: 'vendor-csaf-tlp-set', tlp: c.tlp }]),
  },

  'add-comment': {
    roles: ['reporter', 'vendor', 'coordinator'],
    open: true,
    what: 'commenting',
    decide: (s, c, { base, actor }) => {
      if (!c.body.trim()) throw invalid('the comment must not be empty');
      if (actor.role === 'vendor') vendorOf(s, actor);
      if (c.onDraft && !s.draft.shared) throw conflict(s, 'there is no shared draft to comment on', []);
      // Reporters and vendors write to the coordinators, whatever they ask for.
      if (actor.role !== 'coordinator' && c.to !== undefined) throw invalid('reporters and vendors write to the coordinators only');
      const thread = replyTo(s, actor, c.inReplyTo);
      const addressed =
        actor.role === 'coordinator' ? resolveAudience(s, c.to ?? 'everyone', c.recipients) : { audience: 'coordinators' as const };
      return [
        {
          ...base,
          type: 'comment-added',
          messageId: c.messageId,
          bytes: utf8Bytes(c.body),
          copies: true,
          onDraft: !!c.onDraft,
          ...addressed,
          ...thread,
        },
      ];
    },
  },

  'close-case': {
    roles: ['coordinator'],
    open: true,
    what: 'closing',
    decide: (_s, c, { base }) => {
      const reason = c.reason.trim();
      if (!reason) throw invalid('closing needs a reason');
      // Closing ends an active embargo first (the fold records EXITED), so RM never closes under one.
      return [{ ...base, type: 'case-closed', closure: c.closure ?? 'withdrawn', reason }];
    },
  },

  'send-reminder': {
    roles: ['system'],
    what: 'sending a reminder',
    decide: (s, c, { base, policy }) => {
      if (c.kind === 'publication-decision') {
        requirePhase(s, ['draft-review'], 'reminding coordinators to decide on publication');
        return [{ ...base, type: 'reminder-sent', kind: c.kind }];
      }
      const v = knownVendor(s, c.vendorId ?? '(none)');
      requirePhase(s, ['embargo', 'draft-review', 'publication'], 'reminding a vendor');
      if (c.kind === 'vendor-acknowledgement') {
        if (v.acknowledgedAt || v.unresponsiveAt) return [];
        if (v.attempts.length >= policy.maxContactAttempts)
          throw conflict(s, `vendor ${v.vendorId} has had ${v.attempts.length} attempts already`, []);
        return [{ ...base, type: 'reminder-sent', kind: c.kind, vendorId: v.vendorId, attempt: v.attempts.length + 1 }];
      }
      if (c.kind === 'final-notice') {
        if (!v.unresponsiveAt || v.finalNoticeAt) return [];
        return [{ ...base, type: 'reminder-sent', kind: c.kind, vendorId: v.vendorId }];
      }
      if (v.statement !== null || v.statementReminderAt) return [];
      return [{ ...base, type: 'reminder-sent', kind: c.kind, vendorId: v.vendorId }];
    },
  },

  'record-notification': {
    roles: ['system'],
    what: 'recording a notification',
    decide: (s, c, { base }) =>
      s.notifications[c.key] ? [] : [{ ...base, type: 'notification-sent', key: c.key, template: c.template, to: c.to }],
  },

  'hold-notice': {
    roles: ['system'],
    what: 'holding a message notice for the digest',
    decide: (s, c, { base }) =>
      s.notifications[c.key]
        ? []
        : [
            {
              ...base,
              type: 'notice-held',
              key: c.key,
              address: c.address,
              holder: c.holder,
              template: c.template,
              ...(c.messageId ? { messageId: c.messageId } : {}),
            },
          ],
  },

  'record-digest': {
    roles: ['system'],
    what: 'recording a digest',
    // Only what waits can go out: a retried digest step after the record appends nothing.
    decide: (s, c, { base }) =>
      s.mailDigests?.[addressKey(c.address)]?.waiting.length
        ? [{ ...base, type: 'digest-sent', address: c.address, count: c.count, delivered: c.delivered }]
        : [],
  },

  'mark-applied': {
    roles: ['system'],
    what: 'marking events applied',
    decide: (s, c, { base }) => (c.upToSeq <= s.appliedSeq ? [] : [{ ...base, type: 'events-applied', upToSeq: c.upToSeq }]),
  },

  block: {
    roles: ['system'],
    what: 'blocking',
    decide: (_s, c, { base }) => [{ ...base, type: 'workflow-blocked', error: c.error, cause: c.cause }],
  },
};
