// The feedback queue's event source: SES's bounce and complaint notifications, through SNS, from the
// configuration set every send names (lib/mail-feedback.ts). Thin: the use case is
// recordMailFeedback in functions/app/mail-feedback.ts.
import { type FeedbackResult, recordMailFeedback } from '../../app/mail-feedback.js';
import { type Parts, envPartsOf } from '../parts.js';
import { deps } from '../runtime.js';
import { sfnTaskSignals } from '../signals-from-env.js';
import { instrumented } from '../telemetry-from-env.js';

// It wakes the waiting execution of a case: task signals only, no state machine ARN.
const parts: Parts = { signals: sfnTaskSignals };
export const reads = envPartsOf(parts);

export const handler = instrumented('mail-feedback', (event: unknown): Promise<FeedbackResult> => recordMailFeedback(deps(parts), event));
