// Runs the synthesized state machine locally on aws-local-stepfunctions, adding what it lacks:
// `.waitForTaskToken` tasks park in a token registry that SendTaskSuccess / SendTaskFailure
// settle, and their timeouts run on our Clock, so a 45-day wait works and a test can jump over it
// (docs/architecture.md "The local runtime"). Lambda tasks call the in-process handler behind each
// function ARN. The engine counts what runs (see settle), so "every execution waits or is done" is
// known, not guessed.
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
  /** The function that stored the token has returned: from here the execution only waits. */
  armed: boolean;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  cancelTimer: () => void;
}

/** settle() gave up: these executions were still running (name and the state last entered). */
export class SettleTimeout extends Error {
  constructor(
    readonly running: { name: string; state: string | undefined }[],
    readonly tasksInFlight: number,
    ms: number,
  ) {
    const list = running.map((r) => `${r.name} in ${r.state ?? 'its first state'}`).join(', ');
    super(`the workflow was still running after ${Math.round(ms / 1000)} s: ${list || `${tasksInFlight} task call(s) in flight`}`);
    this.name = 'SettleTimeout';
  }
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
function taskStates(
  states: Record<string, AslState>,
  out: Record<string, AslState> = {},
  nested: Set<string> = new Set(),
  inside = false,
): Record<string, AslState> {
  for (const [name, s] of Object.entries(states)) {
    if (s.Type === 'Task') out[name] = s;
    if (inside) nested.add(name);
    const proc = (s.ItemProcessor ?? s.Iterator) as { States?: Record<string, AslState> } | undefined;
    if (proc?.States) taskStates(proc.States, out, nested, true);
    const branches = s.Branches as { States: Record<string, AslState> }[] | undefined;
    for (const b of branches ?? []) taskStates(b.States, out, nested, true);
  }
  return out;
}

/** Names of the states inside a Map or Parallel state. */
function nestedStates(states: Record<string, AslState>): Set<string> {
  const nested = new Set<string>();
  taskStates(states, {}, nested);
  return nested;
}

export class LocalWorkflowEngine {
  private readonly machine: StateMachine;
  private readonly handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
  private readonly parked = new Map<string, ParkedTask>();
  readonly executions = new Map<string, ExecutionRecord>();
  /** Task calls in flight, for any execution (a stopped one's call still runs to its end). */
  private tasksInFlight = 0;
  /** Executions RUNNING, and those of them with an armed wait: idle when the two are equal. */
  private runningCount = 0;
  private waitingCount = 0;
  /** Armed waits per execution name (one at most, as waits run only outside Map and Parallel). */
  private readonly armedByExecution = new Map<string, number>();
  /** settle() calls waiting for the engine to be idle. */
  private readonly idleWaiters = new Set<() => void>();

