// Step Functions task: notify-vendor (docs/workflow.md). Thin: the use case is notifyVendor in functions/app/workflow.ts.
import { notifyVendor } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { secretLinks } from '../links-from-env.js';
import { sesMailer } from '../mail-from-env.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { mailer: sesMailer, links: secretLinks };
export const reads = envPartsOf(parts);

export const handler = instrumented('notify-vendor', (event: unknown): Promise<Step> => notifyVendor(deps(parts), parseStepInput(event)));
