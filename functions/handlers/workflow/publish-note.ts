// Step Functions task: publish-note (docs/workflow.md). Thin: the use case is publishNote in functions/app/publication-steps.ts.
import { publishNote } from '../../app/publication-steps.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { dynamoNotes } from '../stores-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { notes: dynamoNotes };
export const reads = envPartsOf(parts);

export const handler = instrumented('publish-note', (event: unknown): Promise<Step> => publishNote(deps(parts), parseStepInput(event)));
