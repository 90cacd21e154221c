// Step Functions task: pre-screen (docs/workflow.md). Thin: the use case is preScreen in functions/app/prescreen.ts.
import { preScreen } from '../../app/prescreen.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { sesMailer } from '../mail-from-env.js';
import { deps } from '../runtime.js';

export const handler = (event: unknown): Promise<Step> => preScreen(deps({ mailer: sesMailer }), parseStepInput(event));
