// Step Functions task: locate-case (docs/workflow.md). Thin: the use case is locateCase in functions/app/workflow.ts.
import { locateCase } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { deps } from '../runtime.js';
import { envPartsOf } from '../parts.js';

export const reads = envPartsOf({});

export const handler = (event: unknown): Promise<Step> => locateCase(deps(), parseStepInput(event));
