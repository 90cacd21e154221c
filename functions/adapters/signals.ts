// Step Functions signals: wake a waiting execution (SendTaskSuccess), start one per case.
// The adapter knows nothing about cases; the durable-inbox rule lives in the app layer.
import { type SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { TransientError, isTransient } from './errors.js';

export interface WorkflowSignals {
  /** Resumes the task that waits on `token`. False when that wait is already over (timed out, done). */
  succeed(token: string, output: object): Promise<boolean>;
  fail(token: string, error: string, cause: string): Promise<boolean>;
  /** Starts an execution; false if one with this name already exists (starting is idempotent). */
  start(name: string, input: object): Promise<boolean>;
}

const GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

export class SfnSignals implements WorkflowSignals {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async succeed(token: string, output: object): Promise<boolean> {
    return this.call(() => this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })));
  }

  async fail(token: string, error: string, cause: string): Promise<boolean> {
    return this.call(() => this.client.send(new SendTaskFailureCommand({ taskToken: token, error, cause: cause.slice(0, 32_000) })));
  }

  async start(name: string, input: object): Promise<boolean> {
    try {
      await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }));
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === 'ExecutionAlreadyExists') return false;
      if (isTransient(e)) throw new TransientError('Step Functions could not start the execution now', e);
      throw e;
    }
  }

  private async call(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (e) {
      // The wait ended without us (timeout, an earlier signal): the event is in the log, and the
      // execution's next loop reads it, so nothing is lost.
      if (e instanceof Error && GONE.has(e.name)) return false;
      if (isTransient(e)) throw new TransientError('Step Functions could not take the signal now', e);
      throw e;
    }
  }
}

/** The in-memory twin: records signals; `waiting` tokens succeed, others are gone. */
export class MemorySignals implements WorkflowSignals {
  readonly waiting = new Set<string>();
  readonly succeeded: { token: string; output: object }[] = [];
  readonly failed: { token: string; error: string; cause: string }[] = [];
  readonly started: { name: string; input: object }[] = [];

  async succeed(token: string, output: object): Promise<boolean> {
    if (!this.waiting.delete(token)) return false;
    this.succeeded.push({ token, output });
    return true;
  }
  async fail(token: string, error: string, cause: string): Promise<boolean> {
    if (!this.waiting.delete(token)) return false;
    this.failed.push({ token, error, cause });
    return true;
  }
  async start(name: string, input: object): Promise<boolean> {
    if (this.started.some((s) => s.name === name)) return false;
    this.started.push({ name, input });
    return true;
  }
}
