import type { Decision } from '../command.js';
import { decideWith } from '../command-access.js';
import { DomainError } from '../errors.js';
import { ms } from '../time.js';
import { conflict } from './guards.js';

export const publishDecision: Decision<'publish'> = (s, c, { base }) => {
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
};

/** Publishing alone, by the same access table and decision decide applies to the command. */
export const decidePublish = /* @__PURE__ */ decideWith(() => ({ publish: publishDecision }));
