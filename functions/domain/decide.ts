// decide(case, command, context) → new events, or a named DomainError that says which state
// forbids what. Each area's rules (deciders/*.ts) hold, per command, who may run it, in which
// phases, and the decision itself; this module only dispatches, and derives from the same rules
// what a coordinator may do in each phase. The fold (case.ts) only records outcomes.
import { type CaseState, PHASES, type Phase } from './case.js';
import type { Command, CommandType, DecideContext, Rule, Rules } from './command.js';
import { caseRules } from './deciders/case-rules.js';
import { embargoRules } from './deciders/embargo.js';
import { ALLOWED_IN_PHASE, requireOpen, requirePhase } from './deciders/guards.js';
import { intakeRules } from './deciders/intake.js';
import { publicationRules } from './deciders/publication.js';
import { publishRule } from './deciders/publish.js';
import { releaseNoteUpdateRule } from './deciders/note-update.js';
import { vendorRules } from './deciders/vendors.js';
import { DomainError } from './errors.js';
import type { CaseEvent } from './events.js';

export type { Command, CommandType, DecideContext } from './command.js';
export { decidePublish } from './deciders/publish.js';

/** Every command's rule, one place each. */
export const RULES: Rules<CommandType> = {
  ...intakeRules,
  ...vendorRules,
  ...embargoRules,
  ...publicationRules,
  publish: publishRule,
  'release-note-update': releaseNoteUpdateRule,
  ...caseRules,
};

/** Whether a rule's own phase conditions let it run in a phase (its decision may still refuse). */
const runsIn = (rule: Rule<CommandType>, phase: Phase): boolean =>
  (!rule.open || !['published', 'closed', 'declined'].includes(phase)) && (rule.phases === undefined || rule.phases.includes(phase));

/** What a coordinator may do in each phase: the `allowed` list of a 409, derived from the rules. */
function coordinatorCommandsByPhase(): Record<Phase, readonly CommandType[]> {
  const types = Object.keys(RULES) as CommandType[];
  const out = {} as Record<Phase, readonly CommandType[]>;
  for (const phase of PHASES)
    out[phase] = types.filter((t) => RULES[t].roles.includes('coordinator') && runsIn(RULES[t] as Rule<CommandType>, phase));
  return out;
}
export const COORDINATOR_COMMANDS_BY_PHASE = coordinatorCommandsByPhase();

export function decide(s: CaseState, c: Command, ctx: DecideContext): CaseEvent[] {
  const rule = RULES[c.type] as Rule<CommandType>;
  if (!rule.roles.includes(ctx.actor.role)) throw new DomainError('NotAllowed', `a ${ctx.actor.role} may not ${c.type.replace(/-/g, ' ')}`);
  try {
    if (rule.open) requireOpen(s, rule.what);
    if (rule.phases) requirePhase(s, rule.phases, rule.whatInPhase ?? rule.what);
    return rule.decide(s, c, { ...ctx, base: { at: ctx.now, by: ctx.actor } });
  } catch (e) {
    // A refusal for the case's state tells the coordinator what this phase allows instead.
    if (e instanceof DomainError && e.allowed === ALLOWED_IN_PHASE)
      throw new DomainError(e.code, e.message, e.state, COORDINATOR_COMMANDS_BY_PHASE[s.phase]);
    throw e;
  }
}
