// The local engine holding many open cases, each parked on an embargo timer: memory, and the time
// to move the clock 45 days and fire them all. Runs in a child process of its own (node
// --expose-gc), so that its memory figures are not mixed with the other benchmarks'.
//
// The definition is a small one shaped like the case workflow's embargo wait: a
// lambda:invoke.waitForTaskToken task (the function parks the token, as await-signal does) whose
// timeout comes from the payload's waitSeconds, caught as States.Timeout into a Lambda task
// (advance-case's place), then Succeed. The engine, its token registry and the Clock are the
// ones npm start uses (lib/local/engine.ts, clock.ts).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AslDefinition } from '../lib/asl.js';
import { Clock } from '../lib/local/clock.js';
import { LocalWorkflowEngine } from '../lib/local/engine.js';

export interface TimerFigures {
  cases: number;
  startSeconds: number;
  baseline: { rssMb: number; heapMb: number };
  holding: { rssMb: number; heapMb: number };
  perCaseKb: number;
  advanceDays: number;
  fireSeconds: number;
  firedPerSecond: number;
  succeeded: number;
  timersFired: number;
}

const FN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const DAY = 86_400;

const DEFINITION: AslDefinition = {
  StartAt: 'AwaitEmbargoEnd',
  States: {
    AwaitEmbargoEnd: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: FN('park'),
        Payload: {
          'caseId.$': '$.caseId',
          'taskToken.$': '$$.Task.Token',
          'waitSeconds.$': '$.waitSeconds',
          '__execution.$': '$$.Execution.Name',
        },
      },
      TimeoutSecondsPath: '$.waitSeconds',
      ResultPath: null,
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'EmbargoEnded' }],
      Next: 'Done',
    },
    EmbargoEnded: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: FN('fire'), 'Payload.$': '$' },
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
} as AslDefinition;

const mb = (n: number) => n / 1024 / 1024;
function memory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapMb: mb(m.heapUsed) };
}

export async function runTimers(cases: number): Promise<TimerFigures> {
  const clock = new Clock({ manualStart: '2026-11-01T09:00:00.000Z' });
  const parked = new Map<string, string>();
  let fired = 0;
  const engine = new LocalWorkflowEngine({
    definition: DEFINITION,
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:TimerBench',
    clock,
    resolveFunction: (arn) =>
      arn.endsWith(':park')
        ? async (input) => {
            const p = input as { caseId: string; taskToken: string };
            parked.set(p.caseId, p.taskToken);
            return null;
          }
        : async (input) => {
            fired++;
            parked.delete((input as { caseId: string }).caseId);
            return { fired: true };
          },
  });
  const baseline = memory();
  const t0 = performance.now();
  for (let i = 0; i < cases; i++) {
    // Embargo ends spread over the next 45 days, as cases opened on different days would be.
    const waitSeconds = DAY + Math.floor((((i * 7919) % cases) / cases) * 44 * DAY);
    engine.start(`VU-${String(i).padStart(8, '0')}`, { caseId: `VU-${i}`, waitSeconds });
    if (i % 500 === 499) await engine.settle();
  }
  await engine.settle();
  const startSeconds = (performance.now() - t0) / 1000;
  const holding = memory();
  if (parked.size !== cases || engine.waiting().length !== cases)
    throw new Error(`expected ${cases} parked, got ${parked.size} / ${engine.waiting().length}`);
  const t1 = performance.now();
  await clock.advanceTo(clock.nowMs() + 45 * DAY * 1000, () => engine.settle());
  await engine.settle();
  const fireSeconds = (performance.now() - t1) / 1000;
  // Let the engine's result promises land before counting.
  for (let i = 0; i < 10 && [...engine.executions.values()].some((x) => x.status === 'RUNNING'); i++)
    await new Promise((r) => setTimeout(r, 20));
  const succeeded = [...engine.executions.values()].filter((x) => x.status === 'SUCCEEDED').length;
  return {
    cases,
    startSeconds,
    baseline,
    holding,
    perCaseKb: ((holding.heapMb - baseline.heapMb) * 1024) / cases,
    advanceDays: 45,
    fireSeconds,
    firedPerSecond: fired / fireSeconds,
    succeeded,
    timersFired: fired,
  };
}

/** Runs the measurement in a fresh Node process with --expose-gc, and returns its figures. */
export function measureTimers(cases = 10_000): TimerFigures {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, String(cases)], {
    cwd: path.resolve(path.dirname(self), '..'),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: 5 * 60_000,
  });
  const line = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as TimerFigures;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runTimers(Number(process.argv[2] ?? 10_000)).then(
    (f) => {
      process.stdout.write(`${JSON.stringify(f)}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
