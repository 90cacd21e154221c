// Step Functions task: plan-next-deadline (docs/workflow.md). Thin: the use case is planNextDeadline in functions/app/workflow.ts.
import { planNextDeadline } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { envPartsOf } from '../parts.js';

export const reads = envPartsOf({});

export const handler = instrumented(
  'plan-next-deadline',
  (event: unknown): Promise<Step> => planNextDeadline(deps(), parseStepInput(event)),
);
