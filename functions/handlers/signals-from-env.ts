// Step Functions signals: API functions start executions (STATE_MACHINE_ARN from
// bindWorkflowSignals); await-signal only completes waiting tasks, which needs no ARN (a workflow
// function cannot be told its own state machine's ARN without a circular dependency).
import { parseSignalsEnv } from '../environment.js';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnSignals, type WorkflowSignals } from '../adapters/signals.js';
import { envPart } from './env.js';
import { part } from './parts.js';

export const sfnSignals = part<WorkflowSignals>(
  'signals',
  () => new SfnSignals(new SFNClient({}), envPart('signals', parseSignalsEnv).stateMachineArn),
);

export const sfnTaskSignals = part<WorkflowSignals>(null, () => {
  const signals = new SfnSignals(new SFNClient({}), '');
  return {
    succeed: (token, output) => signals.succeed(token, output),
    fail: (token, error, cause) => signals.fail(token, error, cause),
    start: () => Promise.reject(new Error('this function completes waiting tasks only; it starts no executions')),
  };
});
