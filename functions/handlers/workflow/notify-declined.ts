// Step Functions task: notify-declined (docs/workflow.md). Thin: the use case is notifyDeclined in functions/app/workflow.ts.
import { notifyDeclined } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { secretLinks } from '../links-from-env.js';
import { sesMailer } from '../mail-from-env.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { mailer: sesMailer, links: secretLinks };
export const reads = envPartsOf(parts);

export const handler = instrumented(
  'notify-declined',
  (event: unknown): Promise<Step> => notifyDeclined(deps(parts), parseStepInput(event)),
);
