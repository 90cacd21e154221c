// The publication step. Apart from workflow.ts so only this function bundles the CSAF, CVE and OSV builders.
import { SYSTEM_ACTOR } from '../domain/events.js';
import { decidePublish } from '../domain/deciders/publish.js';
import { executeWith, loadCase } from './commands.js';
import { caseMetrics } from './case-metrics.js';
import type { AppDeps } from './deps.js';
import { preparePublication, publishDocuments } from './publication.js';
import { type Step, type StepInput, step } from './steps.js';

// Only the publish decision: the rest of decide.ts stays out of this function's bundle.
const publish = executeWith(decidePublish, caseMetrics);

/**
 * Validates the documents first (an invalid one throws PublicationBlocked and nothing goes public),
 * then records the publication and writes the public copy. A retry rewrites the same note item.
 */
export async function publishNote(deps: AppDeps, input: StepInput): Promise<Step> {
  let { state } = await loadCase(deps, input.caseId);
  if (state.phase === 'publication') {
    preparePublication(state, deps.publication, state.caseId, deps.now());
    state = (await publish(deps, state.caseId, { type: 'publish', noteId: state.caseId }, SYSTEM_ACTOR)).state;
  }
  if (state.published) await publishDocuments(deps, state, deps.publication);
  return step(state);
}
