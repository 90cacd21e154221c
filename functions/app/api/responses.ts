// The 202 every mutating route answers with: the case's new state, as much as the caller may see.
import { type CaseState, caseStateString } from '../../domain/case.js';
import type { Actor, CaseEvent } from '../../domain/events.js';
import type { AcceptedResponse } from './response-schemas.js';

export function acceptedBody(s: CaseState, actor: Actor, appended: readonly CaseEvent[]): AcceptedResponse {
  const base: AcceptedResponse = { caseId: s.caseId, phase: s.phase, embargo: { state: s.embargo.state, endsAt: s.embargo.endsAt } };
  if (actor.role !== 'coordinator') return base;
  return { ...base, rm: s.rm, em: s.embargo.state, cs: caseStateString(s), version: s.version, events: appended.map((e) => e.type) };
}
