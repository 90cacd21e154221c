// Step Functions task: close-unanswered, behind CloseAsInvalid: closes a case whose reporter did not
// answer a request for information in time (docs/workflow.md "States"). Thin: the use case is
// closeAsInvalid in functions/app/workflow.ts.
import { type Step, closeAsInvalid, parseStepInput } from '../../app/workflow.js';
import { secretLinks } from '../links-from-env.js';
import { sesMailer } from '../mail-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';

const parts: Parts = { mailer: sesMailer, links: secretLinks };
export const reads = envPartsOf(parts);

export const handler = instrumented(
  'close-unanswered',
  (event: unknown): Promise<Step> => closeAsInvalid(deps(parts), parseStepInput(event)),
);
