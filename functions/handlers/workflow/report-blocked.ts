// Step Functions task: report-blocked (docs/workflow.md). Thin: the use case is reportBlocked in functions/app/workflow.ts.
import { reportBlocked } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { sesMailer } from '../mail-from-env.js';
import { deps } from '../runtime.js';

export const handler = (event: unknown): Promise<Step> => reportBlocked(deps({ mailer: sesMailer }), parseStepInput(event));
