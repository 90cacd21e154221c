// Step Functions signals for functions that wake or start executions (STATE_MACHINE_ARN when bound).
import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnSignals, type WorkflowSignals } from '../adapters/signals.js';
import type { Env } from './runtime.js';

export const sfnSignals = (env: Env): WorkflowSignals => new SfnSignals(new SFNClient({}), env.STATE_MACHINE_ARN ?? '');
