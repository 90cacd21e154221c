// Runs the synthesized state machine locally on aws-local-stepfunctions, adding what it lacks
// (docs/architecture.md "The local runtime"): `.waitForTaskToken` tasks park in a token registry that SendTaskSuccess /
// SendTaskFailure settle, and their timeouts run on our Clock, so a 45-day wait works and a test
// can jump over it. Lambda tasks call the in-process handler behind each function ARN.
import { randomBytes } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { AslDefinition, AslState } from '../asl.js';
import type { Clock } from './clock.js';

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22); Node 20 lacks it.
type Resolvers<T> = { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };
const P = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
if (!P.withResolvers) {
  P.withResolvers = <T>() => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** The function behind a Lambda ARN: takes the task input, returns its output, throws named errors. */
export type TaskFunction = (input: unknown) => Promise<unknown>;

export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface ExecutionRecord {
  name: string;
  executionArn: string;
  input: unknown;
  status: ExecutionStatus;
  startedAt: string;
  stoppedAt?: string;
  output?: unknown;
  error?: string;
  cause?: string;
  /** States entered, in order: for tests and DescribeExecution. */
  history: string[];
  abort: () => void;
}

interface ParkedTask {
  token: string;
  execution: string;
  state: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  cancelTimer: () => void;
}

export interface EngineOptions {
  definition: AslDefinition;
  stateMachineArn: string;
  clock: Clock;
  /** Finds the function for a Lambda resource ARN (the handler behind the template's function). */
  resolveFunction: (functionArn: string) => TaskFunction;
}

const isWaitForToken = (s: AslState) => typeof s.Resource === 'string' && s.Resource.endsWith('.waitForTaskToken');

/** Every Task state, Map item processors included (names are unique across the definition). */
function taskStates(states: Record<string, AslState>, out: Record<string, AslState> = {}): Record<string, AslState> {
  for (const [name, s] of Object.entries(states)) {
    if (s.Type === 'Task') out[name] = s;
    const proc = (s.ItemProcessor ?? s.Iterator) as { States?: Record<string, AslState> } | undefined;
    if (proc?.States) taskStates(proc.States, out);
    const branches = s.Branches as { States: Record<string, AslState> }[] | undefined;
    for (const b of branches ?? []) taskStates(b.States, out);
  }
  return out;
}

export class LocalWorkflowEngine {
  private readonly machine: StateMachine;
  private readonly handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
  private readonly parked = new Map<string, ParkedTask>();
  readonly executions = new Map<string, ExecutionRecord>();
  /** Work in flight (task calls); the engine is idle when this is 0 and every execution is parked or done. */
  private busy = 0;

  constructor(private readonly opts: EngineOptions) {
    const definition = structuredClone(opts.definition);
    for (const state of Object.values(taskStates(definition.States))) {
      if (!isWaitForToken(state)) continue;
      // The engine reads TimeoutSecondsPath from the task's processed input (AWS reads the state
      // input) and arms a real 32-bit timer; our Clock runs wait timeouts instead (from the
      // payload's waitSeconds), and the engine keeps only a backstop below the timer limit.
      const w = state as { TimeoutSeconds?: number; TimeoutSecondsPath?: string; Parameters?: { Payload?: Record<string, unknown> } };
      delete w.TimeoutSecondsPath;
      w.TimeoutSeconds = ENGINE_BACKSTOP_SECONDS;
      // Which execution a parked wait belongs to (StopExecution must forget it): the engine's
      // task override sees only the processed input, so the name rides along and is taken off again.
      if (w.Parameters?.Payload) w.Parameters.Payload[`${EXECUTION_FIELD}.$`] = '$$.Execution.Name';
    }
    this.machine = new StateMachine(definition as never, { validationOptions: { checkArn: false, checkPaths: true } });
    for (const [name, state] of Object.entries(taskStates(opts.definition.States))) {
      this.handlers[name] = isWaitForToken(state) ? this.waitingTask(name, state) : this.lambdaTask(name, state);
    }
  }

  private lambdaTask(name: string, state: AslState) {
    const arn = String((state.Parameters as { FunctionName?: string } | undefined)?.FunctionName ?? state.Resource);
    const fn = this.opts.resolveFunction(arn);
    return async (input: JsonValue): Promise<JsonValue> => {
      this.busy++;
      try {
        // A round trip through JSON, as Lambda's payload would be.
        const payload = (state.Parameters as { Payload?: unknown } | undefined)?.Payload !== undefined && (input as { Payload?: unknown }).Payload !== undefined ? (input as { Payload: unknown }).Payload : input;
        const out = await fn(JSON.parse(JSON.stringify(payload)));
        return JSON.parse(JSON.stringify(out ?? null)) as JsonValue;
      } catch (e) {
        throw asTaskError(e, name);
      } finally {
        this.busy--;
      }
    };
  }

  /** A `.waitForTaskToken` task: mint a token, hand it to the function, park until signalled or timed out. */
  private waitingTask(name: string, state: AslState) {
    const fnArn = String((state.Parameters as { FunctionName?: string } | undefined)?.FunctionName ?? '');
    const fn = this.opts.resolveFunction(fnArn);
    return async (input: JsonValue): Promise<JsonValue> => {
      const token = `local-${randomBytes(24).toString('base64url')}`;
      const payload = structuredClone(((input as { Payload?: JsonValue }).Payload ?? input) as Record<string, JsonValue>);
      for (const k of Object.keys(payload)) if (payload[k] === LOCAL_TOKEN_PLACEHOLDER) payload[k] = token;
      const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : Number(payload.waitSeconds ?? 60);
      const execution = String(payload[EXECUTION_FIELD] ?? '');
      delete payload[EXECUTION_FIELD];
      const settled = new Promise<JsonValue>((resolve, reject) => {
        const cancelTimer = this.opts.clock.at(this.opts.clock.nowMs() + timeoutSeconds * 1000, () => {
          if (!this.parked.delete(token)) return;
          reject(new TaskError('States.Timeout', `${name} timed out after ${timeoutSeconds} s`));
        });
        this.parked.set(token, { token, execution, state: name, resolve: (v) => resolve(v as JsonValue), reject, cancelTimer });
      });
      this.busy++;
      try {
        await fn(payload); // stores the token; may signal at once when an event already waits
      } catch (e) {
        const parked = this.parked.get(token);
        parked?.cancelTimer();
        this.parked.delete(token);
        throw asTaskError(e, name);
      } finally {
        this.busy--;
      }
      return settled;
    };
  }

  /** Starts an execution; false when one with that name exists already (as in AWS). */
  start(name: string, input: unknown): boolean {
    if (this.executions.has(name)) return false;
    const executionArn = `${this.opts.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const run = this.machine.run(input as JsonValue, {
      overrides: { taskResourceLocalHandlers: this.handlers, retryIntervalOverrides: this.retryOverrides() },
      context: { Execution: { Id: executionArn, Name: name, Input: input as JsonValue, StartTime: this.opts.clock.now() }, Task: { Token: LOCAL_TOKEN_PLACEHOLDER } } as never,
    });
    const record: ExecutionRecord = { name, executionArn, input, status: 'RUNNING', startedAt: this.opts.clock.now(), history: [], abort: run.abort };
    this.executions.set(name, record);
    void (async () => {
      for await (const ev of run.eventLogs) {
        if (ev.type === 'StateEntered') record.history.push(ev.state.name);
      }
    })().catch(() => undefined);
    run.result.then(
      (output) => Object.assign(record, { status: 'SUCCEEDED', output, stoppedAt: this.opts.clock.now() }),
      (e: unknown) => {
        if (record.status !== 'RUNNING') return;
        const err = e as { name?: string; message?: string; cause?: { name?: string; message?: string } };
        Object.assign(record, { status: 'FAILED', error: err.cause?.name ?? err.name ?? 'Error', cause: err.cause?.message ?? err.message ?? '', stoppedAt: this.opts.clock.now() });
      },
    );
    return true;
  }

  /** SendTaskSuccess: false when no task waits on that token (gone, timed out, never existed). */
  succeed(token: string, output: unknown): boolean {
    const p = this.parked.get(token);
    if (!p) return false;
    this.parked.delete(token);
    p.cancelTimer();
    p.resolve(output);
    return true;
  }

  fail(token: string, error: string, cause: string): boolean {
    const p = this.parked.get(token);
    if (!p) return false;
    this.parked.delete(token);
    p.cancelTimer();
    p.reject(new TaskError(error, cause));
    return true;
  }

  stop(name: string): boolean {
    const r = this.executions.get(name);
    if (!r || r.status !== 'RUNNING') return false;
    Object.assign(r, { status: 'ABORTED', stoppedAt: this.opts.clock.now() });
    r.abort();
    for (const [token, p] of this.parked) if (p.execution === name) (p.cancelTimer(), this.parked.delete(token));
    return true;
  }

  /** Tokens currently parked, with the state that waits on each. */
  waiting(): { token: string; state: string }[] {
    return [...this.parked.values()].map((p) => ({ token: p.token, state: p.state }));
  }

  /**
   * Resolves once no task is running and every running execution is parked on a wait: the engine
   * moves between states on promise ticks and timers, so "no task running" alone is not enough.
   */
  async settle(maxMs = 30_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    let quiet = 0;
    while (quiet < 3 && Date.now() < deadline) {
      await new Promise((r) => setImmediate(r));
      const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING').length;
      const idle = this.busy === 0 && running <= this.parked.size;
      quiet = idle ? quiet + 1 : 0;
      if (!idle && this.busy === 0) await new Promise((r) => setTimeout(r, 1));
    }
  }

  private retryOverrides(): Record<string, number> {
    // Retries back off on the real clock inside the engine; locally keep them short.
    return Object.fromEntries(Object.keys(this.handlers).map((n) => [n, 50]));
  }
}

const EXECUTION_FIELD = '__localExecution';

/** The engine's own timer on waiting tasks: a backstop only, below the 24.8-day limit of setTimeout. */
const ENGINE_BACKSTOP_SECONDS = 2_000_000;

/** What the definition passes as the task token; the engine swaps in a fresh token per wait. */
export const LOCAL_TOKEN_PLACEHOLDER = '__LOCAL_TASK_TOKEN__';

function asTaskError(e: unknown, state: string): Error {
  if (e instanceof Error) {
    const out = new TaskError(e.name || 'Error', e.message);
    return out;
  }
  return new TaskError('Error', `${state}: ${String(e)}`);
}
