// The engine's accounting: settle() resolves exactly when every execution waits (on a token or
// its timer) or is done, never on a guess. Small definitions with task handlers the test holds.
import { describe, expect, it } from 'vitest';
import type { AslDefinition } from '../../lib/asl.js';
import { Clock } from '../../lib/local/clock.js';
import type { IncomingMessage } from 'node:http';
import { devRoutes } from '../../lib/local/dev-routes.js';
import { LocalWorkflowEngine, SettleTimeout, TaskError, type TaskFunction } from '../../lib/local/engine.js';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Test';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const T0 = '2026-11-01T00:00:00.000Z';

/** A token wait whose timeout comes from `$.waitSeconds`, as the case workflow's waits do. */
const tokenWait = (next: { Next: string } | { End: true }, onTimeout?: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: {
    FunctionName: fnArn('Park'),
    Payload: { 'id.$': '$.id', 'taskToken.$': '$$.Task.Token', 'waitSeconds.$': '$.waitSeconds' },
  },
  TimeoutSecondsPath: '$.waitSeconds',
  ResultPath: null,
  ...(onTimeout ? { Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: onTimeout }] } : {}),
  ...next,
});
const lambda = (fn: string, next: { Next: string } | { End: true }, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: fnArn(fn),
  ResultPath: null,
  ...next,
  ...extra,
});

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

/** Lets the event loop turn `n` times: chances for a premature settle to resolve. */
async function turns(n = 50): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** Tracks a promise's outcome without awaiting it. */
function watch(p: Promise<unknown>) {
  const state = { done: false, error: undefined as unknown };
  p.then(
    () => (state.done = true),
    (e: unknown) => (state.error = e),
  );
  return state;
}

function anEngine(definition: AslDefinition, fns: Record<string, TaskFunction>, clock = new Clock({ manualStart: T0 })) {
  const tokens: string[] = [];
  const engine = new LocalWorkflowEngine({
    definition,
    stateMachineArn: ARN,
    clock,
    resolveFunction: (arn) => {
      const name = arn.split(':').at(-1) ?? '';
      if (name === 'Park') return async (input) => void tokens.push(String((input as { taskToken: string }).taskToken));
      const fn = fns[name];
      if (!fn) throw new Error(`no function ${name}`);
      return fn;
    },
  });
  return { engine, clock, tokens };
}

