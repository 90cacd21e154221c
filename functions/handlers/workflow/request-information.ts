// Step Functions task: request-information (docs/workflow.md). Thin: the use case is requestInformation in functions/app/workflow.ts.
import { requestInformation } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { secretLinks } from '../links-from-env.js';
import { sesMailer } from '../mail-from-env.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { mailer: sesMailer, links: secretLinks };
export const reads = envPartsOf(parts);

export const handler = instrumented(
  'request-information',
  (event: unknown): Promise<Step> => requestInformation(deps(parts), parseStepInput(event)),
);
