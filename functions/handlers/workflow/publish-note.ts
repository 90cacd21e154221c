// Step Functions task: publish-note (docs/workflow.md). Thin: the use case is publishNote in functions/app/publication-steps.ts.
import { publishNote } from '../../app/publication-steps.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { deps } from '../runtime.js';
import { dynamoNotes } from '../stores-from-env.js';

export const handler = (event: unknown): Promise<Step> => publishNote(deps({ notes: dynamoNotes }), parseStepInput(event));
