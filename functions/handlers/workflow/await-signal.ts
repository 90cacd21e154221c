// Step Functions task: await-signal (docs/workflow.md). Thin: the use case is awaitSignal in functions/app/workflow.ts.
import { awaitSignal } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { sfnTaskSignals } from '../signals-from-env.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { signals: sfnTaskSignals };
export const reads = envPartsOf(parts);

export const handler = instrumented('await-signal', (event: unknown): Promise<Step> => awaitSignal(deps(parts), parseStepInput(event)));
