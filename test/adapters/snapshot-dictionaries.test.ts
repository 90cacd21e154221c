// Parts deflated with a preset dictionary (StateParts.dictionaries) name it, and stay readable as
// long as the code still has that dictionary, in whatever place; a part naming one it lacks is an
// error, never a wrong case.
import { describe, expect, it } from 'vitest';
import type { Projection } from '../../functions/adapters/event-store.js';
import { CorruptLogError } from '../../functions/adapters/store-errors.js';
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

  it('is an error, not a wrong case, when the code no longer has the dictionary a part names', () => {
    const plan = planSnapshot(withDictionaries(OLD), 'case-1', 7, state, null, 350_000);

    expect(() => assembleSnapshot(withDictionaries(NEW), plan.snapshot, plan.parts)).toThrow(CorruptLogError);
  });
});
