// The local runtime's own parts: the clock (long timers, ordered firing, one advance at a time)
// and the Step Functions service that the handlers' unchanged @aws-sdk/client-sfn calls reach.
import {
  DescribeExecutionCommand,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import type { AslDefinition } from '../../lib/asl.js';
import { Clock } from '../../lib/local/clock.js';
import { LOCAL_TOKEN_PLACEHOLDER, LocalWorkflowEngine } from '../../lib/local/engine.js';
import { startSfnService } from '../../lib/local/sfn-service.js';
import { parseDuration } from '../../lib/local/duration.js';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Test';
const FN = 'arn:aws:lambda:us-east-1:000000000000:function:Park';

// A wait for a token (timeout from the input), then a pass-through task.
const definition: AslDefinition = {
  StartAt: 'Wait',
  States: {
    Wait: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: FN, Payload: { 'id.$': '$.id', 'taskToken.$': '$$.Task.Token', 'waitSeconds.$': '$.waitSeconds' } },
      TimeoutSecondsPath: '$.waitSeconds',
      ResultPath: '$.signal',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'TimedOut' }],
      End: true,
    },
    TimedOut: { Type: 'Pass', Result: 'timed out', ResultPath: '$.outcome', End: true },
  },
};

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

/** Lets the event loop turn `n` times. */
async function turns(n = 50): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function setUp(clock: Clock) {
  const tokens: string[] = [];
  const engine = new LocalWorkflowEngine({
    definition,
    stateMachineArn: ARN,
    clock,
    resolveFunction: () => async (input) => void tokens.push(String((input as { taskToken: string }).taskToken)),
  });
  const { server, endpoint } = await startSfnService(engine, ARN);
  stop = () => new Promise((r) => server.close(() => r()));
  const sfn = new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  return { engine, sfn, tokens };
}

describe('the local Step Functions service', () => {
  it('starts, describes, heartbeats, completes and refuses what AWS refuses, over the AWS JSON protocol', async () => {
    const clock = new Clock({ manualStart: '2026-11-01T00:00:00Z' });
    const { engine, sfn, tokens } = await setUp(clock);
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 'case-1', input: JSON.stringify({ id: 1, waitSeconds: 3600 }) }),
    );
    await engine.settle();
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'case-1', input: '{}' }))).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).not.toBe(LOCAL_TOKEN_PLACEHOLDER);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: tokens[0] }));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: JSON.stringify({ ok: true }) }));
    await engine.settle();
    const done = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toMatchObject({ id: 1, signal: { ok: true } });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{}' }))).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    await expect(sfn.send(new SendTaskFailureCommand({ taskToken: 'nope', error: 'E' }))).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:missing` })),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('stops an execution and forgets its wait', async () => {
    const { engine, sfn, tokens } = await setUp(new Clock({ manualStart: '2026-11-01T00:00:00Z' }));
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 'case-2', input: JSON.stringify({ id: 2, waitSeconds: 60 }) }),
    );
    await engine.settle();
    await sfn.send(new StopExecutionCommand({ executionArn }));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{}' }))).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
  });

  it('times out a 45-day wait only when the clock gets there', async () => {
    const clock = new Clock({ manualStart: '2026-11-01T00:00:00Z' });
    const { engine, sfn } = await setUp(clock);
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 'case-3', input: JSON.stringify({ id: 3, waitSeconds: 45 * 86_400 }) }),
    );
    await engine.settle();
    await clock.advanceTo(Date.parse('2026-12-15T23:59:59Z'), () => engine.settle());
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await clock.advanceTo(Date.parse('2026-12-16T00:00:00Z'), () => engine.settle());
    const done = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}').outcome).toBe('timed out');
  });
});

describe('the clock', () => {
  it('keeps a timer of a year pending in real time instead of firing it at once (no 32-bit overflow)', async () => {
    const clock = new Clock();
    let fired = false;
    clock.at(clock.nowMs() + 365 * 86_400_000, () => (fired = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(fired).toBe(false);
    clock.stop();
  });

  it('fires due timers in order, each at its own instant', async () => {
    const clock = new Clock({ manualStart: '2026-11-01T00:00:00Z' });
    const seen: string[] = [];
    clock.at(Date.parse('2026-12-20T00:00:00Z'), () => seen.push(`b@${clock.now()}`));
    clock.at(Date.parse('2026-11-10T00:00:00Z'), () => seen.push(`a@${clock.now()}`));
    clock.at(Date.parse('2027-06-01T00:00:00Z'), () => seen.push('c'));
    await clock.advanceTo(Date.parse('2027-01-01T00:00:00Z'), async () => undefined);
    expect(seen).toEqual(['a@2026-11-10T00:00:00.000Z', 'b@2026-12-20T00:00:00.000Z']);
    expect(clock.now()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('runs two advances one after the other, never interleaving their timers', async () => {
    const clock = new Clock({ manualStart: '2026-11-01T00:00:00Z' });
    const seen: string[] = [];
    const hold = gate();
    clock.at(Date.parse('2026-11-02T00:00:00Z'), () => seen.push('a'));
    clock.at(Date.parse('2026-11-04T00:00:00Z'), () => seen.push('b'));
    let settles = 0;
    const first = clock.advanceTo(Date.parse('2026-11-03T00:00:00Z'), async () => {
      // The first advance's settle after firing `a` holds until the test lets it go.
      if (++settles === 2) await hold.opened;
    });
    let secondDone = false;
    const second = clock.advanceTo(Date.parse('2026-11-05T00:00:00Z'), async () => undefined).then(() => (secondDone = true));
    await turns();
    expect(seen).toEqual(['a']);
    expect(secondDone).toBe(false);
    hold.open();
    await first;
    await second;
    expect(seen).toEqual(['a', 'b']);
    expect(clock.now()).toBe('2026-11-05T00:00:00.000Z');
  });

  it('in real time, never goes back when the work after a timer took a while', async () => {
    const clock = new Clock();
    const at = clock.nowMs() + 1000;
    let seenDuringSettle = 0;
    clock.at(at, () => undefined);
    await clock.advanceTo(at, async () => {
      await new Promise((r) => setTimeout(r, 20));
      seenDuringSettle = Math.max(seenDuringSettle, clock.nowMs());
    });
    expect(clock.nowMs()).toBeGreaterThanOrEqual(seenDuringSettle);
    clock.stop();
  });

  it('reads ISO-8601 durations, calendar months and years included, and refuses others', () => {
    const t0 = Date.parse('2026-01-31T00:00:00Z');
    expect(new Date(parseDuration('P30D', t0)!).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(new Date(parseDuration('PT12H30M', t0)!).toISOString()).toBe('2026-01-31T12:30:00.000Z');
    expect(new Date(parseDuration('P1Y', t0)!).toISOString()).toBe('2027-01-31T00:00:00.000Z');
    expect(parseDuration('30 days', t0)).toBeNull();
    expect(parseDuration('P', t0)).toBeNull();
    expect(parseDuration('PT', t0)).toBeNull();
  });
});
