// Publishing, apart from every other rule: the publication step runs only this command, and its
// bundle need not carry the other decisions.
import type { CaseState } from '../case.js';
import type { CommandOf, DecideContext, Rule } from '../command.js';
import { DomainError } from '../errors.js';
import type { CaseEvent } from '../events.js';
import { ms } from '../time.js';
import { conflict, requirePhase } from './guards.js';

export const publishRule: Rule<'publish'> = {
  roles: ['system'],
  phases: ['publication'],
  what: 'publishing',
  decide: (s, c, { base }) => {
    const now = base.at;
    const publishAt = s.publication.publishAt ?? now;
    if (ms(now) < ms(publishAt)) throw conflict(s, `the publication date ${publishAt} has not come`, []);
    const active = s.embargo.state === 'ACTIVE' || s.embargo.state === 'REVISE';
    if (active && s.embargo.endsAt && ms(now) < ms(s.embargo.endsAt))
      throw new DomainError(
        'EmbargoActive',
        `the embargo is active until ${s.embargo.endsAt}`,
        { phase: s.phase, rm: s.rm, em: s.embargo.state },
        [],
      );
    const latest = s.draft.shared?.revision ?? s.draft.revisions.at(-1)?.revision ?? 0;
    return [{ ...base, type: 'note-published', noteId: c.noteId, revision: latest }];
  },
};

/** Publishing alone, by the same rule decide applies to the command. */
export function decidePublish(s: CaseState, c: CommandOf<'publish'>, ctx: DecideContext): CaseEvent[] {
  if (!publishRule.roles.includes(ctx.actor.role)) throw new DomainError('NotAllowed', `a ${ctx.actor.role} may not publish`);
  requirePhase(s, publishRule.phases ?? [], publishRule.what);
  return publishRule.decide(s, c, { ...ctx, base: { at: ctx.now, by: ctx.actor } });
}
