// Step Functions task: prepare-outreach (docs/workflow.md). Thin: the use case is prepareOutreach in functions/app/workflow.ts.
import { prepareOutreach } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { envPartsOf } from '../parts.js';

export const reads = envPartsOf({});

export const handler = instrumented('prepare-outreach', (event: unknown): Promise<Step> => prepareOutreach(deps(), parseStepInput(event)));
