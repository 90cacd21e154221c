// Parts deflated with a preset dictionary (StateParts.dictionaries) name it, and stay readable as
// long as the code still has that dictionary, in whatever place; a part naming one it lacks is read
// as missing (the case is then rebuilt from its log), never as a wrong case.
import { describe, expect, it } from 'vitest';
import type { Projection } from '../../functions/adapters/event-store.js';
import { MemoryCaseStore } from '../../functions/adapters/memory-event-store.js';
import { assembleSnapshot, dictionaryId, planSnapshot } from '../../functions/adapters/snapshot-items.js';
import { type ToyEntry, type ToyEvent, type ToyState, toyPartsProjection } from './event-store.contract.js';

const OLD = '["note 0","note 1","note 2"]';
const NEW = '["a newer dictionary"]';
const withDictionaries = (...dictionaries: string[]): Projection<ToyState, ToyEvent, ToyEntry> => ({
  ...toyPartsProjection,
  parts: { ...(toyPartsProjection.parts as NonNullable<typeof toyPartsProjection.parts>), dictionaries },
});
const state: ToyState = { ...toyPartsProjection.initial('case-1'), notes: Array.from({ length: 7 }, (_, i) => `note ${i}`) };

describe('parts deflated with a dictionary', () => {
  it('are written with the first dictionary and name it, and read back with it in any place', () => {
    const plan = planSnapshot(withDictionaries(OLD), 'case-1', 7, state, null, 350_000);
    expect(plan.parts.map((p) => p.dz)).toEqual(plan.parts.map(() => dictionaryId(OLD)));
    const without = planSnapshot(toyPartsProjection, 'case-1', 7, state, null, 350_000);
    // The dictionary pays: the first part is made of what it holds.
    expect(plan.parts[0]?.z.byteLength).toBeLessThan(without.parts[0]?.z.byteLength ?? 0);

    for (const reader of [withDictionaries(OLD), withDictionaries(NEW, OLD)])
      expect(assembleSnapshot(reader, plan.snapshot, plan.parts)).toEqual({ caseId: 'case-1', version: 7, state });
    // Parts written before dictionaries name none, and are read as they are.
    expect(assembleSnapshot(withDictionaries(NEW), without.snapshot, without.parts)).toMatchObject({ state });
  });

  it('reads a part whose dictionary the code no longer has as missing, and the store rebuilds the case from its log', async () => {
    const plan = planSnapshot(withDictionaries(OLD), 'case-1', 7, state, null, 350_000);
    expect(assembleSnapshot(withDictionaries(NEW), plan.snapshot, plan.parts)).toEqual({ missing: Object.keys(plan.snapshot.parts ?? {}) });

    // A store whose code lost the dictionary (a rollback past the release that added it).
    const store = new MemoryCaseStore({ projection: withDictionaries(OLD) });
    const events: ToyEvent[] = [{ type: 'opened', phase: 'triage' }, ...state.notes.map((text) => ({ type: 'noted' as const, text }))];
    await store.append('case-1', 0, events);
    Object.defineProperty(store, 'projection', { value: withDictionaries(NEW) });

    expect((await store.load('case-1'))?.state.notes).toEqual(state.notes);
  });
});
