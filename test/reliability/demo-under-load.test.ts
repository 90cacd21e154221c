// The first thing a newcomer runs: the demo's path (bin/demo.ts's runDemo, HTTP only) ten times
// on one stack whose clock runs in real time as under `npm start`, while two busy processes load
// both cores. Every run must publish its note: the clock's answer waits for the workflow, and
// the demo waits for what it needs, however slow the machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../bin/demo.js';
import { type BusyCores, busyCores } from '../builders/busy-cores.js';
import { type E2E, bootStack } from '../builders/local-stack.js';

const RUNS = 10;

let e: E2E | undefined;
let load: BusyCores | undefined;
beforeAll(async () => {
  e = await bootStack({ realTime: true });
  load = await busyCores(2);
});
afterAll(async () => {
  try {
    await load?.stop();
  } finally {
    await e?.stop();
  }
});

describe('reliability: the demo on a busy machine', () => {
  it(`scenario: the demo publishes its note ${RUNS} times out of ${RUNS} while two busy loops load both cores`, async () => {
    const stack = e!;
    const failures: string[] = [];
    const published = new Set<string>();
    for (let run = 1; run <= RUNS; run++) {
      const lines: string[] = [];
      try {
        const { caseId, noteUrl } = await runDemo({
          api: stack.stack.apiUrl,
          devToken: stack.coordinator,
          print: (line) => lines.push(line),
        });
        const note = await fetch(noteUrl);
        if (note.status !== 200) throw new Error(`${noteUrl} answered ${note.status}`);
        if (!lines.join('\n').includes('note-published')) throw new Error('the timeline has no note-published event');
        published.add(caseId);
      } catch (err) {
        failures.push(`run ${run}: ${err instanceof Error ? err.message : String(err)}\n${lines.slice(-4).join('\n')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(published.size).toBe(RUNS);
    // The load lasted the whole test.
    expect(load!.running()).toBe(2);
    // A guard against a hang, not a speed limit: each wait inside the demo has its own bound.
  }, 300_000);
});
