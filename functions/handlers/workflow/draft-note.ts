// Step Functions task: draft-note (docs/workflow.md). Thin: the use case is draftNote in functions/app/workflow.ts.
import { draftNote } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { envPartsOf } from '../parts.js';

export const reads = envPartsOf({});

export const handler = instrumented('draft-note', (event: unknown): Promise<Step> => draftNote(deps(), parseStepInput(event)));
