// Step Functions task: notify-published (docs/workflow.md). Thin: the use case is notifyPublished in functions/app/workflow.ts.
import { notifyPublished } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { secretLinks } from '../links-from-env.js';
import { s3Files } from '../files-from-env.js';
import { sesMailer } from '../mail-from-env.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { mailer: sesMailer, links: secretLinks, files: s3Files };
export const reads = envPartsOf(parts);

export const handler = instrumented(
  'notify-published',
  (event: unknown): Promise<Step> => notifyPublished(deps(parts), parseStepInput(event)),
);
