import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FaultInjection, appendWithRetry } from '../../functions/adapters/event-store.js';
import { type SnapshotItem, snapshotStateJson } from '../../functions/adapters/snapshot-items.js';
import { MemoryCaseStore } from '../../functions/adapters/memory-event-store.js';
import { caseSnapshotKey } from '../../functions/adapters/table-layout.js';
import { caseStoreContract, foldLog, readWholeLog, toyProjection, type ToyEvent } from './event-store.contract.js';

caseStoreContract('in-memory', async ({ projection, faults }) => {
  const store = new MemoryCaseStore({ projection, faults });
  return { store, rawItem: async (key) => store.rawItem(key), putRawItem: async (item) => store.putRawItem(item) };
});

const anEvent: fc.Arbitrary<ToyEvent> = fc.oneof(
  fc.record({ type: fc.constant('noted' as const), text: fc.string({ maxLength: 20 }) }),
  fc.record({
    type: fc.constant('moved' as const),
    phase: fc.constantFrom('triage', 'embargo', 'draft-review'),
    deadline: fc.option(
      fc
        .date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString()),
    ),
  }),
  fc.record({ type: fc.constant('incremented' as const), expected: fc.nat(5), by: fc.constantFrom('a', 'b') }),
  fc.constant({ type: 'closed' as const }),
);

/** One step of a writer's life: an append of 1..4 events, possibly dying before its snapshot update. */
const aStep = fc.record({ events: fc.array(anEvent, { minLength: 1, maxLength: 4 }), crash: fc.boolean(), dropSnapshot: fc.boolean() });

describe('in-memory case store: snapshot and log agree', () => {
  it('keeps the snapshot equal to the fold of the log after any sequence of appends and lost snapshot writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(aStep, { minLength: 1, maxLength: 15 }), async (steps) => {
        let crashNext = false;
        const faults: FaultInjection = {
          afterCommit: () => {
            if (crashNext) throw new Error('crash');
          },
        };
        const store = new MemoryCaseStore({ projection: toyProjection, faults });
        await store.append('c', 0, [{ type: 'opened', phase: 'triage' }]);

        for (const step of steps) {
          crashNext = step.crash;
          await appendWithRetry(store, 'c', () => step.events).catch((error: unknown) => {
            if (!(error instanceof Error) || error.message !== 'crash') throw error;
          });
          if (step.dropSnapshot) store.dropSnapshot('c');

          const log = await readWholeLog(store, 'c');
          const loaded = await store.load('c');
          expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
          expect(loaded).toEqual({ caseId: 'c', version: log.length, state: foldLog('c', log) });
          const raw = store.rawItem(caseSnapshotKey('c'));
          const stored: Pick<SnapshotItem, 'state' | 'stateZ'> = {
            state: raw?.state as string | undefined,
            stateZ: raw?.stateZ as Uint8Array | undefined,
          };
          expect(JSON.parse(snapshotStateJson(stored))).toEqual(loaded?.state);
        }
      }),
      { numRuns: 150 },
    );
  });
});
