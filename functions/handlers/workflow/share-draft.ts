// Step Functions task: share-draft (docs/workflow.md). Thin: the use case is shareDraft in functions/app/workflow.ts.
import { shareDraft } from '../../app/workflow.js';
import { type Step, parseStepInput } from '../../app/workflow.js';
import { secretLinks } from '../links-from-env.js';
import { sesMailer } from '../mail-from-env.js';
import { deps } from '../runtime.js';
import { instrumented } from '../telemetry-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { mailer: sesMailer, links: secretLinks };
export const reads = envPartsOf(parts);

export const handler = instrumented('share-draft', (event: unknown): Promise<Step> => shareDraft(deps(parts), parseStepInput(event)));
