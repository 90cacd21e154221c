// The one contract every case store passes (DynamoDB on dynalite, and the in-memory twin), run
// with a toy projection so it does not depend on the domain.
import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CaseExistsError,
  CaseNotFoundError,
  ConcurrencyError,
  GrantExistsError,
  GrantNotFoundError,
  IdempotencyKeyNotFoundError,
  InvalidCursorError,
  ItemTooLargeError,
  SliceTooNarrowError,
  appendWithRetry,
  hashToken,
  isGrantActive,
  newToken,
  sha256Hex,
  type AccessGrant,
  type CaseStore,
  type FaultInjection,
  type Loaded,
  type Projection,
  type Sequenced,
} from '../../functions/adapters/event-store.js';
import { MAX_PAYLOAD_BYTES } from '../../functions/adapters/store-items.js';
import {
  casePartKey,
  casePreviousPartKey,
  caseSnapshotKey,
  caseSummaryKey,
  grantKey,
  idempotencyKey,
  type ItemKey,
} from '../../functions/adapters/table-layout.js';

// ---------------------------------------------------------------------------------------------
// The toy domain

export type ToyEvent =
  | { type: 'opened'; phase: string; deadline?: string | null }
  | { type: 'moved'; phase: string; deadline?: string | null }
  | { type: 'incremented'; expected: number; by: string }
  | { type: 'noted'; text: string }
  | { type: 'edited'; from: string; to: string }
  | { type: 'closed' };

export interface ToyState {
  caseId: string;
  phase: string;
  deadline: string | null;
  counter: number;
  /** Increments whose writer expected another counter value: a lost update, if ever non-zero. */
  mismatches: number;
  notes: string[];
  closed: boolean;
  /** Every seq folded, in order: shows the fold saw the whole log exactly once. */
  seqs: number[];
  /** Only on a slice (toyPartsProjection): how many notes each part holds, those it lacks included. */
  sizes?: Record<string, number>;
}

/** What the toy queue lists: small, as the store's summary item must be. */
export interface ToyEntry {
  phase: string;
  counter: number;
  notes: number;
}

export const toyProjection: Projection<ToyState, ToyEvent, ToyEntry> = {
  initial: (caseId) => ({ caseId, phase: 'none', deadline: null, counter: 0, mismatches: 0, notes: [], closed: false, seqs: [] }),
  apply(state, event) {
    const next = { ...state, seqs: [...state.seqs, event.seq] };
    switch (event.type) {
      case 'opened':
      case 'moved':
        return { ...next, phase: event.phase, deadline: event.deadline ?? null };
      case 'incremented':
        return { ...next, counter: state.counter + 1, mismatches: state.mismatches + (event.expected === state.counter ? 0 : 1) };
      case 'noted':
        return { ...next, notes: [...state.notes, event.text] };
      case 'edited':
        return { ...next, notes: state.notes.map((n) => (n === event.from ? event.to : n)) };
      case 'closed':
        return { ...next, closed: true };
    }
  },
  indexKeys: (state) => (state.closed ? null : { phase: state.phase, nextDeadlineAt: state.deadline }),
  // A slice counts the notes of the parts it lacks too.
  queueEntry: (state) => ({
    phase: state.phase,
    counter: state.counter,
    notes: state.sizes ? Object.values(state.sizes).reduce((a, b) => a + b, 0) : state.notes.length,
  }),
};

/** The toy split as a large domain state is: the notes, three to a part, once there are more than three. */
export const toyPartsProjection: Projection<ToyState, ToyEvent, ToyEntry> = {
  ...toyProjection,
  parts: {
    split: (s) => {
      if (s.notes.length <= 3) return null;
      const parts: Record<string, string[]> = {};
      for (let i = 0; i < s.notes.length; i += 3) parts[`n${String(i / 3).padStart(4, '0')}`] = s.notes.slice(i, i + 3);
      const { sizes: _, ...state } = s;
      // The core says how many notes each part holds, so a slice can count them all (queueEntry).
      return { core: { ...state, notes: [], sizes: Object.fromEntries(Object.entries(parts).map(([n, p]) => [n, p.length])) }, parts };
    },
    join: (core, parts) => {
      const { sizes, ...state } = core as ToyState;
      const names = Object.keys(parts).sort();
      const notes = names.flatMap((k) => parts[k] as string[]);
      const slice = sizes !== undefined && Object.keys(sizes).some((n) => !names.includes(n));
      return { ...state, notes, ...(slice ? { sizes } : {}) };
    },
    // A slice can say what it holds while its notes stay as they were: a new note needs the whole case.
    splitSlice: (s, held) => {
      if (s.sizes === undefined) return null;
      const parts: Record<string, string[]> = {};
      let at = 0;
      for (const name of [...held].sort()) {
        const n = s.sizes[name];
        if (n === undefined) return null;
        parts[name] = s.notes.slice(at, at + n);
        at += n;
      }
      if (at !== s.notes.length) return null;
      const { sizes, ...state } = s;
      return { core: { ...state, notes: [], sizes }, parts };
    },
  },
};

export function foldLog(caseId: string, events: readonly Sequenced<ToyEvent>[]): ToyState {
  return events.reduce((state, event) => toyProjection.apply(state, event), toyProjection.initial(caseId));
}

export async function readWholeLog(store: CaseStore<ToyState, ToyEvent>, caseId: string): Promise<Sequenced<ToyEvent>[]> {
  const events: Sequenced<ToyEvent>[] = [];
  let afterSeq: number | null = 0;
  while (afterSeq !== null) {
    const page = await store.readEvents(caseId, { afterSeq, limit: 7 });
    events.push(...page.events);
    afterSeq = page.nextAfterSeq;
  }
  return events;
}

// ---------------------------------------------------------------------------------------------
// The harness each implementation supplies

export interface StoreHarness {
  store: CaseStore<ToyState, ToyEvent, ToyEntry>;
  /** The stored item as the table holds it (attributes unmarshalled). */
  rawItem(key: ItemKey): Promise<Record<string, unknown> | undefined>;
  /** Puts an item as given, as an older release would have written it. */
  putRawItem(item: Record<string, unknown> & ItemKey): Promise<void>;
}

/** Builds a fresh, empty store on the given projection and fault hooks. */
export type HarnessFactory = (init: {
  projection: Projection<ToyState, ToyEvent, ToyEntry>;
  faults: FaultInjection;
}) => Promise<StoreHarness>;

class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

interface Pause {
  /** Settles once the paused writer has stored its commit. */
  reached: Promise<void>;
  resume(): void;
}

export interface Harness extends StoreHarness {
  /** The next append dies after storing its commit, before updating the snapshot. */
  crashAfterNextCommit(): void;
  /** The next append stalls after storing its commit until resumed (a slow Lambda). */
  pauseAfterNextCommit(): Pause;
  /** The next split snapshot write dies after its parts, before its core. */
  crashAfterNextParts(): void;
  /** The next split snapshot write stalls after its parts until resumed. */
  pauseAfterNextParts(): Pause;
}

