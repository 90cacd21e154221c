// Step Functions task: locate-case (docs/workflow.md). Thin: the use case is locateCase in functions/app/workflow.ts.
import { locateCase } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { envPartsOf } from '../parts.js';

export const reads = envPartsOf({});

export const handler = instrumented('locate-case', (event: unknown): Promise<Step> => locateCase(deps(), parseStepInput(event)));
