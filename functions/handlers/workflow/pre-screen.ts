// Step Functions task: pre-screen (docs/workflow.md). Thin: the use case is preScreen in functions/app/prescreen.ts.
import { preScreen } from '../../app/prescreen.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { sesMailer } from '../mail-from-env.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { mailer: sesMailer };
export const reads = envPartsOf(parts);

export const handler = instrumented('pre-screen', (event: unknown): Promise<Step> => preScreen(deps(parts), parseStepInput(event)));