export async function setUp(factory: HarnessFactory, projection = toyProjection): Promise<Harness> {
  let next: (() => Promise<void>) | undefined;
  let nextParts: (() => Promise<void>) | undefined;
  const faults: FaultInjection = {
    afterCommit: async () => {
      const fault = next;
      next = undefined;
      await fault?.();
    },
    afterParts: async () => {
      const fault = nextParts;
      nextParts = undefined;
      await fault?.();
    },
  };
  const harness = await factory({ projection, faults });
  const pausing = (arm: (fault: () => Promise<void>) => void): Pause => {
    let reached = (): void => undefined;
    let resume = (): void => undefined;
    const pause: Pause = { reached: new Promise((r) => (reached = r)), resume: () => resume() };
    const resumed = new Promise<void>((r) => (resume = r));
    arm(async () => {
      reached();
      await resumed;
    });
    return pause;
  };
  return {
    ...harness,
    crashAfterNextCommit: () => {
      next = async () => {
        throw new SimulatedCrash('the process died between the commit and the snapshot update');
      };
    },
    pauseAfterNextCommit: () => pausing((fault) => (next = fault)),
    crashAfterNextParts: () => {
      nextParts = async () => {
        throw new SimulatedCrash('the process died between the parts and the core');
      };
    },
    pauseAfterNextParts: () => pausing((fault) => (nextParts = fault)),
  };
}

export const opened = (phase = 'triage', deadline: string | null = null): ToyEvent => ({ type: 'opened', phase, deadline });
export const noted = (text: string): ToyEvent => ({ type: 'noted', text });
/** Text that does not deflate: random bytes as base64. */
const noise = (chars: number): string =>
  randomBytes(Math.ceil((chars * 3) / 4))
    .toString('base64')
    .slice(0, chars);

function grantFor(tokenHash: string, overrides: Partial<AccessGrant> = {}): AccessGrant {
  return { tokenHash, caseId: 'case-1', role: 'vendor', participantId: 'acme', createdAt: '2026-03-01T00:00:00.000Z', ...overrides };
}

// ---------------------------------------------------------------------------------------------