  constructor(private readonly opts: EngineOptions) {
    const definition = structuredClone(opts.definition);
    const nested = nestedStates(definition.States);
    for (const [name, state] of Object.entries(taskStates(definition.States))) {
      if (!isWaitForToken(state)) continue;
      // One armed wait means the whole execution waits only while an execution has one strand.
      if (nested.has(name)) throw new Error(`${name}: the local engine runs .waitForTaskToken tasks only outside Map and Parallel states`);
      if (!(state as { Parameters?: { Payload?: unknown } }).Parameters?.Payload)
        throw new Error(`${name}: a .waitForTaskToken task needs Parameters.Payload (the local engine marks its execution there)`);
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
      this.tasksInFlight++;
      try {
        // A round trip through JSON, as Lambda's payload would be.
        const payload =
          (state.Parameters as { Payload?: unknown } | undefined)?.Payload !== undefined &&
          (input as { Payload?: unknown }).Payload !== undefined
            ? (input as { Payload: unknown }).Payload
            : input;
        const out = await fn(JSON.parse(JSON.stringify(payload)));
        return JSON.parse(JSON.stringify(out ?? null)) as JsonValue;
      } catch (e) {
        throw asTaskError(e, name);
      } finally {
        this.tasksInFlight--;
        this.checkIdle();
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
          if (!this.removeParked(token)) return;
          reject(new TaskError('States.Timeout', `${name} timed out after ${timeoutSeconds} s`));
        });
        this.parked.set(token, {
          token,
          execution,
          state: name,
          armed: false,
          resolve: (v) => resolve(v as JsonValue),
          reject,
          cancelTimer,
        });
      });
      this.tasksInFlight++;
      try {
        await fn(payload); // stores the token; may signal at once when an event already waits
        // Still registered: nobody signalled, so the execution now only waits (token or timer).
        const parked = this.parked.get(token);
        if (parked) this.arm(parked);
      } catch (e) {
        this.removeParked(token)?.cancelTimer();
        throw asTaskError(e, name);
      } finally {
        this.tasksInFlight--;
        this.checkIdle();
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
      context: {
        Execution: { Id: executionArn, Name: name, Input: input as JsonValue, StartTime: this.opts.clock.now() },
        Task: { Token: LOCAL_TOKEN_PLACEHOLDER },
      } as never,
    });
    const record: ExecutionRecord = {
      name,
      executionArn,
      input,
      status: 'RUNNING',
      startedAt: this.opts.clock.now(),
      history: [],
      abort: run.abort,
    };
    this.executions.set(name, record);
    this.runningCount++;
    void (async () => {
      for await (const ev of run.eventLogs) {
        if (ev.type === 'StateEntered') record.history.push(ev.state.name);
      }
    })().catch(() => undefined);
    run.result
      .then(
        (output) => {
          this.finish(record, { status: 'SUCCEEDED', output, stoppedAt: this.opts.clock.now() });
        },
        (e: unknown) => {
          const err = e as { name?: string; message?: string; cause?: { name?: string; message?: string } };
          this.finish(record, {
            status: 'FAILED',
            error: err.cause?.name ?? err.name ?? 'Error',
            cause: err.cause?.message ?? err.message ?? '',
            stoppedAt: this.opts.clock.now(),
          });
        },
      )
      .finally(() => this.checkIdle());
    return true;
  }

  /** SendTaskSuccess: false when no task waits on that token (gone, timed out, never existed). */
  succeed(token: string, output: unknown): boolean {
    const p = this.removeParked(token);
    if (!p) return false;
    p.cancelTimer();
    p.resolve(output);
    return true;
  }

  fail(token: string, error: string, cause: string): boolean {
    const p = this.removeParked(token);
    if (!p) return false;
    p.cancelTimer();
    p.reject(new TaskError(error, cause));
    return true;
  }

  stop(name: string): boolean {
    const r = this.executions.get(name);
    if (!r || !this.finish(r, { status: 'ABORTED', stoppedAt: this.opts.clock.now() })) return false;
    r.abort();
    for (const [token, p] of this.parked) {
      if (p.execution !== name) continue;
      p.cancelTimer();
      this.removeParked(token);
    }
    this.checkIdle();
    return true;
  }

  /** Tokens currently parked, with the state that waits on each. */
  waiting(): { token: string; state: string }[] {
    return [...this.parked.values()].map((p) => ({ token: p.token, state: p.state }));
  }

  /**
   * Executions that neither wait nor are done: running a task, between two states, or backing off
   * before a retry. A running execution has no armed wait, so it is counted here until it parks.
   */
  running(): { name: string; state: string | undefined }[] {
    const waiting = new Set<string>();
    for (const p of this.parked.values()) if (p.armed) waiting.add(p.execution);
    const out: { name: string; state: string | undefined }[] = [];
    for (const r of this.executions.values())
      if (r.status === 'RUNNING' && !waiting.has(r.name)) out.push({ name: r.name, state: r.history.at(-1) });
    return out;
  }

  /**
   * No task call in flight, and every execution waits (on a token or its timer) or is done. Kept
   * as counts, so the check costs the same with ten thousand executions parked as with one.
   */
  idle(): boolean {
    return this.tasksInFlight === 0 && this.runningCount === this.waitingCount;
  }

  /** The function that stored the token has returned: its execution now only waits. */
  private arm(p: ParkedTask): void {
    if (p.armed) return;
    p.armed = true;
    const n = (this.armedByExecution.get(p.execution) ?? 0) + 1;
    this.armedByExecution.set(p.execution, n);
    if (n === 1 && this.executions.get(p.execution)?.status === 'RUNNING') this.waitingCount++;
  }

  /** Forgets a parked task (signalled, timed out, failed or stopped); returns it if it was there. */
  private removeParked(token: string): ParkedTask | undefined {
    const p = this.parked.get(token);
    if (!p) return undefined;
    this.parked.delete(token);
    if (!p.armed) return p;
    const n = (this.armedByExecution.get(p.execution) ?? 1) - 1;
    if (n > 0) this.armedByExecution.set(p.execution, n);
    else {
      this.armedByExecution.delete(p.execution);
      if (this.executions.get(p.execution)?.status === 'RUNNING') this.waitingCount--;
    }
    return p;
  }

  /** RUNNING → done, once: false when the execution had already ended. */
  private finish(r: ExecutionRecord, fields: Partial<ExecutionRecord> & { status: Exclude<ExecutionStatus, 'RUNNING'> }): boolean {
    if (r.status !== 'RUNNING') return false;
    Object.assign(r, fields);
    this.runningCount--;
    if (this.armedByExecution.has(r.name)) this.waitingCount--;
    return true;
  }

  /**
   * Resolves once the engine is idle. The count is exact: an execution only stops counting as
   * running when its wait is armed or its result is in, whatever the machine's load. With
   * `timeoutMs`, rejects with SettleTimeout (naming what still runs) after that much real time.
   */
  async settle(opts: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = opts.timeoutMs === undefined ? null : Date.now() + opts.timeoutMs;
    for (;;) {
      if (!this.idle()) await this.untilIdle(deadline, opts.timeoutMs ?? 0);
      // Idle by the count. Callbacks already queued run before the next turn of the event loop
      // (the execution's event log reaches `history` through them); then the count decides again.
      await new Promise((r) => setImmediate(r));
      if (this.idle()) return;
    }
  }

  private untilIdle(deadline: number | null, ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.idleWaiters.delete(done);
        resolve();
      };
      this.idleWaiters.add(done);
      if (deadline !== null) {
        timer = setTimeout(
          () => {
            this.idleWaiters.delete(done);
            reject(new SettleTimeout(this.running(), this.tasksInFlight, ms));
          },
          Math.max(0, deadline - Date.now()),
        );
      }
    });
  }

  /** Called wherever the count can drop: a task call ends, a wait is armed, an execution ends. */
  private checkIdle(): void {
    if (this.idleWaiters.size === 0 || !this.idle()) return;
    for (const w of [...this.idleWaiters]) w();
  }

  private retryOverrides(): Record<string, number> {
    // Retry back-offs sleep on the real clock inside the engine (not on our Clock, which a test
    // may hold still): keep them short. The execution counts as running while it backs off.
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