describe('settle: the engine knows when every execution waits or is done', () => {
  it('does not resolve while a task handler is still awaiting a slow promise; resolves once the execution parks', async () => {
    const slow = gate();
    const { engine } = anEngine(
      { StartAt: 'Slow', States: { Slow: lambda('Slow', { Next: 'Wait' }), Wait: tokenWait({ End: true }) } },
      { Slow: async () => slow.opened },
    );
    engine.start('a', { id: 1, waitSeconds: 3600 });
    const settled = watch(engine.settle());
    await turns();
    expect(settled.done).toBe(false);
    expect(engine.running()).toEqual([{ name: 'a', state: 'Slow' }]);
    slow.open();
    await engine.settle();
    expect(engine.running()).toEqual([]);
    expect(engine.waiting().map((w) => w.state)).toEqual(['Wait']);
    expect(settled.done).toBe(true);
  });

  it('resolves when every execution is parked or finished, and names none as running', async () => {
    const { engine } = anEngine(
      {
        StartAt: 'Route',
        States: {
          Route: { Type: 'Choice', Choices: [{ Variable: '$.park', BooleanEquals: true, Next: 'Wait' }], Default: 'Work' },
          Work: lambda('Work', { Next: 'Done' }),
          Wait: tokenWait({ Next: 'Done' }),
          Done: { Type: 'Succeed' },
        },
      },
      { Work: async () => ({}) },
    );
    for (let i = 0; i < 6; i++) engine.start(`e${i}`, { id: i, park: i % 2 === 0, waitSeconds: 60 });
    await engine.settle();
    expect(engine.running()).toEqual([]);
    const status = Object.fromEntries([...engine.executions].map(([n, r]) => [n, r.status]));
    expect(status).toEqual({ e0: 'RUNNING', e1: 'SUCCEEDED', e2: 'RUNNING', e3: 'SUCCEEDED', e4: 'RUNNING', e5: 'SUCCEEDED' });
    expect(engine.waiting()).toHaveLength(3);
    // A finished execution's record is complete when settle returns, its history included.
    expect(engine.executions.get('e1')?.history).toEqual(['Route', 'Work', 'Done']);
  });

  it('counts a Retry back-off as running: settle waits through the retries until the execution parks', async () => {
    let attempts = 0;
    const { engine } = anEngine(
      {
        StartAt: 'Flaky',
        States: {
          Flaky: lambda(
            'Flaky',
            { Next: 'Wait' },
            { Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 4 }] },
          ),
          Wait: tokenWait({ End: true }),
        },
      },
      {
        Flaky: async () => {
          attempts++;
          if (attempts < 4) throw new TaskError('Transient', `attempt ${attempts} failed`);
          return {};
        },
      },
    );
    engine.start('r', { id: 1, waitSeconds: 60 });
    await engine.settle();
    expect(attempts).toBe(4);
    expect(engine.waiting().map((w) => w.state)).toEqual(['Wait']);
    expect(engine.executions.get('r')?.status).toBe('RUNNING');
  });

  it('waits for the task a timer starts, and fires the next timer only after it: one firing at a time', async () => {
    const first = gate();
    const order: string[] = [];
    const { engine, clock } = anEngine(
      {
        StartAt: 'Wait',
        States: {
          Wait: tokenWait({ End: true }, 'AfterTimeout'),
          AfterTimeout: lambda('AfterTimeout', { Next: 'Again' }),
          Again: tokenWait({ End: true }),
        },
      },
      {
        AfterTimeout: async (input) => {
          const { id } = input as { id: number };
          order.push(`start ${id} at ${clock.now()}`);
          if (id === 1) await first.opened;
          order.push(`end ${id}`);
          return {};
        },
      },
    );
    engine.start('one', { id: 1, waitSeconds: 3600 });
    engine.start('two', { id: 2, waitSeconds: 5400 });
    await engine.settle();
    // Timers at 01:00 and 01:30; the tasks they start park again for an hour, past 01:45.
    const advanced = watch(clock.advanceTo(Date.parse('2026-11-01T01:45:00Z'), () => engine.settle()));
    await turns();
    // The first timer fired and its task runs; the second has not fired, and the advance waits.
    expect(order).toEqual(['start 1 at 2026-11-01T01:00:00.000Z']);
    expect(advanced.done).toBe(false);
    expect(engine.running()).toEqual([{ name: 'one', state: 'AfterTimeout' }]);
    first.open();
    await clock.advanceTo(Date.parse('2026-11-01T01:45:00Z'), () => engine.settle());
    expect(advanced.done).toBe(true);
    expect(order).toEqual(['start 1 at 2026-11-01T01:00:00.000Z', 'end 1', 'start 2 at 2026-11-01T01:30:00.000Z', 'end 2']);
    expect(engine.waiting().map((w) => w.state)).toEqual(['Again', 'Again']);
    expect(engine.running()).toEqual([]);
  });

  it('waits for a task call still in flight when its execution was stopped', async () => {
    const slow = gate();
    let finished = false;
    const { engine } = anEngine(
      { StartAt: 'Slow', States: { Slow: lambda('Slow', { End: true }) } },
      {
        Slow: async () => {
          await slow.opened;
          finished = true;
          return {};
        },
      },
    );
    engine.start('s', {});
    await turns(5);
    expect(engine.stop('s')).toBe(true);
    const settled = watch(engine.settle());
    await turns();
    expect(settled.done).toBe(false);
    slow.open();
    await engine.settle();
    expect(finished).toBe(true);
    expect(engine.executions.get('s')?.status).toBe('ABORTED');
  });

  it('a signal that arrives while the waiting task still stores its token leaves the execution running, not parked', async () => {
    const stored = gate();
    let engineRef!: LocalWorkflowEngine;
    const { engine } = anEngine(
      {
        StartAt: 'Wait',
        States: {
          Wait: {
            ...tokenWait({ Next: 'Proceed' }),
            Parameters: { FunctionName: fnArn('Store'), Payload: { 'taskToken.$': '$$.Task.Token', 'waitSeconds.$': '$.waitSeconds' } },
          },
          Proceed: lambda('Proceed', { End: true }),
        },
      },
      {
        // As await-signal does when the event is already there: it signals its own token at once.
        Store: async (input) => {
          await stored.opened;
          engineRef.succeed((input as { taskToken: string }).taskToken, {});
          return {};
        },
        Proceed: async () => ({}),
      },
    );
    engineRef = engine;
    engine.start('x', { waitSeconds: 60 });
    const settled = watch(engine.settle());
    await turns();
    expect(settled.done).toBe(false);
    stored.open();
    await engine.settle();
    expect(engine.executions.get('x')?.status).toBe('SUCCEEDED');
    expect(engine.waiting()).toEqual([]);
  });

  it('with a time limit, rejects naming what still runs instead of answering as if at rest', async () => {
    const never = gate();
    const { engine } = anEngine({ StartAt: 'Hang', States: { Hang: lambda('Hang', { End: true }) } }, { Hang: async () => never.opened });
    engine.start('h', {});
    const e = await engine.settle({ timeoutMs: 20 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SettleTimeout);
    expect((e as SettleTimeout).running).toEqual([{ name: 'h', state: 'Hang' }]);
    expect((e as Error).message).toContain('h in Hang');
    never.open();
    await engine.settle();
  });

  it('POST /_local/clock answers 503, naming what still runs and where the clock stopped, when the settle gives up', async () => {
    const never = gate();
    const { engine, clock } = anEngine(
      { StartAt: 'Hang', States: { Hang: lambda('Hang', { End: true }) } },
      { Hang: async () => never.opened },
    );
    const routes = devRoutes({
      devToken: 't',
      clock,
      settle: () => engine.settle({ timeoutMs: 20 }),
      mail: async () => [],
      mailFeedback: async () => ({}),
    });
    engine.start('h', {});
    const req = {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    } as unknown as IncomingMessage;
    const reply = await routes(req, Buffer.from('{"advance":"P1D"}'), new URL('http://127.0.0.1/_local/clock'));
    expect(reply?.status).toBe(503);
    expect(JSON.parse(String(reply?.body)).detail).toMatch(
      /still running after 0 s: h in Hang; the clock stands at 2026-11-01T00:00:00.000Z/,
    );
    never.open();
    await engine.settle();
  });

  it('refuses a token wait inside a Map: one armed wait would not mean the execution waits', () => {
    const definition: AslDefinition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Inner', States: { Inner: tokenWait({ End: true }) } },
          End: true,
        },
      },
    };
    expect(() => anEngine(definition, {})).toThrow(/outside Map and Parallel/);
  });
});
