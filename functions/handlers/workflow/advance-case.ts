// Step Functions task: advance-case, behind every state that folds new events into the workflow's
// next route (docs/workflow.md). Thin: the use case is advance in functions/app/workflow.ts.
import { type Step, advance, parseStepInput } from '../../app/workflow.js';
import { secretLinks } from '../links-from-env.js';
import { sesMailer } from '../mail-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';

const parts: Parts = { mailer: sesMailer, links: secretLinks };
export const reads = envPartsOf(parts);

export const handler = instrumented('advance-case', (event: unknown): Promise<Step> => advance(deps(parts), parseStepInput(event)));
