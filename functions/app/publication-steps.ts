// The workflow's publication steps: CVE IDs, the published documents, the CVE records. Apart from
// workflow.ts so only these three functions bundle the CSAF, CVE and OSV builders.
import { SYSTEM_ACTOR } from '../domain/events.js';
import { execute, loadCase } from './commands.js';
import type { AppDeps } from './deps.js';
import { assignCveIdsFor, preparePublication, publishCveRecordsFor, publishDocuments } from './publication.js';
import { type Step, type StepInput, step } from './workflow.js';

/**
 * Per vulnerability: a vendor that is a CNA supplies its own ID (vendor-cve-assigned); the others
 * get one from the configured source. An empty pool throws CvePoolExhausted, which the workflow
 * reports to the coordinators (ReportBlocked) until they add IDs.
 */
export async function assignCveIds(deps: AppDeps, input: StepInput): Promise<Step> {
  const { state } = await loadCase(deps, input.caseId);
  const { state: assigned } = await assignCveIdsFor(deps, state);
  return step(assigned);
}

/**
 * Validates the documents first (an invalid one throws PublicationBlocked and nothing goes public),
 * then records the publication and writes the public copy. A retry rewrites the same note item.
 */
export async function publishNote(deps: AppDeps, input: StepInput): Promise<Step> {
  let { state } = await loadCase(deps, input.caseId);
  if (state.phase === 'publication') {
    preparePublication(state, deps.publication, state.caseId, deps.now());
    state = (await execute(deps, state.caseId, { type: 'publish', noteId: state.caseId }, SYSTEM_ACTOR)).state;
  }
  if (state.published) await publishDocuments(deps, state, deps.publication);
  return step(state);
}

/** CVE Services when configured; otherwise the records stay with the note for manual upload. */
export async function publishCveRecords(deps: AppDeps, input: StepInput): Promise<Step> {
  const { state } = await loadCase(deps, input.caseId);
  await publishCveRecordsFor(deps, state);
  return step(state);
}
