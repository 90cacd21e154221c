// Step Functions task: report-blocked (docs/workflow.md). Thin: the use case is reportBlocked in functions/app/workflow.ts.
import { reportBlocked } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { sesMailer } from '../mail-from-env.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { mailer: sesMailer };
export const reads = envPartsOf(parts);

export const handler = instrumented('report-blocked', (event: unknown): Promise<Step> => reportBlocked(deps(parts), parseStepInput(event)));
