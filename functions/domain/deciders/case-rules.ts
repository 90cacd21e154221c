// What applies to the case as a whole: messages, closing, reminders, and the workflow's own records.
import type { Decisions } from '../command.js';
import { wasSent } from '../sent-mail.js';
import { conflict, invalid, knownVendor, requirePhase } from './guards.js';
import { addressKey } from '../message-digest.js';
import { vendorCsafTlpOf } from '../publication/facts.js';

export const caseDecisions: Decisions<
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
  'set-priority': (s, c, { base }) => {
    const reason = c.reason.trim();
    if (!reason) throw invalid('overriding the priority needs a reason');
    if ((s.priorityOverride?.level ?? null) === c.level) return [];
    return [{ ...base, type: 'priority-set', level: c.level, reason }];
  },

  // Coordinators set how far the vendors' private CSAF documents may travel; a vendor cannot loosen it.
  'set-vendor-csaf-tlp': (s, c, { base }) => (vendorCsafTlpOf(s) === c.tlp ? [] : [{ ...base, type: 'vendor-csaf-tlp-set', tlp: c.tlp }]),

  'close-case': (_s, c, { base }) => {
    const reason = c.reason.trim();
    if (!reason) throw invalid('closing needs a reason');
    // Closing ends an active embargo first (the fold records EXITED), so RM never closes under one.
    return [{ ...base, type: 'case-closed', closure: c.closure ?? 'withdrawn', reason }];
  },

  'send-reminder': (s, c, { base, policy }) => {
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

  'record-notification': (s, c, { base }) =>
    wasSent(s, c.key) ? [] : [{ ...base, type: 'notification-sent', key: c.key, template: c.template, to: c.to }],

  'hold-notice': (s, c, { base }) =>
    wasSent(s, c.key)
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

  // Only what waits can go out: a retried digest step after the record appends nothing.
  'record-digest': (s, c, { base }) =>
    s.mailDigests?.[addressKey(c.address)]?.waiting.length
      ? [{ ...base, type: 'digest-sent', address: c.address, count: c.count, delivered: c.delivered }]
      : [],

  'mark-applied': (s, c, { base }) => (c.upToSeq <= s.appliedSeq ? [] : [{ ...base, type: 'events-applied', upToSeq: c.upToSeq }]),

  block: (_s, c, { base }) => [{ ...base, type: 'workflow-blocked', error: c.error, cause: c.cause }],
};
