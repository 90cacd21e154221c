// Starting a published note's update (docs/workflow.md, "Updates after publication"): a published
// case has no execution left, so an approved update gets one of its own, named after the revision,
// which runs the publication steps again (ResumeRouter's update-note route). Starting is
// idempotent, so a retried approval starts nothing twice.
import type { CaseState } from '../domain/case.js';
import { unreleasedUpdate } from '../domain/note-revisions.js';
import type { AppDeps } from './deps.js';

/** The update's execution: one per note revision. */
export const noteUpdateExecutionName = (caseId: string, noteRevision: number): string => `${caseId}-note-${noteRevision}`;

/**
 * Starts the execution of the case's unreleased update, unless a waiting execution (the blocked
 * loop) was just woken for it. True if one was started.
 */
export async function startNoteUpdate(deps: Pick<AppDeps, 'signals'>, state: CaseState, woke: boolean): Promise<boolean> {
  const update = unreleasedUpdate(state);
  if (state.phase !== 'published' || !update || woke) return false;
  return deps.signals.start(noteUpdateExecutionName(state.caseId, update.noteRevision), { caseId: state.caseId });
}