export function caseStoreContract(name: string, factory: HarnessFactory): void {
  describe(`${name} case store: the event log`, () => {
    it('returns nothing for a case that was never written', async () => {
      const { store } = await setUp(factory);

      expect(await store.load('nobody')).toBeNull();
      expect(await store.readEvents('nobody')).toEqual({ events: [], nextAfterSeq: null });
    });

    it('creates a case and loads the folded state back', async () => {
      const { store } = await setUp(factory);

      const created = await store.append('case-1', 0, [opened('triage'), noted('first')]);

      expect(created.version).toBe(2);
      expect(created.appended).toEqual([
        { ...opened('triage'), seq: 1 },
        { ...noted('first'), seq: 2 },
      ]);
      expect(created.state).toMatchObject({ phase: 'triage', notes: ['first'], seqs: [1, 2] });
      expect(await store.load('case-1')).toEqual({ caseId: 'case-1', version: 2, state: created.state });
    });

    it('numbers events across multi-event appends without gaps', async () => {
      const { store } = await setUp(factory);

      await store.append('case-1', 0, [opened()]);
      await store.append('case-1', 1, [noted('a'), noted('b'), noted('c')]);
      const last = await store.append('case-1', 4, [noted('d'), noted('e')]);

      const log = await readWholeLog(store, 'case-1');
      expect(log.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(log.slice(1).map((e) => (e.type === 'noted' ? e.text : e.type))).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(last.version).toBe(6);
      expect(last.state).toEqual(foldLog('case-1', log));
    });

    it('rejects an append at a stale version and writes nothing', async () => {
      const { store } = await setUp(factory);
      await store.append('case-1', 0, [opened()]);
      await store.append('case-1', 1, [noted('winner')]);

      await expect(store.append('case-1', 1, [noted('stale')])).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(store.append('case-1', 5, [noted('from the future')])).rejects.toBeInstanceOf(ConcurrencyError);

      const log = await readWholeLog(store, 'case-1');
      expect(log.map((e) => e.seq)).toEqual([1, 2]);
      expect((await store.load('case-1'))?.state.notes).toEqual(['winner']);
    });

    it('rejects a stale base passed by a writer that loaded before another commit', async () => {
      const { store } = await setUp(factory);
      await store.append('case-1', 0, [opened()]);
      const before = await store.load('case-1');
      if (before === null) throw new Error('the case should exist');
      await store.append('case-1', 1, [noted('other writer')]);

      await expect(store.append('case-1', 1, [noted('mine')], { base: before })).rejects.toBeInstanceOf(ConcurrencyError);

      expect((await readWholeLog(store, 'case-1')).map((e) => e.seq)).toEqual([1, 2]);
    });

    it('rejects a version that falls inside an earlier multi-event append', async () => {
      const { store } = await setUp(factory);
      await store.append('case-1', 0, [opened(), noted('a'), noted('b')]);

      await expect(store.append('case-1', 2, [noted('would duplicate seq 3')])).rejects.toBeInstanceOf(ConcurrencyError);

      expect((await readWholeLog(store, 'case-1')).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('refuses to create a case twice', async () => {
      const { store } = await setUp(factory);
      await store.append('case-1', 0, [opened('triage')]);

      const second = store.append('case-1', 0, [opened('embargo')]);

      await expect(second).rejects.toBeInstanceOf(CaseExistsError);
      await expect(second).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await store.load('case-1'))?.state.phase).toBe('triage');
    });

    it('refuses to create a case twice even when both creators passed an initial base', async () => {
      const { store } = await setUp(factory);
      const initial: Loaded<ToyState> = { caseId: 'case-1', version: 0, state: toyProjection.initial('case-1') };
      await store.append('case-1', 0, [opened('triage')], { base: initial });

      await expect(store.append('case-1', 0, [opened('embargo')], { base: initial })).rejects.toThrow(CaseExistsError);
    });

    it('refuses an append to a case that does not exist', async () => {
      const { store } = await setUp(factory);

      await expect(store.append('ghost', 3, [noted('x')])).rejects.toBeInstanceOf(CaseNotFoundError);
      await expect(appendWithRetry(store, 'ghost', () => [noted('x')])).rejects.toBeInstanceOf(CaseNotFoundError);
      expect(await store.load('ghost')).toBeNull();
    });

    it('pages through the event log, also from inside a multi-event append', async () => {
      const { store } = await setUp(factory);
      let version = 0;
      for (const size of [3, 4, 1, 2]) {
        const events = Array.from({ length: size }, (_, i) => (version + i === 0 ? opened() : noted(`n${version + i + 1}`)));
        version = (await store.append('case-1', version, events)).version;
      }

      const pages: number[][] = [];
      let afterSeq: number | null = 0;
      while (afterSeq !== null) {
        const page = await store.readEvents('case-1', { afterSeq, limit: 3 });
        pages.push(page.events.map((e) => e.seq));
        afterSeq = page.nextAfterSeq;
      }

      expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]);
      expect(await store.readEvents('case-1', { afterSeq: 5, limit: 100 })).toMatchObject({ nextAfterSeq: null });
      expect((await store.readEvents('case-1', { afterSeq: 5 })).events.map((e) => e.seq)).toEqual([6, 7, 8, 9, 10]);
      expect(await store.readEvents('case-1', { afterSeq: 7, limit: 3 })).toMatchObject({ nextAfterSeq: null });
      expect(await store.readEvents('case-1', { afterSeq: 10 })).toEqual({ events: [], nextAfterSeq: null });
      expect(await store.readEvents('case-1', { afterSeq: 99 })).toEqual({ events: [], nextAfterSeq: null });
    });

    it('refuses events too large for one item and writes nothing', async () => {
      const { store } = await setUp(factory);
      await store.append('case-1', 0, [opened()]);

      const append = store.append('case-1', 1, [noted('x'.repeat(360_000))]);

      await expect(append).rejects.toBeInstanceOf(ItemTooLargeError);
      await expect(append).rejects.toMatchObject({ what: 'events' });
      expect((await store.load('case-1'))?.version).toBe(1);
      expect((await readWholeLog(store, 'case-1')).length).toBe(1);
    });

    it('refuses an append whose resulting snapshot would be too large, before committing it', async () => {
      const { store } = await setUp(factory);
      // Noise deflates to about three quarters: 400 KB of it still fits the item, 600 KB does not.
      await store.append('case-1', 0, [opened(), noted(noise(200_000))]);
      await store.append('case-1', 2, [noted(noise(200_000))]);

      const append = store.append('case-1', 3, [noted(noise(200_000))]);

      await expect(append).rejects.toMatchObject({ name: 'ItemTooLargeError', what: 'snapshot' });
      expect((await readWholeLog(store, 'case-1')).length).toBe(3);
    });
  });

  describe(`${name} case store: a long case`, () => {
    it('keeps a state of megabytes of text deflated, and reads it back whole, in the queue too', async () => {
      const { store, rawItem } = await setUp(factory);
      // Twelve drafts of 128 KB of prose: about 1.5 MB of state, four times the item check.
      const draft = (n: number) =>
        `Revision ${n}. `.concat('The upload handler writes the file name into the path without normalising it. '.repeat(1_700));
      await store.append('case-1', 0, [opened('triage')]);
      for (let n = 1; n <= 12; n++) await store.append('case-1', n, [noted(draft(n))]);

      const loaded = await store.load('case-1');
      expect(loaded?.version).toBe(13);
      expect(loaded?.state.notes).toEqual(Array.from({ length: 12 }, (_, i) => draft(i + 1)));
      expect(JSON.stringify(loaded?.state).length).toBeGreaterThan(4 * MAX_PAYLOAD_BYTES);
      const raw = await rawItem(caseSnapshotKey('case-1'));
      expect(raw?.state).toBeUndefined();
      expect(raw?.stateDeflated).toBeUndefined();
      // Binary, not base64: DynamoDB bills binary by its bytes, and base64 by a third more.
      const stateZ = raw?.stateZ;
      expect(stateZ).toBeInstanceOf(Uint8Array);
      expect(stateZ instanceof Uint8Array ? stateZ.byteLength : Number.POSITIVE_INFINITY).toBeLessThan(MAX_PAYLOAD_BYTES);
      expect((await store.queue('triage')).items.map((i) => i.entry.notes)).toEqual([12]);
    });

    it('stores a small state as plain JSON, and reads a snapshot written either way', async () => {
      const { store, rawItem } = await setUp(factory);
      await store.append('case-1', 0, [opened(), noted('short')]);
      expect(JSON.parse(String((await rawItem(caseSnapshotKey('case-1')))?.state))).toMatchObject({ notes: ['short'] });

      await store.append('case-1', 2, [noted('x'.repeat(40_000))]);
      expect((await rawItem(caseSnapshotKey('case-1')))?.state).toBeUndefined();
      expect((await store.load('case-1'))?.state.notes).toEqual(['short', 'x'.repeat(40_000)]);
    });
  });

  describe(`${name} case store: a snapshot split in parts`, () => {
    const partKeys = (caseId: string, n: number) =>
      Array.from({ length: n }, (_, i) => casePartKey(caseId, `n${String(i).padStart(4, '0')}`));
    const versions = async (h: StoreHarness, caseId: string, n: number) =>
      Promise.all(partKeys(caseId, n).map(async (k) => (await h.rawItem(k))?.version));
    const notes = (n: number, from = 0) => Array.from({ length: n }, (_, i) => noted(`note ${from + i}`));

    it('stores a large state as a core and parts, and loads it back whole', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(2)]);
      // Three notes or fewer: one item, as every ordinary case.
      expect(await h.rawItem(caseSnapshotKey('case-1'))).toMatchObject({ version: 3, state: expect.any(String) });

      await h.store.append('case-1', 3, notes(3, 2));

      const core = await h.rawItem(caseSnapshotKey('case-1'));
      expect(core).toMatchObject({ version: 6, coreZ: expect.any(Uint8Array) });
      expect(core?.state ?? core?.stateZ).toBeUndefined();
      expect(Object.keys(core?.parts as object)).toEqual(['n0000', 'n0001']);
      expect(JSON.parse(inflateRawSync(core?.coreZ as Uint8Array).toString('utf8')).notes).toEqual([]);
      const loaded = await h.store.load('case-1');
      expect(loaded).toEqual({ caseId: 'case-1', version: 6, state: foldLog('case-1', await readWholeLog(h.store, 'case-1')) });
      expect(loaded?.state.notes).toEqual(['note 0', 'note 1', 'note 2', 'note 3', 'note 4']);
    });

    it('rewrites only the parts an append changes', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(5)]);
      expect(await versions(h, 'case-1', 2)).toEqual([6, 6]);

      await h.store.append('case-1', 6, [{ type: 'incremented', expected: 0, by: 'a' }]);
      expect(await versions(h, 'case-1', 2)).toEqual([6, 6]);
      await h.store.append('case-1', 7, notes(1, 5));

      expect(await versions(h, 'case-1', 2)).toEqual([6, 8]);
      expect(await h.rawItem(caseSnapshotKey('case-1'))).toMatchObject({ version: 8 });
      expect((await h.store.load('case-1'))?.state).toMatchObject({
        counter: 1,
        notes: ['note 0', 'note 1', 'note 2', 'note 3', 'note 4', 'note 5'],
      });
      expect((await h.store.queue('triage')).items[0]?.entry).toEqual({ phase: 'triage', counter: 1, notes: 6 });
    });

    it("refuses, writing nothing, a participant's append that grows a part past the participants' budget", async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(4)]);

      await expect(
        h.store.append('case-1', 5, [noted(noise(3000)), noted(noise(3000))], { maxSnapshotBytes: 4000 }),
      ).rejects.toBeInstanceOf(ItemTooLargeError);

      expect(await readWholeLog(h.store, 'case-1')).toHaveLength(5);
      expect((await h.store.append('case-1', 5, [noted(noise(3000)), noted(noise(3000))])).version).toBe(7);
    });

    it('reads a case whose writer died between its parts and its core, and repairs it', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(5)]);
      h.crashAfterNextParts();

      await expect(h.store.append('case-1', 6, notes(1, 5))).rejects.toThrow('between the parts and the core');
      // The changed part is ahead of its core: the core still names what the part held before.
      expect(await versions(h, 'case-1', 2)).toEqual([6, 7]);
      expect(await h.rawItem(caseSnapshotKey('case-1'))).toMatchObject({ version: 6 });

      const loaded = await h.store.load('case-1');

      expect(loaded).toEqual({ caseId: 'case-1', version: 7, state: foldLog('case-1', await readWholeLog(h.store, 'case-1')) });
      expect(await h.rawItem(caseSnapshotKey('case-1'))).toMatchObject({ version: 7 });
      // Read through the part's previous copy, not rebuilt from the log (that rewrites every part).
      expect(await versions(h, 'case-1', 2)).toEqual([6, 7]);
      const next = await appendWithRetry(h.store, 'case-1', () => notes(1, 6));
      expect(next.state.notes).toHaveLength(7);
      expect(await h.store.load('case-1')).toEqual({
        caseId: 'case-1',
        version: 8,
        state: foldLog('case-1', await readWholeLog(h.store, 'case-1')),
      });
    });

    it('rebuilds from the log a case whose part was written twice without its core', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(4)]);
      h.crashAfterNextParts();
      await expect(h.store.append('case-1', 5, notes(1, 4))).rejects.toThrow('between the parts and the core');
      // The next writer decides on the state its own read repaired, but its repair's core is lost too.
      const base = { caseId: 'case-1', version: 6, state: foldLog('case-1', await readWholeLog(h.store, 'case-1')) };
      h.crashAfterNextParts();
      await expect(h.store.append('case-1', 6, notes(1, 5), { base })).rejects.toThrow('between the parts and the core');
      const core = await h.rawItem(caseSnapshotKey('case-1'));
      const part = await h.rawItem(casePartKey('case-1', 'n0001'));
      const previous = await h.rawItem(casePreviousPartKey('case-1', 'n0001'));
      expect(core).toMatchObject({ version: 5 });
      expect(part).toMatchObject({ version: 7 });
      // Neither the part nor what it held before its last write is what the core names.
      expect([part?.h, previous?.h]).not.toContain((core?.parts as Record<string, string> | undefined)?.n0001);

      const loaded = await h.store.load('case-1');

      expect(loaded).toEqual({ caseId: 'case-1', version: 7, state: foldLog('case-1', await readWholeLog(h.store, 'case-1')) });
      expect(loaded?.state.notes).toEqual(['note 0', 'note 1', 'note 2', 'note 3', 'note 4', 'note 5']);
      expect(await h.rawItem(caseSnapshotKey('case-1'))).toMatchObject({ version: 7 });
      expect(await h.store.load('case-1')).toEqual(loaded);
    });

    it('never lets a slow writer stalled between parts and core move the snapshot backwards', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(5)]);
      const pause = h.pauseAfterNextParts();
      const slow = h.store.append('case-1', 6, notes(1, 5));
      await pause.reached;
      // A reader meanwhile sees the case as it was, or as the slow writer left it: never a mix.
      const during = await h.store.load('case-1');
      expect(during).toEqual({ caseId: 'case-1', version: 7, state: foldLog('case-1', await readWholeLog(h.store, 'case-1')) });

      const fast = await appendWithRetry(h.store, 'case-1', () => notes(2, 6));
      pause.resume();
      await slow;

      expect(fast.version).toBe(9);
      expect(await h.rawItem(caseSnapshotKey('case-1'))).toMatchObject({ version: 9 });
      expect(await h.store.load('case-1')).toEqual({
        caseId: 'case-1',
        version: 9,
        state: foldLog('case-1', await readWholeLog(h.store, 'case-1')),
      });
    });
  });

  describe(`${name} case store: a slice of a case`, () => {
    const notes = (n: number, from = 0) => Array.from({ length: n }, (_, i) => noted(`note ${from + i}`));

    it('is the whole case while the case is one item, and null for no case', async () => {
      const h = await setUp(factory, toyPartsProjection);
      expect(await h.store.loadSlice('case-1', ['n0000'])).toBeNull();
      await h.store.append('case-1', 0, [opened(), ...notes(2)]);

      expect(await h.store.loadSlice('case-1', ['n0001'])).toEqual({
        caseId: 'case-1',
        version: 3,
        partial: (await h.store.load('case-1'))?.state,
        whole: true,
      });
    });

    it('holds the core and the parts asked for, nothing of the others', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(7), { type: 'incremented', expected: 0, by: 'a' }]);

      const slice = await h.store.loadSlice('case-1', ['n0001', 'no-such-part']);

      expect(slice).toMatchObject({ caseId: 'case-1', version: 9, whole: false });
      expect(slice?.partial).toEqual({
        ...(await h.store.load('case-1'))?.state,
        notes: ['note 3', 'note 4', 'note 5'],
        sizes: { n0000: 3, n0001: 3, n0002: 1 },
      });
      expect(await h.store.loadSlice('case-1', ['n0000', 'n0001', 'n0002'])).toMatchObject({
        whole: true,
        partial: { notes: notes(7).map((e) => (e as { text: string }).text) },
      });
    });

    it('is the whole case, repaired, when the snapshot is behind the log', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(5)]);
      h.crashAfterNextParts();
      await expect(h.store.append('case-1', 6, notes(1, 5))).rejects.toThrow('between the parts and the core');

      const slice = await h.store.loadSlice('case-1', ['n0000']);

      expect(slice).toEqual({
        caseId: 'case-1',
        version: 7,
        partial: foldLog('case-1', await readWholeLog(h.store, 'case-1')),
        whole: true,
      });
      expect(await h.rawItem(caseSnapshotKey('case-1'))).toMatchObject({ version: 7 });
      expect(await h.store.loadSlice('case-1', ['n0000'])).toMatchObject({
        version: 7,
        whole: false,
        partial: { notes: ['note 0', 'note 1', 'note 2'] },
      });
    });
  });

  describe(`${name} case store: an append on a slice`, () => {
    const notes = (n: number, from = 0) => Array.from({ length: n }, (_, i) => noted(`note ${from + i}`));
    const inc = (expected: number): ToyEvent => ({ type: 'incremented', expected, by: 'slice' });
    const sliceOf = async (h: StoreHarness, names: string[]) => {
      const slice = await h.store.loadSlice('case-1', names);
      if (slice === null) throw new Error('no case');
      return slice;
    };
    const partVersions = async (h: StoreHarness) =>
      Promise.all(['n0000', 'n0001', 'n0002'].map(async (n) => (await h.rawItem(casePartKey('case-1', n)))?.version));

    it('writes the core and the parts it holds, leaves the others unread, and the case folds as its log', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened('triage'), ...notes(7)]);

      const r = await h.store.appendToSlice(await sliceOf(h, ['n0001']), [inc(0), { type: 'edited', from: 'note 4', to: 'note four' }]);

      expect(r).toMatchObject({ caseId: 'case-1', version: 10, whole: false, appended: [{ seq: 9 }, { seq: 10 }] });
      expect(r.partial.notes).toEqual(['note 3', 'note four', 'note 5']);
      // Only the part it held, and changed, was written (with the core); the others keep their version.
      expect(await partVersions(h)).toEqual([8, 10, 8]);
      const whole = foldLog('case-1', await readWholeLog(h.store, 'case-1'));
      expect(await h.store.load('case-1')).toEqual({ caseId: 'case-1', version: 10, state: whole });
      expect(whole.notes).toEqual(['note 0', 'note 1', 'note 2', 'note 3', 'note four', 'note 5', 'note 6']);
      // The summary counts every note, the parts it lacked included.
      expect(await h.store.summary('case-1')).toEqual({ version: 10, entry: { phase: 'triage', counter: 1, notes: 7 } });
      expect((await h.store.queue('triage')).items.map((i) => i.entry)).toEqual([{ phase: 'triage', counter: 1, notes: 7 }]);
    });

    it('appends again on the slice it returned, and on a slice of the core alone', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(7)]);
      const first = await h.store.appendToSlice(await sliceOf(h, ['n0002']), [inc(0)]);
      const second = await h.store.appendToSlice(first, [{ type: 'edited', from: 'note 6', to: 'note six' }]);
      const third = await h.store.appendToSlice(await sliceOf(h, []), [inc(1)]);

      expect([second.version, third.version]).toEqual([10, 11]);
      expect(await partVersions(h)).toEqual([8, 8, 10]);
      expect(await h.store.load('case-1')).toEqual({
        caseId: 'case-1',
        version: 11,
        state: foldLog('case-1', await readWholeLog(h.store, 'case-1')),
      });
      expect((await h.store.load('case-1'))?.state).toMatchObject({ counter: 2, mismatches: 0 });
    });

    it('refuses events that reach past the slice, and writes nothing', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(7)]);
      const slice = await sliceOf(h, ['n0001']);
      const core = await h.rawItem(caseSnapshotKey('case-1'));

      // A new note belongs to a part the slice does not hold.
      await expect(h.store.appendToSlice(slice, [inc(0), noted('late')])).rejects.toBeInstanceOf(SliceTooNarrowError);

      expect((await readWholeLog(h.store, 'case-1')).length).toBe(8);
      expect(await h.rawItem(caseSnapshotKey('case-1'))).toEqual(core);
      expect(await h.store.summary('case-1')).toMatchObject({ version: 8 });
    });

    it('conflicts, writing nothing, when another writer appended since the slice was read', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(7)]);
      const slice = await sliceOf(h, ['n0000']);
      await h.store.append('case-1', 8, [inc(0)]);

      await expect(h.store.appendToSlice(slice, [inc(0)])).rejects.toBeInstanceOf(ConcurrencyError);

      expect((await h.store.load('case-1'))?.state).toMatchObject({
        counter: 1,
        mismatches: 0,
        seqs: Array.from({ length: 9 }, (_, i) => i + 1),
      });
    });

    it('takes only a slice it read: a narrowed copy or a hand-made one is refused, nothing written', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(7)]);
      const slice = await sliceOf(h, ['n0000']);

      await expect(h.store.appendToSlice({ ...slice, partial: { ...slice.partial, notes: [] } }, [inc(0)])).rejects.toThrow(TypeError);
      expect((await readWholeLog(h.store, 'case-1')).length).toBe(8);
    });

    it('reads a core an older release wrote whole, never as a slice, until the case is written again', async () => {
      // An older release copies the core's summary of its parts along while it changes the parts.
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(7)]);
      const core = await h.rawItem(caseSnapshotKey('case-1'));
      expect(core).toMatchObject({ sliceable: true });
      const { sliceable: _, ...older } = core as Record<string, unknown> & ItemKey;
      await h.putRawItem(older);

      const slice = await sliceOf(h, ['n0001']);

      expect(slice).toEqual({ caseId: 'case-1', version: 8, partial: (await h.store.load('case-1'))?.state, whole: true });
      const r = await h.store.appendToSlice(slice, [inc(0)]);
      expect(await h.rawItem(caseSnapshotKey('case-1'))).toMatchObject({ version: r.version, sliceable: true });
      expect(await sliceOf(h, ['n0001'])).toMatchObject({ version: 9, whole: false });
    });

    it('appends a whole slice as an ordinary append', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(2)]);
      const slice = await sliceOf(h, ['n0000']);
      expect(slice.whole).toBe(true);

      const r = await h.store.appendToSlice(slice, [noted('third'), noted('fourth')]);

      expect(r).toMatchObject({ version: 5, whole: true, partial: { notes: ['note 0', 'note 1', 'third', 'fourth'] } });
      expect(await h.store.load('case-1')).toEqual({ caseId: 'case-1', version: 5, state: r.partial });
    });

    it('holds the participants’ budget for the parts and the core it writes', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(7)]);
      const big = randomBytes(3000).toString('base64');

      await expect(
        h.store.appendToSlice(await sliceOf(h, ['n0001']), [{ type: 'edited', from: 'note 3', to: big }], { maxSnapshotBytes: 1000 }),
      ).rejects.toBeInstanceOf(ItemTooLargeError);
      expect((await readWholeLog(h.store, 'case-1')).length).toBe(8);
    });

    it('leaves a case readers read right when its writer dies between the part and the core, and the next load repairs it', async () => {
      const h = await setUp(factory, toyPartsProjection);
      await h.store.append('case-1', 0, [opened(), ...notes(7)]);
      h.crashAfterNextParts();

      await expect(
        h.store.appendToSlice(await sliceOf(h, ['n0001']), [{ type: 'edited', from: 'note 3', to: 'note three' }]),
      ).rejects.toThrow('between the parts and the core');
      // What the part held went first, where a reader of the older core finds it.
      const previous = await h.rawItem(casePreviousPartKey('case-1', 'n0001'));
      expect(previous).toMatchObject({ version: 9 });
      expect(JSON.parse(inflateRawSync(previous?.z as Uint8Array).toString('utf8'))).toEqual(['note 3', 'note 4', 'note 5']);

      // The part is ahead of its core: a slice is the whole case, repaired, and a load folds the log.
      const whole = foldLog('case-1', await readWholeLog(h.store, 'case-1'));
      expect(whole.notes[3]).toBe('note three');
      expect(await h.store.loadSlice('case-1', ['n0001'])).toMatchObject({ version: 9, whole: true, partial: whole });
      expect(await h.store.load('case-1')).toEqual({ caseId: 'case-1', version: 9, state: whole });
      expect((await h.store.loadSlice('case-1', ['n0001']))?.partial.notes).toEqual(['note three', 'note 4', 'note 5']);
    });
  });

  describe(`${name} case store: repairing a stale snapshot`, () => {
    it('folds a commit whose snapshot update was lost and writes the repaired snapshot back', async () => {
      const { store, rawItem, crashAfterNextCommit } = await setUp(factory);
      await store.append('case-1', 0, [opened('triage')]);
      crashAfterNextCommit();

      await expect(store.append('case-1', 1, [{ type: 'moved', phase: 'embargo' }])).rejects.toThrow('the process died');
      expect(await rawItem(caseSnapshotKey('case-1'))).toMatchObject({ version: 1 });

      const loaded = await store.load('case-1');

      expect(loaded).toMatchObject({ version: 2, state: { phase: 'embargo', seqs: [1, 2] } });
      const repaired = await rawItem(caseSnapshotKey('case-1'));
      expect(repaired).toMatchObject({ version: 2 });
      expect(JSON.parse(String(repaired?.state))).toEqual(loaded?.state);
    });

    it('lets the next writer build on a commit whose snapshot update was lost', async () => {
      const { store, crashAfterNextCommit } = await setUp(factory);
      await store.append('case-1', 0, [opened()]);
      crashAfterNextCommit();
      await expect(store.append('case-1', 1, [noted('orphaned')])).rejects.toThrow('the process died');

      await expect(store.append('case-1', 1, [noted('stale writer')])).rejects.toBeInstanceOf(ConcurrencyError);
      const next = await appendWithRetry(store, 'case-1', () => [noted('next')]);

      expect(next).toMatchObject({ version: 3, state: { notes: ['orphaned', 'next'], seqs: [1, 2, 3] } });
      expect(await store.load('case-1')).toMatchObject({ version: 3 });
    });

    it('never moves a snapshot backwards when a slow writer updates it after a faster one', async () => {
      const { store, rawItem, pauseAfterNextCommit } = await setUp(factory);
      await store.append('case-1', 0, [opened()]);
      const pause = pauseAfterNextCommit();
      const slow = store.append('case-1', 1, [noted('slow')]);
      await pause.reached;

      const fast = await appendWithRetry(store, 'case-1', () => [noted('fast')]);
      pause.resume();
      await slow;

      expect(fast.version).toBe(3);
      expect(await rawItem(caseSnapshotKey('case-1'))).toMatchObject({ version: 3 });
      expect(await store.load('case-1')).toMatchObject({ version: 3, state: { notes: ['slow', 'fast'] } });
    });

    it('rebuilds a case whose very first snapshot was lost, and puts it in its queue', async () => {
      const { store, rawItem, crashAfterNextCommit } = await setUp(factory);
      crashAfterNextCommit();
      await expect(store.append('case-1', 0, [opened('triage', '2026-05-01T00:00:00.000Z')])).rejects.toThrow('the process died');
      expect(await rawItem(caseSnapshotKey('case-1'))).toBeUndefined();
      expect((await store.queue('triage')).items).toEqual([]);

      expect(await store.load('case-1')).toMatchObject({ version: 1, state: { phase: 'triage' } });

      expect((await store.queue('triage')).items.map((i) => i.caseId)).toEqual(['case-1']);
      await expect(store.append('case-1', 0, [opened()])).rejects.toBeInstanceOf(CaseExistsError);
    });
  });

  describe(`${name} case store: the coordinator queue`, () => {
    async function openCases(store: CaseStore<ToyState, ToyEvent, ToyEntry>): Promise<void> {
      await store.append('no-deadline', 0, [opened('triage', null)]);
      await store.append('late', 0, [opened('triage', '2026-06-01T00:00:00.000Z')]);
      await store.append('overdue', 0, [opened('triage', '2026-01-01T00:00:00.000Z')]);
      await store.append('soon', 0, [opened('triage', '2026-03-01T00:00:00.000Z')]);
      await store.append('also-undated', 0, [opened('triage', null)]);
      await store.append('elsewhere', 0, [opened('embargo', '2025-01-01T00:00:00.000Z')]);
    }

    it("lists a phase's cases by next deadline, overdue first and undated last, page by page", async () => {
      const { store } = await setUp(factory);
      await openCases(store);

      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.queue('triage', { limit: 2, cursor });
        pages.push(page.items.map((i) => i.caseId));
        cursor = page.cursor ?? undefined;
      } while (cursor !== undefined);

      expect(pages).toEqual([['overdue', 'soon'], ['late', 'also-undated'], ['no-deadline']]);
      const all = await store.queue('triage');
      expect(all.cursor).toBeNull();
      expect(all.items[0]).toMatchObject({
        caseId: 'overdue',
        version: 1,
        nextDeadlineAt: '2026-01-01T00:00:00.000Z',
        entry: { phase: 'triage' },
      });
      expect(all.items[4]).toMatchObject({ caseId: 'no-deadline', nextDeadlineAt: null });
      expect((await store.queue('embargo')).items.map((i) => i.caseId)).toEqual(['elsewhere']);
      expect(await store.queue('draft-review')).toEqual({ items: [], cursor: null });
    });

    it('returns a null cursor when a page ends exactly at the last case', async () => {
      const { store } = await setUp(factory);
      await openCases(store);

      const page = await store.queue('triage', { limit: 5 });

      expect(page.items).toHaveLength(5);
      expect(page.cursor).toBeNull();
    });

    it('drops a case from its old queue when it moves on or closes', async () => {
      const { store } = await setUp(factory);
      await openCases(store);

      await store.append('soon', 1, [{ type: 'moved', phase: 'embargo', deadline: '2026-02-01T00:00:00.000Z' }]);
      await store.append('late', 1, [{ type: 'closed' }]);

      expect((await store.queue('triage')).items.map((i) => i.caseId)).toEqual(['overdue', 'also-undated', 'no-deadline']);
      expect((await store.queue('embargo')).items.map((i) => i.caseId)).toEqual(['elsewhere', 'soon']);
    });

    it('lists a case from its small summary item: the snapshot carries no index keys, the summary no state', async () => {
      const { store, rawItem } = await setUp(factory);
      const notes = Array.from({ length: 300 }, (_, i) => `note ${i}: the upload handler writes the file name into the path`);
      await store.append('big', 0, [opened('triage'), ...notes.map((text) => noted(text))]);

      const snapshot = await rawItem(caseSnapshotKey('big'));
      const summary = await rawItem(caseSummaryKey('big'));
      expect(snapshot?.GSI1PK).toBeUndefined();
      expect(summary).toMatchObject({ version: 301, GSI1PK: 'PHASE#triage' });
      expect(summary?.state ?? summary?.stateZ).toBeUndefined();
      // What the index copies at each write: the entry, not the state (tens of KB here).
      expect(JSON.stringify(summary).length).toBeLessThan(400);
      expect((await store.queue('triage')).items).toEqual([
        { caseId: 'big', version: 301, nextDeadlineAt: null, entry: { phase: 'triage', counter: 0, notes: 300 } },
      ]);
    });

    it("reads a case's summary alone, as of its last written append", async () => {
      const { store } = await setUp(factory);
      expect(await store.summary('nobody')).toBeNull();
      await store.append('case-1', 0, [opened('triage'), noted('a')]);
      await store.append('case-1', 2, [{ type: 'incremented', expected: 0, by: 'w' }]);
      expect(await store.summary('case-1')).toEqual({ version: 3, entry: { phase: 'triage', counter: 1, notes: 1 } });
      await store.append('case-1', 3, [{ type: 'closed' }]);
      // In no queue: no entry to read (a reader then loads the case).
      expect(await store.summary('case-1')).toBeNull();
    });

    it('keeps the summary with the log when a writer dies after its commit: the next reader repairs both', async () => {
      const { store, rawItem, crashAfterNextCommit } = await setUp(factory);
      await store.append('case-1', 0, [opened('triage', '2026-03-01T00:00:00.000Z')]);
      crashAfterNextCommit();
      await expect(store.append('case-1', 1, [{ type: 'moved', phase: 'embargo', deadline: null }])).rejects.toThrow('the process died');
      // Until someone reads the case, the queue shows it as it was (eventually consistent).
      expect((await store.queue('triage')).items.map((i) => i.version)).toEqual([1]);

      await store.load('case-1');

      expect(await rawItem(caseSummaryKey('case-1'))).toMatchObject({ version: 2, GSI1PK: 'PHASE#embargo' });
      expect((await store.queue('triage')).items).toEqual([]);
      expect((await store.queue('embargo')).items.map((i) => [i.caseId, i.version])).toEqual([['case-1', 2]]);
    });

    it('orders deadlines by instant whatever offset the projection wrote them in', async () => {
      const { store } = await setUp(factory);
      await store.append('later', 0, [opened('triage', '2026-01-01T01:30:00+02:00')]);
      await store.append('earlier', 0, [opened('triage', '2025-12-31T22:00:00Z')]);

      const { items } = await store.queue('triage');

      expect(items.map((i) => [i.caseId, i.nextDeadlineAt])).toEqual([
        ['earlier', '2025-12-31T22:00:00.000Z'],
        ['later', '2025-12-31T23:30:00.000Z'],
      ]);
    });

    it('rejects a cursor it did not issue', async () => {
      const { store } = await setUp(factory);

      await expect(store.queue('triage', { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('rejects a well-formed cursor whose key is longer than DynamoDB takes, as one it did not issue', async () => {
      const { store } = await setUp(factory);
      const cursor = (sortKey: string) => Buffer.from(sortKey, 'utf8').toString('base64url');

      for (const sortKey of [`~#${'x'.repeat(1100)}`, `${'9'.repeat(1100)}#case-1`, `~#${'\u{1F600}'.repeat(300)}`])
        await expect(store.queue('triage', { cursor: cursor(sortKey) })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe(`${name} case store: keys DynamoDB cannot hold`, () => {
    it('refuses a case id whose key is over 2048 bytes with ValidationException, as DynamoDB does', async () => {
      const { store } = await setUp(factory);

      await expect(store.load('x'.repeat(2100))).rejects.toMatchObject({ name: 'ValidationException' });
      await expect(store.getWait('x'.repeat(2100))).rejects.toMatchObject({ name: 'ValidationException' });
      expect(await store.load('x'.repeat(2000))).toBeNull();
    });
  });

  describe(`${name} case store: access grants`, () => {
    it('stores only the hash of an access token and finds the grant by it', async () => {
      const { store, rawItem } = await setUp(factory);
      const token = newToken();
      const tokenHash = hashToken(token);
      // A careless caller passing the token along must not get it stored.
      const careless = { ...grantFor(tokenHash, { expiresAt: '2026-04-01T00:00:00.000Z' }), token } as AccessGrant;

      await store.putGrant(careless);

      expect(await store.getGrant(tokenHash)).toEqual(grantFor(tokenHash, { expiresAt: '2026-04-01T00:00:00.000Z' }));
      const raw = await rawItem(grantKey(tokenHash));
      expect(raw).toMatchObject({ PK: `GRANT#${tokenHash}`, caseId: 'case-1' });
      expect(JSON.stringify(raw)).not.toContain(token);
      expect(await store.getGrant(hashToken(newToken()))).toBeNull();
    });

    it('refuses a raw token where a hash belongs', async () => {
      const { store } = await setUp(factory);
      const token = newToken();

      await expect(store.putGrant(grantFor(token))).rejects.toBeInstanceOf(TypeError);
      await expect(store.getGrant(token)).rejects.toBeInstanceOf(TypeError);
    });

    it('refuses a second grant under the same token hash', async () => {
      const { store } = await setUp(factory);
      const tokenHash = hashToken(newToken());
      await store.putGrant(grantFor(tokenHash));

      await expect(store.putGrant(grantFor(tokenHash, { participantId: 'other' }))).rejects.toBeInstanceOf(GrantExistsError);
      expect((await store.getGrant(tokenHash))?.participantId).toBe('acme');
    });

    it('revokes a grant and keeps the first revocation time', async () => {
      const { store } = await setUp(factory);
      const tokenHash = hashToken(newToken());
      await store.putGrant(grantFor(tokenHash, { expiresAt: '2026-04-01T00:00:00.000Z' }));
      const stored = await store.getGrant(tokenHash);
      if (stored === null) throw new Error('the grant should exist');
      expect(isGrantActive(stored, '2026-03-15T00:00:00.000Z')).toBe(true);
      expect(isGrantActive(stored, '2026-04-02T00:00:00.000Z')).toBe(false);

      await store.revokeGrant(tokenHash, '2026-03-10T00:00:00.000Z');
      await store.revokeGrant(tokenHash, '2026-03-11T00:00:00.000Z');

      const revoked = await store.getGrant(tokenHash);
      expect(revoked?.revokedAt).toBe('2026-03-10T00:00:00.000Z');
      expect(revoked && isGrantActive(revoked, '2026-03-15T00:00:00.000Z')).toBe(false);
      await expect(store.revokeGrant(hashToken(newToken()), '2026-03-10T00:00:00.000Z')).rejects.toBeInstanceOf(GrantNotFoundError);
    });
  });

  describe(`${name} case store: idempotency`, () => {
    it('lets the first claim of a key through and shows later claims the first result', async () => {
      const { store, rawItem } = await setUp(factory);
      const keyHash = sha256Hex('intake-key-1');
      const requestHash = sha256Hex('{"title":"overflow"}');

      const first = await store.claimIdempotency(keyHash, requestHash, '2026-03-01T00:00:00.000Z');
      const whilePending = await store.claimIdempotency(keyHash, requestHash, '2026-03-01T00:00:01.000Z');
      await store.completeIdempotency(keyHash, { caseId: 'case-1', status: 201 });
      await store.completeIdempotency(keyHash, { caseId: 'case-2', status: 201 });
      const afterwards = await store.claimIdempotency(keyHash, sha256Hex('another body'), '2026-03-01T00:00:02.000Z');

      expect(first).toEqual({ status: 'claimed' });
      expect(whilePending).toEqual({
        status: 'existing',
        record: { keyHash, requestHash, state: 'pending', createdAt: '2026-03-01T00:00:00.000Z' },
      });
      expect(afterwards).toEqual({
        status: 'existing',
        record: { keyHash, requestHash, state: 'done', result: { caseId: 'case-1', status: 201 }, createdAt: '2026-03-01T00:00:00.000Z' },
      });
      expect(await rawItem(idempotencyKey(keyHash))).toMatchObject({ PK: `IDEMPOTENCY#${keyHash}` });
    });

    it('releases a failed claim so that a retry can claim the key again, but never a completed one', async () => {
      const { store } = await setUp(factory);
      const keyHash = sha256Hex('intake-key-2');
      await store.claimIdempotency(keyHash, sha256Hex('body'), '2026-03-01T00:00:00.000Z');

      await store.releaseIdempotency(keyHash);
      const retry = await store.claimIdempotency(keyHash, sha256Hex('body'), '2026-03-01T00:01:00.000Z');
      await store.completeIdempotency(keyHash, 'ok');
      await store.releaseIdempotency(keyHash);

      expect(retry).toEqual({ status: 'claimed' });
      expect(await store.claimIdempotency(keyHash, sha256Hex('body'), '2026-03-01T00:02:00.000Z')).toMatchObject({
        status: 'existing',
        record: { state: 'done', result: 'ok' },
      });
    });

    it('refuses to complete a key nobody claimed', async () => {
      const { store } = await setUp(factory);

      await expect(store.completeIdempotency(sha256Hex('never claimed'), {})).rejects.toBeInstanceOf(IdempotencyKeyNotFoundError);
    });
  });

  describe(`${name} case store: wait tokens`, () => {
    it('replaces a parked wait and clears it only with the token it holds', async () => {
      const { store } = await setUp(factory);
      await store.append('case-1', 0, [opened()]);
      const older = {
        kind: 'triage-decision',
        token: 'token-old',
        since: '2026-03-01T00:00:00.000Z',
        deadlineAt: '2026-03-03T00:00:00.000Z',
      };
      const newer = { kind: 'triage-decision', token: 'token-new', since: '2026-03-03T00:00:00.000Z' };

      await store.putWait('case-1', older);
      await store.putWait('case-1', newer);

      expect(await store.clearWait('case-1', 'token-old')).toBe(false);
      expect(await store.getWait('case-1')).toEqual(newer);
      expect(await store.clearWait('case-1', 'token-new')).toBe(true);
      expect(await store.getWait('case-1')).toBeNull();
      expect(await store.clearWait('case-1', 'token-new')).toBe(false);
    });

    it('keeps waits out of the event log and the snapshot', async () => {
      const { store } = await setUp(factory);
      await store.append('case-1', 0, [opened()]);

      await store.putWait('case-1', {
        kind: 'approval',
        token: 't',
        since: '2026-03-01T00:00:00.000Z',
        deadlineAt: '2026-03-02T00:00:00.000Z',
      });

      expect(await readWholeLog(store, 'case-1')).toHaveLength(1);
      expect(await store.load('case-1')).toMatchObject({ version: 1 });
      expect(await store.getWait('case-1')).toEqual({
        kind: 'approval',
        token: 't',
        since: '2026-03-01T00:00:00.000Z',
        deadlineAt: '2026-03-02T00:00:00.000Z',
      });
    });
  });

  describe(`${name} case store: concurrent writers`, () => {
    it('lets exactly one of two racing writers win and the other retry from a fresh read', async () => {
      const { store } = await setUp(factory);
      await store.append('case-1', 0, [opened()]);
      const rounds = 20;

      for (let round = 0; round < rounds; round += 1) {
        // Both writers read before either writes, so every round is a real race.
        let arrived = 0;
        let bothHaveRead = (): void => undefined;
        const barrier = new Promise<void>((resolve) => (bothHaveRead = resolve));
        const seen: Record<string, number[]> = { A: [], B: [] };
        const writer = (name: 'A' | 'B') =>
          appendWithRetry(store, 'case-1', async (loaded): Promise<ToyEvent[]> => {
            const versions = seen[name] ?? [];
            versions.push(loaded.version);
            if (versions.length === 1) {
              arrived += 1;
              if (arrived === 2) bothHaveRead();
              await barrier;
            }
            return [{ type: 'incremented', expected: loaded.state.counter, by: `${name}${round}` }];
          });

        const results = await Promise.all([writer('A'), writer('B')]);

        const start = 1 + 2 * round;
        expect(seen.A?.[0]).toBe(start);
        expect(seen.B?.[0]).toBe(start);
        // One decided once (the winner), the other twice: first on the old state, then on the new.
        expect([seen.A?.length, seen.B?.length].sort()).toEqual([1, 2]);
        const loser = seen.A?.length === 2 ? seen.A : seen.B;
        expect(loser).toEqual([start, start + 1]);
        expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([start + 1, start + 2]);
      }

      const log = await readWholeLog(store, 'case-1');
      const increments = log.filter((e) => e.type === 'incremented');
      expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 1 + 2 * rounds }, (_, i) => i + 1));
      expect(new Set(increments.map((e) => e.by)).size).toBe(2 * rounds);
      expect(increments.map((e) => e.expected)).toEqual(Array.from({ length: 2 * rounds }, (_, i) => i));
      const loaded = await store.load('case-1');
      expect(loaded).toEqual({ caseId: 'case-1', version: 1 + 2 * rounds, state: foldLog('case-1', log) });
      expect(loaded?.state).toMatchObject({ counter: 2 * rounds, mismatches: 0 });
    });

    it.each([
      ['one item', toyProjection],
      ['split in parts', toyPartsProjection],
    ])('keeps the log gapless and every decision exactly once under many free-running writers (snapshot in %s)', async (_, projection) => {
      const { store, rawItem } = await setUp(factory, projection);
      await store.append('case-1', 0, [opened()]);
      const writers = 5;
      const each = 6;

      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = 0; i < each; i += 1) {
            await appendWithRetry(
              store,
              'case-1',
              (loaded): ToyEvent[] => [
                { type: 'incremented', expected: loaded.state.counter, by: `w${w}-${i}` },
                { type: 'noted', text: `w${w}-${i}` },
              ],
              { attempts: 100 },
            );
          }
        }),
      );

      // Before any load could repair it: snapshot writes never move a snapshot backwards.
      expect(await rawItem(caseSnapshotKey('case-1'))).toMatchObject({ version: 1 + 2 * writers * each });
      const log = await readWholeLog(store, 'case-1');
      expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 1 + 2 * writers * each }, (_, i) => i + 1));
      const labels = log.flatMap((e) => (e.type === 'incremented' ? [e.by] : []));
      expect(new Set(labels).size).toBe(writers * each);
      // Each decision's two events sit side by side: an append is one atomic commit.
      log.forEach((e, i) => {
        if (e.type === 'incremented') expect(log[i + 1]).toMatchObject({ type: 'noted', text: e.by });
      });
      expect(await store.load('case-1')).toEqual({ caseId: 'case-1', version: log.length, state: foldLog('case-1', log) });
      expect((await store.load('case-1'))?.state.mismatches).toBe(0);
    });

    it('gives up after the allowed attempts with the last conflict', async () => {
      const { store } = await setUp(factory);
      await store.append('case-1', 0, [opened()]);
      let calls = 0;

      // A rival commits between every read and write of ours.
      const attempt = appendWithRetry(
        store,
        'case-1',
        async (loaded) => {
          calls += 1;
          await store.append('case-1', loaded.version, [noted(`rival ${calls}`)]);
          return [noted('never lands')];
        },
        { attempts: 3 },
      );

      await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
      expect(calls).toBe(3);
      expect((await store.load('case-1'))?.state.notes).toEqual(['rival 1', 'rival 2', 'rival 3']);
    });

    it('writes nothing when the decision is empty', async () => {
      const { store } = await setUp(factory);
      await store.append('case-1', 0, [opened()]);

      const result = await appendWithRetry(store, 'case-1', () => []);

      expect(result).toMatchObject({ version: 1, appended: [] });
      expect(await readWholeLog(store, 'case-1')).toHaveLength(1);
    });

    it('creates a case through the retry loop only when asked to', async () => {
      const { store } = await setUp(factory);

      const created = await appendWithRetry(store, 'case-9', (loaded) => (loaded.version === 0 ? [opened('intake')] : []), {
        create: true,
      });
      const again = await appendWithRetry(store, 'case-9', (loaded) => (loaded.version === 0 ? [opened('intake')] : []), { create: true });

      expect(created).toMatchObject({ version: 1, state: { phase: 'intake' } });
      expect(again).toMatchObject({ version: 1, appended: [] });
    });
  });
}
