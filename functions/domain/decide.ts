// decide(case, command, context) → new events, or a named DomainError that says which state
// forbids what. Who may run each command and where is one table (command-access.ts); each area's
// decisions are in deciders/*.ts; this module puts every decision together. The fold (case.ts)
// only records outcomes. A function that runs a few commands uses a narrower decide built the same
// way (decidePublish, decideConversation), so its bundle carries only those decisions.
import type { CommandType } from './command.js';
import { decideWith } from './command-access.js';
import { caseDecisions } from './deciders/case-rules.js';
import { conversationDecisions } from './deciders/conversation.js';
import { embargoDecisions } from './deciders/embargo.js';
import { intakeDecisions } from './deciders/intake.js';
import { releaseNoteUpdate } from './deciders/note-update.js';
import { publicationDecisions } from './deciders/publication.js';
import { publishDecision } from './deciders/publish.js';
import { vendorDecisions } from './deciders/vendors.js';

export type { Command, CommandType, DecideContext } from './command.js';
export { COORDINATOR_COMMANDS_BY_PHASE } from './command-access.js';
export { decidePublish } from './deciders/publish.js';
export { decideConversation } from './deciders/conversation.js';

/** Every command's decision, one place each. */
export const decide = /* @__PURE__ */ decideWith<CommandType>(() => ({
  ...intakeDecisions,
  ...vendorDecisions,
  ...embargoDecisions,
  ...publicationDecisions,
  ...conversationDecisions,
  publish: publishDecision,
  'release-note-update': releaseNoteUpdate,
  ...caseDecisions,
}));
