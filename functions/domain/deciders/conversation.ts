// What participants and coordinators write on a case: comments and messages, the reporter's added
// information and announced disclosure. Apart from the other decisions, so that the function
// serving conversations bundles only these (decideConversation).
import { utf8Bytes } from '../case.js';
import type { Decisions } from '../command.js';
import { decideWith } from '../command-access.js';
import { normalize } from '../time.js';
import { replyTo, resolveAudience } from './audience-rules.js';
import { conflict, invalid, vendorOf } from './guards.js';

export const conversationDecisions: Decisions<'add-comment' | 'provide-information' | 'announce-self-disclosure'> = {
  'add-comment': (s, c, { base, actor }) => {
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

  'provide-information': (_s, c, { base }) => {
    if (!c.body.trim()) throw invalid('the information must not be empty');
    return [{ ...base, type: 'information-provided', messageId: c.messageId, bytes: utf8Bytes(c.body), copies: true }];
  },

  // The reporter owns the information and may disclose at any time: this is never refused.
  'announce-self-disclosure': (_s, c, { base }) => {
    const at = Number.isNaN(Date.parse(c.disclosureAt)) ? null : normalize(c.disclosureAt);
    if (!at) throw invalid('disclosureDate must be an ISO-8601 instant');
    return [{ ...base, type: 'self-disclosure-announced', disclosureAt: at, body: c.body }];
  },
};

export const decideConversation = /* @__PURE__ */ decideWith(() => conversationDecisions);
