// Step Functions task: await-signal (docs/workflow.md). Thin: the use case is awaitSignal in functions/app/workflow.ts.
import { awaitSignal } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { sfnSignals } from '../signals-from-env.js';
import { deps } from '../runtime.js';

export const handler = (event: unknown): Promise<Step> => awaitSignal(deps({ signals: sfnSignals }), parseStepInput(event));
